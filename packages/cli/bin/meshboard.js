#!/usr/bin/env node
// The `meshboard` executable. The packages ship TypeScript sources (no build step between them),
// so the CLI registers tsx's loader before importing its entry point.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
