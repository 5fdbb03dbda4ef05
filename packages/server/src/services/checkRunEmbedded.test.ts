import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createStore, type Store } from '../store/createStore';
import { defineCheckRunQueueSuite } from '../jobs/checkRunQueue.case';
import { defineCheckRunSuite } from './checkRun.case';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-runs-store-'));
let store: Store | undefined;
beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const opened = (): Store => {
  if (store === undefined) throw new Error('store not opened');
  return store;
};
// One PGlite store for both suites: opening one costs seconds.
defineCheckRunSuite('embedded (PGlite)', { store: opened });
defineCheckRunQueueSuite('embedded (PGlite)', { store: opened });
