/**
 * The access API in-process with `app.request()` on both stores: request → inbox → decision with
 * If-Match (428/412/403/409), subscription lists, notifications and the bell count, problem pointers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import { createServices } from '../services/createServices';
import { createStore, type Store } from '../store/createStore';
import { insertTestProduct, type TestProduct } from '../testing/accessFixtures';
import type { App } from './AppEnv';
import { createApp } from './createApp';

type Answer = { status: number; headers: Headers; body: Record<string, unknown> };

const stores: Array<{ name: string; open: () => Promise<{ store: Store; cleanup: () => Promise<void> }> }> = [
  {
    name: 'embedded (PGlite)',
    open: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-access-http-'));
      const store = await createStore({ kind: 'embedded', dataDir });
      return { store, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
    },
  },
];
if (await postgresAvailable()) {
  stores.push({
    name: 'PostgreSQL',
    open: async () => {
      const database: TemporaryDatabase = await createTemporaryDatabase();
      return { store: await createStore({ kind: 'postgres', url: database.url }), cleanup: () => database.drop() };
    },
  });
}

describe.each(stores)('access API on $name', ({ open }) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let app: App;
  let adminToken: string;
  let product: TestProduct;
  let ownerToken: string;
  let consumerToken: string;

  async function call(path: string, options: { method?: string; token?: string; body?: unknown; ifMatch?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? adminToken}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    const response = await app.request(path, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  async function userWith(roles: { domainId: string; role: string }[]): Promise<string> {
    const email = `access-${Math.random().toString(36).slice(2)}@example.com`;
    expect((await call('/api/users', { method: 'POST', body: { email, name: 'U', password: 'a good long password', roles } })).status).toBe(201);
    const response = await app.request('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'a good long password' }) });
    return String(((await response.json()) as { token: string }).token);
  }

  beforeAll(async () => {
    ({ store, cleanup } = await open());
    const services = createServices(store.db);
    adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
    app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
    product = await insertTestProduct(store.db, { name: 'Orders' });
    ownerToken = await userWith([{ domainId: product.domainId, role: 'data_product_owner' }]);
    consumerToken = await userWith([]);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('runs request → inbox → approve → subscription → notification over HTTP', async () => {
    const created = await call('/api/access-requests', { method: 'POST', token: consumerToken, body: { productId: product.id, port: product.port, purpose: 'Weekly sales report', durationDays: 90 } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v1"');
    expect(created.headers.get('location')).toBe(`/api/access-requests/${String(created.body.id)}`);
    const id = String(created.body.id);

    const duplicate = await call('/api/access-requests', { method: 'POST', token: consumerToken, body: { productId: product.id, port: product.port, purpose: 'Weekly sales report' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'conflict' });

    const inbox = await call('/api/access-requests?scope=inbox', { token: ownerToken });
    expect(inbox.status).toBe(200);
    expect((inbox.body.items as Array<{ id: string; canDecide: boolean }>).map((item) => [item.id, item.canDecide])).toEqual([[id, true]]);
    expect((await call('/api/notifications/unread-count', { token: ownerToken })).body).toEqual({ count: 1 });

    expect((await call(`/api/access-requests/${id}/decision`, { method: 'POST', token: consumerToken, body: { decision: 'approve' }, ifMatch: '"v1"' })).status).toBe(403);
    expect((await call(`/api/access-requests/${id}/decision`, { method: 'POST', token: ownerToken, body: { decision: 'approve' } })).status).toBe(428);
    const stale = await call(`/api/access-requests/${id}/decision`, { method: 'POST', token: ownerToken, body: { decision: 'approve' }, ifMatch: '"v7"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition-failed', currentVersion: 1 });
    const bad = await call(`/api/access-requests/${id}/decision`, { method: 'POST', token: ownerToken, body: { decision: 'maybe' }, ifMatch: '"v1"' });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as Array<{ pointer: string }>)[0]?.pointer).toBe('/decision');

    const approved = await call(`/api/access-requests/${id}/decision`, { method: 'POST', token: ownerToken, body: { decision: 'approve', reason: 'OK for reporting' }, ifMatch: '"v1"' });
    expect(approved.status).toBe(200);
    expect(approved.headers.get('etag')).toBe('"v2"');
    expect(approved.body).toMatchObject({ request: { status: 'approved', decisionReason: 'OK for reporting' }, subscription: { status: 'active', grant: { status: 'not_applicable' } } });
    const subscriptionId = String((approved.body.subscription as { id: string }).id);

    const mine = await call('/api/subscriptions', { token: consumerToken });
    expect((mine.body.items as Array<{ id: string }>).map((item) => item.id)).toEqual([subscriptionId]);
    const ofProduct = await call(`/api/products/${product.id}/subscriptions`, { token: ownerToken });
    expect((ofProduct.body.items as Array<{ id: string }>).map((item) => item.id)).toEqual([subscriptionId]);
    const sub = await call(`/api/subscriptions/${subscriptionId}`, { token: consumerToken });
    expect(sub.status).toBe(200);
    expect((await call(`/api/subscriptions/${subscriptionId}`, { token: ownerToken })).status).toBe(200);

    const notes = await call('/api/notifications?unread=true', { token: consumerToken });
    const note = (notes.body.items as Array<{ id: string; kind: string; link: string }>)[0];
    expect(note).toMatchObject({ kind: 'access.approved', link: `/access/subscriptions/${subscriptionId}` });
    expect((await call(`/api/notifications/${note?.id ?? ''}/read`, { method: 'POST', token: consumerToken })).body).toMatchObject({ read: true });
    expect((await call(`/api/notifications/${note?.id ?? ''}/read`, { method: 'POST', token: ownerToken })).status).toBe(404);
    expect((await call('/api/notifications/unread-count', { token: consumerToken })).body).toEqual({ count: 0 });

    const revoked = await call(`/api/subscriptions/${subscriptionId}/revoke`, { method: 'POST', token: consumerToken, body: { reason: 'Report retired' }, ifMatch: sub.headers.get('etag') ?? '' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', endReason: 'Report retired' });
    expect((await call(`/api/subscriptions/${subscriptionId}/revoke`, { method: 'POST', token: consumerToken, ifMatch: '*' })).status).toBe(409);
    expect((await call('/api/notifications?unread=true', { token: ownerToken })).body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'subscription.revoked' })]));

    const audit = await call(`/api/audit-events?entityType=subscription&entityId=${subscriptionId}`);
    expect((audit.body.items as Array<{ action: string }>).map((event) => event.action)).toEqual(['subscription.revoke', 'subscription.create']);
  });

  it('answers bad requests with pointers and hides other people’s requests', async () => {
    const missing = await call('/api/access-requests', { method: 'POST', token: consumerToken, body: { productId: product.id, port: product.port, purpose: 'x', durationDays: 0, extra: true } });
    expect(missing.status).toBe(400);
    expect((missing.body.problems as Array<{ pointer: string }>).map((problem) => problem.pointer).sort()).toEqual(['', '/durationDays']);
    const role = await call('/api/access-requests', { method: 'POST', token: consumerToken, body: { productId: product.id, port: 'other', purpose: 'A purpose', dbRole: 'bad role' } });
    expect(role.status).toBe(400);
    expect(role.body.problems).toEqual([{ pointer: '/dbRole', detail: expect.stringMatching(/letter or _/) }]);
    const created = await call('/api/access-requests', { method: 'POST', token: consumerToken, body: { productId: product.id, port: product.port, purpose: 'Second look' } });
    const stranger = await userWith([]);
    expect((await call(`/api/access-requests/${String(created.body.id)}`, { token: stranger })).status).toBe(404);
    expect((await call(`/api/access-requests/${String(created.body.id)}`, { token: consumerToken })).status).toBe(200);
    const withdrawn = await call(`/api/access-requests/${String(created.body.id)}/withdraw`, { method: 'POST', token: consumerToken, ifMatch: '"v1"' });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', canWithdraw: false });
    expect((await call('/api/access-requests?cursor=forged', { token: consumerToken })).status).toBe(400);
  });

  it('describes the access paths in the OpenAPI document', async () => {
    const document = await call('/api/openapi.json');
    expect(Object.keys(document.body.paths as object)).toEqual(
      expect.arrayContaining(['/api/access-requests', '/api/access-requests/{id}/decision', '/api/subscriptions', '/api/products/{id}/subscriptions', '/api/subscriptions/{id}/retry', '/api/notifications', '/api/notifications/unread-count']),
    );
  });
});
