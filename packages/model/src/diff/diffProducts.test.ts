import { describe, expect, it } from 'vitest';
import { diffProducts } from './diffProducts';

function base(): Record<string, unknown> {
  return {
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: 'orders-product',
    name: 'Orders',
    version: '2.3.1',
    status: 'active',
    domain: 'sales',
    inputPorts: [{ name: 'erp-orders', version: '1.0.0', contractId: 'erp-orders-contract' }],
    outputPorts: [
      { name: 'orders', version: '1.0.0', type: 'tables', contractId: 'orders-contract' },
      { name: 'daily', version: '2.1.0', type: 'tables', contractId: 'daily-contract' },
    ],
  };
}
type Doc = ReturnType<typeof base>;
const out = (d: Doc): Record<string, unknown>[] => d['outputPorts'] as Record<string, unknown>[];
const port = (d: Doc, i: number): Record<string, unknown> => out(d)[i] as Record<string, unknown>;

const cases: [string, (d: Doc) => void, string, 'breaking' | 'non-breaking' | 'informational'][] = [
  ['an output port is removed', (d) => out(d).splice(0, 1), 'output-port-removed', 'breaking'],
  ['an output port is added', (d) => out(d).push({ name: 'refunds', version: '1.0.0', contractId: 'r' }), 'output-port-added', 'non-breaking'],
  ['an output port is bound to another contract', (d) => (port(d, 0)['contractId'] = 'orders-contract-v2'), 'output-port-contract-changed', 'breaking'],
  ['an output port moves to a new major version', (d) => (port(d, 1)['version'] = '3.0.0'), 'output-port-major-version', 'breaking'],
  ['an output port gets a minor version', (d) => (port(d, 1)['version'] = '2.2.0'), 'output-port-version-changed', 'non-breaking'],
  ['an output port changes type', (d) => (port(d, 0)['type'] = 'topic'), 'output-port-type-changed', 'breaking'],
  ['an output port description changes', (d) => (port(d, 0)['description'] = 'All orders'), 'output-port-documentation-changed', 'informational'],
  ['an input port is added', (d) => (d['inputPorts'] as unknown[]).push({ name: 'crm', version: '1.0.0', contractId: 'crm' }), 'input-port-added', 'non-breaking'],
  ['an input port is removed', (d) => (d['inputPorts'] = []), 'input-port-removed', 'non-breaking'],
  ['the product is deprecated', (d) => (d['status'] = 'deprecated'), 'status-deprecated', 'informational'],
  ['the domain changes', (d) => (d['domain'] = 'finance'), 'domain-changed', 'informational'],
  ['the product id changes', (d) => (d['id'] = 'other'), 'product-id-changed', 'breaking'],
];

describe('diffProducts', () => {
  it('finds no change between identical products', () => {
    expect(diffProducts(base(), base())).toMatchObject({ breaking: false, changes: [], suggestedVersion: '2.3.1' });
  });

  it.each(cases)('classifies: %s', (_name, mutation, change, severity) => {
    const after = base();
    mutation(after);
    const result = diffProducts(base(), after);
    expect(result.changes.map((c) => [c.change, c.severity])).toEqual([[change, severity]]);
    expect(result.suggestedVersion).toBe(severity === 'breaking' ? '3.0.0' : severity === 'non-breaking' ? '2.4.0' : '2.3.2');
  });

  it('names the removed port in the old document and the consumers it affects', () => {
    const after = base();
    out(after).splice(0, 1);
    expect(diffProducts(base(), after).changes[0]).toEqual({
      path: '/outputPorts/0',
      change: 'output-port-removed',
      severity: 'breaking',
      message: 'Output port `orders` version 1.0.0 was removed: its consumers lose access',
    });
  });

  it('keeps a port offered at two versions apart from an upgrade', () => {
    const after = base();
    out(after).push({ name: 'orders', version: '2.0.0', type: 'tables', contractId: 'orders-contract-v2' });
    const result = diffProducts(base(), after);
    expect(result.changes.map((c) => c.change)).toEqual(['output-port-added']);
  });
});
