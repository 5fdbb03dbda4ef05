import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSource } from '@meshboard/model';
import { startServer, type RunningServer } from '@meshboard/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io';
import { main } from '../main';

const root = mkdtempSync(join(tmpdir(), 'meshboard-publish-'));
const token = `mbt_${'a'.repeat(43)}`;
let server: RunningServer;

const contract = (version: string, extraColumn = '') => `apiVersion: v3.1.0
kind: DataContract
id: sales.customers
name: Customers
version: ${version}
status: active
domain: sales
team:
  name: Sales Analytics
tags: [pii, customer]
schema:
  - name: customers
    logicalType: object
    properties:
      - name: customer_id
        logicalType: string
        required: true
      - name: email
        logicalType: string
${extraColumn}`;

const product = `apiVersion: v1.0.0
kind: DataProduct
id: sales.customer-360
name: Customer 360
version: 1.0.0
status: active
domain: sales
team:
  name: Sales Analytics
outputPorts:
  - name: customers
    version: 1.0.0
    contractId: sales.customers
`;

function folder(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function run(...args: string[]) {
  const io = memoryIo({ cwd: root, env: {} });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  server = await startServer({ store: { kind: 'embedded', dataDir: join(root, 'data') }, port: 0, hostname: '127.0.0.1', adminToken: token, demo: false, log: () => undefined });
  const response = await fetch(`${server.url}/api/domains`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'sales', name: 'Sales' }) });
  expect(response.status).toBe(201);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('meshboard publish and pull', () => {
  it('publishes a folder, says nothing changed the second time, refuses a breaking same-version change, pulls it back', async () => {
    const dir = folder('mesh', { 'sales/customers.odcs.yaml': contract('1.0.0'), 'sales/customer-360.odps.yaml': product });
    const connection = ['--url', server.url, '--token', token];

    const dry = await run('publish', dir, ...connection, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('contract sales.customers 1.0.0 would be created');
    expect(dry.out).toContain('product sales.customer-360 1.0.0 would be created');
    expect((await fetch(`${server.url}/api/contracts`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())) as unknown).toEqual({ items: [], nextCursor: null });

    const first = await run('publish', dir, ...connection);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toContain('2 created');
    const second = await run('publish', dir, ...connection);
    expect(second.code).toBe(0);
    expect(second.out).toBe(`Nothing to publish: the catalog already has all 2 document(s) of ${dir} unchanged.\n`);

    writeFileSync(join(dir, 'sales/customers.odcs.yaml'), contract('1.0.0').replace(/      - name: email\n        logicalType: string\n/, ''));
    const refused = await run('publish', dir, ...connection);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/refused contract sales\.customers .*breaking change keeps version 1\.0\.0.*2\.0\.0/);
    const forced = await run('publish', dir, ...connection, '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('contract sales.customers revised in place (version 1.0.0 kept, forced): breaking (1 change)');
    expect(forced.out).toMatch(/breaking\s+Column `customers\.email` was removed/);
    writeFileSync(join(dir, 'sales/customers.odcs.yaml'), contract('1.1.0', '      - name: country\n        logicalType: string\n'));
    const added = await run('publish', dir, ...connection);
    expect(added.code).toBe(0);
    expect(added.out).toContain('contract sales.customers published as version 1.1.0: non-breaking');
    expect(added.out).toContain('1 unchanged');

    const out = join(root, 'pulled');
    const pulled = await run('pull', out, ...connection);
    expect(pulled.code).toBe(0);
    expect(readdirSync(join(out, 'sales')).sort()).toEqual(['customer-360.odps.yaml', 'customers.odcs.yaml']);
    const text = readFileSync(join(out, 'sales/customers.odcs.yaml'), 'utf8');
    expect(readSource('x.yaml', text).value).toEqual(readSource('y.yaml', readFileSync(join(dir, 'sales/customers.odcs.yaml'), 'utf8')).value);
    expect(text.startsWith('apiVersion: v3.1.0\nkind: DataContract\nid: sales.customers\n')).toBe(true);
    expect(readSource('p.yaml', readFileSync(join(out, 'sales/customer-360.odps.yaml'), 'utf8')).value).toEqual(readSource('q.yaml', product).value);
    expect((await run('pull', out, ...connection)).out).toBe('0 file(s) written, 2 already up to date.\n');
    // The pulled folder is the catalog: publishing it changes nothing.
    expect((await run('publish', out, ...connection)).out).toContain('Nothing to publish');
  });

  it('reports a document the server refuses at file:line:column and still publishes the others', async () => {
    const dir = folder('refusals', {
      'a.odcs.yaml': contract('1.0.0').replace('id: sales.customers', 'id: sales.refusal-a'),
      'b.odcs.yaml': contract('1.0.0').replace('id: sales.customers', 'id: sales.refusal-b').replace('domain: sales', 'domain: nowhere'),
      // The port names contract b, which the server refuses: the product cannot be bound either.
      'p.odps.yaml': product.replace('id: sales.customer-360', 'id: sales.refusal-p').replace('contractId: sales.customers', 'contractId: sales.refusal-b'),
    });
    const answer = await run('publish', dir, '--url', server.url, '--token', token);
    expect(answer.code).toBe(1);
    expect(answer.out).toContain('contract sales.refusal-a 1.0.0 created');
    expect(answer.out).toContain('1 created, 0 published as new versions, 0 revised, 0 unchanged, 2 refused.');
    expect(answer.err).toContain(`refused contract sales.refusal-b (refusals/b.odcs.yaml): No domain "nowhere" exists.`);
    expect(answer.err).toContain('  refusals/b.odcs.yaml:7:9 /domain Create the domain "nowhere" first');
    expect(answer.err).toContain('  refusals/p.odps.yaml:13:17 /outputPorts/0/contractId No contract "sales.refusal-b" is in the catalog; publish it first.');
    expect((await fetch(`${server.url}/api/contracts/sales.refusal-a`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('sends a large folder in several requests, products after the contracts they name', async () => {
    const files: Record<string, string> = {};
    for (let n = 0; n < 255; n++) files[`c${n}.odcs.yaml`] = contract('1.0.0').replace('id: sales.customers', `id: sales.many-${n}`);
    files['p.odps.yaml'] = product.replace('id: sales.customer-360', 'id: sales.many-p').replace('contractId: sales.customers', 'contractId: sales.many-0');
    const dir = folder('many', files);
    const dry = await run('publish', dir, '--url', server.url, '--token', token, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('Dry run: 256 would be created');
    const first = await run('publish', dir, '--url', server.url, '--token', token);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toContain('256 created, 0 published as new versions');
    expect((await run('publish', dir, '--url', server.url, '--token', token)).out).toContain('Nothing to publish: the catalog already has all 256 document(s)');
  });

  it('lints first and sends nothing for an invalid folder; explains usage and connection errors', async () => {
    const dir = folder('invalid', { 'broken.odcs.yaml': contract('1.0.0').replace('kind: DataContract', 'kind: DataContract\nschema: nope') });
    const invalid = await run('publish', dir, '--url', server.url, '--token', token);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/broken\.odcs\.yaml:\d+:\d+ /);
    expect(invalid.err).toContain('nothing was published');
    expect((await run('publish', dir, '--token', token)).code).toBe(2);
    expect((await run('pull', dir, '--url', server.url)).code).toBe(2);
    const unreachable = await run('pull', join(root, 'nowhere'), '--url', 'http://127.0.0.1:9', '--token', token);
    expect(unreachable).toMatchObject({ code: 2 });
    expect(unreachable.err).toContain('cannot reach');
    const wrongToken = await run('publish', folder('ok', { 'c.odcs.yaml': contract('1.0.0') }), '--url', server.url, '--token', 'mbt_wrong');
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.err).toContain('meshboard publish: the server refused the request');
  });
});
