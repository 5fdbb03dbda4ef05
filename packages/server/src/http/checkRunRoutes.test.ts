/** The check-run API in-process on PGlite, with the real engine on CSV files in a temporary data root. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersContract } from '../services/checkRun.case';
import { createServices } from '../services/createServices';
import { createStore, type Store } from '../store/createStore';
import { insertTestContract, type TestContract } from '../testing/insertTestContract';
import type { App } from './AppEnv';
import { createApp } from './createApp';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-runs-http-'));
const dataRoot = mkdtempSync(join(tmpdir(), 'meshboard-runs-data-'));
let store: Store;
let app: App;
let adminToken: string;
let contract: TestContract;

beforeAll(async () => {
  writeFileSync(join(dataRoot, 'orders.csv'), 'id,email,amount,created_at\n1,a@example.com,10,2026-01-01 00:00:00\n2,oops,20,2026-01-02 00:00:00\n');
  store = await createStore({ kind: 'embedded', dataDir });
  const services = createServices(store.db, { checkRuns: { dataRoot, env: {} } });
  adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)) });
  contract = await insertTestContract(store.db, { document: ordersContract('orders.csv') });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(dataRoot, { recursive: true, force: true });
});

async function call(path: string, options: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? adminToken}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await app.request(path, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function userWith(roles: { domainId: string; role: string }[]): Promise<string> {
  const email = `runs-${Math.random().toString(36).slice(2)}@example.com`;
  expect((await call('/api/users', { method: 'POST', body: { email, name: 'U', password: 'a good long password', roles } })).status).toBe(201);
  const response = await app.request('/api/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'a good long password' }) });
  return String(((await response.json()) as { token: string }).token);
}

describe('check-run API', () => {
  it('runs synchronously with ?wait=true (201 + results) and queues otherwise (202, then finished)', async () => {
    const producer = await userWith([{ domainId: contract.domainId, role: 'producer' }]);
    const ran = await call(`/api/contracts/${contract.id}/runs?wait=true`, { method: 'POST', token: producer, body: { server: 'files', trigger: 'manual' } });
    expect(ran.status).toBe(201);
    expect(ran.headers.get('location')).toBe(`/api/runs/${String(ran.body.id)}`);
    expect(ran.body).toMatchObject({ status: 'failed', trigger: 'manual', server: 'files' });
    expect(ran.body.results).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'orders.email.field_regex', result: 'failed', samples: [expect.objectContaining({ email: '***' })] })]));

    const queued = await call(`/api/contracts/${contract.id}/runs`, { method: 'POST', token: producer });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: 'queued', trigger: 'api' });
    let run = await call(`/api/runs/${String(queued.body.id)}`);
    for (let i = 0; i < 100 && (run.body.status === 'queued' || run.body.status === 'running'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = await call(`/api/runs/${String(queued.body.id)}`);
    }
    expect(run.body.status).toBe('failed');
  });

  it('refuses triggers without a role in the domain (403) and bad input with pointers (400), unknown contracts (404)', async () => {
    const outsider = await userWith([]);
    const refused = await call(`/api/contracts/${contract.id}/runs`, { method: 'POST', token: outsider });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('not-allowed');
    const badServer = await call(`/api/contracts/${contract.id}/runs`, { method: 'POST', body: { server: 'nope' } });
    expect(badServer).toMatchObject({ status: 400, body: { problems: [{ pointer: '/server' }] } });
    const extra = await call(`/api/contracts/${contract.id}/runs`, { method: 'POST', body: { serverName: 'x' } });
    expect(extra.status).toBe(400);
    expect((await call('/api/contracts/019a0000-0000-7000-8000-000000000000/runs', { method: 'POST' })).status).toBe(404);
    expect((await call('/api/runs/not-a-run')).status).toBe(404);
    // Reads need no role.
    expect((await call(`/api/contracts/${contract.id}/runs`, { token: outsider })).status).toBe(200);
  });

  it('lists runs with cursors, answers latest per check, per-check history and SLA compliance', async () => {
    await call(`/api/contracts/${contract.id}/runs?wait=true`, { method: 'POST' });
    const first = await call(`/api/contracts/${contract.id}/runs?limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await call(`/api/contracts/${contract.id}/runs?limit=1&cursor=${String(first.body.nextCursor)}`);
    expect((second.body.items as { id: string }[])[0]?.id).not.toBe((first.body.items as { id: string }[])[0]?.id);
    expect(await call(`/api/contracts/${contract.id}/runs?cursor=forged`)).toMatchObject({ status: 400, body: { problems: [{ parameter: 'cursor' }] } });

    const latest = await call(`/api/contracts/${contract.id}/checks/latest`);
    const keys = (latest.body.items as { key: string }[]).map((item) => item.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('orders.row_count');
    const history = await call(`/api/contracts/${contract.id}/checks/orders.row_count/history?limit=2`);
    expect(history.body.items).toEqual([expect.objectContaining({ measured: 2, result: 'passed' }), expect.objectContaining({ measured: 2 })]);
    const sla = await call(`/api/contracts/${contract.id}/sla?days=7`);
    expect(sla.body.days).toBe(7);
    expect((sla.body.items as { compliancePercent: number }[]).map((item) => item.compliancePercent).sort()).toEqual([0, 100]);
    expect(await call(`/api/contracts/${contract.id}/sla?days=0`)).toMatchObject({ status: 400, body: { problems: [{ parameter: 'days' }] } });
  });

  it('describes the endpoints in the OpenAPI document', async () => {
    const doc = await call('/api/openapi.json');
    const paths = Object.keys(doc.body.paths as Record<string, unknown>);
    expect(paths).toEqual(expect.arrayContaining(['/api/contracts/{id}/runs', '/api/runs/{runId}', '/api/contracts/{id}/checks/latest', '/api/contracts/{id}/checks/{checkKey}/history', '/api/contracts/{id}/sla']));
  });
});
