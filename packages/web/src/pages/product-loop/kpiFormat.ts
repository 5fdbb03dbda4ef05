import type { Kpi, KpiPoint } from '@meshboard/client';

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A KPI value with its unit (`95 %`, `1,204 events`); "no data" for a missing value. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return 'no data';
  const number = numberFormat.format(value);
  if (unit === '') return number;
  return unit === '%' ? `${number} %` : `${number} ${unit}`;
}

/** A period's label: "week of 8 Jun", "8 Jun", "Jun 2026". */
export function formatPeriod(periodStart: string, period: Kpi['period'], short = false): string {
  const date = new Date(`${periodStart}T00:00:00Z`);
  switch (period) {
    case 'day':
      return dayFormat.format(date);
    case 'week':
      return short ? dayFormat.format(date) : `week of ${dayFormat.format(date)}`;
    case 'month':
      return monthFormat.format(date);
  }
}

/** The target in words: "target ≥ 95 %" or "target ≤ 2 hours"; '' without a target. */
export function formatTarget(kpi: Kpi): string {
  if (kpi.target === null) return '';
  return `target ${kpi.direction === 'higher' ? '≥' : '≤'} ${formatValue(kpi.target, kpi.unit)}`;
}

/** The generated type of `latest` is an intersection; it is a point or null. */
export function latestOf(report: { latest: unknown }): KpiPoint | null {
  return (report.latest as KpiPoint | null) ?? null;
}
