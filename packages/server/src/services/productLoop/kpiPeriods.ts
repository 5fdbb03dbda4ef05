/** The periods a KPI series is bucketed by (UTC calendar days, ISO weeks starting Monday, months). */
export const kpiPeriods = ['day', 'week', 'month'] as const;
/** One of {@link kpiPeriods}. */
export type KpiPeriod = (typeof kpiPeriods)[number];

/** The start (00:00 UTC) of the period holding `date`: the day, the Monday of its week, the 1st of its month. */
export function periodStart(date: Date, period: KpiPeriod): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  switch (period) {
    case 'day':
      return day;
    case 'week':
      return addPeriods(day, 'day', -((day.getUTCDay() + 6) % 7));
    case 'month':
      return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  }
}

/** `start` moved by `count` periods (negative: back); `start` must be a period start. */
export function addPeriods(start: Date, period: KpiPeriod, count: number): Date {
  switch (period) {
    case 'day':
      return new Date(start.getTime() + count * 86_400_000);
    case 'week':
      return new Date(start.getTime() + count * 7 * 86_400_000);
    case 'month':
      return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + count, 1));
  }
}

/** The `window` periods ending with the current one: `[from, to)`, both period starts. */
export function seriesRange(now: Date, period: KpiPeriod, window: number): { from: Date; to: Date } {
  const current = periodStart(now, period);
  return { from: addPeriods(current, period, -(window - 1)), to: addPeriods(current, period, 1) };
}

/** A period start as an ISO date (YYYY-MM-DD), the form series and manual values use. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
