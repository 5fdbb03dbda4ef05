import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io';
import { serveOptions } from './serve';

const bin = fileURLToPath(new URL('../../bin/meshboard.js', import.meta.url));
const adminToken = 'mbt_test-admin-token-for-the-serve-process-test';
const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-serve-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `meshboard serve` as a real process on a free port and waits for its "listening" line. */
function startServe(extra: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--no-demo', ...extra], {
    env: { ...process.env, MESHBOARD_ADMIN_TOKEN: adminToken, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) resolve({ child, url: match[1], stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited with ${String(code)} before listening:\n${err}`)));
  });
}

async function api(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers } });
}

describe('meshboard serve options', () => {
  it('defaults to port 8080 and ./.meshboard, and reads MESHBOARD_PORT and DATABASE_URL', () => {
    expect(serveOptions([], memoryIo({ cwd: '/srv' }))).toMatchObject({ port: 8080, demo: true, store: { kind: 'embedded', dataDir: '/srv/.meshboard' } });
    expect(serveOptions(['--no-demo'], memoryIo({ env: { MESHBOARD_PORT: '9000', DATABASE_URL: 'postgres://db/x' } }))).toMatchObject({ port: 9000, demo: false, store: { kind: 'postgres', url: 'postgres://db/x' } });
  });

  it('reads the check-run data root from --data-root or MESHBOARD_DATA_ROOT, relative to the working directory', () => {
    expect(serveOptions([], memoryIo({ cwd: '/srv' })).dataRoot).toBeUndefined();
    expect(serveOptions(['--data-root', 'data'], memoryIo({ cwd: '/srv', env: { MESHBOARD_DATA_ROOT: '/elsewhere' } })).dataRoot).toBe('/srv/data');
    expect(serveOptions([], memoryIo({ cwd: '/srv', env: { MESHBOARD_DATA_ROOT: '/mesh/data' } })).dataRoot).toBe('/mesh/data');
  });

  it('rejects a bad port, an unknown option and both stores at once as usage errors', () => {
    expect(() => serveOptions(['--port', 'eighty'], memoryIo())).toThrow(/--port/);
    expect(() => serveOptions(['--port', '70000'], memoryIo())).toThrow(/--port/);
    expect(() => serveOptions(['--frobnicate'], memoryIo())).toThrow(/frobnicate/);
    expect(() => serveOptions(['--data-dir', 'x', '--database-url', 'postgres://h/d'], memoryIo())).toThrow(/not both/);
    expect(() => serveOptions(['--database-url', 'mysql://h/d'], memoryIo())).toThrow(/postgres/);
  });
});

describe('meshboard serve as a real process', () => {
  it('keeps every acknowledged write across SIGKILL, refuses a second owner, and stops cleanly on SIGTERM', async () => {
    const first = await startServe();
    const acknowledged: string[] = [];
    for (let index = 0; index < 15; index += 1) {
      const response = await api(`${first.url}/api/domains`, { method: 'POST', body: JSON.stringify({ slug: `durable-${index}`, name: `Durable ${index}` }) });
      expect(response.status).toBe(201);
      acknowledged.push(((await response.json()) as { id: string }).id);
    }
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, (_, index) => api(`${first.url}/api/domains`, { method: 'POST', body: JSON.stringify({ slug: `burst-${index}`, name: `Burst ${index}` }) })),
    );
    for (const response of concurrent) {
      expect(response.status).toBe(201);
      acknowledged.push(((await response.json()) as { id: string }).id);
    }

    // A second server on the same directory is refused while the first one lives.
    const second = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir, '--no-demo'], { env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(second);
    let secondErr = '';
    second.stderr.on('data', (chunk: Buffer) => (secondErr += chunk.toString()));
    const secondCode = await new Promise<number | null>((done) => second.once('exit', (code) => done(code)));
    expect(secondCode).toBe(1);
    expect(secondErr).toMatch(/in use by another Meshboard process \(pid \d+\)/);

    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dataDir, 'meshboard.lock'))).toBe(true); // stale: its owner is dead

    const restartedAt = Date.now();
    const restarted = await startServe();
    const health = await fetch(`${restarted.url}/api/health`);
    expect(health.status).toBe(200);
    console.info(`restart after SIGKILL to first healthy answer: ${Date.now() - restartedAt} ms (includes loading the CLI)`);
    const found = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = (await (await api(`${restarted.url}/api/domains?limit=100${cursor === null ? '' : `&cursor=${cursor}`}`)).json()) as { items: Array<{ id: string }>; nextCursor: string | null };
      for (const item of page.items) found.add(item.id);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(acknowledged.filter((id) => !found.has(id))).toEqual([]);

    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(restarted.stderr()).toContain('shutting down');
    expect(existsSync(join(dataDir, 'meshboard.lock'))).toBe(false);
  }, 180_000);
});
