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

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-catalog-http-'));
let store: Store;
let services: Services;
let app: App;
let adminToken: string;
let consumerToken: string;
let domain: { id: string; slug: string };

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  services = createServices(store.db);
  adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
  const created = await call('/api/domains', { method: 'POST', body: { slug: 'sales', name: 'Sales' } });
  domain = created.body as unknown as { id: string; slug: string };
  await call('/api/users', { method: 'POST', body: { email: 'reader@example.com', name: 'Reader', password: 'reader-password-1' } });
  consumerToken = String((await call('/api/auth/sign-in', { method: 'POST', token: null, body: { email: 'reader@example.com', password: 'reader-password-1' } })).body.token);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, options: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? adminToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await app.request(path, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

describe('catalog over HTTP', () => {
  it('publishes a contract, answers unchanged on the same document, guards with If-Match and force', async () => {
    const doc = sampleContract({ id: 'customers', domain: 'sales' });
    const created = await call('/api/contracts/customers', { method: 'PUT', body: doc });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v1"');
    expect(created.body).toMatchObject({ outcome: 'created', changeKind: 'initial' });
    expect((await call('/api/contracts/customers', { method: 'PUT', body: doc })).status).toBe(428);
    const same = await call('/api/contracts/customers', { method: 'PUT', body: doc, headers: { 'if-match': '"v1"' } });
    expect(same).toMatchObject({ status: 200, body: { outcome: 'unchanged' } });

    const broken = sampleContract({ id: 'customers', domain: 'sales' });
    broken.schema[0]?.properties.pop();
    const refused = await call('/api/contracts/customers', { method: 'PUT', body: broken, headers: { 'if-match': '"v1"' } });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const stale = await call('/api/contracts/customers', { method: 'PUT', body: { ...broken, version: '2.0.0' }, headers: { 'if-match': '"v9"' } });
    expect(stale).toMatchObject({ status: 412, body: { currentVersion: 1 } });
    const major = await call('/api/contracts/customers', { method: 'PUT', body: { ...broken, version: '2.0.0' }, headers: { 'if-match': '"v1"' } });
    expect(major).toMatchObject({ status: 200, body: { outcome: 'published', changeKind: 'breaking', item: { currentVersion: '2.0.0', version: 2 } } });

    const latest = await call('/api/contracts/customers');
    expect(latest).toMatchObject({ status: 200, body: { externalId: 'customers', currentVersion: '2.0.0' } });
    expect((await call(`/api/contracts/${String(latest.body.id)}`, { headers: { 'if-none-match': '"v2"' } })).status).toBe(304);
    const versions = await call('/api/contracts/customers/versions?limit=1');
    expect((versions.body.items as { version: string }[]).map((item) => item.version)).toEqual(['2.0.0']);
    expect(versions.body.nextCursor).not.toBeNull();
    expect((await call('/api/contracts/customers/versions/1.0.0')).body).toMatchObject({ version: '1.0.0', changeKind: 'initial' });
    expect((await call('/api/contracts/customers/versions/9.9.9')).status).toBe(404);
    const diff = await call('/api/contracts/customers/diff?from=1.0.0&to=2.0.0');
    expect(diff.body).toMatchObject({ kind: 'contract', breaking: true, changes: [expect.objectContaining({ change: 'property-removed' })] });
  });

  it('reports invalid documents as problem+json with JSON pointers into the document', async () => {
    const invalid = { ...sampleContract({ id: 'bad', domain: 'sales' }), schema: [{ name: 'x', properties: [{ name: 'y', logicalType: 'no-such-type' }] }] };
    const answer = await call('/api/contracts', { method: 'POST', body: invalid });
    expect(answer.status).toBe(400);
    expect((answer.body.problems as { pointer: string }[]).some((problem) => problem.pointer.startsWith('/schema/0/properties/0'))).toBe(true);
    const noDomain = await call('/api/contracts', { method: 'POST', body: { ...sampleContract({ id: 'bad', domain: 'sales' }), domain: undefined } });
    expect(noDomain.body.problems).toEqual([expect.objectContaining({ pointer: '/domain' })]);
  });

  it('lets every signed-in user read and search, and only domain roles write', async () => {
    const doc = sampleContract({ id: 'orders', domain: 'sales', name: 'Customer orders' });
    expect((await call('/api/contracts', { method: 'POST', body: doc, token: consumerToken })).status).toBe(403);
    expect((await call('/api/contracts', { method: 'POST', body: doc })).status).toBe(201);
    const product = await call('/api/products', { method: 'POST', body: sampleProduct({ id: 'orders-product', domain: 'sales', contractId: 'orders', name: 'Order history' }) });
    expect(product.status).toBe(201);
    const read = await call('/api/products/orders-product', { token: consumerToken });
    expect(read.body).toMatchObject({ externalId: 'orders-product', status: 'active', outputPorts: [{ name: 'customers', contract: { externalId: 'orders', currentVersion: '1.0.0' } }] });
    expect((await call('/api/products?limit=10', { token: consumerToken })).body).toMatchObject({ items: [expect.objectContaining({ externalId: 'orders-product' })], nextCursor: null });
    const search = await call('/api/search?q=custmer+ordrs', { token: consumerToken });
    expect(search.status).toBe(200);
    expect((search.body.items as { title: string }[])[0]?.title).toBe('Customer orders');
    expect(search.body.facets).toMatchObject({ domain: [{ value: 'sales' }] });
    const bySlug = await call('/api/search?q=custmer+ordrs&domainId=sales', { token: consumerToken });
    expect((bySlug.body.items as unknown[]).length).toBe((search.body.items as unknown[]).length);
    expect(((await call('/api/search?q=custmer+ordrs&domainId=no-such-domain', { token: consumerToken })).body.items as unknown[]).length).toBe(0);
    expect((await call('/api/search?q=x&limit=0')).status).toBe(400);
    // Without q the search browses products by name; an unknown sort or state is refused.
    const browse = await call('/api/search', { token: consumerToken });
    expect(browse.status).toBe(200);
    expect(browse.body.items).toEqual([expect.objectContaining({ kind: 'product', title: 'Order history', qualityState: 'not-run', slaState: 'unknown' })]);
    expect(browse.body.facets).toMatchObject({ quality: [{ value: 'not-run', count: 1 }], sla: [{ value: 'unknown', count: 1 }] });
    expect((await call('/api/search?q=orders&sort=popular', { token: consumerToken })).status).toBe(400);
    expect((await call('/api/search?q=orders&quality=green', { token: consumerToken })).status).toBe(400);
    expect((await call(`/api/products?domainId=${domain.id}`)).status).toBe(200);
  });

  it('describes the catalog routes in the OpenAPI document', async () => {
    const spec = await call('/api/openapi.json', { token: null });
    expect(Object.keys(spec.body.paths as object)).toEqual(expect.arrayContaining(['/api/contracts/{id}/versions/{version}', '/api/products/{id}/diff', '/api/search']));
  });
});
