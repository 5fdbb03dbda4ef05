import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '@meshboard/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io';
import { main } from '../main';

const root = mkdtempSync(join(tmpdir(), 'meshboard-usage-'));
const token = `mbt_${'u'.repeat(43)}`;
let server: RunningServer;

const contract = `apiVersion: v3.1.0
kind: DataContract
id: sales.orders-contract
name: Orders
version: 1.0.0
status: active
domain: sales
schema:
  - name: orders
    logicalType: object
    properties:
      - name: order_id
        logicalType: string
        required: true
`;
const product = `apiVersion: v1.0.0
kind: DataProduct
id: sales.orders
name: Orders
version: 1.0.0
status: active
domain: sales
outputPorts:
  - name: orders
    version: 1.0.0
    contractId: sales.orders-contract
`;

async function run(...args: string[]) {
  const io = memoryIo({ cwd: root, env: {} });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const connect = () => ['--url', server.url, '--token', token];
const event = (index: number, extra: Record<string, unknown> = {}) => JSON.stringify({ id: `cli-${index}`, product: 'sales.orders', outputPort: 'orders', consumerTeam: 'controlling', kind: 'query', occurredAt: new Date(Date.now() - index * 60_000).toISOString(), rows: index, ...extra });

beforeAll(async () => {
  server = await startServer({ store: { kind: 'embedded', dataDir: join(root, 'data') }, port: 0, hostname: '127.0.0.1', adminToken: token, demo: false, log: () => undefined });
  const response = await fetch(`${server.url}/api/domains`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'sales', name: 'Sales' }) });
  expect(response.status).toBe(201);
  mkdirSync(join(root, 'mesh'));
  writeFileSync(join(root, 'mesh', 'orders.odcs.yaml'), contract);
  writeFileSync(join(root, 'mesh', 'orders.odps.yaml'), product);
  expect((await run('publish', 'mesh', ...connect())).code).toBe(0);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('meshboard usage send', () => {
  it('streams NDJSON and CSV files in batches, re-sending nothing twice', async () => {
    writeFileSync(join(root, 'events.ndjson'), `${Array.from({ length: 12 }, (_, index) => event(index)).join('\n')}\n\n`);
    const first = await run('usage', 'send', 'events.ndjson', '--batch', '5', ...connect());
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out.trim().split('\n')).toEqual([
      'sent 5 event(s) in 1 batch(es): 5 stored, 0 already stored',
      'sent 10 event(s) in 2 batch(es): 10 stored, 0 already stored',
      'sent 12 event(s) in 3 batch(es): 12 stored, 0 already stored',
    ]);
    expect((await run('usage', 'send', 'events.ndjson', ...connect())).out).toBe('sent 12 event(s) in 1 batch(es): 0 stored, 12 already stored\n');
    writeFileSync(join(root, 'events.csv'), `product,kind,occurredAt,consumerTeam,rows,id\nsales.orders,download,${new Date().toISOString()},"Finance, Controlling",10,csv-1\nsales.orders,read,${new Date().toISOString()},,,\n`);
    expect((await run('usage', 'send', 'events.csv', ...connect())).out).toBe('sent 2 event(s) in 1 batch(es): 2 stored, 0 already stored\n');
    const kpi = await fetch(`${server.url}/api/products/sales.orders/kpis`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Use', source: 'usage.events', period: 'day', window: 2 }) });
    const report = (await kpi.json()) as { series: { value: number | null }[] };
    // Every event happened within the last 12 minutes: today or, just after midnight, yesterday.
    expect(report.series.reduce((sum, point) => sum + (point.value ?? 0), 0)).toBe(14);
  });

  it('names the file lines of a rejected batch and of unreadable lines', async () => {
    writeFileSync(join(root, 'bad.ndjson'), [event(100), event(101, { kind: 'scrape' }), '', event(102, { product: 'sales.nothing' })].join('\n'));
    const refused = await run('usage', 'send', 'bad.ndjson', ...connect());
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('bad.ndjson:2 kind: ');
    const unknown = await run('usage', 'send', 'bad.ndjson', '--batch', '1', ...connect());
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('1 event(s) before it were stored');
    writeFileSync(join(root, 'broken.ndjson'), `${event(200)}\n{"product": \n`);
    const broken = await run('usage', 'send', 'broken.ndjson', ...connect());
    expect(broken).toMatchObject({ code: 2 });
    expect(broken.err).toContain('broken.ndjson:2: not JSON');
    writeFileSync(join(root, 'headless.csv'), 'a,b\n1,2\n');
    expect((await run('usage', 'send', 'headless.csv', ...connect())).err).toContain('headless.csv:1: the header must name');
    expect((await run('usage', 'send', 'missing.ndjson', ...connect())).code).toBe(2);
    expect((await run('usage', 'send', 'events.ndjson', '--url', server.url)).code).toBe(2);
    expect((await run('usage', 'send', 'events.ndjson', '--batch', '0', ...connect())).code).toBe(2);
    expect((await run('usage', 'receive', 'events.ndjson', ...connect())).code).toBe(2);
  });
});

describe('the vision canvas through pull and publish', () => {
  it('pulls the canvas as an ODPS custom property and saves an edited one when published', async () => {
    const saved = await fetch(`${server.url}/api/products/sales.orders/vision`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '"v0"' }, body: JSON.stringify({ purpose: 'Orders for controlling.', targetConsumers: ['Controlling'] }) });
    expect(saved.status).toBe(200);
    expect((await run('pull', 'pulled', ...connect())).code).toBe(0);
    const file = join(root, 'pulled', 'sales', 'orders.odps.yaml');
    const pulled = readFileSync(file, 'utf8');
    expect(pulled).toContain('property: meshboardVision');
    expect(pulled).toContain('purpose: Orders for controlling.');
    expect((await run('publish', 'pulled', ...connect())).code).toBe(0);
    expect((await (await fetch(`${server.url}/api/products/sales.orders/vision`, { headers: { authorization: `Bearer ${token}` } })).json()) as { version: number }).toMatchObject({ version: 1 });
    writeFileSync(file, pulled.replace('purpose: Orders for controlling.', 'purpose: Orders for controlling and forecasting.'));
    expect((await run('publish', 'pulled', ...connect())).code).toBe(0);
    const vision = (await (await fetch(`${server.url}/api/products/sales.orders/vision`, { headers: { authorization: `Bearer ${token}` } })).json()) as { version: number; canvas: { purpose: string; targetConsumers: string[] } };
    expect(vision).toMatchObject({ version: 2, canvas: { purpose: 'Orders for controlling and forecasting.', targetConsumers: ['Controlling'] } });
  });
});
