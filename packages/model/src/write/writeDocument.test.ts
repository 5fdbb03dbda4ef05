import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEditableSource } from '../document/readEditableSource';
import { readSource } from '../document/SourceDocument';
import { writeDocument, YamlEditError } from './writeDocument';

const conformance = fileURLToPath(new URL('../../../../../shared/conformance/', import.meta.url));

function filesUnder(dir: string, suffix: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, suffix) : suffix.test(name) ? [path] : [];
  });
}

const examples = [
  ...filesUnder(join(conformance, 'bitol-odcs/main/docs/examples'), /\.ya?ml$/),
  ...filesUnder(join(conformance, 'bitol-odcs/dev/docs/examples'), /\.ya?ml$/),
  ...filesUnder(join(conformance, 'bitol-odps/docs/examples'), /\.ya?ml$/),
];

/** JSON text keeps key order, so equal texts mean equal values in the same order. */
const ordered = (value: unknown): string => JSON.stringify(value);

describe('writeDocument round-trips the official examples', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(18 + 2);
  });

  it.each(examples.map((path) => [relative(conformance, path), path]))('%s reads back to the same value and key order', (_name, path) => {
    const text = readFileSync(path, 'utf8');
    const { source, document } = readEditableSource(path, text);
    expect(source.problems).toEqual([]);
    if (document === undefined) throw new Error('no document');
    const written = writeDocument(document);
    const again = readSource(path, written);
    expect(again.problems).toEqual([]);
    expect(again.value).toEqual(source.value);
    expect(ordered(again.value)).toBe(ordered(source.value));
    // Writing is stable: a second pass gives the same text.
    const second = readEditableSource(path, written).document;
    expect(second && writeDocument(second)).toBe(written);
  });
});

const contract = `# Orders contract
apiVersion: v3.1.0
kind: DataContract
id: orders
version: "1.0.0" # quoted on purpose
status: draft
schema:
  - name: orders
    properties:
      - name: id
        logicalType: string
`;

function edit(text: string, edits: Parameters<typeof writeDocument>[1]): string {
  const { document } = readEditableSource('c.yaml', text);
  if (document === undefined) throw new Error('unreadable');
  return writeDocument(document, edits);
}

describe('writeDocument edits', () => {
  it('changes only the edited line of an official example (version bump)', () => {
    const path = join(conformance, 'bitol-odcs/main/docs/examples/all/full-example.odcs.yaml');
    const text = readFileSync(path, 'utf8');
    const { document } = readEditableSource(path, text);
    if (document === undefined) throw new Error('unreadable');
    const out = writeDocument(document, [{ pointer: '/version', value: '2.0.0' }]);
    const before = readSource(path, text).value as Record<string, unknown>;
    const after = readSource(path, out).value as Record<string, unknown>;
    expect(JSON.stringify(after)).toBe(JSON.stringify({ ...before, version: '2.0.0' }));
    expect(out).toContain('version: 2.0.0 # Version (follows semantic versioning)');
  });

  it('keeps comments, key order and quoting of untouched values', () => {
    const out = edit(contract, [{ pointer: '/status', value: 'active' }]);
    expect(out).toBe(contract.replace('status: draft', 'status: active'));
  });

  it('appends a new key at the end of its mapping', () => {
    const out = edit(contract, [{ pointer: '/domain', value: 'sales' }]);
    expect(Object.keys(readSource('c', out).value as object)).toEqual(['apiVersion', 'kind', 'id', 'version', 'status', 'schema', 'domain']);
  });

  it('keeps the trailing comment of a replaced value and quotes it when needed', () => {
    const out = edit(contract, [{ pointer: '/version', value: '2024-01-01' }]);
    expect(out).toContain('version: "2024-01-01" # quoted on purpose');
    const plain = edit(contract, [{ pointer: '/status', value: '1.5' }]);
    expect(readSource('c', plain).value).toMatchObject({ status: '1.5' });
    const number = edit('a: "5" # five\n', [{ pointer: '/a', value: 6 }]);
    expect(number).toBe('a: 6 # five\n');
  });

  it('quotes new strings that would read back as dates, numbers or booleans', () => {
    const out = edit(contract, [
      { pointer: '/version', value: '2.0' },
      { pointer: '/contractCreatedTs', value: '2024-01-01' },
      { pointer: '/tenant', value: 'yes' },
    ]);
    expect(out).toContain('version: "2.0"');
    expect(out).toContain('contractCreatedTs: "2024-01-01"');
    expect(out).toContain('tenant: "yes"');
    expect(readSource('c', out).value).toMatchObject({ version: '2.0', contractCreatedTs: '2024-01-01', tenant: 'yes' });
  });

  it('sets inside lists by index and appends with -', () => {
    const out = edit(contract, [
      { pointer: '/schema/0/properties/0/required', value: true },
      { pointer: '/schema/0/properties/-', value: { name: 'amount', logicalType: 'number' } },
    ]);
    const value = readSource('c', out).value as { schema: { properties: unknown[] }[] };
    expect(value.schema[0]?.properties).toEqual([
      { name: 'id', logicalType: 'string', required: true },
      { name: 'amount', logicalType: 'number' },
    ]);
  });

  it('removes a value', () => {
    const out = edit(contract, [{ pointer: '/schema/0/properties/0/logicalType', remove: true }]);
    expect(readSource('c', out).value).toMatchObject({ schema: [{ name: 'orders', properties: [{ name: 'id' }] }] });
  });

  it('rejects a pointer through a scalar or past the end of a list', () => {
    expect(() => edit(contract, [{ pointer: '/status/x', value: 1 }])).toThrow(YamlEditError);
    expect(() => edit(contract, [{ pointer: '/schema/5', value: 1 }])).toThrow(/not an index/);
  });

  it('gives no document for text with problems', () => {
    expect(readEditableSource('bad.yaml', 'a: 1\na: 2\n').document).toBeUndefined();
  });
});
