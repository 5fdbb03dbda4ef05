import { ConflictError, InputError, NotAuthenticatedError, NotFoundError, PreconditionFailedError } from '@meshboard/model';
import { describe, expect, it } from 'vitest';
import { ApiError } from './ApiError';
import { createClient, expandPath } from './createClient';

interface Seen {
  url: string;
  init: RequestInit | undefined;
}

function fakeServer(answer: () => Response): { seen: Seen[]; fetch: typeof fetch } {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: async (input, init) => {
      seen.push({ url: String(input), init });
      return answer();
    },
  };
}

const problem = (status: number, body: Record<string, unknown>): Response =>
  new Response(JSON.stringify({ type: 'x', title: 't', status, ...body }), { status, headers: { 'content-type': 'application/problem+json' } });

describe('createClient', () => {
  it('builds the URL from path and query, sends the token and body, returns the JSON body and ETag', async () => {
    const server = fakeServer(() => new Response(JSON.stringify({ id: 'd/1', name: 'Sales' }), { status: 200, headers: { 'content-type': 'application/json', etag: '"v2"' } }));
    const client = createClient({ baseUrl: 'http://host:1', token: () => 'secret', fetch: server.fetch });
    const result = await client.send('PATCH /api/domains/{id}', { path: { id: 'd/1' }, body: { name: 'Sales' } }, { ifMatch: '"v1"' });
    expect(result).toEqual({ data: { id: 'd/1', name: 'Sales' }, status: 200, etag: '"v2"' });
    const [call] = server.seen;
    expect(call?.url).toBe('http://host:1/api/domains/d%2F1');
    const headers = new Headers(call?.init?.headers);
    expect(call?.init?.method).toBe('PATCH');
    expect(headers.get('authorization')).toBe('Bearer secret');
    expect(headers.get('if-match')).toBe('"v1"');
    expect(headers.get('content-type')).toBe('application/json');
    expect(call?.init?.body).toBe('{"name":"Sales"}');

    await client.call('GET /api/domains', { query: { limit: 5, cursor: 'a b' } });
    expect(server.seen[1]?.url).toBe('http://host:1/api/domains?limit=5&cursor=a+b');
  });

  it('sends no authorization header without a token and returns undefined for 204', async () => {
    const server = fakeServer(() => new Response(null, { status: 204 }));
    const client = createClient({ baseUrl: '', fetch: server.fetch });
    await expect(client.call('POST /api/auth/sign-out')).resolves.toBeUndefined();
    expect(new Headers(server.seen[0]?.init?.headers).has('authorization')).toBe(false);
  });

  it('rebuilds invalid-input with its field problems', async () => {
    const client = createClient({ baseUrl: '', fetch: fakeServer(() => problem(400, { code: 'invalid-input', detail: 'The request body is not valid.', problems: [{ pointer: '/slug', detail: 'Too short' }, { bogus: 1 }] })).fetch });
    const error = await client.call('POST /api/domains', { body: { slug: '', name: 'x' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('The request body is not valid.');
    expect((error as InputError).problems).toEqual([{ pointer: '/slug', detail: 'Too short' }]);
  });

  it('rebuilds precondition-failed with the current version', async () => {
    const client = createClient({ baseUrl: '', fetch: fakeServer(() => problem(412, { code: 'precondition-failed', detail: 'Stale', currentVersion: 4 })).fetch });
    const error = await client.call('DELETE /api/domains/{id}', { path: { id: '1' } }, { ifMatch: '"v3"' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect((error as PreconditionFailedError).currentVersion).toBe(4);
  });

  it('rebuilds not-found and conflict', async () => {
    const notFound = createClient({ baseUrl: '', fetch: fakeServer(() => problem(404, { code: 'not-found', detail: 'No domain 1.' })).fetch });
    await expect(notFound.call('GET /api/domains/{id}', { path: { id: '1' } })).rejects.toThrow(NotFoundError);
    const conflict = createClient({ baseUrl: '', fetch: fakeServer(() => problem(409, { code: 'conflict', detail: 'Taken.' })).fetch });
    await expect(conflict.call('POST /api/domains', { body: { slug: 'a', name: 'A' } })).rejects.toThrow(ConflictError);
  });

  it('reports 401 to onNotAuthenticated and throws NotAuthenticatedError', async () => {
    const reported: NotAuthenticatedError[] = [];
    const client = createClient({ baseUrl: '', fetch: fakeServer(() => problem(401, { code: 'not-authenticated', detail: 'Expired.' })).fetch, onNotAuthenticated: (error) => reported.push(error) });
    await expect(client.call('GET /api/me')).rejects.toThrow(NotAuthenticatedError);
    expect(reported).toHaveLength(1);
  });

  it('turns a 500 problem, a non-JSON answer and a network failure into ApiError', async () => {
    const internal = createClient({ baseUrl: '', fetch: fakeServer(() => problem(500, { code: 'internal', detail: 'Something went wrong.' })).fetch });
    await expect(internal.call('GET /api/me')).rejects.toMatchObject({ name: 'ApiError', status: 500, code: 'internal', message: 'Something went wrong.' });
    const html = createClient({ baseUrl: '', fetch: fakeServer(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } })).fetch });
    await expect(html.call('GET /api/me')).rejects.toMatchObject({ status: 502, message: 'The server answered 502 Bad Gateway.' });
    const down = createClient({ baseUrl: '', fetch: async () => Promise.reject(new TypeError('fetch failed')) });
    const error = await down.call('GET /api/me').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, message: 'Could not reach the server (fetch failed).' });
  });

  it('refuses a 200 whose body is not JSON', async () => {
    const client = createClient({ baseUrl: '', fetch: fakeServer(() => new Response('oops', { status: 200 })).fetch });
    await expect(client.call('GET /api/me')).rejects.toThrow('GET /api/me answered 200 with a body that is not JSON.');
  });
});

describe('untyped calls', () => {
  it('send the query and return the parsed body; a 404 is NotFoundError', async () => {
    const server = fakeServer(() => new Response('{"items":[]}', { status: 200, headers: { 'content-type': 'application/json' } }));
    const client = createClient({ baseUrl: '', fetch: server.fetch });
    await expect(client.untyped('get', '/api/search', { query: { q: 'orders', page: undefined } })).resolves.toEqual({ items: [] });
    expect(server.seen[0]?.url).toBe('/api/search?q=orders');
    expect(server.seen[0]?.init?.method).toBe('GET');
    const missing = createClient({ baseUrl: '', fetch: fakeServer(() => problem(404, { code: 'not-found', detail: 'No route GET /api/search.' })).fetch });
    await expect(missing.untyped('GET', '/api/search')).rejects.toThrow(NotFoundError);
  });
});

describe('expandPath', () => {
  it('encodes values and refuses a missing one', () => {
    expect(expandPath('/api/teams/{id}', { id: 'a b' })).toBe('/api/teams/a%20b');
    expect(() => expandPath('/api/teams/{id}', {})).toThrow('Missing path parameter "id" for /api/teams/{id}.');
  });
});
