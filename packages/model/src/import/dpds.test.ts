import { readFileSync } from 'node:fs';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import odps from '../../schemas/odps-json-schema-v1.0.0.json' with { type: 'json' };
import { importDpds } from './dpds';

const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats(ajv);
const validProduct = ajv.compile(odps);
const dpds = new URL('../../../../../shared/conformance/dpds/', import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, dpds), 'utf8'));

describe('importDpds on the official descriptors', () => {
  it.each([
    'examples/minimal.dpd.json',
    'examples/tripexecution/data-product-descriptor.json',
    'parser-testcases/allinone/dpd-minimal.json',
    'parser-testcases/allinone/dpd-core.json',
    'parser-testcases/allinone/dpd-full.json',
  ])('%s becomes a valid ODPS v1.0.0 product', (path) => {
    const { product, notes } = importDpds(read(path), {
      resolveRef: (ref) => read(new URL(ref, new URL(path, dpds)).href.slice(dpds.href.length)),
    });
    expect(notes.filter((n) => n.severity === 'error')).toEqual([]);
    expect(validProduct(product), JSON.stringify(validProduct.errors)).toBe(true);
  });

  it('maps info and resolves referenced ports (tripexecution)', () => {
    const base = 'examples/tripexecution/';
    const { product } = importDpds(read(`${base}data-product-descriptor.json`), { resolveRef: (ref) => read(base + ref) });
    expect(product).toMatchObject({
      id: 'urn:dpds:com.company-xyz:dataproducts:tripExecution:1',
      name: 'tripExecution',
      version: '1.2.3',
      domain: 'Transport Management',
      status: 'draft',
      team: { members: [{ username: 'john.doe@company-xyz.com', name: 'John Doe', role: 'owner' }] },
      outputPorts: [
        expect.objectContaining({ name: 'tripStatus', version: '1.2.0', contractId: 'urn:dpds:com.company-xyz:dataproducts:tripExecution:1:outputports:tripStatus' }),
        expect.objectContaining({ name: expect.any(String) }),
      ],
      managementPorts: [expect.objectContaining({ content: 'observability' })],
    });
  });

  it('names the product from its URN when info has no name (minimal)', () => {
    expect(importDpds(read('examples/minimal.dpd.json')).product).toMatchObject({ name: 'tripExecution', version: '1.2.3' });
  });

  it('warns, without failing, when referenced ports cannot be read', () => {
    const { product, notes } = importDpds(read('examples/tripexecution/data-product-descriptor.json'));
    expect(validProduct(product)).toBe(true);
    expect(notes.some((n) => n.pointer === '/interfaceComponents/outputPorts/0/$ref')).toBe(true);
  });

  it('maps contact points to support channels with URLs', () => {
    const { product } = importDpds(read('parser-testcases/allinone/dpd-full.json'));
    expect(product?.['support']).toEqual([
      expect.objectContaining({ url: 'mailto:trip-execution-support@company-xyz.com', tool: 'email' }),
      expect.objectContaining({ url: 'https://readmine.company-xyz.com/trip-execution', tool: 'web' }),
    ]);
  });

  it('rejects something that is not a descriptor', () => {
    expect(importDpds([1, 2])).toEqual({ product: undefined, notes: [expect.objectContaining({ severity: 'error', pointer: '' })] });
  });

  it('reports a descriptor without any id', () => {
    const { notes } = importDpds({ dataProductDescriptor: '1.0.0', info: { version: '1.0.0' } });
    expect(notes).toContainEqual(expect.objectContaining({ severity: 'error', pointer: '/info' }));
  });
});
