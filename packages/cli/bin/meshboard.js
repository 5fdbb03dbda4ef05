#!/usr/bin/env node
// The `meshboard` executable. The packages ship TypeScript sources (ADR 0001); the CLI runs from the
// bundle esbuild made of them (packages/cli/dist, ADR 0005) when it is newer than every source, which
// starts several times faster than loading the sources through tsx. `serve` builds a stale or missing
// bundle first (about a second, once); other commands, being short, just run the sources through tsx.
// MESHBOARD_BUNDLE=off always uses tsx; a failed build falls back to tsx with a warning.
import { buildBundle, freshBundle } from '../scripts/bundle.mjs';

async function loadMain() {
  if (process.env.MESHBOARD_BUNDLE !== 'off') {
    let entry = freshBundle();
    if (entry === undefined && process.argv[2] === 'serve') {
      try {
        entry = await buildBundle();
      } catch (error) {
        console.error(`meshboard: bundling failed, running the TypeScript sources instead (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    if (entry !== undefined) return (await import(entry)).main;
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../src/main.ts')).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
