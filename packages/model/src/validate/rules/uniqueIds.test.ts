import { describe, expect, it } from 'vitest';
import { uniqueIds } from './uniqueIds';
import { mutate, validContract } from './fixture';

const rulesOf = (findings: { rule: string; severity: string; pointer: string }[]) =>
  findings.map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

describe('uniqueIds', () => {
  it('flags a property id used twice in one object', () => {
    expect(rulesOf(uniqueIds(mutate(['schema', 0, 'properties', 1, 'id'], 'order_id')))).toEqual(['error semantic/unique-id /schema/0/properties/1/id']);
  });
  it('flags a schema object id used twice', () => {
    expect(rulesOf(uniqueIds(mutate(['schema', 1, 'id'], 'orders_obj')))).toEqual(['error semantic/unique-id /schema/1/id']);
  });
  it('flags a quality id used twice in one list', () => {
    const contract = validContract();
    const quality = ((contract.schema as Record<string, unknown>[])[0]?.quality as unknown[]);
    quality.push({ id: 'q2', type: 'library', metric: 'rowCount', mustBe: 1 });
    expect(rulesOf(uniqueIds(contract))).toEqual(['error semantic/unique-id /schema/0/quality/1/id']);
  });
  it('flags two servers with one name', () => {
    const contract = validContract();
    (contract.servers as unknown[]).push({ server: 'prod', type: 'local' });
    expect(rulesOf(uniqueIds(contract))).toEqual(['error semantic/unique-server /servers/1/server']);
  });
});
