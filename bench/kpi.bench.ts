/**
 * KPI computation benchmark (issue 6 target: ≤ 1 s over 1M usage events and 10k check runs). Loads, with
 * bulk SQL into a temporary PostgreSQL database: one domain of 20 products bound to 20 contracts, 1M
 * usage events over the last 365 days, 10k finished check runs with 10 results each (2 of them SLA
 * checks); the daily usage roll-up the API maintains on ingest is rebuilt once with rebuildUsageRollup
 * (the bulk load bypasses the API). Then times, as median and p95 of several runs:
 *   - one domain KPI "usage events per day over 366 days" through KpiService (scans all 1M events),
 *   - every KPI of the domain (events, active consumers, check pass rate, SLA compliance) through KpiService,
 *   - every KPI of one product (the same four sources over its 50k events and 500 runs),
 *   - the baseline: one hand-written aggregate query counting the raw events per day (what one would write
 *     without the roll-up; no series, no gaps).
 * The ratio service ÷ baseline shows what the roll-up saves over scanning the events.
 * Writes bench/results/kpi.json.
 *
 * Run standalone: `npx tsx bench/kpi.bench.ts`. Sizes: MESHBOARD_BENCH_EVENTS, MESHBOARD_BENCH_CHECK_RUNS,
 * MESHBOARD_BENCH_RUNS. Needs PostgreSQL (MESHBOARD_TEST_DATABASE_URL, as the tests).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { createServices, createStore, rebuildUsageRollup } from '@meshboard/server';
import { createTemporaryDatabase } from '../test-support/services';

const events = Number(process.env.MESHBOARD_BENCH_EVENTS ?? 1_000_000);
const checkRuns = Number(process.env.MESHBOARD_BENCH_CHECK_RUNS ?? 10_000);
const runs = Number(process.env.MESHBOARD_BENCH_RUNS ?? 9);
const products = 20;
const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'kpi.json');
const actor = { userId: null, label: 'system:bench', isAdmin: true, domainRoles: new Map() };

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

async function time(label: string, work: () => Promise<unknown>): Promise<{ label: string; medianMs: number; p95Ms: number; runsMs: number[] }> {
  await work(); // warm-up: plans and buffers
  const values: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await work();
    values.push(performance.now() - start);
  }
  const result = { label, medianMs: percentile(values, 0.5), p95Ms: percentile(values, 0.95), runsMs: values.map((value) => Math.round(value * 10) / 10) };
  console.log(`  ${label.padEnd(46)} median ${result.medianMs.toFixed(1)} ms  p95 ${result.p95Ms.toFixed(1)} ms`);
  return result;
}

const database = await createTemporaryDatabase('meshboard_bench_kpi');
const store = await createStore({ kind: 'postgres', url: database.url });
const raw = new pg.Client({ connectionString: database.url });
await raw.connect();
try {
  const db = store.db;
  const loadStart = performance.now();
  const domainId = '019a0000-0000-7000-8000-00000000d0d0';
  await sql`insert into domains (id, slug, name) values (${domainId}, 'bench', 'Bench')`.execute(db);
  // Ids made from the index: product i is …-0000000000{i}, its contract …-c00000000{i}.
  await sql`
    insert into contracts (id, domain_id, external_id, name, status, current_version, document)
    select ('019a0000-0000-7000-8000-c' || lpad(i::text, 11, '0'))::uuid, ${domainId}, 'bench.contract-' || i, 'Contract ' || i, 'active', '1.0.0', '{}'::jsonb
    from generate_series(1, ${products}) i`.execute(db);
  await sql`
    insert into products (id, domain_id, external_id, name, status, product_version, document)
    select ('019a0000-0000-7000-8000-' || lpad(i::text, 12, '0'))::uuid, ${domainId}, 'bench.product-' || i, 'Product ' || i, 'active', '1.0.0', '{}'::jsonb
    from generate_series(1, ${products}) i`.execute(db);
  await sql`
    insert into product_output_ports (product_id, port_name, contract_id)
    select ('019a0000-0000-7000-8000-' || lpad(i::text, 12, '0'))::uuid, 'port', ('019a0000-0000-7000-8000-c' || lpad(i::text, 11, '0'))::uuid
    from generate_series(1, ${products}) i`.execute(db);
  await sql`
    insert into usage_events (event_id, product_id, output_port, consumer_team, kind, occurred_at, row_count, byte_count)
    select 'bench-' || n, ('019a0000-0000-7000-8000-' || lpad((1 + n % ${products})::text, 12, '0'))::uuid, 'port', 'team-' || (n * 7 % 37),
      (array['query', 'query', 'read', 'download'])[1 + n % 4], now() - (n % 525600) * interval '1 minute', n % 5000, n % 100000
    from generate_series(1, ${events}) n`.execute(db);
  await sql`
    insert into check_runs (id, contract_id, contract_version, server, trigger, status, queued_at, started_at, finished_at)
    select ('019a0000-0000-7000-9' || lpad(n::text, 15, '0'))::uuid, ('019a0000-0000-7000-8000-c' || lpad((1 + n % ${products})::text, 11, '0'))::uuid, '1.0.0', 'bench', 'scheduled',
      'failed', t, t, t
    from (select n, now() - (n % 8760) * interval '1 hour' as t from generate_series(1, ${checkRuns}) n) runs`.execute(db);
  await sql`
    insert into check_results (run_id, check_key, status, category)
    select ('019a0000-0000-7000-9' || lpad(n::text, 15, '0'))::uuid, 'check-' || k, case when (n + k) % 13 = 0 then 'failed' when (n + k) % 29 = 0 then 'error' else 'passed' end,
      case when k <= 2 then 'sla' else 'schema' end
    from generate_series(1, ${checkRuns}) n, generate_series(1, 10) k`.execute(db);
  const rollupStart = performance.now();
  await rebuildUsageRollup(db);
  const rollupMs = performance.now() - rollupStart;
  await sql`analyze`.execute(db);
  const loadMs = performance.now() - loadStart;
  console.log(`loaded ${events} usage events, ${checkRuns} check runs (${checkRuns * 10} results) over ${products} products in ${(loadMs / 1000).toFixed(1)} s (daily roll-up rebuilt in ${(rollupMs / 1000).toFixed(1)} s)`);

  const kpis = createServices(db).kpis;
  const daily = await kpis.create(actor, { domain: domainId }, { name: 'Events per day', source: 'usage.events', period: 'day', window: 366 });
  for (const [name, source] of [['Consumers per week', 'usage.consumers'], ['Pass rate per week', 'checks.passRate'], ['SLA per week', 'sla.compliance']] as const) {
    await kpis.create(actor, { domain: domainId }, { name, source, period: 'week', window: 53, target: 90 });
  }
  const productId = '019a0000-0000-7000-8000-000000000001';
  for (const source of ['usage.events', 'usage.consumers', 'checks.passRate', 'sla.compliance']) {
    await kpis.create(actor, { product: productId }, { name: source, source, period: 'week', window: 53 });
  }
  const check = await kpis.get(daily.kpi.id);
  const total = check.series.reduce((sum, point) => sum + (point.value ?? 0), 0);
  if (total !== events) throw new Error(`the daily series sums to ${total}, not ${events}`);

  console.log(`PostgreSQL, ${runs} runs each after a warm-up:`);
  const baseline = await time('baseline: hand-written count per day', () =>
    raw.query(`select date_trunc('day', occurred_at at time zone 'UTC')::date as day, count(*) from usage_events where occurred_at >= now() - interval '366 days' group by 1`),
  );
  const one = await time('domain KPI: events per day, 366 days', () => kpis.get(daily.kpi.id));
  const domain = await time('all 4 domain KPIs (events, consumers, pass, SLA)', () => kpis.forDomain(domainId));
  const product = await time('all 4 KPIs of one product', () => kpis.forProduct(productId));
  const ratio = one.medianMs / baseline.medianMs;
  console.log(`  ratio domain KPI ÷ baseline (medians): ${ratio.toFixed(2)}×; target: every KPI computation ≤ 1000 ms`);
  const result = {
    benchmark: 'kpi',
    at: new Date().toISOString(),
    store: 'postgres',
    volume: { usageEvents: events, checkRuns, checkResults: checkRuns * 10, products },
    loadMs: Math.round(loadMs),
    rollupRebuildMs: Math.round(rollupMs),
    runs,
    timings: [baseline, one, domain, product],
    ratioDomainKpiToBaseline: Math.round(ratio * 100) / 100,
    targetMs: 1000,
    meetsTarget: [one, domain, product].every((timing) => timing.medianMs <= 1000),
  };
  await mkdir(dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${resultsFile}`);
} finally {
  await raw.end();
  await store.close();
  await database.drop();
}
