/**
 * Backlog ranking benchmark (issue 6 target: ranking 10,000 items by any framework through the API
 * ≤ 100 ms p95). For each store (PGlite embedded; PostgreSQL when reachable) it writes 10,000 items with
 * varied scoring inputs into one product, then times in-process HTTP requests (auth, validation, SQL,
 * explanation, JSON) of
 *   - GET /api/products/{id}/backlog/ranking?framework=<each>&limit=50 (ordered in SQL over all 10,000),
 *   - the baseline GET /api/products/{id}/backlog?limit=50 (a plain `… order by number`, same rows),
 * and reports p50/p95 per framework and the ratio ranking ÷ baseline (medians). Writes
 * bench/results/backlog.json.
 *
 * Run standalone: `npx tsx bench/backlog.bench.ts`. Knobs: MESHBOARD_BENCH_ITEMS (default 10000),
 * MESHBOARD_BENCH_REQUESTS (default 60 per framework).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameworks } from '@meshboard/model';
import { createApp, createServices, createStore, type Store } from '@meshboard/server';
import { sql } from 'kysely';
import { createTemporaryDatabase, postgresAvailable } from '../test-support/services';

const items = Number(process.env.MESHBOARD_BENCH_ITEMS ?? 10_000);
const requests = Number(process.env.MESHBOARD_BENCH_REQUESTS ?? 60);
const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'backlog.json');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** One product with `items` backlog items written in one statement (inputs vary deterministically). */
async function seed(store: Store): Promise<string> {
  const domain = '01900000-0000-7000-8000-000000000001';
  const product = '01900000-0000-7000-8000-000000000002';
  await sql`insert into domains (id, slug, name) values (${domain}, 'bench', 'Bench')`.execute(store.db);
  await sql`insert into products (id, domain_id, external_id, name, status, product_version, document) values (${product}, ${domain}, 'bench.product', 'Bench product', 'active', '1.0.0', '{}'::jsonb)`.execute(store.db);
  const input = (name: string, expression: string) => `'${name}', jsonb_build_object('value', ${expression}, 'enteredBy', null, 'enteredByLabel', 'bench', 'enteredAt', '2026-01-01T00:00:00Z')`;
  await sql
    .raw(
      `insert into backlog_items (id, product_id, number, kind, title, state, inputs, suggested_reach, labels)
       select (lpad(to_hex(i), 8, '0') || '-0000-7000-8000-000000000000')::uuid, '${product}', i, 'idea', 'Item ' || i,
              (array['new','triaged','planned','in_progress'])[1 + i % 4],
              jsonb_build_object(
                ${input('reach', '(i * 37) % 500')}, ${input('impact', '(array[0.25,0.5,1,2,3])[1 + i % 5]')},
                ${input('confidence', '(array[20,50,80,100])[1 + i % 4]')}, ${input('effort', '1 + (i * 13) % 8')},
                ${input('businessValue', '(i * 7) % 20')}, ${input('timeCriticality', '(i * 11) % 13')},
                ${input('riskReduction', '(i * 3) % 8')}, ${input('jobSize', '1 + i % 13')},
                ${input('iceImpact', '1 + i % 10')}, ${input('iceConfidence', '1 + (i * 7) % 10')}, ${input('ease', '1 + (i * 3) % 10')},
                ${input('value', '(i * 17) % 11')}, ${input('moscow', "(array['must','should','could','wont'])[1 + i % 4]")}
              ),
              case when i % 3 = 0 then 1 + i % 9 end,
              array['bench']
       from generate_series(1, ${items}) as i`,
    )
    .execute(store.db);
  await sql`analyze backlog_items`.execute(store.db);
  return product;
}

async function measure(name: string, store: Store): Promise<Record<string, unknown>> {
  const product = await seed(store);
  const services = createServices(store.db);
  const token = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  const app = createApp({ services, checkStore: async () => undefined });
  await services.backlog.updateSettings({ userId: null, label: 'system:bench', isAdmin: true, domainRoles: new Map() }, {
    productRef: product,
    expectedVersion: 0,
    settings: { framework: 'rice', iceCombiner: 'product', valueThreshold: 5, effortThreshold: 4, custom: { name: 'Bench', terms: [{ input: 'reach', weight: 0.1 }, { input: 'value', weight: 2 }, { input: 'effort', weight: -1 }] } },
  });
  const time = async (path: string): Promise<number[]> => {
    const durations: number[] = [];
    for (let run = 0; run < requests + 5; run++) {
      const started = performance.now();
      const response = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { items?: unknown[] };
      const elapsed = performance.now() - started;
      if (response.status !== 200 || (body.items?.length ?? 0) !== 50) throw new Error(`${path} answered ${response.status} with ${body.items?.length ?? 0} items`);
      if (run >= 5) durations.push(elapsed); // the first five warm the JIT and the store's caches
    }
    return durations;
  };
  const baseline = await time(`/api/products/${product}/backlog?limit=50`);
  const baseP50 = percentile(baseline, 50);
  console.log(`${name}: ${items} items, ${requests} requests each`);
  console.log(`  baseline list (order by number)  p50 ${baseP50.toFixed(1)} ms  p95 ${percentile(baseline, 95).toFixed(1)} ms`);
  const byFramework: Record<string, { p50: number; p95: number; ratio: number }> = {};
  for (const framework of frameworks) {
    const durations = await time(`/api/products/${product}/backlog/ranking?framework=${framework}&limit=50`);
    const p50 = percentile(durations, 50);
    const p95 = percentile(durations, 95);
    byFramework[framework] = { p50: Number(p50.toFixed(2)), p95: Number(p95.toFixed(2)), ratio: Number((p50 / baseP50).toFixed(2)) };
    console.log(`  ranking ${framework.padEnd(24)} p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  ${(p50 / baseP50).toFixed(2)}× baseline${p95 > 100 ? '  (over the 100 ms p95 target)' : ''}`);
  }
  return { store: name, items, requests, baseline: { p50: Number(baseP50.toFixed(2)), p95: Number(percentile(baseline, 95).toFixed(2)) }, ranking: byFramework, target: { p95Ms: 100 } };
}

const results: Record<string, unknown>[] = [];
const dataDir = await mkdtemp(join(tmpdir(), 'meshboard-bench-backlog-'));
const embedded = await createStore({ kind: 'embedded', dataDir });
try {
  results.push(await measure('embedded (PGlite)', embedded));
} finally {
  await embedded.close();
  await rm(dataDir, { recursive: true, force: true });
}
if (await postgresAvailable()) {
  const database = await createTemporaryDatabase('meshboard_bench');
  const store = await createStore({ kind: 'postgres', url: database.url });
  try {
    results.push(await measure('PostgreSQL', store));
  } finally {
    await store.close();
    await database.drop();
  }
} else {
  results.push({ store: 'PostgreSQL', skipped: 'not reachable' });
}
await mkdir(dirname(resultsFile), { recursive: true });
await writeFile(resultsFile, `${JSON.stringify({ benchmark: 'backlog ranking', measuredAt: new Date().toISOString(), results }, null, 2)}\n`);
console.log(`wrote ${resultsFile}`);
