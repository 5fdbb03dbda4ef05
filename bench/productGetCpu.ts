/**
 * In-process CPU cost of `GET /api/products/{id}` against the bare route (the same two apps as
 * bench/productGetServer.ts), without HTTP sockets: `app.fetch` is called with 50 requests in flight,
 * ids cycling over all products, alternating app and bare rounds. Prints CPU milliseconds per request
 * (process.cpuUsage, user + system) per round and their medians: on a shared machine CPU time per request
 * says more than wall time. Run under `node --cpu-prof` for the breakdown.
 *
 * `npx tsx bench/productGetCpu.ts [products] [requests] [rounds] [app|bare]` (embedded store from
 * bench/catalogDataDir.ts; MESHBOARD_BENCH_STORES=postgres for a temporary PostgreSQL database).
 */
import { createApp } from '../packages/server/src/http/createApp';
import { createServices } from '../packages/server/src/services/createServices';
import { createStore, type Store } from '../packages/server/src/store/createStore';
import { sql } from 'kysely';
import { catalogDataDir } from './catalogDataDir';
import { bareProductApp } from './bareProductApp';
import { alternatedRounds, median, round } from './support';

const products = Number(process.argv[2] ?? 10_000);
const requests = Number(process.argv[3] ?? 3_000);
const rounds = Number(process.argv[4] ?? 3);
const inFlight = 50;
const adminToken = 'mbt_productbenchproductbenchproductbench00';

const { dataDir } = await catalogDataDir(products);
const store: Store = await createStore({ kind: 'embedded', dataDir });
try {
  const services = createServices(store.db);
  await services.auth.ensureBootstrapAdmin({ adminToken });
  const app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)), logError: (error) => console.error(error) });
  const bare = bareProductApp(store.db);
  const ids = (await store.db.selectFrom('products').select('id').execute()).map((row) => row.id);
  let next = 0;
  const run = async (which: 'app' | 'bare'): Promise<number> => {
    const fetch = which === 'app' ? app.fetch : bare.fetch;
    const prefix = which === 'app' ? 'http://localhost/api/products/' : 'http://localhost/products/';
    let sent = 0;
    const started = process.cpuUsage();
    const worker = async (): Promise<void> => {
      while (sent < requests) {
        sent++;
        const response = await fetch(new Request(prefix + (ids[next++ % ids.length] ?? ''), { headers: { authorization: `Bearer ${adminToken}` } }));
        if (response.status !== 200) throw new Error(`${which}: ${response.status}`);
        await response.text();
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000 / requests;
  };
  // `only=app` or `only=bare` (4th argument) profiles one side alone.
  const only = process.argv[5];
  const measure = async (which: 'app' | 'bare'): Promise<number> => (only === undefined || only === which ? run(which) : Number.NaN);
  const { app: app_, bare: bare_ } = await alternatedRounds(rounds, measure, (at, appMs, bareMs) => console.log(`round ${at}: app ${round(appMs, 3)} ms CPU/request, bare ${round(bareMs, 3)} ms`));
  // The statements alone, one at a time (no HTTP, no concurrency): CPU per call.
  const perCall = async (work: (id: string) => Promise<unknown>): Promise<number> => {
    const started = process.cpuUsage();
    for (let i = 0; i < requests; i++) await work(ids[next++ % ids.length] ?? '');
    const used = process.cpuUsage(started);
    return round((used.user + used.system) / 1000 / requests, 3);
  };
  for (let i = 0; i < 2; i++) {
    const figures = {
      authenticate: await perCall(() => services.auth.authenticate(adminToken)),
      getJson: await perCall((id) => services.products.getJson(id)),
      bareQuery: await perCall((id) => store.db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst()),
      select1: await perCall(() => sql`select 1`.execute(store.db)),
    };
    console.log(`statements alone, ms CPU per call: ${JSON.stringify(figures)}`);
  }
  console.log(`median CPU per request: app ${round(median(app_), 3)} ms, bare ${round(median(bare_), 3)} ms → app throughput on CPU ${round(median(bare_) / median(app_))}× bare`);
} finally {
  await store.close();
}
