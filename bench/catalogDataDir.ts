/**
 * An embedded data directory holding the demo mesh plus N synthetic products (bench/loadCatalog.ts),
 * built once and kept under node_modules/.cache/meshboard-bench/ (git-ignored with node_modules), so a
 * benchmark that only reads the catalog does not pay the multi-minute bulk load on every run.
 *
 * Contract: the directory's name carries the product count and a hash of everything that decides its
 * content (the migrations, the search-entry builder, the synthetic catalog and its loader), so a change to
 * any of them builds a new directory instead of reusing a stale one. A directory is only used when its
 * `complete` marker exists: a load that was interrupted is thrown away and started again. The caller may
 * serve the directory (sessions are written to it); it must not publish into it.
 *
 * Run alone to build the cache ahead of time: `npx tsx bench/catalogDataDir.ts [products]`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../packages/server/src/services/seedDemo';
import { createStore } from '../packages/server/src/store/createStore';
import { loadCatalog } from './loadCatalog';
import { repoRoot } from './support';

export const benchCacheDir = join(repoRoot, 'node_modules', '.cache', 'meshboard-bench');

/** The files whose content decides what a loaded data directory holds. */
const contentSources = [
  'packages/server/src/store/migrations.ts',
  'packages/server/src/services/searchIndex.ts',
  'packages/server/src/services/catalogDocuments.ts',
  'packages/server/src/services/demoCatalog.ts',
  'packages/server/src/services/seedDemo.ts',
  'bench/loadCatalog.ts',
  'bench/syntheticCatalog.ts',
];

function contentKey(): string {
  const hash = createHash('sha256');
  for (const file of contentSources) hash.update(file).update(readFileSync(join(repoRoot, file)));
  return hash.digest('hex').slice(0, 12);
}

/**
 * The cached data directory for `products` synthetic products with 10 properties each, building it
 * first when missing (progress on stdout). Returns its path and whether it was reused.
 */
export async function catalogDataDir(products: number): Promise<{ dataDir: string; reused: boolean; loadSeconds: number }> {
  const name = `catalog-${products}-${contentKey()}`;
  const dir = join(benchCacheDir, name);
  if (existsSync(join(dir, 'complete'))) return { dataDir: join(dir, 'data'), reused: true, loadSeconds: 0 };
  mkdirSync(benchCacheDir, { recursive: true });
  // Older builds of the same size are superseded (each is a few hundred MB).
  for (const entry of readdirSync(benchCacheDir)) {
    if (entry.startsWith(`catalog-${products}-`) && entry !== name) rmSync(join(benchCacheDir, entry), { recursive: true, force: true });
  }
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const started = performance.now();
  const store = await createStore({ kind: 'embedded', dataDir: join(building, 'data') });
  try {
    await seedDemo(store.db);
    let reported = 0;
    await loadCatalog(store.db, {
      count: products,
      columns: 10,
      progress: (done) => {
        if (done - reported >= 10_000) {
          reported = done;
          console.log(`  loaded ${done} products (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        }
      },
    });
  } finally {
    await store.close();
  }
  const loadSeconds = (performance.now() - started) / 1000;
  writeFileSync(join(building, 'complete'), `${JSON.stringify({ products, loadSeconds: Math.round(loadSeconds) })}\n`);
  renameSync(building, dir);
  return { dataDir: join(dir, 'data'), reused: false, loadSeconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const products = Number(process.argv[2] ?? 100_000);
  const { dataDir, reused, loadSeconds } = await catalogDataDir(products);
  console.log(`${dataDir} (${reused ? 'reused' : `loaded in ${loadSeconds.toFixed(0)} s`})`);
}
