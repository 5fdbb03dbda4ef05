/**
 * Search benchmark (issue 4 target 1): with 100,000 products and 1,000,000 properties loaded (100,000
 * contracts × 10 properties; ~1.2 M search entries), `SearchService.search` (the code behind
 * `GET /api/search`: full text + typo tolerance, ranking, facets over every hit) must answer at p50 ≤ 5 ms
 * and p95 ≤ 30 ms on the embedded store; PostgreSQL figures are reported too (a temporary database).
 *
 * Baseline in the same run and store: the plain full-text match alone (`tsv @@ query`, top 50 by
 * ts_rank, no typo tolerance, no facets) — the least a text search must do. Ratio = search / baseline.
 *
 * Run: `npm run bench search`. MESHBOARD_BENCH_PRODUCTS (default 100000), MESHBOARD_BENCH_PASSES (default
 * 5 passes over the query set), MESHBOARD_BENCH_STORES (default "embedded,postgres").
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { SearchService } from '../packages/server/src/services/SearchService';
import { seedDemo } from '../packages/server/src/services/seedDemo';
import { createStore, type Store } from '../packages/server/src/store/createStore';
import { createTemporaryDatabase, postgresAvailable } from '../test-support/services';
import { loadCatalog } from './loadCatalog';
import { envNumber, median, percentile, round, timed, writeResult } from './support';
import { searchTerms } from './syntheticCatalog';

const products = envNumber('MESHBOARD_BENCH_PRODUCTS', 100_000);
const columns = 10;
const passes = envNumber('MESHBOARD_BENCH_PASSES', 5);
const stores = (process.env.MESHBOARD_BENCH_STORES ?? 'embedded,postgres').split(',').map((s) => s.trim());

interface StoreFigures {
  loadSeconds: number;
  searchEntries: number;
  search: { p50: number; p95: number; p99: number; max: number };
  baseline: { p50: number; p95: number };
  ratioP50: number;
  ratioP95: number;
  slowest: { q: string; ms: number; total: number }[];
}

async function measure(store: Store): Promise<StoreFigures> {
  const loadStarted = performance.now();
  await seedDemo(store.db);
  let reported = 0;
  await loadCatalog(store.db, {
    count: products,
    columns,
    progress: (done) => {
      if (done - reported >= 10_000) {
        reported = done;
        console.log(`    loaded ${done} products (${((performance.now() - loadStarted) / 1000).toFixed(0)} s)`);
      }
    },
  });
  await sql`analyze`.execute(store.db);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const entries = Number((await sql<{ n: string }>`select count(*) as n from search_entries`.execute(store.db)).rows[0]?.n ?? 0);
  console.log(`    ${products} products, ${entries} search entries loaded in ${loadSeconds.toFixed(0)} s`);
  const search = new SearchService(store.db);
  const terms = searchTerms();
  // Warm-up: one pass of each (plans, caches), not measured.
  for (const q of terms) {
    await search.search({ q });
    await baselineQuery(store, q);
  }
  const searchTimes: number[] = [];
  const baselineTimes: number[] = [];
  const perTerm = new Map<string, { ms: number[]; total: number }>();
  for (let pass = 0; pass < passes; pass++) {
    for (const q of terms) {
      // Interleaved, so load on the shared machine hits both alike.
      baselineTimes.push(await timed(() => baselineQuery(store, q)));
      let total = 0;
      const ms = await timed(async () => {
        total = (await search.search({ q })).total;
      });
      searchTimes.push(ms);
      const entry = perTerm.get(q) ?? { ms: [], total };
      entry.ms.push(ms);
      perTerm.set(q, entry);
    }
  }
  const figures: StoreFigures = {
    loadSeconds: round(loadSeconds, 0),
    searchEntries: entries,
    search: { p50: round(median(searchTimes)), p95: round(percentile(searchTimes, 95)), p99: round(percentile(searchTimes, 99)), max: round(Math.max(...searchTimes)) },
    baseline: { p50: round(median(baselineTimes)), p95: round(percentile(baselineTimes, 95)) },
    ratioP50: round(median(searchTimes) / median(baselineTimes)),
    ratioP95: round(percentile(searchTimes, 95) / percentile(baselineTimes, 95)),
    slowest: [...perTerm]
      .map(([q, value]) => ({ q, ms: round(median(value.ms)), total: value.total }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5),
  };
  console.log(`    search:   p50 ${figures.search.p50} ms  p95 ${figures.search.p95} ms  p99 ${figures.search.p99} ms  (${searchTimes.length} searches)  target p50 ≤ 5, p95 ≤ 30`);
  console.log(`    baseline: p50 ${figures.baseline.p50} ms  p95 ${figures.baseline.p95} ms  (plain full-text top 50)`);
  console.log(`    ratio search / baseline: p50 ${figures.ratioP50}×  p95 ${figures.ratioP95}×`);
  console.log(`    slowest queries (median ms, hits): ${figures.slowest.map((s) => `"${s.q}" ${s.ms} ms/${s.total}`).join(', ')}`);
  return figures;
}

/** The baseline: the plain full-text match, top 50 by rank. */
async function baselineQuery(store: Store, q: string): Promise<void> {
  await sql`select key, title from search_entries where tsv @@ websearch_to_tsquery('english', ${q}) order by ts_rank(tsv, websearch_to_tsquery('english', ${q})) desc limit 50`.execute(store.db);
}

const results: Record<string, StoreFigures | { skipped: string }> = {};
for (const kind of stores) {
  console.log(`${kind} store`);
  if (kind === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), 'meshboard-bench-search-'));
    const store = await createStore({ kind: 'embedded', dataDir: join(dir, 'data') });
    try {
      results[kind] = await measure(store);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  } else if (kind === 'postgres') {
    if (!(await postgresAvailable())) {
      results[kind] = { skipped: 'PostgreSQL not reachable' };
      continue;
    }
    const database = await createTemporaryDatabase('meshboard_bench');
    const store = await createStore({ kind: 'postgres', url: database.url });
    try {
      results[kind] = await measure(store);
    } finally {
      await store.close();
      await database.drop();
    }
  } else {
    throw new Error(`MESHBOARD_BENCH_STORES: unknown store "${kind}" (embedded, postgres)`);
  }
}
const embedded = results['embedded'];
writeResult('search', {
  products,
  properties: products * columns,
  passes,
  stores: results,
  targets: { embeddedP50: 5, embeddedP95: 30 },
  met: embedded !== undefined && 'search' in embedded ? embedded.search.p50 <= 5 && embedded.search.p95 <= 30 : null,
});
