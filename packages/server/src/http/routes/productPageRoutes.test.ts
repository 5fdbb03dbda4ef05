import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../services/createServices';
import { sampleContract, sampleProduct } from '../../store/catalog.case';
import { createStore, type Store } from '../../store/createStore';
import type { App } from '../AppEnv';
import { createApp } from '../createApp';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-product-page-http-'));
let store: Store;
let services: Services;
let app: App;
let adminToken: string;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  services = createServices(store.db);
  adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
  expect((await call('/api/domains', { method: 'POST', body: { slug: 'sales', name: 'Sales' } })).status).toBe(201);
  for (const id of ['orders-contract', 'revenue-contract']) expect((await call(`/api/contracts/${id}`, { method: 'PUT', body: sampleContract({ id, domain: 'sales', name: id }) })).status).toBe(201);
  expect((await call('/api/products/orders', { method: 'PUT', body: sampleProduct({ id: 'orders', domain: 'sales', contractId: 'orders-contract', name: 'Orders' }) })).status).toBe(201);
  const revenue = { ...sampleProduct({ id: 'revenue', domain: 'sales', contractId: 'revenue-contract', name: 'Revenue' }), inputPorts: [{ name: 'orders', version: '1.0.0', contractId: 'orders-contract' }] };
  expect((await call('/api/products/revenue', { method: 'PUT', body: revenue })).status).toBe(201);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, options: { method?: string; token?: string | null; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? adminToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await app.request(path, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

describe('product page endpoints over HTTP', () => {
  it('answers the lineage of a product by document id, both ways', async () => {
    const upstream = await call('/api/products/revenue/lineage?depth=1');
    expect(upstream.status).toBe(200);
    expect(upstream.body.depth).toBe(1);
    expect((upstream.body.nodes as { name: string; level: number }[]).map((node) => [node.name, node.level])).toEqual([
      ['Orders', -1],
      ['Revenue', 0],
    ]);
    const downstream = await call('/api/products/orders/lineage');
    expect(downstream.body.depth).toBe(2);
    expect(downstream.body.edges).toEqual([{ from: downstream.body.rootId, to: (downstream.body.nodes as { id: string; name: string }[]).find((node) => node.name === 'Revenue')?.id, contractExternalId: 'orders-contract', inputPort: 'orders' }]);
  });

  it('names the products offering and reading a contract', async () => {
    const usage = await call('/api/contracts/orders-contract/usage');
    expect(usage.status).toBe(200);
    expect((usage.body.offeredBy as { name: string }[]).map((product) => product.name)).toEqual(['Orders']);
    expect((usage.body.readBy as { name: string }[]).map((product) => product.name)).toEqual(['Revenue']);
    expect((await call('/api/contracts/nope/usage')).status).toBe(404);
  });

  it('rejects a depth out of range with the parameter named, unknown products with 404, and anonymous callers with 401', async () => {
    const tooDeep = await call('/api/products/orders/lineage?depth=9');
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.headers.get('content-type')).toContain('application/problem+json');
    expect(tooDeep.body.problems).toEqual([expect.objectContaining({ parameter: 'depth' })]);
    expect((await call('/api/products/nope/lineage')).status).toBe(404);
    expect((await call('/api/products/orders/lineage', { token: null })).status).toBe(401);
    expect((await call('/api/contracts/nope/trust')).status).toBe(404);
    expect((await call('/api/domains/nowhere/product-health')).status).toBe(404);
  });

  it('gives a computed trust badge and the domain product health page', async () => {
    expect((await call('/api/contracts/orders-contract/trust')).body).toMatchObject({ level: 'unknown', runs: 0, score: null, lastRunAt: null });
    const health = await call('/api/domains/sales/product-health?limit=1');
    expect(health.status).toBe(200);
    expect((health.body.items as { externalId: string; trust: { level: string } }[]).map((item) => [item.externalId, item.trust.level])).toEqual([['orders', 'unknown']]);
    const next = await call(`/api/domains/sales/product-health?limit=1&cursor=${String(health.body.nextCursor)}`);
    expect((next.body.items as { externalId: string }[]).map((item) => item.externalId)).toEqual(['revenue']);
    expect(next.body.nextCursor).toBeNull();
  });
});
