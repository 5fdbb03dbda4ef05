/** Seconds per time unit, for comparing SLA values written in different units (1d vs 24h). */
const secondsPer: Record<string, number> = {
  ms: 0.001, millisecond: 0.001, milliseconds: 0.001,
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86_400, day: 86_400, days: 86_400,
  w: 604_800, wk: 604_800, week: 604_800, weeks: 604_800,
  mo: 2_592_000, mon: 2_592_000, month: 2_592_000, months: 2_592_000,
  y: 31_536_000, yr: 31_536_000, yrs: 31_536_000, year: 31_536_000, years: 31_536_000,
};

/** A comparable amount: seconds for durations, a percentage, or a plain number. */
export interface Quantity {
  amount: number;
  dimension: 'duration' | 'percent' | 'number';
}

/**
 * Reads an SLA value with its unit into a comparable quantity: `{value: 1, unit: 'd'}`, `"24h"`,
 * `"P1D"` (ISO 8601), `"99.9%"`, `{value: 99.9, unit: 'percent'}` or a bare number. Months count as 30
 * days and years as 365 (documented in docs/diff.md). Anything else (dates, clock times) is `undefined`.
 */
export function toQuantity(value: unknown, unit: unknown): Quantity | undefined {
  const unitText = typeof unit === 'string' ? unit.trim().toLowerCase() : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (unitText === undefined || unitText === '') return { amount: value, dimension: 'number' };
    if (unitText === '%' || unitText === 'percent' || unitText === 'pct') return { amount: value, dimension: 'percent' };
    const factor = secondsPer[unitText];
    return factor === undefined ? undefined : { amount: value * factor, dimension: 'duration' };
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return toQuantity(Number(text), unit);
  const percent = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (percent) return { amount: Number(percent[1]), dimension: 'percent' };
  const withUnit = /^(-?\d+(?:\.\d+)?)\s*([a-zA-Z]+)$/.exec(text);
  if (withUnit) return toQuantity(Number(withUnit[1]), withUnit[2]);
  return isoDuration(text);
}

function isoDuration(text: string): Quantity | undefined {
  const match = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
    text,
  );
  if (match === null || text.length < 3) return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((part) => Number(part ?? 0));
  const amount =
    (y ?? 0) * 31_536_000 + (mo ?? 0) * 2_592_000 + (w ?? 0) * 604_800 + (d ?? 0) * 86_400 + (h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0);
  return { amount, dimension: 'duration' };
}

/** Writes an SLA value with its unit the way the document did, for messages ("4 d", "24h"). */
export function describeQuantity(value: unknown, unit: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return typeof unit === 'string' && unit !== '' ? `${text} ${unit}` : text;
}
