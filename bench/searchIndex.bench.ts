/**
 * In-memory search index benchmark at the full size without a database load: 100,000 synthetic
 * products with 10 columns each (≈ 1.2 M entries: the very rows `searchEntryRows` makes for publishing)
 * go straight into `SearchIndex`; the query mix of search.bench.ts runs against it. What it isolates: the
 * index's own query time and memory at 100k/1M (the full store benchmark, search.bench.ts, adds the
 * per-search change check and the store, but loading 1.2 M rows through the publish path takes tens of
 * minutes on a shared 2-core machine).
 *
 * Stand-ins, so that no database is needed: lexemes are lower-cased words with a trailing "s" dropped
 * (PostgreSQL's English stemmer in the real index), with the same weights (A title, B keywords, C body).
 *
 * Baseline in the same run: a bare scan of every entry's lower-cased title + keywords for the query words
 * (`includes`) with a full sort of the hits — what an index-less in-memory search costs. Ratio = index / scan.
 *
 * Run: `npm run bench searchIndex [-- --products N]` (default 100000). MESHBOARD_BENCH_PASSES (default 5).
 */
import { catalogFields, type JsonObject } from '../packages/server/src/services/catalogDocuments';
import { SearchIndex, type IndexEntry, type IndexQuery } from '../packages/server/src/services/search/SearchIndex';
import { trigramWords } from '../packages/server/src/services/search/trigrams';
import { searchEntryRows } from '../packages/server/src/services/searchIndex';
import { envNumber, median, percentile, round, writeResult } from './support';
import { searchTerms, syntheticDocuments } from './syntheticCatalog';

const productsArgument = process.argv.indexOf('--products');
const products = productsArgument >= 0 ? Number(process.argv[productsArgument + 1]) : 100_000;
const passes = envNumber('MESHBOARD_BENCH_PASSES', 5);
const columns = 10;
const stem = (word: string) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);
const domains = ['00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000003'];
const slugs = ['sales', 'logistics', 'finance'];
const mib = (bytes: number) => round(bytes / 2 ** 20, 0);

function tsv(title: string, keywords: string, body: string): string {
  const best = new Map<string, string>();
  for (const [text, weight] of [[body, 'C'], [keywords, 'B'], [title, 'A']] as const) for (const word of trigramWords(text)) best.set(stem(word), weight);
  return [...best].map(([lexeme, weight]) => `'${lexeme}':1${weight}`).join(' ');
}

const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const index = new SearchIndex();
domains.forEach((id, at) => index.setDomainSlug(id, slugs[at] ?? 'sales'));
// The bare-scan baseline keeps its own lower-cased texts (not counted in the index's memory).
const scanTexts: string[] = [];
for (let n = 0; n < products; n++) {
  const documents = syntheticDocuments(n, columns);
  const domainId = domains[n % 3] ?? '';
  const entityBase = n.toString(16).padStart(12, '0');
  for (const [kind, document] of [['contract', documents.contract], ['product', documents.product]] as const) {
    const fields = catalogFields(document as JsonObject, kind);
    const entityId = `00000000-0000-7000-${kind === 'product' ? '8' : '9'}000-${entityBase}`;
    for (const row of searchEntryRows({ kind, entityId, domainId, fields, document: document as JsonObject }, new Date(1_700_000_000_000 + n * 1000))) {
      const entry: IndexEntry = {
        key: row.key,
        kind: row.kind,
        entityId: row.entity_id,
        domainId: row.domain_id,
        title: row.title,
        context: row.context ?? '',
        status: row.status,
        owner: row.owner ?? '',
        tags: row.tags ?? [],
        keywords: row.keywords ?? '',
        qualityState: 'not-run',
        slaState: 'unknown',
        updatedMicros: (n + 1_700_000_000) * 1_000_000,
        tsv: tsv(row.title, row.keywords ?? '', row.body ?? ''),
      };
      index.add(entry);
      scanTexts.push(`${row.title} ${row.keywords ?? ''}`.toLowerCase());
    }
  }
  if ((n + 1) % 20_000 === 0) console.log(`  ${n + 1} products added (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
index.finish();
const buildSeconds = (performance.now() - started) / 1000;
const rssAfter = process.memoryUsage().rss;
console.log(`  ${index.size} entries indexed in ${buildSeconds.toFixed(0)} s; RSS ${mib(rssBefore)} → ${mib(rssAfter)} MiB (the scan baseline's texts included)`);

type Query = { label: string; request: Omit<IndexQuery, 'tokens' | 'sort' | 'offset' | 'limit'> & { sort?: IndexQuery['sort'] } };
const mix: Query[] = [];
const terms = searchTerms();
for (let at = 0; at + 3 < terms.length; at += 4) {
  const [word = 'order', twoWords = 'order events', column = 'order_id', typo = 'ordr'] = terms.slice(at, at + 4);
  mix.push({ label: 'word', request: { q: word } }, { label: 'two words', request: { q: twoWords } }, { label: 'two words', request: { q: column } }, { label: 'typo', request: { q: typo } });
  mix.push({ label: 'prefix', request: { q: word.slice(0, 3) } }, { label: 'prefix', request: { q: twoWords.slice(0, -2) } });
  mix.push({ label: 'filtered', request: { q: word, domain: slugs[at % 3] ?? 'sales', kind: 'product' } }, { label: 'filtered', request: { q: word, status: 'active', quality: 'not-run', sort: 'updated' } });
}
mix.push({ label: 'browse', request: { q: '' } }, { label: 'browse', request: { q: '', domain: 'finance' } }, { label: 'browse', request: { q: '', kind: 'contract', sort: 'updated' } });

const run = (query: Query) => {
  const q = query.request.q.trim().toLowerCase();
  const tokens = trigramWords(q).map((text) => ({ text, stem: stem(text) }));
  return index.search({ ...query.request, q, tokens, sort: query.request.sort ?? (q === '' ? 'name' : 'relevance'), offset: 0, limit: 50 });
};
const scan = (q: string) => {
  const words = trigramWords(q);
  const hits: number[] = [];
  for (let at = 0; at < scanTexts.length; at++) if (words.every((word) => (scanTexts[at] ?? '').includes(word))) hits.push(at);
  return hits.sort((a, b) => (scanTexts[a] ?? '').length - (scanTexts[b] ?? '').length).slice(0, 50);
};
for (const query of mix) run(query);
const times: number[] = [];
const scanTimes: number[] = [];
const byClass = new Map<string, number[]>();
for (let pass = 0; pass < passes; pass++) {
  for (const query of mix) {
    const start = performance.now();
    run(query);
    const ms = performance.now() - start;
    times.push(ms);
    byClass.set(query.label, [...(byClass.get(query.label) ?? []), ms]);
    if (pass === 0 && query.request.q !== '') {
      const scanStart = performance.now();
      scan(query.request.q);
      scanTimes.push(performance.now() - scanStart);
    }
  }
}
const figures = {
  products,
  entries: index.size,
  buildSeconds: round(buildSeconds, 0),
  search: { p50: round(median(times)), p95: round(percentile(times, 95)), p99: round(percentile(times, 99)), max: round(Math.max(...times)) },
  byClass: Object.fromEntries([...byClass].map(([label, values]) => [label, { p50: round(median(values)), p95: round(percentile(values, 95)) }])),
  scanBaseline: { p50: round(median(scanTimes)), p95: round(percentile(scanTimes, 95)) },
  ratioP50: round(median(times) / median(scanTimes), 3),
  rssMiB: { before: mib(rssBefore), after: mib(rssAfter), heapUsed: mib(process.memoryUsage().heapUsed), indexTypedArrays: mib(index.typedBytes) },
};
console.log(`  index search: p50 ${figures.search.p50} ms  p95 ${figures.search.p95} ms  p99 ${figures.search.p99} ms (${times.length} searches)`);
for (const [label, value] of Object.entries(figures.byClass)) console.log(`    ${label.padEnd(10)} p50 ${value.p50} ms  p95 ${value.p95} ms`);
console.log(`  bare scan baseline: p50 ${figures.scanBaseline.p50} ms  p95 ${figures.scanBaseline.p95} ms; ratio index / scan p50 ${figures.ratioP50}×`);
console.log(`  RSS ${figures.rssMiB.after} MiB (heap ${figures.rssMiB.heapUsed} MiB, index typed arrays ${figures.rssMiB.indexTypedArrays} MiB)`);
writeResult('searchIndex', figures);
