/** The lifecycle API in-process on PGlite: ETags and If-Match, problem+json pointers, refusals, OpenAPI. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../auth/Actor';
import { createServices } from '../../services/createServices';
import { createStore, type Store } from '../../store/createStore';
import { newId } from '../../store/newId';
import type { App } from '../AppEnv';
import { createApp } from '../createApp';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-lifecycle-http-'));
let store: Store;
let app: App;
let adminToken: string;
let slug: string;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  const services = createServices(store.db);
  adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
  slug = `life-${randomUUID().slice(0, 8)}`;
  await store.db.insertInto('domains').values({ id: newId(), slug, name: 'Lifecycle', description: '' }).execute();
  const actor = systemActor('test');
  await services.contracts.publish(actor, { document: { apiVersion: 'v3.1.0', kind: 'DataContract', id: `${slug}.c`, name: 'C', version: '1.0.0', status: 'active', domain: slug, schema: [{ name: 't', properties: [{ name: 'id' }] }] } });
  for (const name of ['old', 'new']) {
    await services.products.publish(actor, { document: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: `${slug}.${name}`, name: `Orders ${name}`, version: '1.0.0', status: 'active', domain: slug, outputPorts: [{ name: 'orders', version: '1.0.0', contractId: `${slug}.c` }] } });
  }
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, options: { method?: string; body?: unknown; ifMatch?: string } = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${adminToken}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  const response = await app.request(path, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const future = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

describe('lifecycle API', () => {
  it('reads the lifecycle with ETag v0, deprecates under If-Match, and refuses stale or missing tags', async () => {
    const path = `/api/products/${encodeURIComponent(`${slug}.old`)}/lifecycle`;
    const read = await call(path);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"v0"');
    expect(read.body).toMatchObject({ status: 'active', allowedMoves: ['deprecated'], plan: null, incidentThreshold: 2, usage: { liveSubscriptions: 0 } });
    expect((await call(`${path}/deprecation`, { method: 'PUT', body: { sunsetDate: future } })).status).toBe(428);
    const badDate = await call(`${path}/deprecation`, { method: 'PUT', body: { sunsetDate: '2020-01-01' }, ifMatch: '"v0"' });
    expect(badDate.status).toBe(400);
    expect(badDate.headers.get('content-type')).toContain('application/problem+json');
    expect(badDate.body.problems).toEqual([{ pointer: '/sunsetDate', detail: expect.stringMatching(/has passed/) as unknown }]);
    const unknownField = await call(`${path}/deprecation`, { method: 'PUT', body: { sunsetDate: future, when: 'soon' }, ifMatch: '"v0"' });
    expect(unknownField.status).toBe(400);
    const deprecated = await call(`${path}/deprecation`, { method: 'PUT', body: { sunsetDate: future, replacementProductId: `${slug}.new`, note: 'Use the new one.' }, ifMatch: '"v0"' });
    expect(deprecated.status).toBe(200);
    expect(deprecated.headers.get('etag')).toBe('"v1"');
    expect(deprecated.body).toMatchObject({ status: 'deprecated', plan: { sunsetDate: future, replacement: { externalId: `${slug}.new`, name: 'Orders new' }, note: 'Use the new one.' } });
    const stale = await call(`${path}/deprecation`, { method: 'PUT', body: { sunsetDate: future }, ifMatch: '"v0"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition-failed', currentVersion: 1 });
  });

  it('refuses an access request for the deprecated product with 409 naming the replacement', async () => {
    const refused = await call('/api/access-requests', { method: 'POST', body: { productId: `${slug}.old`, port: 'orders', purpose: 'dashboards' } });
    expect(refused.status).toBe(409);
    expect(String(refused.body.detail)).toMatch(new RegExp(`is deprecated; it takes no new access requests\\. Sunset on ${future}\\. Move to Orders new \\(/products/`));
  });

  it('retires (no subscribers: no override needed), withdraws nothing afterwards, and lists incidents', async () => {
    const path = `/api/products/${encodeURIComponent(`${slug}.old`)}/lifecycle`;
    const retired = await call(`${path}/retire`, { method: 'POST', body: {}, ifMatch: '"v1"' });
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ status: 'retired', allowedMoves: [], retirement: { overrideReason: null } });
    const withdraw = await call(`${path}/deprecation`, { method: 'DELETE', ifMatch: '*' });
    expect(withdraw.status).toBe(409);
    const threshold = await call(`${path}/settings`, { method: 'PUT', body: { incidentThreshold: 101 }, ifMatch: '*' });
    expect(threshold.status).toBe(400);
    expect(threshold.body.problems).toEqual([expect.objectContaining({ pointer: '/incidentThreshold' })]);
    const incidents = await call(`/api/products/${encodeURIComponent(`${slug}.old`)}/incidents`);
    expect(incidents).toMatchObject({ status: 200, body: { items: [] } });
    expect((await call(`/api/backlog-items/${newId()}/incidents`)).status).toBe(404);
  });

  it('describes the routes in OpenAPI', async () => {
    const paths = (await call('/api/openapi.json')).body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/products/{id}/lifecycle/deprecation'] ?? {}).sort()).toEqual(['delete', 'put']);
    for (const path of ['/api/products/{id}/lifecycle', '/api/products/{id}/lifecycle/retire', '/api/products/{id}/lifecycle/settings', '/api/products/{id}/incidents', '/api/backlog-items/{id}/incidents']) expect(paths[path]).toBeDefined();
  });
});
