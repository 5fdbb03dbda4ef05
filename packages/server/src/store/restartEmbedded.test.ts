import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineRestartSuite } from './restart.case';

defineRestartSuite('embedded (PGlite)', {
  fresh: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshboard-restart-'));
    return { options: { kind: 'embedded', dataDir: join(dir, 'data') }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  },
});
