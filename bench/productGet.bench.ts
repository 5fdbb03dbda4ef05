/**
 * Product read benchmark (issue 4 target 2): `GET /api/products/{id}` (authenticated with a bearer
 * token, as clients call it) against a bare Hono route running the same primary-key query on the same
 * store in the same process (bench/productGetServer.ts, bench/bareProductApp.ts), with 50 concurrent
 * clients (autocannon). Targets: throughput ≥ 0.7× the bare route, p99 ≤ 25 ms.
 *
 * Each store of MESHBOARD_BENCH_STORES (default "embedded,postgres") is measured against its own bare
 * route: the embedded store is the cached data directory of bench/catalogDataDir.ts; PostgreSQL is a
 * temporary database (dropped after), where the app and the bare route share the one `pg` pool. The store
 * holds the demo mesh plus MESHBOARD_BENCH_PRODUCTS synthetic products (default 100000) with their
 * contracts; requests cycle over all product ids. Rounds alternate app and bare (MESHBOARD_BENCH_RUNS
 * rounds, default 3, of MESHBOARD_BENCH_SECONDS each, default 10); medians are reported. Beside the wall
 * figures, the serving process's CPU time per answered request (from /proc): on a shared machine it
 * moves far less with the others' load than requests per second do.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { seedDemo } from '../packages/server/src/services/seedDemo';
import { createStore } from '../packages/server/src/store/createStore';
import { createTemporaryDatabase, postgresAvailable } from '../test-support/services';
import { catalogDataDir } from './catalogDataDir';
import { loadCatalog } from './loadCatalog';
import { alternatedRounds, envNumber, median, processCpuMs, repoRoot, round, writeResult } from './support';

/** The part of autocannon's result this bench reads, plus the server's CPU per request of the round. */
interface AutocannonResult {
  requests: { average: number; total: number };
  cpuMsPerRequest?: number;
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const products = envNumber('MESHBOARD_BENCH_PRODUCTS', 100_000);
const rounds = envNumber('MESHBOARD_BENCH_RUNS', 3);
const seconds = envNumber('MESHBOARD_BENCH_SECONDS', 10);
const connections = 50;
const adminToken = 'mbt_productbenchproductbenchproductbench00';
const stores = (process.env.MESHBOARD_BENCH_STORES ?? 'embedded,postgres').split(',').map((s) => s.trim());

/** The figures of one store: the app's and the bare route's medians and every round. */
interface StoreFigures {
  app: { rps: number; p50: number; p99: number; cpuMsPerRequest: number; all: { rps: number; p99: number; cpuMsPerRequest: number }[] };
  bare: { rps: number; p99: number; cpuMsPerRequest: number; all: { rps: number; p99: number; cpuMsPerRequest: number }[] };
  ratio: number;
  /** Bare route's server CPU per request ÷ the app's: the throughput ratio the CPU alone allows. */
  cpuRatio: number;
  met: boolean;
}

/** Serves the store (a child process) and runs the alternated autocannon rounds against app and bare. */
async function measure(kind: 'embedded' | 'postgres', location: string, ids: readonly string[]): Promise<StoreFigures> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/productGetServer.ts'), kind, location, adminToken], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`productGetServer exited with ${code}`)));
      createInterface({ input: child.stdout! }).once('line', resolve);
    });
    const ports = JSON.parse(firstLine) as { app: number; bare: number };
    const run = async (which: 'app' | 'bare'): Promise<AutocannonResult> => {
      let next = 0;
      const cpuBefore = processCpuMs(child.pid ?? 0);
      const result = await autocannon({
        url: `http://127.0.0.1:${ports[which]}`,
        connections,
        duration: seconds,
        headers: { authorization: `Bearer ${adminToken}` },
        requests: [
          {
            setupRequest: (request: Record<string, unknown>) => {
              const id = ids[next++ % ids.length] ?? '';
              return { ...request, method: 'GET', path: which === 'app' ? `/api/products/${id}` : `/products/${id}` };
            },
          },
        ],
      });
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${which}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      return { ...result, cpuMsPerRequest: (processCpuMs(child.pid ?? 0) - cpuBefore) / result.requests.total };
    };
    const { app, bare } = await alternatedRounds(rounds, run, (at, appRound, bareRound) =>
      console.log(`  round ${at}: app ${appRound.requests.average.toFixed(0)} req/s p99 ${appRound.latency.p99} ms ${appRound.cpuMsPerRequest?.toFixed(3)} ms CPU/request; bare ${bareRound.requests.average.toFixed(0)} req/s p99 ${bareRound.latency.p99} ms ${bareRound.cpuMsPerRequest?.toFixed(3)} ms CPU/request`),
    );
    const appRps = median(app.map((r) => r.requests.average));
    const bareRps = median(bare.map((r) => r.requests.average));
    const appP99 = median(app.map((r) => r.latency.p99));
    const bareP99 = median(bare.map((r) => r.latency.p99));
    console.log(`  GET /api/products/{id}: median ${appRps.toFixed(0)} req/s, p50 ${median(app.map((r) => r.latency.p50))} ms, p99 ${appP99} ms  (target p99 ≤ 25 ms)`);
    console.log(`  bare Hono route, same query: median ${bareRps.toFixed(0)} req/s, p99 ${bareP99} ms`);
    console.log(`  ratio app / bare throughput: ${(appRps / bareRps).toFixed(2)}×  (target ≥ 0.7×)`);
    const appCpu = median(app.map((r) => r.cpuMsPerRequest ?? Number.NaN));
    const bareCpu = median(bare.map((r) => r.cpuMsPerRequest ?? Number.NaN));
    console.log(`  server CPU per request: app ${appCpu.toFixed(3)} ms, bare ${bareCpu.toFixed(3)} ms → bare / app ${(bareCpu / appCpu).toFixed(2)}×`);
    return {
      app: { rps: round(appRps, 0), p50: median(app.map((r) => r.latency.p50)), p99: appP99, cpuMsPerRequest: round(appCpu, 3), all: app.map((r) => ({ rps: round(r.requests.average, 0), p99: r.latency.p99, cpuMsPerRequest: round(r.cpuMsPerRequest ?? Number.NaN, 3) })) },
      bare: { rps: round(bareRps, 0), p99: bareP99, cpuMsPerRequest: round(bareCpu, 3), all: bare.map((r) => ({ rps: round(r.requests.average, 0), p99: r.latency.p99, cpuMsPerRequest: round(r.cpuMsPerRequest ?? Number.NaN, 3) })) },
      ratio: round(appRps / bareRps),
      cpuRatio: round(bareCpu / appCpu),
      met: appRps / bareRps >= 0.7 && appP99 <= 25,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const results: Record<string, StoreFigures | { skipped: string }> = {};
for (const kind of stores) {
  console.log(`${kind} store`);
  if (kind === 'embedded') {
    const { dataDir, reused, loadSeconds } = await catalogDataDir(products);
    console.log(reused ? `  reusing the loaded catalog in ${dataDir}` : `  loaded ${products} products in ${loadSeconds.toFixed(0)} s`);
    const store = await createStore({ kind: 'embedded', dataDir });
    let ids: string[];
    try {
      ids = (await store.db.selectFrom('products').select('id').execute()).map((row) => row.id);
    } finally {
      await store.close();
    }
    results[kind] = await measure(kind, dataDir, ids);
  } else if (kind === 'postgres') {
    if (!(await postgresAvailable())) {
      results[kind] = { skipped: 'PostgreSQL not reachable' };
      console.log('  skipped: PostgreSQL not reachable');
      continue;
    }
    const database = await createTemporaryDatabase('meshboard_bench');
    try {
      const store = await createStore({ kind: 'postgres', url: database.url });
      let ids: string[];
      try {
        await seedDemo(store.db);
        const started = performance.now();
        await loadCatalog(store.db, { count: products, columns: 10 });
        console.log(`  loaded ${products} products in ${((performance.now() - started) / 1000).toFixed(0)} s`);
        // Fresh bulk-loaded tables: statistics as autovacuum would gather them, before plans are made.
        await sql`analyze`.execute(store.db);
        ids = (await store.db.selectFrom('products').select('id').execute()).map((row) => row.id);
      } finally {
        await store.close();
      }
      results[kind] = await measure(kind, database.url, ids);
    } finally {
      await database.drop();
    }
  } else {
    throw new Error(`MESHBOARD_BENCH_STORES: unknown store "${kind}" (embedded, postgres)`);
  }
}
const measured = Object.values(results).filter((figures): figures is StoreFigures => 'met' in figures);
writeResult('productGet', {
  products,
  connections,
  seconds,
  rounds,
  stores: results,
  targets: { ratio: 0.7, p99: 25 },
  met: measured.length === 0 ? null : measured.every((figures) => figures.met),
});
