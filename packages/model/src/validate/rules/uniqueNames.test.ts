import { describe, expect, it } from 'vitest';
import { uniqueNames } from './uniqueNames';
import { mutate } from './fixture';

const rulesOf = (findings: { rule: string; severity: string; pointer: string }[]) =>
  findings.map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

describe('uniqueNames', () => {
  it('flags a property name used twice in one object', () => {
    expect(rulesOf(uniqueNames(mutate(['schema', 0, 'properties', 1, 'name'], 'order_id')))).toEqual(['error semantic/duplicate-name /schema/0/properties/1/name']);
  });
  it('flags two schema objects with one name', () => {
    expect(rulesOf(uniqueNames(mutate(['schema', 1, 'name'], 'orders')))).toEqual(['error semantic/duplicate-name /schema/1/name']);
  });
});
