import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io';
import { main } from '../main';

const dir = mkdtempSync(join(tmpdir(), 'meshboard-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const contract = (extra: string, version = '1.0.0'): string => `apiVersion: v3.1.0
kind: DataContract
id: orders
version: ${version}
status: active
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: string
        required: true
${extra}`;

const v1 = file('v1.odcs.yaml', contract('      - name: customer_id\n        logicalType: string\n'));
const v2Breaking = file('v2.odcs.yaml', contract('', '1.1.0'));
const v2Additive = file('v2-add.odcs.yaml', contract('      - name: customer_id\n        logicalType: string\n      - name: note\n        logicalType: string\n', '1.1.0'));
const product = file('p.odps.yaml', 'apiVersion: v1.0.0\nkind: DataProduct\nid: p\nstatus: active\nversion: 1.0.0\n');

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir });
  const code = await main(['diff', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('meshboard diff', () => {
  it('prints a changelog grouped by severity with the suggested version', async () => {
    const { code, out } = await run(v1, v2Breaking);
    expect(code).toBe(0);
    expect(out).toContain('Breaking changes (1)\n  - Column `orders.customer_id` was removed');
    expect(out).toContain('Suggested version: 1.0.0 → 2.0.0');
    expect(out).toContain('Note: the new document declares 1.1.0, lower than the 2.0.0 these changes call for');
  });

  it('exits 1 on a breaking change with --fail-on breaking', async () => {
    expect((await run(v1, v2Breaking, '--fail-on', 'breaking')).code).toBe(1);
  });

  it('exits 0 on an additive change with --fail-on breaking, 1 with --fail-on non-breaking', async () => {
    const additive = await run(v1, v2Additive, '--fail-on', 'breaking');
    expect(additive.code).toBe(0);
    expect(additive.out).toContain('Non-breaking changes (1)\n  - Column `orders.note` was added (string)');
    expect(additive.out).toContain('Suggested version: 1.0.0 → 1.1.0');
    expect((await run(v1, v2Additive, '--fail-on', 'non-breaking')).code).toBe(1);
  });

  it('prints JSON with --format json', async () => {
    const { code, out } = await run(v1, v2Breaking, '--format', 'json');
    expect(code).toBe(0);
    const json = JSON.parse(out) as Record<string, unknown>;
    expect(json).toMatchObject({
      breaking: true,
      suggestedVersion: '2.0.0',
      changes: [{ path: '/schema/0/properties/1', change: 'property-removed', severity: 'breaking', message: 'Column `orders.customer_id` was removed' }],
    });
  });

  it('says "No changes" for identical documents', async () => {
    const { code, out } = await run(v1, v1);
    expect(code).toBe(0);
    expect(out).toContain('No changes.');
    expect(out).toContain('Suggested version: 1.0.0 (unchanged)');
  });

  it('exits 2 when a contract is compared with a product, naming both', async () => {
    const { code, err } = await run(v1, product);
    expect(code).toBe(2);
    expect(err).toContain('p.odps.yaml:2:7: v1.odcs.yaml is a data contract but p.odps.yaml is a data product');
  });

  it('exits 2 with file:line:column for an unparsable file', async () => {
    const broken = file('broken.yaml', 'kind: DataContract\nschema: [\n');
    const { code, err } = await run(v1, broken);
    expect(code).toBe(2);
    expect(err).toMatch(/meshboard diff: broken\.yaml:\d+:\d+: /);
  });

  it('exits 2 for a missing file', async () => {
    const { code, err } = await run(v1, 'nope.yaml');
    expect(code).toBe(2);
    expect(err).toContain('nope.yaml: cannot read the file (no such file)');
  });

  it('exits 2 for a document of another kind', async () => {
    const other = file('other.yaml', 'kind: Something\n');
    const { code, err } = await run(other, v1);
    expect(code).toBe(2);
    expect(err).toContain('other.yaml:1:7: not a data contract (kind: DataContract) or data product (kind: DataProduct): kind "Something"');
  });

  it('exits 2 for an empty file, saying so', async () => {
    const empty = file('empty.yaml', '');
    const { code, err } = await run(empty, v1);
    expect(code).toBe(2);
    expect(err).toContain('empty.yaml:1:1: not a data contract (kind: DataContract) or data product (kind: DataProduct): the file is empty');
  });

  it('rejects a wrong number of files and unknown option values', async () => {
    expect((await run(v1)).code).toBe(2);
    expect((await run(v1, v2Breaking, '--format', 'xml')).err).toContain('--format must be text or json');
    expect((await run(v1, v2Breaking, '--fail-on', 'always')).code).toBe(2);
  });

  it('compares products', async () => {
    const p2 = file('p2.odps.yaml', 'apiVersion: v1.0.0\nkind: DataProduct\nid: p\nstatus: deprecated\nversion: 1.0.0\n');
    const { code, out } = await run(product, p2);
    expect(code).toBe(0);
    expect(out).toContain('Informational (1)\n  - DEPRECATED: the product is now deprecated');
    expect(out).toContain('Suggested version: 1.0.0 → 1.0.1');
  });
});
