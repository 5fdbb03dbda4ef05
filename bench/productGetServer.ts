/**
 * Child process of productGet.bench.ts: opens the store named by its arguments (`embedded <dataDir>` or
 * `postgres <url>`) and serves, from this one process and this one store (for PostgreSQL: the one pool),
 * (a) the real Meshboard app (createApp over createServices, wired as startServer wires it) and (b) the
 * bare baseline route (bench/bareProductApp.ts). Prints `{"app": port, "bare": port}` on stdout when both
 * listen; exits on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { createApp } from '../packages/server/src/http/createApp';
import { createServices } from '../packages/server/src/services/createServices';
import { productReadBatchingFor } from '../packages/server/src/services/ProductService';
import { createStore } from '../packages/server/src/store/createStore';
import { bareProductApp } from './bareProductApp';

const [kind, location, adminToken] = process.argv.slice(2);
if ((kind !== 'embedded' && kind !== 'postgres') || location === undefined || adminToken === undefined) {
  throw new Error('usage: productGetServer.ts embedded|postgres <dataDir|url> <adminToken>');
}
const store = await createStore(kind === 'embedded' ? { kind, dataDir: location } : { kind, url: location });
const services = createServices(store.db, { productReads: productReadBatchingFor(store.kind) });
await services.auth.ensureBootstrapAdmin({ adminToken });
const app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)), logError: (error) => console.error(error) });
const bare = bareProductApp(store.db);

const servers: ReturnType<typeof serve>[] = [];
function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<number> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve((server.address() as AddressInfo).port));
    servers.push(server);
  });
}
const ports = { app: await listen(app.fetch), bare: await listen(bare.fetch) };
console.log(JSON.stringify(ports));
process.once('SIGTERM', () => {
  // Requests still in flight when the load generator stops are dropped with their sockets, so that
  // closing the store does not fail them noisily.
  for (const server of servers) {
    server.close();
    if ('closeAllConnections' in server) server.closeAllConnections();
  }
  void store.close().finally(() => process.exit(0));
});
