// Builds the web app (vite build) when packages/web/dist is missing or older than any of its sources
// (the web app, the client and the model it bundles). `npm start` runs this first, so a fresh clone
// serves the UI and an up-to-date build starts at once.
//
// Several processes may call this at once (parallel browser test files on a fresh clone, a bench beside
// them): one builds while the others wait on a lock and then find the build fresh. Without it, a second
// `vite build` empties dist/ while a server started by the first caller is serving it, and a page that
// loads a lazy chunk in that window fails for good.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const packages = join(web, '..');
const sources = [join(web, 'src'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(web, 'package.json'), join(packages, 'client', 'src'), join(packages, 'model', 'src')];

/** The newest modification time under `path` (0 when it does not exist). */
function newest(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), info.mtimeMs);
}

/** Whether dist/ is missing or older than a source; also the built time, for the message. */
function staleness() {
  const built = newest(join(web, 'dist', 'index.html'));
  return { built, stale: built === 0 || built < Math.max(...sources.map(newest)) };
}

/** Takes the build lock of this checkout (a directory: mkdir is atomic); a lock older than 10 min is a crashed builder's. */
function lock() {
  const path = join(tmpdir(), `meshboard-web-build-${createHash('sha256').update(web).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(path);
      return path;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(path).mtimeMs > 10 * 60_000) rmSync(path, { recursive: true, force: true });
      } catch {
        // Released between the two calls: try again.
      }
      if (Date.now() > deadline) throw new Error(`meshboard: waited 15 min for the web build lock ${path}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

if (!staleness().stale) {
  console.log('meshboard: the web app build (packages/web/dist) is up to date.');
} else {
  const held = lock();
  try {
    // Another process may have built while this one waited.
    const { built, stale } = staleness();
    if (!stale) {
      console.log('meshboard: the web app build (packages/web/dist) is up to date.');
    } else {
      console.log(built === 0 ? 'meshboard: building the web app (first start)…' : 'meshboard: web app sources changed, rebuilding…');
      const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
        cwd: web,
        stdio: 'inherit',
        shell: process.platform === 'win32',
        // Always a production build: a caller's NODE_ENV (vitest sets "test") would bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      });
      if (result.status !== 0) {
        console.error('meshboard: building the web app failed (see above); the API would still work: npx meshboard serve');
        process.exitCode = result.status ?? 1;
      }
    }
  } finally {
    rmSync(held, { recursive: true, force: true });
  }
}
