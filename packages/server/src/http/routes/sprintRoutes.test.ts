/** The sprint, retrospective and decision API in-process on PGlite: status codes, ETags, If-Match, problem pointers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../services/createServices';
import { createStore, type Store } from '../../store/createStore';
import { insertTestProduct, type TestProduct } from '../../testing/insertTestProduct';
import type { App } from '../AppEnv';
import { createApp } from '../createApp';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-sprint-http-'));
let store: Store;
let app: App;
let adminToken: string;
let product: TestProduct;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  const services = createServices(store.db);
  adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
  product = await insertTestProduct(store.db);
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

describe('sprint API', () => {
  it('plans with 201, ETag and Location; changes need If-Match (428), stale is 412; bad dates point at the field', async () => {
    const bad = await call(`/api/products/${product.id}/sprints`, { method: 'POST', body: { name: 'S', startDate: '2 March', endDate: '2026-03-13', capacityUnit: 'points' } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([expect.objectContaining({ pointer: '/startDate' })]);
    const created = await call(`/api/products/${product.id}/sprints`, { method: 'POST', body: { name: 'Sprint 1', startDate: '2026-03-02', endDate: '2026-03-13', capacityUnit: 'points', members: [{ name: 'Ada', available: 3 }] } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v1"');
    const id = String(created.body.id);
    expect(created.headers.get('location')).toBe(`/api/sprints/${id}`);
    expect((await call(`/api/sprints/${id}`, { method: 'PATCH', body: { goal: 'x' } })).status).toBe(428);
    const item = await call(`/api/products/${product.id}/backlog`, { method: 'POST', body: { kind: 'story', title: 'Fresh orders', estimate: 5, state: 'triaged' } });
    const added = await call(`/api/sprints/${id}/items`, { method: 'POST', body: { itemId: item.body.id }, ifMatch: '"v1"' });
    expect(added.status).toBe(200);
    expect(added.headers.get('etag')).toBe('"v2"');
    expect(added.body.commitment).toEqual({ committed: 5, capacity: 3, unestimated: 0, warnings: ['The committed estimate (5 points) exceeds the capacity (3 points) by 2.'] });
    const stale = await call(`/api/sprints/${id}`, { method: 'PATCH', body: { goal: 'y' }, ifMatch: '"v1"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition-failed', currentVersion: 2 });
    expect((await call(`/api/sprints/${id}/start`, { method: 'POST', ifMatch: '"v2"' })).status).toBe(200);
    const burndown = await call(`/api/sprints/${id}/burndown`);
    expect(burndown.status).toBe(200);
    expect((burndown.body.days as unknown[]).length).toBe(12);
    const noNext = await call(`/api/sprints/${id}/close`, { method: 'POST', body: { unfinished: 'next' }, ifMatch: '"v3"' });
    expect(noNext.status).toBe(400);
    expect(noNext.body.problems).toEqual([expect.objectContaining({ pointer: '/nextSprintId' })]);
    const closed = await call(`/api/sprints/${id}/close`, { method: 'POST', body: { unfinished: 'backlog' }, ifMatch: '"v3"' });
    expect(closed.body).toMatchObject({ state: 'closed', items: [{ outcome: 'returned' }] });
    expect((await call(`/api/sprints/${id}`, { method: 'PATCH', body: { goal: 'late' }, ifMatch: '*' })).status).toBe(409);
    expect((await call(`/api/products/${product.id}/sprints?state=closed`)).body.items).toHaveLength(1);
  });

  it('saves a retrospective from v0 and adds actions; owners are required', async () => {
    const sprint = await call(`/api/products/${product.id}/sprints`, { method: 'POST', body: { name: 'Retro', startDate: '2026-04-01', endDate: '2026-04-10', capacityUnit: 'person-days' } });
    const id = String(sprint.body.id);
    const empty = await call(`/api/sprints/${id}/retrospective`);
    expect(empty.headers.get('etag')).toBe('"v0"');
    const saved = await call(`/api/sprints/${id}/retrospective`, { method: 'PUT', body: { wentWell: ['Demo went smoothly'], toImprove: [''] }, ifMatch: '"v0"' });
    expect(saved.status).toBe(400);
    expect(saved.body.problems).toEqual([expect.objectContaining({ pointer: '/toImprove/0' })]);
    expect((await call(`/api/sprints/${id}/retrospective`, { method: 'PUT', body: { wentWell: ['Demo went smoothly'], toImprove: [] }, ifMatch: '"v0"' })).headers.get('etag')).toBe('"v1"');
    expect((await call(`/api/sprints/${id}/retrospective/actions`, { method: 'POST', body: { title: 'No owner' } })).status).toBe(400);
    const action = await call(`/api/sprints/${id}/retrospective/actions`, { method: 'POST', body: { title: 'Automate the demo data', ownerLabel: 'Lin', dueDate: '2026-04-20' } });
    expect(action.status).toBe(201);
    const done = await call(`/api/retro-actions/${String(action.body.id)}`, { method: 'PATCH', body: { done: true }, ifMatch: '"v1"' });
    expect(done.body).toMatchObject({ done: true, version: 2 });
  });

  it('records decisions linked to items and lists them on the item', async () => {
    const item = await call(`/api/products/${product.id}/backlog`, { method: 'POST', body: { kind: 'idea', title: 'Parquet snapshots' } });
    const itemId = String(item.body.id);
    const bad = await call(`/api/products/${product.id}/decisions`, { method: 'POST', body: { title: 'Format', status: 'maybe' } });
    expect(bad.body.problems).toEqual([expect.objectContaining({ pointer: '/status' })]);
    const created = await call(`/api/products/${product.id}/decisions`, { method: 'POST', body: { title: 'Parquet over CSV', options: [{ title: 'CSV' }, { title: 'Parquet', pros: 'Typed' }], decision: 'Parquet', status: 'accepted', decidedOn: '2026-03-01', deciders: ['Ada'], itemIds: [itemId] } });
    expect(created.status).toBe(201);
    expect(created.body.options).toEqual([{ title: 'CSV', pros: '', cons: '' }, { title: 'Parquet', pros: 'Typed', cons: '' }]);
    const linked = await call(`/api/backlog-items/${itemId}/decisions`);
    expect((linked.body.items as { title: string }[]).map((decision) => decision.title)).toEqual(['Parquet over CSV']);
    const changed = await call(`/api/decisions/${String(created.body.id)}`, { method: 'PATCH', body: { consequences: 'Spreadsheet users need a converter.' }, ifMatch: '"v1"' });
    expect(changed.headers.get('etag')).toBe('"v2"');
    const missing = await call('/api/decisions/not-an-id');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not-found' });
  });
});
