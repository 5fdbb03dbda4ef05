/**
 * The trust badge of a contract: computed from its recent finished check runs, never set by hand.
 *
 * Rule (documented in docs/server.md, "Product page"):
 * - Window: the last {@link trustWindow} finished runs (status passed, warning, failed or error) on any server.
 * - `score` = checks passed ÷ checks with a verdict (passed + warning + failed) over the window, in percent
 *   (2 decimals). `error` and `skipped` checks are not verdicts and stay out of the ratio, like SLA compliance.
 * - Freshness: hours since the newest finished run. Fresh ≤ 7 days; stale beyond 30 days.
 * - Level: `unknown` without finished runs (or without any verdict); `high` when score ≥ 95, the newest run
 *   is fresh and did not end in `error`; `low` when score < 80 or the newest run is older than 30 days;
 *   `medium` otherwise.
 */

/** How many recent runs the badge looks at. */
export const trustWindow = 10;
const freshHours = 7 * 24;
const staleHours = 30 * 24;

/** The counts of one finished run, as its summary gives them. */
export interface TrustRun {
  status: string;
  finishedAt: Date;
  passed: number;
  warning: number;
  failed: number;
  error: number;
}

/** The badge on the wire. */
export interface TrustBadge {
  level: 'high' | 'medium' | 'low' | 'unknown';
  /** Pass rate over the window in percent; null when no check had a verdict. */
  score: number | null;
  runs: number;
  passedChecks: number;
  evaluatedChecks: number;
  lastRunAt: string | null;
  lastRunStatus: string | null;
  /** Whole hours since the newest finished run; null without runs. */
  ageHours: number | null;
  /** One sentence a person can read: why this level. */
  reason: string;
}

/** Computes the badge from runs (any order; only the newest {@link trustWindow} count) at `now`. */
export function computeTrust(runs: readonly TrustRun[], now: Date): TrustBadge {
  const window = [...runs].sort((a, b) => b.finishedAt.getTime() - a.finishedAt.getTime()).slice(0, trustWindow);
  const newest = window[0];
  if (newest === undefined) {
    return { level: 'unknown', score: null, runs: 0, passedChecks: 0, evaluatedChecks: 0, lastRunAt: null, lastRunStatus: null, ageHours: null, reason: 'No finished check run yet.' };
  }
  const passedChecks = window.reduce((sum, run) => sum + run.passed, 0);
  const evaluatedChecks = window.reduce((sum, run) => sum + run.passed + run.warning + run.failed, 0);
  const score = evaluatedChecks === 0 ? null : Math.round((passedChecks / evaluatedChecks) * 10_000) / 100;
  const ageHours = Math.max(0, Math.floor((now.getTime() - newest.finishedAt.getTime()) / 3_600_000));
  const base = { score, runs: window.length, passedChecks, evaluatedChecks, lastRunAt: newest.finishedAt.toISOString(), lastRunStatus: newest.status, ageHours };
  const rate = `${passedChecks} of ${evaluatedChecks} checks passed over the last ${window.length} run${window.length === 1 ? '' : 's'}`;
  if (score === null) return { ...base, level: 'unknown', reason: 'No check in the recent runs had a verdict.' };
  if (score < 80) return { ...base, level: 'low', reason: `${rate} (below 80 %).` };
  if (ageHours > staleHours) return { ...base, level: 'low', reason: `The newest run is ${Math.floor(ageHours / 24)} days old (more than 30).` };
  if (score >= 95 && ageHours <= freshHours && newest.status !== 'error') return { ...base, level: 'high', reason: `${rate}; the newest run is at most 7 days old.` };
  const why = score < 95 ? `${rate} (below 95 %).` : ageHours > freshHours ? `${rate}, but the newest run is more than 7 days old.` : `${rate}, but the newest run ended in error.`;
  return { ...base, level: 'medium', reason: why };
}
