/** The backlog API in-process on PGlite: status codes, ETags, If-Match, problem+json locations, CSV. */
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

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-backlog-http-'));
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

async function call(path: string, options: { method?: string; body?: unknown; ifMatch?: string } = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown>; text: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${adminToken}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  const response = await app.request(path, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') === true && text !== '' ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { status: response.status, headers: response.headers, body: json, text };
}

describe('backlog API', () => {
  it('creates with 201, ETag and Location; changes need If-Match (428), stale is 412', async () => {
    const created = await call(`/api/products/${product.id}/backlog`, { method: 'POST', body: { kind: 'story', title: 'Currency column', acceptanceCriteria: ['Amounts carry ISO 4217 codes'] } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v1"');
    const id = String(created.body.id);
    expect(created.headers.get('location')).toBe(`/api/backlog-items/${id}`);
    expect((await call(`/api/backlog-items/${id}`, { method: 'PATCH', body: { title: 'x' } })).status).toBe(428);
    const changed = await call(`/api/backlog-items/${id}`, { method: 'PATCH', body: { inputs: { reach: 5, impact: 2, confidence: 80, effort: 2 } }, ifMatch: '"v1"' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe('"v2"');
    const stale = await call(`/api/backlog-items/${id}`, { method: 'PATCH', body: { title: 'y' }, ifMatch: '"v1"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition-failed', currentVersion: 2 });
    const declined = await call(`/api/backlog-items/${id}`, { method: 'PATCH', body: { state: 'declined' }, ifMatch: '"v2"' });
    expect(declined.status).toBe(400);
    expect(declined.body.problems).toEqual([{ pointer: '/declineReason', detail: expect.stringContaining('reason') as unknown }]);
    const badInput = await call(`/api/backlog-items/${id}`, { method: 'PATCH', body: { inputs: { moscow: 'maybe' } }, ifMatch: '*' });
    expect(badInput.status).toBe(400);
    expect(badInput.body.problems).toEqual([expect.objectContaining({ pointer: '/inputs/moscow' })]);
  });

  it('ranks with explanations and validates the framework parameter', async () => {
    await call(`/api/products/${product.id}/backlog`, { method: 'POST', body: { kind: 'idea', title: 'Big reach', inputs: { reach: 50, impact: 1, confidence: 100, effort: 1 } } });
    const ranking = await call(`/api/products/${product.id}/backlog/ranking?framework=rice`);
    expect(ranking.status).toBe(200);
    expect(ranking.body).toMatchObject({ framework: 'rice', formula: 'reach × impact × confidence ÷ effort', total: 2 });
    const items = ranking.body.items as Array<{ rank: number; item: { title: string }; evaluation: { explanation: string } }>;
    expect(items.map((entry) => [entry.rank, entry.item.title, entry.evaluation.explanation])).toEqual([
      [1, 'Big reach', '50 × 1 × 100% ÷ 1 = 50'],
      [2, 'Currency column', '5 × 2 × 80% ÷ 2 = 4'],
    ]);
    const bad = await call(`/api/products/${product.id}/backlog/ranking?framework=loudest`);
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([expect.objectContaining({ parameter: 'framework' })]);
    const custom = await call(`/api/products/${product.id}/backlog/ranking?framework=custom`);
    expect(custom.status).toBe(400);
  });

  it('saves settings from version 0 with If-Match and locates formula errors', async () => {
    const read = await call(`/api/products/${product.id}/backlog/settings`);
    expect(read.headers.get('etag')).toBe('"v0"');
    const settings = { framework: 'custom', iceCombiner: 'product', valueThreshold: 5, effortThreshold: 5, custom: { name: 'Reach heavy', terms: [{ input: 'reach', weight: 2 }, { input: 'effort', weight: 0 }] } };
    const invalid = await call(`/api/products/${product.id}/backlog/settings`, { method: 'PUT', body: settings, ifMatch: '"v0"' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems).toEqual([{ pointer: '/custom/terms/1/weight', detail: expect.stringContaining('weight of 0') as unknown }]);
    const saved = await call(`/api/products/${product.id}/backlog/settings`, { method: 'PUT', body: { ...settings, custom: { name: 'Reach heavy', terms: [{ input: 'reach', weight: 2 }] } }, ifMatch: '"v0"' });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"v1"');
    expect((await call(`/api/products/${product.id}/backlog/settings`, { method: 'PUT', body: { ...settings, framework: 'rice' , custom: null }, ifMatch: '"v0"' })).status).toBe(412);
    const ranking = await call(`/api/products/${product.id}/backlog/ranking`);
    expect((ranking.body.items as Array<{ evaluation: { explanation: string } }>)[0]?.evaluation.explanation).toBe('2 × 50 = 100');
  });

  it('exports CSV and imports a Jira CSV, with row:column errors as problem+json', async () => {
    const csv = await call(`/api/products/${product.id}/backlog/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\r\n')[0]).toMatch(/^number,kind,title,.*input:confidence,input:effort,input:impact,input:reach$/);
    expect(csv.text).toContain('1,story,Currency column');
    const broken = await call(`/api/products/${product.id}/backlog/import`, { method: 'POST', body: { format: 'csv', content: 'Summary,Issue Type,Status\nA,Story,Sleeping\n' } });
    expect(broken.status).toBe(400);
    expect(broken.body.problems).toEqual([{ pointer: '/content', detail: expect.stringMatching(/^row 2, column 3 \(Status\): unknown status "Sleeping"/) as unknown }]);
    const imported = await call(`/api/products/${product.id}/backlog/import`, { method: 'POST', body: { format: 'csv', content: csv.text } });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ format: 'meshboard-csv', imported: 2, numbers: [3, 4] });
  });

  it('votes idempotently and merges with If-Match', async () => {
    const list = await call(`/api/products/${product.id}/backlog?sort=rank`);
    const [a, b] = list.body.items as Array<{ id: string; version: number }>;
    expect((await call(`/api/backlog-items/${b?.id}/vote`, { method: 'PUT' })).body).toEqual({ voted: true, votes: 1 });
    expect((await call(`/api/backlog-items/${b?.id}/vote`, { method: 'PUT' })).body).toEqual({ voted: true, votes: 1 });
    expect((await call(`/api/backlog-items/${a?.id}/merge`, { method: 'POST', body: { duplicateId: b?.id } })).status).toBe(428);
    const merged = await call(`/api/backlog-items/${a?.id}/merge`, { method: 'POST', body: { duplicateId: b?.id }, ifMatch: `"v${a?.version}"` });
    expect(merged.status).toBe(200);
    expect(merged.body.votes).toBe(1);
    expect((await call(`/api/backlog-items/${b?.id}`, { method: 'PATCH', body: { title: 'x' }, ifMatch: '*' })).status).toBe(409);
    expect((await call(`/api/backlog-items/${a?.id}/vote`)).body).toEqual({ voted: true, votes: 1 });
  });
});
