/**
 * Search benchmark (issue 4 target 1): with 100,000 products and 1,000,000 properties loaded (100,000
 * contracts × 10 properties; ~1.2 M search entries), `SearchService.search` (the code behind
 * `GET /api/search`: full text + typo tolerance + prefixes, ranking, facets over every hit) must answer at
 * p50 ≤ 5 ms and p95 ≤ 30 ms on the embedded store; PostgreSQL figures are reported too (a temporary
 * database). Searches are answered by the in-memory index (services/search), built after the load.
 *
 * Query mix per pass: single words, typos, two words, prefixes (as typed), filtered searches and browse
 * pages (see `queryMix`), p50/p95 overall and per class.
 *
 * Baselines in the same run and store: the plain full-text match alone (`tsv @@ query`, top 50 by
 * ts_rank, no typo tolerance, no facets) — the least a SQL text search must do; ratio = search / baseline.
 * And, up to MESHBOARD_BENCH_SQL_MAX products (default 20,000; it takes seconds per query beyond), the
 * previous SQL path of `SearchService` over the same mix.
 *
 * Memory: the process RSS after the load and after the index build (the bench process holds the embedded
 * store like the server does), and the peak (VmHWM).
 *
 * The embedded store searches the cached loaded directory of bench/catalogDataDir.ts (built on first use).
 * Run: `npm run bench search [-- --products N]`. MESHBOARD_BENCH_PRODUCTS (default 100000; --products
 * wins), MESHBOARD_BENCH_PASSES (default 5 passes over the query mix), MESHBOARD_BENCH_STORES (default
 * "embedded,postgres").
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { SearchService, type SearchRequest } from '../packages/server/src/services/SearchService';
import { seedDemo } from '../packages/server/src/services/seedDemo';
import { createStore, type Store } from '../packages/server/src/store/createStore';
import { createTemporaryDatabase, postgresAvailable } from '../test-support/services';
import { catalogDataDir } from './catalogDataDir';
import { loadCatalog } from './loadCatalog';
import { envNumber, median, percentile, round, timed, writeResult } from './support';
import { searchTerms } from './syntheticCatalog';

const productsArgument = process.argv.indexOf('--products');
const products = productsArgument >= 0 ? Number(process.argv[productsArgument + 1]) : envNumber('MESHBOARD_BENCH_PRODUCTS', 100_000);
if (!Number.isInteger(products) || products <= 0) throw new Error('--products must be a positive integer');
const columns = 10;
const passes = envNumber('MESHBOARD_BENCH_PASSES', 5);
const sqlMax = envNumber('MESHBOARD_BENCH_SQL_MAX', 20_000);
const stores = (process.env.MESHBOARD_BENCH_STORES ?? 'embedded,postgres').split(',').map((s) => s.trim());

type QueryClass = 'word' | 'typo' | 'two words' | 'prefix' | 'filtered' | 'browse';
interface BenchQuery {
  label: QueryClass;
  request: SearchRequest;
}

/** The query mix: what catalog users type and click, over the synthetic mesh's vocabulary. */
function queryMix(): BenchQuery[] {
  const mix: BenchQuery[] = [];
  const terms = searchTerms();
  for (let at = 0; at + 3 < terms.length; at += 4) {
    const [word = 'order', twoWords = 'order events', column = 'order_id', typo = 'ordr'] = terms.slice(at, at + 4);
    mix.push({ label: 'word', request: { q: word } });
    mix.push({ label: 'two words', request: { q: twoWords } });
    mix.push({ label: 'two words', request: { q: column } });
    mix.push({ label: 'typo', request: { q: typo } });
    mix.push({ label: 'prefix', request: { q: word.slice(0, 3) } });
    mix.push({ label: 'prefix', request: { q: `${twoWords.slice(0, -2)}` } });
    mix.push({ label: 'filtered', request: { q: word, domainId: ['sales', 'logistics', 'finance'][at % 3] ?? 'sales', kind: 'product' } });
    mix.push({ label: 'filtered', request: { q: word, status: 'active', quality: 'not-run', sort: 'updated' } });
  }
  mix.push({ label: 'browse', request: {} });
  mix.push({ label: 'browse', request: { domainId: 'finance' } });
  mix.push({ label: 'browse', request: { kind: 'contract', sort: 'updated' } });
  mix.push({ label: 'browse', request: { tag: 'customer' } });
  return mix;
}

interface Percentiles {
  p50: number;
  p95: number;
}

interface StoreFigures {
  loadSeconds: number;
  indexBuildSeconds: number;
  searchEntries: number;
  search: Percentiles & { p99: number; max: number };
  byClass: Record<string, Percentiles>;
  baseline: Percentiles;
  ratioP50: number;
  ratioP95: number;
  sqlPath: (Percentiles & { ratioP50: number }) | { skipped: string };
  rssMiB: { afterLoad: number; afterIndex: number; peak: number };
  slowest: { q: string; ms: number; total: number }[];
}

const mib = (bytes: number) => round(bytes / 2 ** 20, 0);
function peakRss(): number {
  const kib = /VmHWM:\s+([0-9]+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kib ?? 0) * 1024;
}
const describeRequest = (request: SearchRequest) => JSON.stringify(request);

/** `loaded`: the store already holds the catalog (the embedded store's cached directory) and its load time. */
async function measure(store: Store, loaded?: { loadSeconds: number }): Promise<StoreFigures> {
  const loadStarted = performance.now();
  if (loaded === undefined) {
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
  }
  await sql`analyze`.execute(store.db);
  const loadSeconds = loaded?.loadSeconds ?? (performance.now() - loadStarted) / 1000;
  const entries = Number((await sql<{ n: string }>`select count(*) as n from search_entries`.execute(store.db)).rows[0]?.n ?? 0);
  console.log(`    ${products} products, ${entries} search entries loaded in ${loadSeconds.toFixed(0)} s`);
  // As the server wires it: on the embedded store, commit notifications spare the look for changes before each search.
  const search = new SearchService(store.db, store.searchChanges === undefined ? {} : { changes: store.searchChanges });
  global.gc?.();
  const rssAfterLoad = process.memoryUsage().rss;
  const buildStarted = performance.now();
  await search.buildIndex();
  const indexBuildSeconds = (performance.now() - buildStarted) / 1000;
  global.gc?.();
  const rssAfterIndex = process.memoryUsage().rss;
  console.log(`    index built in ${indexBuildSeconds.toFixed(1)} s; RSS ${mib(rssAfterLoad)} MiB after the load, ${mib(rssAfterIndex)} MiB with the index`);
  const mix = queryMix();
  // Warm-up: one pass of each (JIT, stems, plans), not measured.
  for (const query of mix) {
    await search.search(query.request);
    if (query.request.q !== undefined) await baselineQuery(store, query.request.q);
  }
  const searchTimes: number[] = [];
  const baselineTimes: number[] = [];
  const byClass = new Map<string, number[]>();
  const perQuery = new Map<string, { ms: number[]; total: number }>();
  for (let pass = 0; pass < passes; pass++) {
    for (const query of mix) {
      // Interleaved, so load on the shared machine hits both alike.
      if (query.request.q !== undefined) baselineTimes.push(await timed(() => baselineQuery(store, query.request.q ?? '')));
      let total = 0;
      const ms = await timed(async () => {
        total = (await search.search(query.request)).total;
      });
      searchTimes.push(ms);
      byClass.set(query.label, [...(byClass.get(query.label) ?? []), ms]);
      const key = describeRequest(query.request);
      const entry = perQuery.get(key) ?? { ms: [], total };
      entry.ms.push(ms);
      perQuery.set(key, entry);
    }
  }
  let sqlPath: StoreFigures['sqlPath'] = { skipped: `more than ${sqlMax} products (MESHBOARD_BENCH_SQL_MAX)` };
  if (products <= sqlMax) {
    const sqlTimes: number[] = [];
    for (const query of mix) sqlTimes.push(await timed(() => search.searchSql(query.request)));
    sqlPath = { p50: round(median(sqlTimes)), p95: round(percentile(sqlTimes, 95)), ratioP50: round(median(sqlTimes) / median(searchTimes), 1) };
  }
  const figures: StoreFigures = {
    loadSeconds: round(loadSeconds, 0),
    indexBuildSeconds: round(indexBuildSeconds, 1),
    searchEntries: entries,
    search: { p50: round(median(searchTimes)), p95: round(percentile(searchTimes, 95)), p99: round(percentile(searchTimes, 99)), max: round(Math.max(...searchTimes)) },
    byClass: Object.fromEntries([...byClass].map(([label, times]) => [label, { p50: round(median(times)), p95: round(percentile(times, 95)) }])),
    baseline: { p50: round(median(baselineTimes)), p95: round(percentile(baselineTimes, 95)) },
    ratioP50: round(median(searchTimes) / median(baselineTimes)),
    ratioP95: round(percentile(searchTimes, 95) / percentile(baselineTimes, 95)),
    sqlPath,
    rssMiB: { afterLoad: mib(rssAfterLoad), afterIndex: mib(rssAfterIndex), peak: mib(peakRss()) },
    slowest: [...perQuery]
      .map(([q, value]) => ({ q, ms: round(median(value.ms)), total: value.total }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5),
  };
  search.close();
  console.log(`    search:   p50 ${figures.search.p50} ms  p95 ${figures.search.p95} ms  p99 ${figures.search.p99} ms  (${searchTimes.length} searches)  target p50 ≤ 5, p95 ≤ 30`);
  for (const [label, value] of Object.entries(figures.byClass)) console.log(`      ${label.padEnd(10)} p50 ${value.p50} ms  p95 ${value.p95} ms`);
  console.log(`    baseline: p50 ${figures.baseline.p50} ms  p95 ${figures.baseline.p95} ms  (plain full-text top 50)`);
  console.log(`    ratio search / baseline: p50 ${figures.ratioP50}×  p95 ${figures.ratioP95}×`);
  console.log(`    SQL path: ${'skipped' in sqlPath ? sqlPath.skipped : `p50 ${sqlPath.p50} ms  p95 ${sqlPath.p95} ms  (${sqlPath.ratioP50}× the index p50)`}`);
  console.log(`    RSS: ${figures.rssMiB.afterLoad} MiB after load, ${figures.rssMiB.afterIndex} MiB with the index, peak ${figures.rssMiB.peak} MiB (target < 1229)`);
  console.log(`    slowest queries (median ms, hits): ${figures.slowest.map((s) => `${s.q} ${s.ms} ms/${s.total}`).join(', ')}`);
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
    // The loaded directory is cached between runs (bench/catalogDataDir.ts, shared with the web bench):
    // searching only reads it, and loading 100k products takes minutes.
    const catalog = await catalogDataDir(products);
    console.log(`    ${catalog.reused ? 'reusing the cached catalog' : `catalog loaded in ${catalog.loadSeconds.toFixed(0)} s`}: ${catalog.dataDir}`);
    const store = await createStore({ kind: 'embedded', dataDir: catalog.dataDir });
    try {
      results[kind] = await measure(store, { loadSeconds: catalog.loadSeconds });
    } finally {
      await store.close();
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
  targets: { embeddedP50: 5, embeddedP95: 30, rssMiB: 1229 },
  met: embedded !== undefined && 'search' in embedded ? embedded.search.p50 <= 5 && embedded.search.p95 <= 30 && embedded.rssMiB.peak < 1229 : null,
});
