/**
 * A data product's lifecycle (issue 6): the statuses a catalog entry moves through, the moves the server
 * allows, and the rules of orchestrated deprecation and check incidents. Pure data and rules: the server
 * enforces them, the web app offers only allowed moves. No I/O and no clock: callers pass "today".
 */

/** The statuses of a product or contract, in lifecycle order. */
export const lifecycleStatuses = ['proposed', 'draft', 'active', 'deprecated', 'retired'] as const;
/** One of {@link lifecycleStatuses}. */
export type LifecycleStatus = (typeof lifecycleStatuses)[number];

/**
 * The allowed moves. Ideas (proposed) and drafts go live or back to each other; a live product is
 * deprecated before it is retired (consumers get a sunset date first); a deprecation may be withdrawn
 * (back to active); retired is final. Staying in the same status is always allowed.
 */
const moves: Readonly<Record<LifecycleStatus, readonly LifecycleStatus[]>> = {
  proposed: ['draft', 'active'],
  draft: ['proposed', 'active'],
  active: ['deprecated'],
  deprecated: ['active', 'retired'],
  retired: [],
};

/** The statuses a product in `from` may move to (not counting staying). */
export function nextLifecycleStatuses(from: LifecycleStatus): readonly LifecycleStatus[] {
  return moves[from];
}

/** Returns why moving from `from` to `to` is refused (plain words), or null when allowed. */
export function refuseLifecycleMove(from: LifecycleStatus, to: LifecycleStatus): string | null {
  if (from === to || moves[from].includes(to)) return null;
  if (from === 'retired') return 'A retired product stays retired; publish a new product instead.';
  const allowed = moves[from];
  const hint = to === 'retired' ? ' Deprecate it first (with a sunset date) so its consumers can move away.' : '';
  return `The status cannot move from ${from} to ${to}; from ${from} it can go to ${allowed.join(', ')}.${hint}`;
}

/** What the server knows when a product is to be retired. */
export interface RetirementCheck {
  /** Subscriptions still binding a consumer (granting, active or failed grants). */
  liveSubscriptions: number;
  /** An owner's explicit decision to retire anyway, with the reason (audited). */
  override?: { reason: string } | null;
}

/**
 * Returns why retiring is refused, or null when allowed. With live subscribers it needs an override with
 * a non-blank reason: consumers lose access, and the audit log must say why that was accepted.
 */
export function refuseRetirement(check: RetirementCheck): string | null {
  if (check.liveSubscriptions === 0) return null;
  const reason = check.override?.reason.trim() ?? '';
  if (reason !== '') return null;
  const plural = check.liveSubscriptions === 1 ? '1 consumer still subscribes' : `${check.liveSubscriptions} consumers still subscribe`;
  return `${plural}; wait until they have moved away, or retire with an override and a reason.`;
}

/** Days before the sunset date when subscribers get their reminder. */
export const sunsetReminderDays = 7;

/** Whole days from `today` to `sunsetDate` (both `YYYY-MM-DD`, UTC); negative once the date has passed. */
export function daysUntil(sunsetDate: string, today: string): number {
  return Math.round((Date.parse(`${sunsetDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/**
 * Whether subscribers of a deprecated product are due their one reminder: the sunset is at most
 * {@link sunsetReminderDays} away (or passed) and no reminder was sent for this sunset date yet.
 */
export function sunsetReminderDue(plan: { sunsetDate: string; remindedFor: string | null }, today: string): boolean {
  return plan.remindedFor !== plan.sunsetDate && daysUntil(plan.sunsetDate, today) <= sunsetReminderDays;
}

/** Returns why a sunset date is refused for a new deprecation, or null: it must be a real date, not in the past. */
export function refuseSunsetDate(sunsetDate: string, today: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(sunsetDate) || Number.isNaN(Date.parse(`${sunsetDate}T00:00:00Z`)) || new Date(`${sunsetDate}T00:00:00Z`).toISOString().slice(0, 10) !== sunsetDate) {
    return 'The sunset date must be a calendar date (YYYY-MM-DD).';
  }
  if (daysUntil(sunsetDate, today) < 0) return `The sunset date ${sunsetDate} has passed; pick today (${today}) or later.`;
  return null;
}

/** Consecutive failing runs that open an incident unless the product sets another number. */
export const defaultIncidentThreshold = 2;

/** What to do with a product's check incident after a run's verdict. */
export type IncidentStep = 'none' | 'open' | 'update' | 'recover';

/**
 * Decides an incident step from the run's verdict: `consecutiveFailures` counts the failing verdicts in a
 * row ending with this run (0 when it passed). Reaching the threshold opens one incident; later failures
 * update the open one; a passing run recovers it. A single flaky failure below the threshold does nothing.
 */
export function incidentStep(input: { consecutiveFailures: number; threshold: number; open: boolean }): IncidentStep {
  if (input.consecutiveFailures === 0) return input.open ? 'recover' : 'none';
  if (input.open) return 'update';
  return input.consecutiveFailures >= input.threshold ? 'open' : 'none';
}
