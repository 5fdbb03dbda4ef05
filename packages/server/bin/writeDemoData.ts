/**
 * Writes the demo mesh's data files (`npx tsx packages/server/bin/writeDemoData.ts`). The files are
 * committed; `seedDemo.test.ts` checks they still equal what `demoCsv` generates.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoCsv, demoDataDir, demoFileName, demoProducts } from '../src/services/demoCatalog';

mkdirSync(demoDataDir, { recursive: true });
for (const product of demoProducts) writeFileSync(join(demoDataDir, demoFileName(product)), demoCsv(product));
process.stdout.write(`wrote ${demoProducts.length} files to ${demoDataDir}\n`);
