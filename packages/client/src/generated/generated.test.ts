import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe('generated client types', () => {
  it('match the OpenAPI document the server serves now (run npm run generate:client when this fails)', async () => {
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/client/scripts/generateClient.ts', '--check'], { cwd: repoRoot }).catch(
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(result.stderr ?? '').toBe('');
    expect(result.stdout).toContain('packages/client/src/generated is up to date.');
  }, 60_000);
});
