import { describe, expect, it } from 'vitest';
import { unitMillis } from './timeUnits';

describe('time units', () => {
  it('reads the ODCS spellings of days and years, case-insensitively', () => {
    for (const unit of ['d', 'day', 'days', 'D']) expect(unitMillis(unit)).toBe(86_400_000);
    for (const unit of ['y', 'yr', 'years']) expect(unitMillis(unit)).toBe(365 * 86_400_000);
  });
  it('uses fixed lengths for months and weeks', () => {
    expect(unitMillis('month')).toBe(30 * 86_400_000);
    expect(unitMillis('w')).toBe(7 * 86_400_000);
  });
  it('reads m as minutes (not months)', () => {
    expect(unitMillis('m')).toBe(60_000);
  });
  it('rejects unknown units', () => {
    expect(unitMillis('fortnight')).toBeUndefined();
  });
});
