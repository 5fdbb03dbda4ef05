// Builds the web app (vite build) when packages/web/dist is missing or older than any of its sources
// (the web app, the client and the model it bundles). `npm start` runs this first, so a fresh clone
// serves the UI and an up-to-date build starts at once.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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

const built = newest(join(web, 'dist', 'index.html'));
const changed = Math.max(...sources.map(newest));
if (built !== 0 && built >= changed) {
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
    process.exit(result.status ?? 1);
  }
}
