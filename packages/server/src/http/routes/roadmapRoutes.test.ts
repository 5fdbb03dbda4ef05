/** The roadmap and release API in-process on PGlite: status codes, ETags, If-Match, problem+json pointers, authorisation. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../services/createServices';
import { publishFixtureProduct, type FixtureProduct } from '../../services/productLoop/productLoopFixtures';
import { createStore, type Store } from '../../store/createStore';
import type { App } from '../AppEnv';
import { createApp } from '../createApp';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-roadmap-http-'));
let store: Store;
let app: App;
let adminToken: string;
let consumerToken: string;
let product: FixtureProduct;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  const services = createServices(store.db);
  adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
  product = await publishFixtureProduct(store.db);
  const consumer = await app.request('/api/users', { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'consumer@example.com', name: 'Consumer', password: 'correct horse battery' }) });
  expect(consumer.status).toBe(201);
  const signedIn = await app.request('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'consumer@example.com', password: 'correct horse battery' }) });
  consumerToken = String(((await signedIn.json()) as { token: string }).token);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(path: string, options: { method?: string; body?: unknown; ifMatch?: string; token?: string } = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? adminToken}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  const response = await app.request(path, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe('roadmap API', () => {
  it('places items with If-Match from "v0", rejects bad placements with pointers, and reads the board', async () => {
    const item = await call(`/api/products/${product.id}/backlog`, { method: 'POST', body: { kind: 'story', title: 'Currency column' } });
    const id = String(item.body.id);
    const entry = await call(`/api/backlog-items/${id}/roadmap`);
    expect(entry.status).toBe(200);
    expect(entry.headers.get('etag')).toBe('"v0"');
    expect((await call(`/api/backlog-items/${id}/roadmap`, { method: 'PUT', body: { horizon: 'now' } })).status).toBe(428);
    const bad = await call(`/api/backlog-items/${id}/roadmap`, { method: 'PUT', body: { horizon: 'soon', targetQuarter: '2026-3' }, ifMatch: '"v0"' });
    expect(bad.status).toBe(400);
    expect((bad.body.problems as { pointer: string }[]).map((problem) => problem.pointer).sort()).toEqual(['/horizon', '/targetQuarter']);
    const placed = await call(`/api/backlog-items/${id}/roadmap`, { method: 'PUT', body: { horizon: 'now', targetQuarter: '2026-Q3' }, ifMatch: '"v0"' });
    expect(placed.status).toBe(200);
    expect(placed.headers.get('etag')).toBe('"v1"');
    expect((await call(`/api/backlog-items/${id}/roadmap`, { method: 'PUT', body: { horizon: 'next' }, ifMatch: '"v0"' })).status).toBe(412);
    expect((await call(`/api/backlog-items/${id}/roadmap`, { method: 'PUT', body: { horizon: 'next' }, ifMatch: '"v1"', token: consumerToken })).status).toBe(403);
    const board = await call(`/api/products/${product.id}/roadmap`, { token: consumerToken });
    expect(board.status).toBe(200);
    expect((board.body.now as { item: { title: string } }[]).map((entry) => entry.item.title)).toEqual(['Currency column']);
    const timeline = await call(`/api/products/${product.id}/roadmap/timeline?by=quarter`);
    expect(timeline.body.lanes).toEqual([expect.objectContaining({ key: '2026-Q3' })]);
    expect((await call(`/api/products/${product.id}/roadmap/timeline?by=month`)).status).toBe(400);
    const sources = await call('/api/kpi-sources');
    expect((sources.body.items as { key: string; unit: string }[]).filter((source) => source.key.startsWith('backlog.'))).toEqual([
      expect.objectContaining({ key: 'backlog.cycleTime', unit: 'days' }),
      expect.objectContaining({ key: 'backlog.cycleTimeAverage', unit: 'days' }),
    ]);
    const history = await call(`/api/backlog-items/${id}/history`);
    expect(history.body.items).toEqual([expect.objectContaining({ from: null, to: 'new' })]);
  });

  it('plans, changes and releases a release with If-Match; consumers read it', async () => {
    const created = await call(`/api/products/${product.id}/releases`, { method: 'POST', body: { name: 'Currency', productVersion: '1.1.0', targetDate: '2026-07-01' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v1"');
    const id = String(created.body.id);
    expect(created.headers.get('location')).toBe(`/api/releases/${id}`);
    const invalid = await call(`/api/products/${product.id}/releases`, { method: 'POST', body: { name: 'Bad', productVersion: '1.2.0', targetDate: '1 July' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems).toEqual([expect.objectContaining({ pointer: '/targetDate' })]);
    expect((await call(`/api/products/${product.id}/releases`, { method: 'POST', body: { name: 'Dup', productVersion: '1.1.0' } })).body.problems).toEqual([expect.objectContaining({ pointer: '/productVersion' })]);
    expect((await call(`/api/products/${product.id}/releases`, { method: 'POST', body: { name: 'Mine', productVersion: '9.9.9' }, token: consumerToken })).status).toBe(403);
    expect((await call(`/api/releases/${id}`, { method: 'PATCH', body: { name: 'Currency support' } })).status).toBe(428);
    const changed = await call(`/api/releases/${id}`, { method: 'PATCH', body: { name: 'Currency support' }, ifMatch: '"v1"' });
    expect(changed.headers.get('etag')).toBe('"v2"');
    expect((await call(`/api/releases/${id}/release`, { method: 'POST', ifMatch: '"v1"' })).status).toBe(412);
    const released = await call(`/api/releases/${id}/release`, { method: 'POST', ifMatch: '"v2"' });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ state: 'released', notes: { productVersion: '1.1.0', releaseName: 'Currency support' } });
    expect((await call(`/api/releases/${id}`, { method: 'DELETE', ifMatch: '*' })).status).toBe(409);
    const changelog = await call(`/api/products/${product.id}/releases?state=released`, { token: consumerToken });
    expect((changelog.body.items as { id: string }[]).map((release) => release.id)).toEqual([id]);
    const read = await call(`/api/releases/${id}`, { token: consumerToken });
    expect(read.headers.get('etag')).toBe('"v3"');
  });
});
