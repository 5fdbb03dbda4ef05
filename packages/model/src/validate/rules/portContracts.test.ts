import { describe, expect, it } from 'vitest';
import { portContracts } from './portContracts';

const rulesOf = (findings: { rule: string; severity: string; pointer: string }[]) =>
  findings.map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

describe('portContracts', () => {
  const product = { outputPorts: [{ name: 'out', version: '1', contractId: 'c1' }], inputPorts: [{ name: 'in', version: '1', contractId: 'c2' }] };
  it('accepts ports whose contracts are in the set', () => {
    expect(portContracts(product, { ids: new Set(['c1', 'c2']) })).toEqual([]);
  });
  it('warns when the product is linted without any contract', () => {
    expect(rulesOf(portContracts(product, { ids: new Set() }))).toEqual([
      'warning semantic/port-contract /inputPorts/0/contractId',
      'warning semantic/port-contract /outputPorts/0/contractId',
    ]);
  });
  it('errs when contracts are given but not this one', () => {
    expect(rulesOf(portContracts(product, { ids: new Set(['c2']) }))).toEqual(['error semantic/port-contract /outputPorts/0/contractId']);
  });
});
