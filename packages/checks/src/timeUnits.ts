/**
 * The SLA time-unit table (docs/checks.md): ODCS says "d, day, days for days; y, yr, years for years,
 * etc.". A month is 30 days and a year 365 days, fixed lengths so results do not depend on the calendar.
 */

const second = 1000;
const units: [string[], number][] = [
  [['ms', 'millisecond', 'milliseconds'], 1],
  [['s', 'sec', 'secs', 'second', 'seconds'], second],
  [['m', 'min', 'mins', 'minute', 'minutes'], 60 * second],
  [['h', 'hr', 'hrs', 'hour', 'hours'], 3600 * second],
  [['d', 'day', 'days'], 86_400 * second],
  [['w', 'wk', 'week', 'weeks'], 7 * 86_400 * second],
  [['mo', 'mon', 'month', 'months'], 30 * 86_400 * second],
  [['y', 'yr', 'yrs', 'year', 'years'], 365 * 86_400 * second],
];

/** Milliseconds per unit name (case-insensitive); undefined for an unknown unit. */
export function unitMillis(unit: string): number | undefined {
  const name = unit.trim().toLowerCase();
  for (const [names, ms] of units) if (names.includes(name)) return ms;
  return undefined;
}

/** The unit names the table knows, for error messages and docs. */
export const knownUnits: readonly string[] = units.flatMap(([names]) => names);
