/**
 * The bundled CLI entry (ADR 0005, issue 4): built by esbuild from the sources, it starts `meshboard
 * serve` as a real process that answers health, serves swagger-ui's files and loads the demo mesh (the
 * three `import.meta.url`-relative paths), and `bin/meshboard.js` starts from it when it is fresh.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, freshBundle } from '../scripts/bundle.mjs';

const bin = fileURLToPath(new URL('../bin/meshboard.js', import.meta.url));
const adminToken = 'mbt_test-admin-token-for-the-bundle-process-test';
const root = mkdtempSync(join(tmpdir(), 'meshboard-bundle-'));
const children: ChildProcess[] = [];
let entry = '';

beforeAll(async () => {
  entry = await buildBundle();
}, 120_000);
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** Spawns `node <args>` and resolves with the base URL once it prints its "listening" line. */
function listening(args: string[]): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, MESHBOARD_ADMIN_TOKEN: adminToken, DATABASE_URL: '', MESHBOARD_BUNDLE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve({ url: match[1], child, output: () => output });
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)} before listening:\n${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('the bundled CLI entry', () => {
  it('is fresh right after a build, with the workspace sources and plain-JavaScript packages inside, and those with files of their own outside', () => {
    // Another test file's `serve` may have built a newer one meanwhile: any fresh build is current.
    const fresh = freshBundle();
    expect(fresh).toBeDefined();
    const pointer = JSON.parse(readFileSync(fileURLToPath(new URL('../dist/current.json', import.meta.url)), 'utf8')) as { build: string };
    expect(fresh).toContain(`/dist/${pointer.build}/main.js`);
    expect(entry).toMatch(/\/dist\/[a-z0-9]+-[0-9]+\/main\.js$/);
    const main = readFileSync(fileURLToPath(entry), 'utf8');
    expect(main).toContain('Usage: meshboard <command> [options]');
    expect(main).not.toContain('tsx');
    // The server's chunk: Kysely, Hono, zod and pg-boss are compiled in; PGlite (WASM and data files next
    // to its modules) and argon2 (a native module) are imported from node_modules at run time.
    const dir = fileURLToPath(new URL('.', entry));
    const serve = readdirSync(dir).filter((name) => name.endsWith('.js')).map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');
    // (Import statements start a line; the bundled packages' doc comments quote imports too.)
    expect(serve).toMatch(/^import [^;]*from "@electric-sql\/pglite";$/m);
    expect(serve).toMatch(/^import [^;]*from "[./]*node_modules\/@node-rs\/argon2\/index\.js";$/m);
    for (const bundled of ['kysely', 'hono', 'zod', 'pg', 'pg-boss', 'yaml']) expect(serve).not.toMatch(new RegExp(`^import [^;]*from "[./]*(node_modules/)?${bundled}(/[^"]*)?";$`, 'm'));
    expect(serve).toMatch(/\bPostgresDialect = class\b/);
  });

  it('serves from the bundle itself: health, the API docs assets and the demo mesh (paths relative to the sources)', async () => {
    const program = `const { main } = await import(${JSON.stringify(entry)}); process.exitCode = await main(process.argv.slice(1));`;
    const server = await listening(['--input-type=module', '-e', program, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', join(root, 'direct')]);
    try {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      const css = await fetch(`${server.url}/api/docs/swagger-ui.css`);
      expect(css.status).toBe(200);
      expect((await css.text()).length).toBeGreaterThan(1000);
      expect(server.output()).toContain('Loaded the demo mesh');
      const products = await fetch(`${server.url}/api/products?limit=5`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(products.status).toBe(200);
      expect(((await products.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  }, 120_000);

  it('starts `meshboard serve` from the fresh bundle through bin/meshboard.js and answers health', async () => {
    expect(freshBundle()).toBeDefined();
    const server = await listening([bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', join(root, 'bin'), '--no-demo']);
    try {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      expect(server.output()).not.toContain('bundling failed');
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  }, 120_000);
});
