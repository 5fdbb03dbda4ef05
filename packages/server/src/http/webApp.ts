import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Env, Hono } from 'hono';

/** Where `npm run build -w @meshboard/web` writes the web app (packages/web/dist). */
export const defaultWebAppDir = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite puts content-hashed files under /assets/: they never change, so browsers may keep them a year. */
const immutable = 'public, max-age=31536000, immutable';

interface Loaded {
  body: Uint8Array;
  gzipped: Uint8Array | undefined;
  type: string;
}

/**
 * Serves the built web app at `/` when `dir` holds an index.html: files by path (hashed assets with a
 * one-year immutable cache, the rest revalidated), gzip for text when the browser accepts it, and the
 * SPA fallback (index.html, never cached) for every other GET outside /api, so deep links such as
 * /domains/<id> load the app. Paths under /api are left to the API (unknown ones stay problem+json 404).
 * Without a build nothing is registered and the server is API-only.
 */
export function registerWebApp<E extends Env>(app: Hono<E>, dir: string = defaultWebAppDir): boolean {
  if (!existsSync(join(dir, 'index.html'))) return false;
  const root = normalize(dir.endsWith(sep) ? dir : `${dir}${sep}`);
  const cache = new Map<string, Loaded>();

  async function load(file: string): Promise<Loaded | undefined> {
    const cached = cache.get(file);
    if (cached !== undefined) return cached;
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) return undefined;
    const body = new Uint8Array(await readFile(file));
    const type = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.byteLength > 1024;
    const loaded: Loaded = { body, type, gzipped: compressible ? new Uint8Array(gzipSync(body)) : undefined };
    cache.set(file, loaded);
    return loaded;
  }

  app.on(['GET', 'HEAD'], '*', async (c, next) => {
    const path = c.req.path;
    if (path === '/api' || path.startsWith('/api/')) return next();
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      decoded = '';
    }
    const candidate = normalize(join(root, decoded));
    // Only files inside the build directory; `..` and encoded separators cannot climb out of it.
    let file = decoded !== '' && candidate.startsWith(root) && candidate !== root ? await load(candidate) : undefined;
    let cacheControl = path.startsWith('/assets/') ? immutable : 'no-cache';
    if (file === undefined) {
      // A missing asset is a real 404 (a stale tab asking for an old chunk), not the app's HTML. Only
      // static-file extensions count: app paths may hold dots (/products/sales.customers).
      if (path.startsWith('/assets/') || extname(path).toLowerCase() in contentTypes) return next();
      file = await load(join(root, 'index.html'));
      cacheControl = 'no-cache';
      if (file === undefined) return next();
    }
    const headers: Record<string, string> = { 'content-type': file.type, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff', vary: 'accept-encoding' };
    if (file.type.startsWith('text/html')) headers['referrer-policy'] = 'same-origin';
    const gzip = file.gzipped !== undefined && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    if (gzip) headers['content-encoding'] = 'gzip';
    const body = gzip && file.gzipped !== undefined ? file.gzipped : file.body;
    headers['content-length'] = String(body.byteLength);
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);
    return c.body(new Uint8Array(body), 200, headers);
  });
  return true;
}
