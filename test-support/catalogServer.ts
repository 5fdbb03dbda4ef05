/**
 * A real Meshboard server over a catalog larger than the demo: the demo mesh plus `products` synthetic
 * products bulk-loaded with the benchmarks' loader (bench/loadCatalog.ts, a few seconds for a few
 * hundred), for browser tests of paging and prefetching. Same contract as `startAppServer`: dist is
 * brought up to date first, the store lives in a temporary directory removed by `close()`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../bench/loadCatalog';
import { createStore, startServer } from '../packages/server/src/index';
import { seedDemo } from '../packages/server/src/services/seedDemo';
import type { AppServer } from './browser';

export async function startCatalogServer(products: number): Promise<AppServer> {
  execFileSync(process.execPath, [fileURLToPath(new URL('../packages/web/scripts/buildIfStale.mjs', import.meta.url))], { stdio: 'pipe' });
  const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-catalog-'));
  const store = await createStore({ kind: 'embedded', dataDir });
  try {
    await seedDemo(store.db);
    await loadCatalog(store.db, { count: products, columns: 4 });
  } finally {
    await store.close();
  }
  // The store is not empty, so the demo is not seeded again (and no demo check runs are queued).
  const server = await startServer({ store: { kind: 'embedded', dataDir }, port: 0, hostname: '127.0.0.1', demo: true, log: () => undefined });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
