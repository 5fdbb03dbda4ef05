import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWebApp } from './webApp';

const dir = mkdtempSync(join(tmpdir(), 'meshboard-webapp-'));
mkdirSync(join(dir, 'assets'));
const html = '<!doctype html><title>Meshboard</title><div id="root"></div>';
writeFileSync(join(dir, 'index.html'), html);
const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;
writeFileSync(join(dir, 'assets', 'index-abc123.js'), script);
writeFileSync(join(dir, 'robots.txt'), 'User-agent: *\n');
writeFileSync(join(dir, '..', 'meshboard-webapp-secret.txt'), 'secret');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(dir, '..', 'meshboard-webapp-secret.txt'), { force: true });
});

function appWithApi(): Hono {
  const app = new Hono();
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  expect(registerWebApp(app, dir)).toBe(true);
  app.notFound((c) => c.json({ code: 'not-found' }, 404, { 'content-type': 'application/problem+json' }));
  return app;
}

describe('registerWebApp', () => {
  const app = appWithApi();

  it('serves index.html at / without caching', async () => {
    const response = await app.request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(html);
  });

  it('falls back to index.html for deep links of the app', async () => {
    const response = await app.request('/domains/019a-some-id');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(html);
    // Document ids hold dots; they are app paths, not files.
    const dotted = await app.request('/products/sales.customers/feedback');
    expect(dotted.status).toBe(200);
    expect(await dotted.text()).toBe(html);
    expect(await (await app.request('/products/sales.customers')).text()).toBe(html);
  });

  it('serves hashed assets with a one-year immutable cache, gzipped when accepted', async () => {
    const plain = await app.request('/assets/index-abc123.js');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await plain.text()).toBe(script);
    const gzipped = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(new Uint8Array(await gzipped.arrayBuffer())).toString()).toBe(script);
  });

  it('serves other files revalidated', async () => {
    const response = await app.request('/robots.txt');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe('User-agent: *\n');
  });

  it('answers 404 for a missing asset instead of the app', async () => {
    expect((await app.request('/assets/index-gone.js')).status).toBe(404);
    expect((await app.request('/missing.css')).status).toBe(404);
  });

  it('leaves /api to the API, unknown API paths included', async () => {
    expect(await (await app.request('/api/health')).json()).toEqual({ status: 'ok' });
    const unknown = await app.request('/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
  });

  it('never serves a file outside the build directory', async () => {
    for (const path of ['/../meshboard-webapp-secret.txt', '/%2e%2e/meshboard-webapp-secret.txt', '/assets/%2e%2e%2f%2e%2e%2fmeshboard-webapp-secret.txt']) {
      const response = await app.request(path);
      expect(await response.text()).not.toContain('secret');
    }
  });

  it('registers nothing when there is no build', () => {
    const bare = new Hono();
    expect(registerWebApp(bare, join(dir, 'no-such-build'))).toBe(false);
  });
});
