import { describe, expect, it } from 'vitest';
import { slaProperties } from './slaProperties';
import { mutate } from './fixture';

const rulesOf = (findings: { rule: string; severity: string; pointer: string }[]) =>
  findings.map((f) => `${f.severity} ${f.rule} ${f.pointer}`);

describe('slaProperties', () => {
  it('errs on a non-time unit for latency', () => {
    expect(rulesOf(slaProperties(mutate(['slaProperties', 0, 'unit'], 'kg')))).toEqual(['error semantic/sla-unit /slaProperties/0/unit']);
  });
  it('errs on a negative duration', () => {
    expect(rulesOf(slaProperties(mutate(['slaProperties', 0, 'value'], -1)))).toEqual(['error semantic/sla-value /slaProperties/0/value']);
  });
  it('errs on a non-numeric duration', () => {
    expect(rulesOf(slaProperties(mutate(['slaProperties', 0, 'value'], 'soon')))).toEqual(['error semantic/sla-value /slaProperties/0/value']);
  });
  it('warns on an unknown unit of an open property', () => {
    expect(rulesOf(slaProperties(mutate(['slaProperties', 1, 'unit'], 'parsecs')))).toEqual(['warning semantic/sla-unit /slaProperties/1/unit']);
  });
  it('warns on a duration without unit', () => {
    expect(rulesOf(slaProperties(mutate(['slaProperties', 0], { property: 'retention', value: 3 })))).toEqual(['warning semantic/sla-unit /slaProperties/0/unit']);
  });
  it('accepts long and upper-case units', () => {
    expect(slaProperties(mutate(['slaProperties', 0, 'unit'], 'Days'))).toEqual([]);
  });
});
