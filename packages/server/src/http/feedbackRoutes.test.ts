/** The feedback API in-process on PGlite: status codes, ETag/If-Match, problem pointers, roles, the inbox. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../auth/Actor';
import { createServices } from '../services/createServices';
import { sampleContract, sampleProduct } from '../store/catalog.case';
import { createStore, type Store } from '../store/createStore';
import type { App } from './AppEnv';
import { createApp } from './createApp';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-feedback-http-'));
let store: Store;
let app: App;
let adminToken: string;
let productId: string;
let domainId: string;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  const services = createServices(store.db);
  adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
  const domain = await services.domains.create(systemActor('test'), { slug: 'feedback-http', name: 'Feedback HTTP' });
  domainId = domain.id;
  await services.contracts.publish(systemActor('test'), { document: sampleContract({ id: 'urn:fb-http:contract', domain: domain.slug }) });
  productId = (await services.products.publish(systemActor('test'), { document: sampleProduct({ id: 'urn:fb-http:product', domain: domain.slug, contractId: 'urn:fb-http:contract' }) })).item.id;
}, 60_000);
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, options: { method?: string; token?: string; body?: unknown; ifMatch?: string } = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? adminToken}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  const response = await app.request(path, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function userWith(roles: { domainId: string; role: string }[]): Promise<string> {
  const email = `fb-${Math.random().toString(36).slice(2)}@example.com`;
  expect((await call('/api/users', { method: 'POST', body: { email, name: 'U', password: 'a good long password', roles } })).status).toBe(201);
  const response = await app.request('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'a good long password' }) });
  return String(((await response.json()) as { token: string }).token);
}

describe('feedback API', () => {
  it('creates, reads with an ETag, changes with If-Match (428/412) and reports field pointers', async () => {
    const consumer = await userWith([]);
    expect((await call(`/api/products/${productId}/feedback`, { method: 'POST', token: 'mbt_nope', body: { kind: 'comment', body: 'x' } })).status).toBe(401);
    const invalid = await call(`/api/products/${productId}/feedback`, { method: 'POST', token: consumer, body: { kind: 'rating', rating: 7, extra: true } });
    expect(invalid.status).toBe(400);
    expect((invalid.body.problems as { pointer: string }[]).map((problem) => problem.pointer).sort()).toEqual(['', '/rating']);
    const noTitle = await call(`/api/products/${productId}/feedback`, { method: 'POST', token: consumer, body: { kind: 'issue', target: { kind: 'column', ref: 'customers.nope' } } });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.problems).toEqual([expect.objectContaining({ pointer: '/title' })]);
    expect((await call('/api/products/urn:none/feedback', { method: 'POST', token: consumer, body: { kind: 'comment', body: 'x' } })).status).toBe(404);

    const created = await call(`/api/products/${productId}/feedback`, { method: 'POST', token: consumer, body: { kind: 'issue', title: 'Gaps in email', target: { kind: 'column', ref: 'customers.email' } } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v1"');
    const id = String(created.body.id);
    expect(created.headers.get('location')).toBe(`/api/feedback/${id}`);
    const read = await call(`/api/feedback/${id}`, { token: consumer });
    expect(read).toMatchObject({ status: 200, body: { state: 'open', target: { kind: 'column', ref: 'customers.email' } } });
    expect(read.headers.get('etag')).toBe('"v1"');

    expect((await call(`/api/feedback/${id}`, { method: 'PATCH', token: consumer, body: { body: 'More detail' } })).status).toBe(428);
    expect((await call(`/api/feedback/${id}`, { method: 'PATCH', token: consumer, body: { body: 'More detail' }, ifMatch: '"v1"' })).headers.get('etag')).toBe('"v2"');
    const stale = await call(`/api/feedback/${id}`, { method: 'PATCH', token: consumer, body: { body: 'Again' }, ifMatch: '"v1"' });
    expect(stale).toMatchObject({ status: 412, body: { currentVersion: 2 } });
    const other = await userWith([]);
    expect((await call(`/api/feedback/${id}`, { method: 'PATCH', token: other, body: { body: 'Mine now' }, ifMatch: '*' })).status).toBe(403);
    expect((await call(`/api/feedback/${id}/state`, { method: 'POST', token: consumer, body: { state: 'resolved' }, ifMatch: '"v2"' })).status).toBe(403);

    const owner = await userWith([{ domainId, role: 'producer' }]);
    expect((await call(`/api/feedback/${id}/state`, { method: 'POST', token: owner, body: { state: 'declined' } })).status).toBe(428);
    const noReason = await call(`/api/feedback/${id}/state`, { method: 'POST', token: owner, body: { state: 'declined' }, ifMatch: '"v2"' });
    expect(noReason).toMatchObject({ status: 400, body: { problems: [{ pointer: '/reason' }] } });
    const declined = await call(`/api/feedback/${id}/state`, { method: 'POST', token: owner, body: { state: 'declined', reason: 'Known gap, documented.' }, ifMatch: '"v2"' });
    expect(declined).toMatchObject({ status: 200, body: { state: 'declined', stateReason: 'Known gap, documented.', version: 3 } });

    const inbox = await call('/api/inbox/feedback?unread=true&kind=issue', { token: owner });
    expect(inbox.status).toBe(200);
    expect(inbox.body).toMatchObject({ unreadCount: 0, items: [] });
    const all = await call('/api/inbox/feedback', { token: owner });
    expect(all.body).toMatchObject({ items: [{ id, unread: false, product: { externalId: 'urn:fb-http:product' } }] });
    expect((await call('/api/inbox/feedback?unread=maybe', { token: owner })).body).toMatchObject({ problems: [{ parameter: 'unread' }] });

    const summary = await call(`/api/products/${productId}/feedback/summary`, { token: consumer });
    expect(summary.body).toMatchObject({ productId, counts: { issue: 1 }, states: { issue: { declined: 1 } } });
    const options = await call(`/api/products/urn:fb-http:product/feedback/options`, { token: consumer });
    expect(options.body).toMatchObject({ canModerate: false, myRating: null, teams: [] });
    const list = await call(`/api/products/${productId}/feedback?limit=1`, { token: consumer });
    expect(list.body).toMatchObject({ items: [{ id, mine: true }], nextCursor: null });
  });

  it('votes idempotently, marks threads read and soft-deletes own comments', async () => {
    const consumer = await userWith([]);
    const request = await call(`/api/products/${productId}/feedback`, { method: 'POST', token: consumer, body: { kind: 'feature_request', title: 'Add a region' } });
    const id = String(request.body.id);
    expect((await call(`/api/feedback/${id}/vote`, { method: 'PUT', token: consumer })).body).toMatchObject({ votes: 1, voted: true });
    expect((await call(`/api/feedback/${id}/vote`, { method: 'PUT', token: consumer })).body).toMatchObject({ votes: 1 });
    expect((await call(`/api/feedback/${id}/vote`, { method: 'DELETE', token: consumer })).body).toMatchObject({ votes: 0, voted: false });
    const comment = await call(`/api/products/${productId}/feedback`, { method: 'POST', token: consumer, body: { kind: 'comment', body: 'Why no region?', parentId: id } });
    expect(comment.status).toBe(201);
    expect((await call(`/api/feedback/${String(comment.body.id)}`, { method: 'DELETE', token: consumer })).status).toBe(428);
    expect((await call(`/api/feedback/${String(comment.body.id)}`, { method: 'DELETE', token: consumer, ifMatch: '"v1"' })).status).toBe(204);
    const thread = await call(`/api/products/${productId}/feedback?kind=feature_request`, { token: consumer });
    expect(thread.body).toMatchObject({ items: [{ id, replies: [{ deleted: true, body: '' }] }] });
    expect((await call(`/api/feedback/${id}/read`, { method: 'POST', token: consumer })).status).toBe(204);
    const audit = await call(`/api/audit-events?entityType=feedback&entityId=${id}`);
    expect((audit.body.items as { action: string }[]).map((event) => event.action)).toEqual(['feedback.unvote', 'feedback.vote', 'feedback.create']);
  });

  it('documents every feedback path in the OpenAPI document', async () => {
    const document = await call('/api/openapi.json');
    const paths = Object.keys(document.body.paths as Record<string, unknown>);
    expect(paths).toEqual(expect.arrayContaining(['/api/products/{id}/feedback', '/api/products/{id}/feedback/summary', '/api/products/{id}/feedback/options', '/api/feedback/{id}', '/api/feedback/{id}/state', '/api/feedback/{id}/vote', '/api/feedback/{id}/read', '/api/inbox/feedback']));
  });
});
