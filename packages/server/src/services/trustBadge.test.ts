import { describe, expect, it } from 'vitest';
import { computeTrust, trustWindow, type TrustRun } from './trustBadge';

const now = new Date('2026-11-23T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const run = (hours: number, counts: Partial<TrustRun> = {}): TrustRun => ({ status: 'passed', finishedAt: hoursAgo(hours), passed: 10, warning: 0, failed: 0, error: 0, ...counts });

describe('computeTrust', () => {
  it('is unknown without runs', () => {
    expect(computeTrust([], now)).toMatchObject({ level: 'unknown', score: null, runs: 0, lastRunAt: null });
  });

  it('is high for a fresh, fully passing history', () => {
    expect(computeTrust([run(2), run(30)], now)).toMatchObject({ level: 'high', score: 100, runs: 2, passedChecks: 20, evaluatedChecks: 20, ageHours: 2 });
  });

  it('counts warnings and failures against the score but leaves errors out', () => {
    const badge = computeTrust([run(1, { status: 'failed', passed: 9, failed: 1, error: 3 })], now);
    expect(badge).toMatchObject({ level: 'medium', score: 90, evaluatedChecks: 10 });
    expect(badge.reason).toContain('below 95');
  });

  it('is low under 80 % and when the newest run is older than 30 days', () => {
    expect(computeTrust([run(1, { passed: 7, warning: 3 })], now).level).toBe('low');
    expect(computeTrust([run(31 * 24)], now)).toMatchObject({ level: 'low', score: 100 });
  });

  it('is medium when perfect but older than 7 days, or when the newest run ended in error', () => {
    expect(computeTrust([run(8 * 24)], now).level).toBe('medium');
    expect(computeTrust([run(1, { status: 'error' })], now).level).toBe('medium');
  });

  it(`looks only at the newest ${trustWindow} runs, whatever order they come in`, () => {
    const old = Array.from({ length: 5 }, (_, index) => run(100 + index, { passed: 0, failed: 10, status: 'failed' }));
    const recent = Array.from({ length: trustWindow }, (_, index) => run(1 + index));
    expect(computeTrust([...old, ...recent].reverse(), now)).toMatchObject({ level: 'high', runs: trustWindow, score: 100 });
  });
});
