import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../services/createServices';
import { createStore, type Store } from '../store/createStore';
import type { App } from './AppEnv';
import { createApp } from './createApp';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-http-'));
let store: Store;
let app: App;
let services: ReturnType<typeof createServices>;
let adminToken: string;
const logged: unknown[] = [];
let counter = 0;
const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}`;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  services = createServices(store.db);
  adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
  app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(store.db)), logError: (error) => logged.push(error) });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Call {
  method?: string;
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

async function call(path: string, options: Call = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? adminToken : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await app.request(path, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function createUser(roles: Array<{ domainId: string; role: string }> = []): Promise<{ id: string; token: string }> {
  const email = `${unique('u')}@example.com`;
  const created = await call('/api/users', { method: 'POST', body: { email, name: 'U', password: 'a good long password', roles } });
  expect(created.status).toBe(201);
  const signIn = await call('/api/auth/sign-in', { method: 'POST', token: null, body: { email, password: 'a good long password' } });
  expect(signIn.status).toBe(200);
  return { id: String(created.body.id), token: String(signIn.body.token) };
}

describe('HTTP API', () => {
  it('answers health without a token, saying whether the search index serves yet', async () => {
    const response = await call('/api/health', { token: null });
    expect(response).toMatchObject({ status: 200, body: { status: 'ok', store: 'ok', search: 'sql' } });
    await services.search.buildIndex();
    expect(await call('/api/health', { token: null })).toMatchObject({ status: 200, body: { status: 'ok', store: 'ok', search: 'index' } });
  });

  it('serves an OpenAPI 3.1 document naming every route, and a Swagger UI from local files', async () => {
    const doc = await call('/api/openapi.json', { token: null });
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths as object)).toEqual(expect.arrayContaining(['/api/health', '/api/domains', '/api/domains/{id}', '/api/teams', '/api/users', '/api/audit-events', '/api/auth/sign-in', '/api/tokens']));
    const page = await app.request('/api/docs');
    expect(await page.text()).toContain('/api/docs/swagger-ui-bundle.js');
    const bundle = await app.request('/api/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect((await app.request('/api/docs/..%2Fpackage.json')).status).toBe(404);
  });

  it('refuses requests without or with a wrong token as 401 problem+json', async () => {
    const none = await call('/api/domains', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(none.body).toMatchObject({ type: 'https://meshboard.dev/problems/not-authenticated', code: 'not-authenticated', status: 401 });
    expect((await call('/api/domains', { token: 'mbt_wrong' })).status).toBe(401);
  });

  it('creates a domain with 201, Location and ETag, reads it back with ETag and 304', async () => {
    const created = await call('/api/domains', { method: 'POST', body: { slug: unique('sales'), name: 'Sales' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"v1"');
    expect(created.headers.get('location')).toBe(`/api/domains/${String(created.body.id)}`);
    const read = await call(`/api/domains/${String(created.body.id)}`);
    expect(read.body).toEqual(created.body);
    expect(read.headers.get('etag')).toBe('"v1"');
    const notModified = await call(`/api/domains/${String(created.body.id)}`, { headers: { 'if-none-match': '"v1"' } });
    expect(notModified.status).toBe(304);
  });

  it('rejects an invalid body with 400 and a pointer per field', async () => {
    const response = await call('/api/domains', { method: 'POST', body: { slug: 'Not A Slug', extra: 1 } });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('invalid-input');
    const pointers = (response.body.problems as Array<{ pointer?: string }>).map((problem) => problem.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/slug', '/name']));
  });

  it('rejects malformed JSON and a bad limit as 400, never 500', async () => {
    expect((await call('/api/domains', { method: 'POST', body: '{"slug":' })).status).toBe(400);
    const limit = await call('/api/domains?limit=0');
    expect(limit.status).toBe(400);
    expect(limit.body.problems).toEqual([expect.objectContaining({ parameter: 'limit' })]);
    expect((await call('/api/domains?cursor=forged')).status).toBe(400);
    const huge = await call('/api/domains', { method: 'POST', body: JSON.stringify({ slug: 'huge', name: 'x'.repeat(9 * 1024 * 1024) }) });
    expect(huge).toMatchObject({ status: 400, body: { code: 'invalid-input' } });
    expect(String(huge.body.detail)).toContain('larger than 8 MiB');
  });

  it('answers a NUL character in the path, the query or a body text as 400 naming where, never 500', async () => {
    const path = await call('/api/products/%00');
    expect(path).toMatchObject({ status: 400, body: { code: 'invalid-input', problems: [{ parameter: 'path' }] } });
    expect((await call('/api/domains/a%00b')).status).toBe(400);
    const query = await call('/api/search?q=ok&tag=a%00b');
    expect(query).toMatchObject({ status: 400, body: { problems: [{ parameter: 'tag' }] } });
    const body = await call('/api/domains', { method: 'POST', body: { slug: unique('nul'), name: 'A\u0000B' } });
    expect(body).toMatchObject({ status: 400, body: { code: 'invalid-input' } });
    expect(String(body.body.detail)).toContain('U+0000');
    expect(logged).toEqual([]);
  });

  it('paginates with limit and nextCursor', async () => {
    for (let index = 0; index < 3; index += 1) await call('/api/domains', { method: 'POST', body: { slug: unique('p'), name: 'P' } });
    const first = await call('/api/domains?limit=2');
    expect((first.body.items as unknown[]).length).toBe(2);
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await call(`/api/domains?limit=2&cursor=${String(first.body.nextCursor)}`);
    expect((second.body.items as Array<{ id: string }>).map((d) => d.id)).not.toContain((first.body.items as Array<{ id: string }>)[0]?.id);
  });

  it('needs If-Match on PATCH (428), answers 412 on a stale one with the current version, 200 with a fresh one', async () => {
    const created = await call('/api/domains', { method: 'POST', body: { slug: unique('etag'), name: 'One' } });
    const path = `/api/domains/${String(created.body.id)}`;
    const missing = await call(path, { method: 'PATCH', body: { name: 'Two' } });
    expect(missing.status).toBe(428);
    expect(missing.body.code).toBe('precondition-required');
    const first = await call(path, { method: 'PATCH', body: { name: 'Two' }, headers: { 'if-match': '"v1"' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"v2"');
    const stale = await call(path, { method: 'PATCH', body: { name: 'Lost' }, headers: { 'if-match': '"v1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition-failed', currentVersion: 2 });
    expect((await call(path)).body.name).toBe('Two');
    const garbage = await call(path, { method: 'PATCH', body: { name: 'x' }, headers: { 'if-match': 'v2' } });
    expect(garbage.status).toBe(400);
    const star = await call(path, { method: 'PATCH', body: { name: 'Three' }, headers: { 'if-match': '*' } });
    expect(star).toMatchObject({ status: 200, body: { name: 'Three', version: 3 } });
  });

  it('deletes with If-Match and answers 404 afterwards; an unknown id is 404 problem', async () => {
    const created = await call('/api/domains', { method: 'POST', body: { slug: unique('gone'), name: 'Gone' } });
    const path = `/api/domains/${String(created.body.id)}`;
    expect((await call(path, { method: 'DELETE', headers: { 'if-match': '"v1"' } })).status).toBe(204);
    const after = await call(path);
    expect(after).toMatchObject({ status: 404, body: { code: 'not-found' } });
    expect((await call('/api/domains/not-an-id')).status).toBe(404);
    expect((await call('/api/nothing-here')).status).toBe(404);
  });

  it('answers a duplicate slug with 409', async () => {
    const slug = unique('dup');
    await call('/api/domains', { method: 'POST', body: { slug, name: 'A' } });
    expect((await call('/api/domains', { method: 'POST', body: { slug, name: 'B' } })).body).toMatchObject({ status: 409, code: 'conflict' });
  });

  it("authorises by role: a domain's data product owner edits it and its teams, a member and other domains' owners may not", async () => {
    const mine = await call('/api/domains', { method: 'POST', body: { slug: unique('mine'), name: 'Mine' } });
    const other = await call('/api/domains', { method: 'POST', body: { slug: unique('other'), name: 'Other' } });
    const owner = await createUser([{ domainId: String(mine.body.id), role: 'data_product_owner' }]);
    const member = await createUser([{ domainId: String(mine.body.id), role: 'member' }]);
    const ifMatch = { 'if-match': '"v1"' };
    expect((await call(`/api/domains/${String(mine.body.id)}`, { method: 'PATCH', token: member.token, body: { name: 'x' }, headers: ifMatch })).status).toBe(403);
    expect((await call(`/api/domains/${String(other.body.id)}`, { method: 'PATCH', token: owner.token, body: { name: 'x' }, headers: ifMatch })).status).toBe(403);
    expect((await call(`/api/domains/${String(mine.body.id)}`, { method: 'PATCH', token: owner.token, body: { name: 'Mine!' }, headers: ifMatch })).status).toBe(200);
    expect((await call('/api/teams', { method: 'POST', token: owner.token, body: { slug: unique('t'), name: 'T', domainId: mine.body.id } })).status).toBe(201);
    expect((await call('/api/teams', { method: 'POST', token: member.token, body: { slug: unique('t'), name: 'T', domainId: mine.body.id } })).status).toBe(403);
    expect((await call('/api/domains', { method: 'POST', token: owner.token, body: { slug: unique('no'), name: 'No' } })).status).toBe(403);
    expect((await call('/api/users', { method: 'POST', token: owner.token, body: { email: 'x@example.com', name: 'X' } })).status).toBe(403);
    expect((await call('/api/audit-events', { token: owner.token })).status).toBe(403);
    // Reading is open to every signed-in user (the consumer role).
    expect((await call('/api/domains', { token: member.token })).status).toBe(200);
  });

  it('lets users change their own name via /api/me ETag, admins their roles and teams, and deletes with If-Match', async () => {
    const domain = await call('/api/domains', { method: 'POST', body: { slug: unique('ud'), name: 'UD' } });
    const team = await call('/api/teams', { method: 'POST', body: { slug: unique('ut'), name: 'UT', domainId: domain.body.id } });
    expect((await call(`/api/teams?domainId=${String(domain.body.id)}`)).body.items).toEqual([team.body]);
    const user = await createUser();
    const me = await call('/api/me', { token: user.token });
    const renamed = await call(`/api/users/${user.id}`, { method: 'PATCH', token: user.token, body: { name: 'Renamed' }, headers: { 'if-match': me.headers.get('etag') ?? '' } });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Renamed', version: 2 } });
    const selfPromotion = await call(`/api/users/${user.id}`, { method: 'PATCH', token: user.token, body: { isAdmin: true }, headers: { 'if-match': '"v2"' } });
    expect(selfPromotion.status).toBe(403);
    const granted = await call(`/api/users/${user.id}`, {
      method: 'PATCH',
      body: { roles: [{ domainId: domain.body.id, role: 'producer' }], teamIds: [team.body.id] },
      headers: { 'if-match': '"v2"' },
    });
    expect(granted.body).toMatchObject({ roles: [{ domainId: domain.body.id, role: 'producer' }], teamIds: [team.body.id], version: 3 });
    const badRole = await call(`/api/users/${user.id}`, { method: 'PATCH', body: { roles: [{ domainId: domain.body.id, role: 'king' }] }, headers: { 'if-match': '"v3"' } });
    expect(badRole.status).toBe(400);
    expect((badRole.body.problems as Array<{ pointer?: string }>)[0]?.pointer).toBe('/roles/0/role');
    expect(JSON.stringify((await call('/api/users?limit=500')).body)).not.toContain('argon2');
    expect((await call(`/api/users/${user.id}`, { method: 'DELETE', headers: { 'if-match': '"v3"' } })).status).toBe(204);
    expect((await call('/api/me', { token: user.token })).status).toBe(401);
  });

  it('locks password sign-in for an address after repeated wrong passwords (429, Retry-After), even with the right one', async () => {
    const user = await createUser();
    const me = await call('/api/me', { token: user.token });
    const email = String(me.body.email);
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await call('/api/auth/sign-in', { method: 'POST', token: null, body: { email, password: `wrong guess ${attempt}` } })).status).toBe(401);
    }
    const locked = await call('/api/auth/sign-in', { method: 'POST', token: null, body: { email: email.toUpperCase(), password: 'a good long password' } });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'too-many-requests', type: 'https://meshboard.dev/problems/too-many-requests' });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.retryAfterSeconds).toBe(Number(locked.headers.get('retry-after')));
    // The lock is about passwords only: the user's API tokens keep working.
    expect((await call('/api/me', { token: user.token })).status).toBe(200);
  });

  it('shows a new API token once, lists it without the secret, and stops accepting it when revoked', async () => {
    const user = await createUser();
    const created = await call('/api/tokens', { method: 'POST', token: user.token, body: { name: 'ci' } });
    expect(created.status).toBe(201);
    const secret = String(created.body.token);
    expect(secret).toMatch(/^mbt_/);
    expect((await call('/api/me', { token: secret })).body.id).toBe(user.id);
    const list = await call('/api/tokens', { token: user.token });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const id = String((created.body.info as { id: string }).id);
    expect((list.body.items as Array<{ id: string }>).map((t) => t.id)).toContain(id);
    expect((await call(`/api/tokens/${id}`, { method: 'DELETE', token: user.token })).status).toBe(204);
    expect((await call('/api/me', { token: secret })).status).toBe(401);
  });

  it('signs out a session', async () => {
    const user = await createUser();
    expect((await call('/api/auth/sign-out', { method: 'POST', token: user.token })).status).toBe(204);
    expect((await call('/api/me', { token: user.token })).status).toBe(401);
  });

  it('refuses a wrong password with 401 and the same message as an unknown e-mail', async () => {
    const wrong = await call('/api/auth/sign-in', { method: 'POST', token: null, body: { email: 'admin@meshboard.local', password: 'not the password' } });
    const unknown = await call('/api/auth/sign-in', { method: 'POST', token: null, body: { email: 'nobody@example.com', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it('writes an audit event for every mutation, readable by admins newest first', async () => {
    const created = await call('/api/domains', { method: 'POST', body: { slug: unique('aud'), name: 'A' } });
    await call(`/api/domains/${String(created.body.id)}`, { method: 'PATCH', body: { name: 'B' }, headers: { 'if-match': '"v1"' } });
    const events = await call(`/api/audit-events?entityType=domain&entityId=${String(created.body.id)}`);
    expect((events.body.items as Array<{ action: string; actorLabel: string }>).map((e) => [e.action, e.actorLabel])).toEqual([
      ['domain.update', 'admin@meshboard.local'],
      ['domain.create', 'admin@meshboard.local'],
    ]);
  });

  it('turns an unexpected failure into a generic 500 without internals, and logs it', async () => {
    const broken = createApp({
      services: createServices(store.db),
      checkStore: async () => Promise.resolve(),
      logError: (error) => logged.push(error),
    });
    broken.get('/api/boom', () => {
      throw new Error('secret connection string postgres://user:pw@db');
    });
    const response = await broken.request('/api/boom', { headers: { authorization: `Bearer ${adminToken}` } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('postgres://');
    expect(JSON.parse(text)).toMatchObject({ code: 'internal', status: 500 });
    expect(logged.some((error) => error instanceof Error && error.message.includes('secret connection'))).toBe(true);
  });
});
