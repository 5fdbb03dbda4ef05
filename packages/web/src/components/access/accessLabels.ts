/** Words and formats the access pages share. */

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A date (no time) for people; '—' when absent. */
export function formatDate(value: string | null | undefined): string {
  return value === null || value === undefined ? '—' : dateFormat.format(new Date(value));
}

/** A date and time for people. */
export function formatDateTime(value: string): string {
  return dateTimeFormat.format(new Date(value));
}

/** How long access was asked for. */
export function durationLabel(days: number | null): string {
  return days === null ? 'until revoked' : `${days} day${days === 1 ? '' : 's'}`;
}

const statusWords: Record<string, string> = {
  pending: 'pending',
  approved: 'approved',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
  granting: 'granting',
  active: 'active',
  grant_failed: 'grant failed',
  revoked: 'revoked',
  expired: 'expired',
  done: 'done',
  failed: 'failed',
  not_applicable: 'not applicable',
};

/** A request's, subscription's or grant's status in words. */
export function statusLabel(status: string): string {
  return statusWords[status] ?? status;
}

/** The durations offered when requesting access (days; null: until revoked). */
export const durationChoices: ReadonlyArray<{ value: string; days: number | null; label: string }> = [
  { value: '30', days: 30, label: '30 days' },
  { value: '90', days: 90, label: '90 days' },
  { value: '180', days: 180, label: '180 days' },
  { value: '365', days: 365, label: '1 year' },
  { value: 'revoked', days: null, label: 'Until revoked' },
];
