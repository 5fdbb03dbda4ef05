import { describe, expect, it } from 'vitest';
import { readThreshold, type Threshold } from './readThreshold';

function threshold(rule: Parameters<typeof readThreshold>[0]): Threshold {
  const t = readThreshold(rule);
  if (t === undefined || typeof t === 'string') throw new Error(`no threshold: ${String(t)}`);
  return t;
}

describe('thresholds', () => {
  it('mustBeBetween includes both bounds', () => {
    const t = threshold({ mustBeBetween: [1, 3] });
    expect([0.999, 1, 3, 3.001].map(t.holds)).toEqual([false, true, true, false]);
  });
  it('mustNotBeBetween excludes both bounds', () => {
    const t = threshold({ mustNotBeBetween: [1, 3] });
    expect([0.999, 1, 3, 3.001].map(t.holds)).toEqual([true, false, false, true]);
  });
  it('strict and non-strict comparisons at the bound', () => {
    expect(threshold({ mustBeGreaterThan: 5 }).holds(5)).toBe(false);
    expect(threshold({ mustBeGreaterOrEqualTo: 5 }).holds(5)).toBe(true);
    expect(threshold({ mustBeLessThan: 5 }).holds(5)).toBe(false);
    expect(threshold({ mustBeLessOrEqualTo: 5 }).holds(5)).toBe(true);
    expect(threshold({ mustBeGreaterThanOrEqualTo: 5 }).holds(5)).toBe(true);
    expect(threshold({ mustBeLessThanOrEqualTo: 5 }).holds(5)).toBe(true);
  });
  it('mustBe and mustNotBe compare numbers numerically and other values as text', () => {
    expect(threshold({ mustBe: 0 }).holds(0)).toBe(true);
    expect(threshold({ mustBe: 0 }).holds('0')).toBe(true);
    expect(threshold({ mustBe: 'ok' }).holds('ok')).toBe(true);
    expect(threshold({ mustNotBe: 0 }).holds(1)).toBe(true);
    expect(threshold({ mustNotBe: 0 }).holds(null)).toBe(false);
  });
  it('a NULL measurement fails numeric comparisons', () => {
    expect(threshold({ mustBeGreaterThan: 0 }).holds(null)).toBe(false);
    expect(threshold({ mustBeLessThan: 0 }).holds(null)).toBe(false);
  });
  it('no operator is undefined; two operators are refused', () => {
    expect(readThreshold({})).toBeUndefined();
    expect(readThreshold({ mustBe: 1, mustBeLessThan: 3 })).toMatch(/more than one operator/);
  });
});
