import { describe, expect, it } from 'vitest';
import { placeholders, qualityRules } from './qualityRules';
import { mutate } from './fixture';

const rulesOf = (findings: { rule: string; severity: string; pointer: string }[]) =>
  findings.map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

describe('qualityRules', () => {
  it('errs on reversed mustBeBetween bounds', () => {
    expect(rulesOf(qualityRules(mutate(['schema', 0, 'quality', 0, 'mustBeBetween'], [100, 1])))).toEqual(['error semantic/between-order /schema/0/quality/0/mustBeBetween']);
  });
  it('errs on reversed mustNotBeBetween bounds', () => {
    const contract = mutate(['schema', 0, 'quality', 0], { type: 'library', metric: 'rowCount', mustNotBeBetween: [5, -5] });
    expect(rulesOf(qualityRules(contract))).toEqual(['error semantic/between-order /schema/0/quality/0/mustNotBeBetween']);
  });
  it('accepts equal bounds', () => {
    expect(qualityRules(mutate(['schema', 0, 'quality', 0, 'mustBeBetween'], [3, 3]))).toEqual([]);
  });
  it('errs on {property} in an object-level rule', () => {
    expect(rulesOf(placeholders('SELECT {property} FROM {object}', '/q', 'object'))).toEqual(['error semantic/query-placeholder /q']);
  });
  it('errs on an unknown placeholder', () => {
    expect(placeholders('SELECT 1 FROM {table}', '/q', 'property')[0]?.message).toContain('{table}');
  });
  it('warns on a tool-specific ${variable}', () => {
    expect(rulesOf(placeholders('SELECT 1 FROM ${model}', '/q', 'object'))).toEqual(['warning semantic/query-placeholder /q']);
  });
  it('ignores braces inside string literals and comments', () => {
    expect(placeholders("SELECT '{x}' FROM {object} -- {y}\n/* {z} */", '/q', 'object')).toEqual([]);
  });
});
