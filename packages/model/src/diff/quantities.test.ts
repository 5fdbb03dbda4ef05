import { describe, expect, it } from 'vitest';
import { toQuantity } from './quantities';

describe('toQuantity', () => {
  it.each([
    [1, 'd', 86_400],
    [24, 'h', 86_400],
    ['24h', undefined, 86_400],
    ['P1D', undefined, 86_400],
    ['PT30M', undefined, 1800],
    [3, 'years', 94_608_000],
    [12, 'month', 31_104_000],
  ])('%s %s is %d seconds', (value, unit, seconds) => {
    expect(toQuantity(value, unit)).toEqual({ amount: seconds, dimension: 'duration' });
  });

  it('reads percentages', () => {
    expect(toQuantity('99.9%', undefined)).toEqual({ amount: 99.9, dimension: 'percent' });
    expect(toQuantity(99.5, 'percent')).toEqual({ amount: 99.5, dimension: 'percent' });
  });

  it('leaves clock times, dates and unknown units unread', () => {
    expect(toQuantity('09:00-08:00', undefined)).toBeUndefined();
    expect(toQuantity('2030-01-01', undefined)).toBeUndefined();
    expect(toQuantity(3, 'fortnights')).toBeUndefined();
  });
});
