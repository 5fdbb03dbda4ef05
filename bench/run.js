#!/usr/bin/env node
// Runs every bench/*.bench.ts (or those whose name contains the first argument) one after another, each
// in its own Node process through tsx, so one benchmark's JIT state and heap never skew the next.
// Each benchmark prints its own figures and writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
// Arguments after the filter go to each benchmark (e.g. `npm run bench search -- --products 20000`).
const benchArgs = process.argv.slice(3);
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts') && name.includes(filter))
  .sort();
if (benches.length === 0) {
  console.error(`bench: no bench/*.bench.ts matches "${filter}"`);
  process.exit(2);
}
let failed = 0;
for (const name of benches) {
  console.log(`\n== ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, name), ...benchArgs], { stdio: 'inherit', cwd: join(here, '..') });
  if (result.status !== 0) {
    failed++;
    console.error(`bench: ${name} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
