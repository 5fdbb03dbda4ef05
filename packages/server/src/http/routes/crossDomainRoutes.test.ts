/** The cross-domain and demand API in-process on PGlite: status codes, ETags, If-Match, problem+json pointers, who may do what. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../auth/Actor';
import { createServices } from '../../services/createServices';
import { createStore, type Store } from '../../store/createStore';
import { newId } from '../../store/newId';
import { insertTestProduct, type TestProduct } from '../../testing/insertTestProduct';
import type { App } from '../AppEnv';
import { createApp } from '../createApp';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-cross-domain-http-'));
let store: Store;
let app: App;
let sales: TestProduct;
let finance: TestProduct;
const tokens: Record<'admin' | 'salesOwner' | 'consumer', string> = { admin: '', salesOwner: '', consumer: '' };

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  const services = createServices(store.db);
  tokens.admin = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
  sales = await insertTestProduct(store.db);
  finance = await insertTestProduct(store.db);
  for (const [who, role] of [['salesOwner', 'data_product_owner'], ['consumer', null]] as const) {
    const id = newId();
    await store.db.insertInto('users').values({ id, email: `${who}@example.com`, name: who }).execute();
    if (role !== null) await store.db.insertInto('domain_roles').values({ domain_id: sales.domainId, user_id: id, role }).execute();
    tokens[who] = (await services.auth.createToken(systemActor('test'), { name: who, userId: id })).token;
  }
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, options: { method?: string; body?: unknown; ifMatch?: string; as?: keyof typeof tokens } = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[options.as ?? 'admin']}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  const response = await app.request(path, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe('cross-domain API', () => {
  it('requests work from another domain behind If-Match and shows the links and the coordination view', async () => {
    const parent = await call(`/api/products/${sales.id}/backlog`, { method: 'POST', as: 'salesOwner', body: { kind: 'story', title: 'Margin per order' } });
    const parentId = String(parent.body.id);
    const path = `/api/backlog-items/${parentId}/cross-domain`;
    expect((await call(path, { method: 'POST', as: 'salesOwner', body: { productId: finance.id } })).status).toBe(428);
    expect((await call(path, { method: 'POST', as: 'consumer', body: { productId: finance.id }, ifMatch: '"v1"' })).status).toBe(403);
    const own = await call(path, { method: 'POST', as: 'salesOwner', body: { productId: sales.id }, ifMatch: '"v1"' });
    expect(own.status).toBe(400);
    expect(own.body).toMatchObject({ problems: [expect.objectContaining({ pointer: '/productId' })] });
    const unknownField = await call(path, { method: 'POST', as: 'salesOwner', body: { productId: finance.id, colour: 'red' }, ifMatch: '"v1"' });
    expect(unknownField.status).toBe(400);
    const created = await call(path, { method: 'POST', as: 'salesOwner', body: { productId: finance.id, title: 'Daily FX rates' }, ifMatch: '"v1"' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v2"');
    const child = created.body.child as { id: string; productId: string };
    expect(created.headers.get('location')).toBe(`/api/backlog-items/${child.id}`);
    expect(child.productId).toBe(finance.id);
    expect((await call(path, { method: 'POST', as: 'salesOwner', body: { productId: finance.id }, ifMatch: '"v1"' })).status).toBe(412);
    const links = await call(`/api/backlog-items/${parentId}/links`, { as: 'consumer' });
    expect(links.status).toBe(200);
    expect(links.body).toMatchObject({ parent: null, children: [{ id: child.id, domain: { id: finance.domainId } }], rollUp: { summary: 'blocked on 1 of 1' } });
    const view = await call(`/api/cross-domain-dependencies?domain=${finance.domainId}`, { as: 'consumer' });
    expect(view.status).toBe(200);
    expect(view.body.items).toEqual([expect.objectContaining({ parent: expect.objectContaining({ id: parentId }) as unknown, child: expect.objectContaining({ id: child.id }) as unknown, ageDays: 0, open: true })]);
    const badDomain = await call('/api/cross-domain-dependencies?domain=nowhere');
    expect(badDomain.status).toBe(400);
    expect(badDomain.body).toMatchObject({ problems: [{ parameter: 'domain' }] });
  });
});

describe('demand API', () => {
  it('files, lists per audience, triages behind If-Match and declines with a reason', async () => {
    const missing = await call('/api/demands', { method: 'POST', as: 'consumer', body: { title: 'Footfall' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ problems: [expect.objectContaining({ pointer: '/useCase' })] });
    const created = await call('/api/demands', { method: 'POST', as: 'consumer', body: { title: 'Footfall', useCase: 'Staff planning', desiredFields: ['store_id'], freshness: 'hourly' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v1"');
    const id = String(created.body.id);
    expect((await call('/api/demands', { as: 'consumer' })).status).toBe(403);
    expect(((await call('/api/demands?q=footfall', { as: 'salesOwner' })).body.items as { id: string }[]).map((d) => d.id)).toEqual([id]);
    expect(((await call('/api/demands?mine=true', { as: 'consumer' })).body.items as { id: string }[]).map((d) => d.id)).toEqual([id]);
    expect(((await call('/api/demands?state=open', { as: 'salesOwner' })).body.items as { id: string }[]).map((d) => d.id)).toContain(id);
    expect((await call(`/api/demands/${id}/vote`, { method: 'PUT', as: 'salesOwner' })).body).toEqual({ voted: true, votes: 1 });
    expect((await call(`/api/demands/${id}/vote`, { method: 'PUT', as: 'consumer' })).status).toBe(409);
    expect((await call(`/api/demands/${id}/triage`, { method: 'POST', body: { productId: finance.id } })).status).toBe(428);
    const neither = await call(`/api/demands/${id}/triage`, { method: 'POST', body: {}, ifMatch: '"v1"' });
    expect(neither.status).toBe(400);
    expect(neither.body).toMatchObject({ problems: [{ pointer: '/domainId' }] });
    expect((await call(`/api/demands/${id}/triage`, { method: 'POST', as: 'consumer', body: { domainId: finance.domainId }, ifMatch: '"v1"' })).status).toBe(403);
    const accepted = await call(`/api/demands/${id}/triage`, { method: 'POST', body: { productId: finance.externalId }, ifMatch: '"v1"' });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('etag')).toBe('"v2"');
    expect(accepted.body).toMatchObject({ state: 'accepted', product: { id: finance.id }, backlogItem: { number: 2 } });
    expect((await call(`/api/demands/${id}/decline`, { method: 'POST', body: { reason: 'x' }, ifMatch: '"v2"' })).status).toBe(409);

    const other = await call('/api/demands', { method: 'POST', as: 'consumer', body: { title: 'Weather', useCase: 'Forecasts' } });
    const otherId = String(other.body.id);
    const blank = await call(`/api/demands/${otherId}/decline`, { method: 'POST', as: 'salesOwner', body: { reason: '' }, ifMatch: '"v1"' });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ problems: [expect.objectContaining({ pointer: '/reason' })] });
    const declined = await call(`/api/demands/${otherId}/decline`, { method: 'POST', as: 'salesOwner', body: { reason: 'Buy it from a vendor' }, ifMatch: '"v1"' });
    expect(declined.body).toMatchObject({ state: 'declined', declineReason: 'Buy it from a vendor' });
    const read = await call(`/api/demands/${otherId}`, { as: 'consumer' });
    expect(read.headers.get('etag')).toBe('"v2"');
    expect((await call(`/api/demands/${otherId}`, { as: 'consumer', ifMatch: undefined })).body).toMatchObject({ declineReason: 'Buy it from a vendor' });
    expect((await call('/api/demands/not-an-id')).status).toBe(404);
  });
});
