import { describe, expect, it } from 'vitest';
import { daysUntil, incidentStep, nextLifecycleStatuses, refuseLifecycleMove, refuseRetirement, refuseSunsetDate, sunsetReminderDue } from './lifecycle';

describe('lifecycle moves', () => {
  it('allows draft → active → deprecated → retired', () => {
    expect(refuseLifecycleMove('draft', 'active')).toBeNull();
    expect(refuseLifecycleMove('active', 'deprecated')).toBeNull();
    expect(refuseLifecycleMove('deprecated', 'retired')).toBeNull();
  });
  it('refuses a jump from draft to retired, naming the allowed moves', () => {
    expect(refuseLifecycleMove('draft', 'retired')).toBe('The status cannot move from draft to retired; from draft it can go to proposed, active. Deprecate it first (with a sunset date) so its consumers can move away.');
  });
  it('refuses active → retired without a deprecation', () => {
    expect(refuseLifecycleMove('active', 'retired')).toMatch(/Deprecate it first/);
  });
  it('refuses taking a live product back to draft', () => {
    expect(refuseLifecycleMove('active', 'draft')).toMatch(/cannot move from active to draft/);
  });
  it('lets a deprecation be withdrawn', () => {
    expect(refuseLifecycleMove('deprecated', 'active')).toBeNull();
  });
  it('keeps retired final', () => {
    expect(nextLifecycleStatuses('retired')).toEqual([]);
    expect(refuseLifecycleMove('retired', 'active')).toMatch(/stays retired/);
  });
  it('always allows staying', () => {
    expect(refuseLifecycleMove('retired', 'retired')).toBeNull();
  });
});

describe('refuseRetirement', () => {
  it('allows retiring without live subscribers', () => {
    expect(refuseRetirement({ liveSubscriptions: 0 })).toBeNull();
  });
  it('refuses with live subscribers and no override', () => {
    expect(refuseRetirement({ liveSubscriptions: 2 })).toBe('2 consumers still subscribe; wait until they have moved away, or retire with an override and a reason.');
  });
  it('refuses an override with a blank reason', () => {
    expect(refuseRetirement({ liveSubscriptions: 1, override: { reason: '  ' } })).toMatch(/^1 consumer still subscribes/);
  });
  it('allows an override with a reason', () => {
    expect(refuseRetirement({ liveSubscriptions: 1, override: { reason: 'Source system switched off' } })).toBeNull();
  });
});

describe('sunset dates', () => {
  it('counts whole days', () => {
    expect(daysUntil('2026-12-01', '2026-11-24')).toBe(7);
    expect(daysUntil('2026-11-23', '2026-11-24')).toBe(-1);
  });
  it('is due a reminder a week ahead, once per sunset date', () => {
    expect(sunsetReminderDue({ sunsetDate: '2026-12-02', remindedFor: null }, '2026-11-24')).toBe(false);
    expect(sunsetReminderDue({ sunsetDate: '2026-12-01', remindedFor: null }, '2026-11-24')).toBe(true);
    expect(sunsetReminderDue({ sunsetDate: '2026-12-01', remindedFor: '2026-12-01' }, '2026-11-24')).toBe(false);
    expect(sunsetReminderDue({ sunsetDate: '2026-12-01', remindedFor: '2026-11-20' }, '2026-11-24')).toBe(true);
  });
  it('refuses impossible and past dates', () => {
    expect(refuseSunsetDate('2026-02-30', '2026-01-01')).toMatch(/calendar date/);
    expect(refuseSunsetDate('next week', '2026-01-01')).toMatch(/calendar date/);
    expect(refuseSunsetDate('2025-12-31', '2026-01-01')).toMatch(/has passed/);
    expect(refuseSunsetDate('2026-01-01', '2026-01-01')).toBeNull();
  });
});

describe('incidentStep', () => {
  it('ignores one failure below the threshold', () => {
    expect(incidentStep({ consecutiveFailures: 1, threshold: 2, open: false })).toBe('none');
  });
  it('opens at the threshold', () => {
    expect(incidentStep({ consecutiveFailures: 2, threshold: 2, open: false })).toBe('open');
  });
  it('updates an open incident on every further failure', () => {
    expect(incidentStep({ consecutiveFailures: 3, threshold: 2, open: true })).toBe('update');
  });
  it('recovers an open incident on a pass', () => {
    expect(incidentStep({ consecutiveFailures: 0, threshold: 2, open: true })).toBe('recover');
    expect(incidentStep({ consecutiveFailures: 0, threshold: 2, open: false })).toBe('none');
  });
});
