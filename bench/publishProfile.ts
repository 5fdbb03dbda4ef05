/**
 * Where batch publishing spends its time as the store grows (issue 4): publishes the synthetic mesh
 * through `PublishService.publishBatch` in-process into a fresh embedded store (with the demo mesh), in
 * requests of 250 documents as `meshboard publish` sends them (all contracts, then all products), and
 * prints per slice of the run the milliseconds per document and the statements that took the most time
 * (normalised text, count, total ms). Not a benchmark with a target: a profile to find what grows.
 *
 * MESHBOARD_PROFILE_PRODUCTS (default 4000), MESHBOARD_PROFILE_SLICES (default 4),
 * MESHBOARD_PROFILE_INDEX=on starts the in-memory search index as `meshboard serve` does, so its
 * catch-up reads compete with publishing on PGlite's one connection as they do in the server.
 * MESHBOARD_PROFILE_HTTP=on sends each batch through the app's `POST /api/publish` in-process
 * (`app.request`: authentication, body parsing and validation, the answer's JSON) instead of calling the
 * service; statements are then not timed. MESHBOARD_PROFILE_SETTINGS=on prints PGlite's settings that
 * matter here.
 *
 * Run: `npx tsx bench/publishProfile.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { sql } from 'kysely';
import { systemActor } from '../packages/server/src/auth/Actor';
import { createApp } from '../packages/server/src/http/createApp';
import { createServices } from '../packages/server/src/services/createServices';
import { PublishService, type BatchDocument, type BatchPublishResult } from '../packages/server/src/services/PublishService';
import { seedDemo } from '../packages/server/src/services/seedDemo';
import { createStore } from '../packages/server/src/store/createStore';
import { envNumber } from './support';
import { syntheticDocuments } from './syntheticCatalog';

const products = envNumber('MESHBOARD_PROFILE_PRODUCTS', 4000);
const slices = envNumber('MESHBOARD_PROFILE_SLICES', 4);
const withIndex = process.env['MESHBOARD_PROFILE_INDEX'] === 'on';
const settings = process.env['MESHBOARD_PROFILE_SETTINGS'] === 'on';
const http = process.env['MESHBOARD_PROFILE_HTTP'] === 'on';
const batchSize = 250;

/** Times every statement from Kysely's transformQuery to its transformResult (compile + execute + parse). */
class StatementTimer implements KyselyPlugin {
  readonly started = new WeakMap<object, number>();
  stats = new Map<string, { count: number; ms: number; max: number; sample: { sql: string; parameters: readonly unknown[] } | null }>();
  private readonly pending = new WeakMap<object, RootOperationNode>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(args.queryId, performance.now());
    this.pending.set(args.queryId, args.node);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const start = this.started.get(args.queryId);
    if (start !== undefined) {
      const ms = performance.now() - start;
      const node = this.pending.get(args.queryId);
      const key = node === undefined ? '?' : describe(node);
      const entry = this.stats.get(key) ?? { count: 0, ms: 0, max: 0, sample: null };
      entry.count += 1;
      entry.ms += ms;
      entry.max = Math.max(entry.max, ms);
      this.stats.set(key, entry);
    }
    return args.result;
  }
}

/** A short, stable name of a statement: its kind and table (raw SQL: its first words). */
function describe(node: RootOperationNode): string {
  const anyNode = node as unknown as { kind: string; into?: { table?: { identifier?: { name?: string } } }; from?: { froms?: { kind: string; table?: { identifier?: { name?: string } } }[] }; table?: { table?: { identifier?: { name?: string } } }; sqlFragments?: readonly string[] };
  if (anyNode.kind === 'RawNode') return `raw: ${(anyNode.sqlFragments ?? []).join('?').replace(/\s+/g, ' ').trim().slice(0, 110)}`;
  if (anyNode.kind === 'InsertQueryNode') return `insert ${anyNode.into?.table?.identifier?.name ?? '?'}`;
  if (anyNode.kind === 'SelectQueryNode') return `select ${(anyNode.from?.froms ?? []).map((from) => from.table?.identifier?.name ?? from.kind).join(',')}`;
  if (anyNode.kind === 'UpdateQueryNode') return `update ${anyNode.table?.table?.identifier?.name ?? '?'}`;
  return anyNode.kind;
}

const dir = await mkdtemp(join(tmpdir(), 'meshboard-publish-profile-'));
const store = await createStore({ kind: 'embedded', dataDir: join(dir, 'data') });
try {
  await seedDemo(store.db);
  const services = createServices(store.db, withIndex ? { search: {} } : {});
  if (withIndex) services.search.startIndex();
  const timer = new StatementTimer();
  const publisher = new PublishService(store.db.withPlugin(timer));
  const actor = systemActor('profile');
  const token = 'mbt_publishprofilepublishprofilepublish00';
  await services.auth.ensureBootstrapAdmin({ adminToken: token });
  const app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
  const publish = async (batch: BatchDocument[]): Promise<BatchPublishResult> => {
    if (!http) return publisher.publishBatch(actor, { documents: batch });
    const response = await app.request('/api/publish', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ documents: batch }) });
    if (response.status !== 200) throw new Error(`POST /api/publish answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    return (await response.json()) as BatchPublishResult;
  };
  const documents: BatchDocument[] = [];
  for (let n = 0; n < products; n++) documents.push({ kind: 'contract', document: syntheticDocuments(n, 10).contract });
  for (let n = 0; n < products; n++) documents.push({ kind: 'product', document: syntheticDocuments(n, 10).product });
  const perSlice = Math.ceil(documents.length / batchSize / slices);
  let sliceStart = performance.now();
  let sliceDocs = 0;
  let sliceCpu = process.cpuUsage();
  let batchNo = 0;
  const runStart = performance.now();
  for (let at = 0; at < documents.length; at += batchSize) {
    const batch = documents.slice(at, at + batchSize);
    const started = performance.now();
    const result = await publish(batch);
    if (result.counts.created !== batch.length) throw new Error(`batch at ${at}: ${JSON.stringify(result.counts)}`);
    sliceDocs += batch.length;
    batchNo += 1;
    if (batchNo % 8 === 0) console.log(`  batch ${batchNo} (${batch[0]?.kind}s, ${at + batch.length} documents): ${(performance.now() - started).toFixed(0)} ms`);
    if (batchNo % perSlice === 0 || at + batchSize >= documents.length) {
      const wall = performance.now() - sliceStart;
      const cpu = process.cpuUsage(sliceCpu);
      console.log(`slice up to ${at + batch.length} documents: ${(wall / sliceDocs).toFixed(2)} ms/document wall, ${((cpu.user + cpu.system) / 1000 / sliceDocs).toFixed(2)} ms/document CPU`);
      const top = [...timer.stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12);
      for (const [name, entry] of top) console.log(`    ${entry.ms.toFixed(0).padStart(7)} ms  ${String(entry.count).padStart(5)}×  max ${entry.max.toFixed(0).padStart(5)}  ${name}`);
      timer.stats = new Map();
      sliceStart = performance.now();
      sliceCpu = process.cpuUsage();
      sliceDocs = 0;
    }
  }
  console.log(`total ${((performance.now() - runStart) / 1000).toFixed(1)} s for ${documents.length} documents`);
  if (settings) {
    const settings = await sql<{ name: string; setting: string; unit: string | null }>`select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'maintenance_work_mem', 'gin_pending_list_limit', 'wal_buffers', 'effective_cache_size', 'synchronous_commit', 'fsync', 'checkpoint_timeout', 'max_wal_size')`.execute(store.db);
    for (const row of settings.rows) console.log(`  ${row.name} = ${row.setting}${row.unit ?? ''}`);
  }
  await services.search.close();
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
