import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { createApp } from './http/createApp';
import { AccessExpiryJob } from './jobs/AccessExpiryJob';
import { CheckRunQueue } from './jobs/CheckRunQueue';
import { PostgresGrantExecutor } from './access/GrantExecutor';
import { grantConnectionsVariable, parseGrantConnections } from './access/grantConnections';
import { createServices } from './services/createServices';
import { productReadBatchingFor } from './services/ProductService';
import { seedDemo } from './services/seedDemo';
import { demoDataDir } from './services/demoCatalog';
import { systemActor } from './auth/Actor';
import { createStore, type StoreOptions } from './store/createStore';

/** How to start the server: where the data lives, where to listen, and the start-up choices. */
export interface ServerOptions {
  store: StoreOptions;
  port: number;
  /** Interface to bind; default all interfaces. */
  hostname?: string;
  /** MESHBOARD_ADMIN_TOKEN: registered as the bootstrap admin's token. */
  adminToken?: string;
  /** Load the demo mesh into an empty store (default true). */
  demo?: boolean;
  /**
   * Relative file paths in contract servers resolve against this directory and may not leave it
   * (MESHBOARD_DATA_ROOT / --data-root). Default: the embedded data directory's parent, or the working
   * directory on PostgreSQL.
   */
  dataRoot?: string;
  /** Where connector credentials are read (MESHBOARD_POSTGRES_USER / _PASSWORD); default process.env. */
  env?: Record<string, string | undefined>;
  /** Where start-up lines and unexpected errors are written. */
  log: (line: string) => void;
}

/** A listening server: its base URL and `close()` (stops accepting, finishes requests, closes the store). */
export interface RunningServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * Opens the store (migrating it), makes sure an admin can get in (printing a generated bootstrap token
 * once), seeds the demo mesh into an empty store unless disabled, and listens. The only place besides
 * the CLI that chooses a store and a port.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const store = await createStore(
    options.store.kind === 'postgres'
      ? { ...options.store, onIdleError: (error) => options.log(`PostgreSQL dropped an idle connection (${error.message}); reconnecting on demand.`) }
      : options.store,
  );
  let stopQueue: (() => Promise<void>) | undefined;
  try {
    const dataRoot = resolve(options.dataRoot ?? (options.store.kind === 'embedded' ? dirname(resolve(options.store.dataDir)) : process.cwd()));
    const env = options.env ?? process.env;
    const services = createServices(store.db, {
      access: { grants: new PostgresGrantExecutor(parseGrantConnections(env[grantConnectionsVariable])), onError: (error) => options.log(`access grant work failed: ${error instanceof Error ? error.message : String(error)}`) },
      checkRuns: { dataRoot, extraRoots: (options.demo ?? true) ? [demoDataDir] : [], env: options.env ?? process.env, onError: (error) => options.log(`check run failed: ${error instanceof Error ? error.message : String(error)}`) },
      onBackgroundError: (error) => options.log(`background work after a write failed: ${error instanceof Error ? error.message : String(error)}`),
      ...(store.searchChanges === undefined ? {} : { search: { changes: store.searchChanges } }),
      productReads: productReadBatchingFor(store.kind),
    });
    const bootstrap = await services.auth.ensureBootstrapAdmin(options.adminToken === undefined ? {} : { adminToken: options.adminToken });
    if (bootstrap.generatedToken !== undefined) {
      options.log(
        `Bootstrap admin token (shown only this once; store it now, or set MESHBOARD_ADMIN_TOKEN):\n  ${bootstrap.generatedToken}`,
      );
    }
    const seeded = (options.demo ?? true) && (await seedDemo(store.db));
    if (seeded) options.log('Loaded the demo mesh (demo users and passwords: see README "Running the server").');
    // Check runs go through pg-boss on the store itself. It starts (schema check, workers, schedule sync)
    // alongside the HTTP server rather than before it: nothing but queueing a run needs it, so a restart
    // answers as soon as the store is open. A run queued meanwhile waits for the start; a failed start is
    // logged and fails each attempt to queue a run (500) while the rest of the API keeps serving.
    const queue = new CheckRunQueue({ db: store.db, checkRuns: services.checkRuns, log: options.log });
    const queueStarted = queue.start();
    queueStarted.catch((error: unknown) => options.log(`job queue: start failed, check runs cannot be queued: ${error instanceof Error ? error.message : String(error)}`));
    services.checkRuns.useDispatcher(async (runId) => {
      await queueStarted;
      await queue.enqueue(runId);
    });
    // Reminders and expiry of time-bound access, on the same pg-boss schema: started after the queue (which
    // creates that schema on a first start), also in the background.
    const expiry = new AccessExpiryJob({ db: store.db, subscriptions: services.subscriptions, lifecycle: services.lifecycle, log: options.log });
    const expiryStarted = queueStarted.then(() => expiry.start());
    expiryStarted.catch((error: unknown) => options.log(`access expiry job: start failed, time-bound access is not ended on time: ${error instanceof Error ? error.message : String(error)}`));
    const stopBackground = async (): Promise<void> => {
      // stop() after a start that is still running would race it; a failed start has nothing to stop.
      const started = (promise: Promise<unknown>) => promise.then(() => true, () => false);
      if (await started(expiryStarted)) await expiry.stop();
      if (await started(queueStarted)) await queue.stop();
    };
    stopQueue = stopBackground;
    if (seeded) {
      // The demo's first check runs, queued now so quality and SLA figures are measured from the first minute.
      const demoActor = systemActor('demo');
      for (const { id } of await store.db.selectFrom('contracts').select('id').execute()) {
        await services.checkRuns.trigger(demoActor, { contractId: id, trigger: 'api' });
      }
    }
    const app = createApp({
      services,
      checkStore: async () => void (await sql`select 1`.execute(store.db)),
      logError: (error, context) => options.log(`error in ${context.method} ${context.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const started = serve({ fetch: app.fetch, port: options.port, ...(options.hostname === undefined ? {} : { hostname: options.hostname }) }, () => resolve(started));
      started.once('error', reject);
    });
    // The in-memory search index is built only now, in the background: a restart answers health at once,
    // and searches take the SQL path until the index is ready.
    // MESHBOARD_SEARCH_INDEX=off keeps search on SQL (the index costs memory: see docs/server.md "Search").
    if ((options.env ?? process.env)['MESHBOARD_SEARCH_INDEX'] !== 'off') services.search.startIndex();
    const address = server.address() as AddressInfo;
    const host = options.hostname === undefined || options.hostname === '0.0.0.0' ? 'localhost' : options.hostname;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${address.port}`,
      close: () =>
        (closing ??= new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive connections would hold close() open; in-flight requests still finish.
          if ('closeIdleConnections' in server) server.closeIdleConnections();
        })
          .then(() => services.search.close())
          .then(stopBackground)
          .then(() => store.close())),
    };
  } catch (error) {
    await stopQueue?.();
    await store.close();
    throw error;
  }
}
