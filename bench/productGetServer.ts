/**
 * Child process of productGet.bench.ts: opens the embedded store at argv[2] and serves, from this one
 * process and this one store, (a) the real Meshboard app (createApp over createServices, wired as
 * startServer wires it) and (b) a bare Hono app with a single route running the same primary-key query
 * on `products` and answering the row as JSON. Prints `{"app": port, "bare": port}` on stdout when both
 * listen; exits on SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { createApp } from '../packages/server/src/http/createApp';
import { createServices } from '../packages/server/src/services/createServices';
import { createStore } from '../packages/server/src/store/createStore';

const dataDir = process.argv[2];
const adminToken = process.argv[3];
if (dataDir === undefined || adminToken === undefined) throw new Error('usage: productGetServer.ts <dataDir> <adminToken>');
const store = await createStore({ kind: 'embedded', dataDir });
const services = createServices(store.db);
await services.auth.ensureBootstrapAdmin({ adminToken });
const app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)), logError: (error) => console.error(error) });

const bare = new Hono();
bare.get('/products/:id', async (c) => {
  const row = await store.db.selectFrom('products').selectAll().where('id', '=', c.req.param('id')).executeTakeFirst();
  return row === undefined ? c.json({ error: 'not found' }, 404) : c.json(row);
});

function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<number> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve((server.address() as AddressInfo).port));
  });
}
const ports = { app: await listen(app.fetch), bare: await listen(bare.fetch) };
console.log(JSON.stringify(ports));
process.once('SIGTERM', () => {
  void store.close().finally(() => process.exit(0));
});
