import { describe, expect, it } from 'vitest';
import { relationships } from './relationships';
import { mutate } from './fixture';

const rulesOf = (findings: { rule: string; severity: string; pointer: string }[]) =>
  findings.map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

describe('relationships', () => {
  it('errs on a `from` that names no property of the contract', () => {
    expect(rulesOf(relationships(mutate(['schema', 0, 'relationships', 0, 'from'], 'orders.nope')))).toEqual(['error semantic/relationship-target /schema/0/relationships/0/from']);
  });
  it('warns on a shorthand `to` outside the contract', () => {
    expect(rulesOf(relationships(mutate(['schema', 0, 'properties', 1, 'relationships', 0, 'to'], 'clients.id')))).toEqual(['warning semantic/relationship-target /schema/0/properties/1/relationships/0/to']);
  });
  it('warns on a fully qualified `to` with an unknown id', () => {
    expect(rulesOf(relationships(mutate(['schema', 0, 'relationships', 0, 'to'], 'schema/customers_obj/properties/x')))).toEqual(['warning semantic/relationship-target /schema/0/relationships/0/to']);
  });
  it('does not follow references into other files', () => {
    expect(relationships(mutate(['schema', 0, 'relationships', 0, 'to'], 'other.yaml#/schema/a/properties/b'))).toEqual([]);
  });
  it('errs on composite keys of different lengths', () => {
    const contract = mutate(['schema', 0, 'relationships', 0], { from: ['orders.order_id', 'orders.customer_id'], to: ['customers.id'] });
    expect(rulesOf(relationships(contract))).toEqual(['error semantic/relationship-arity /schema/0/relationships/0/to']);
  });
});
