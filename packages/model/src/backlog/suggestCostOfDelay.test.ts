import { describe, expect, it } from 'vitest';
import { suggestCostOfDelay } from './suggestCostOfDelay';

describe('suggestCostOfDelay', () => {
  it('multiplies consuming teams by whole hours of SLA breach and says why', () => {
    expect(suggestCostOfDelay({ consumersAffected: 3, breachHours: 12 })).toEqual({ value: 36, basis: '3 consuming teams × 12 h of SLA breach in the last 30 days' });
    expect(suggestCostOfDelay({ consumersAffected: 1, breachHours: 4.6 })).toEqual({ value: 5, basis: '1 consuming team × 5 h of SLA breach in the last 30 days' });
  });

  it('caps the suggestion at WSJF’s maximum time criticality', () => {
    expect(suggestCostOfDelay({ consumersAffected: 4, breachHours: 30 })?.value).toBe(100);
  });

  it('suggests nothing when no team is affected or the SLA held', () => {
    expect(suggestCostOfDelay({ consumersAffected: 0, breachHours: 12 })).toBeNull();
    expect(suggestCostOfDelay({ consumersAffected: 3, breachHours: 0 })).toBeNull();
    expect(suggestCostOfDelay({ consumersAffected: 3, breachHours: 0.4 })).toBeNull();
    expect(suggestCostOfDelay({ consumersAffected: Number.NaN, breachHours: 5 })).toBeNull();
  });
});
