import type { Finding } from '../../standards/detect';
import { pointerOf, records } from './odcsWalk';

/** Time units Meshboard understands in SLA properties (ODCS: "d, day, days…; units use the ISO standard"). */
export const timeUnits: ReadonlySet<string> = new Set([
  'ms', 'millisecond', 'milliseconds',
  's', 'sec', 'second', 'seconds',
  'm', 'min', 'minute', 'minutes',
  'h', 'hr', 'hour', 'hours',
  'd', 'day', 'days',
  'w', 'wk', 'week', 'weeks',
  'mo', 'month', 'months',
  'y', 'yr', 'year', 'years',
]);
const ratioUnits: ReadonlySet<string> = new Set(['%', 'percent']);
/** SLA properties whose value is a duration: a unit is needed and must be a time unit. */
const durations = new Set(['latency', 'retention', 'frequency', 'freshness']);

/**
 * `semantic/sla-unit`: an SLA unit is a known time unit (or `%`/`percent`); on a duration property
 * (latency, retention, frequency, freshness) it must be a time unit. `semantic/sla-value`: a duration's
 * value is a non-negative number. Unknown units on other properties are warnings (the set is open there).
 */
export function slaProperties(contract: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  for (const { item, index } of records(contract.slaProperties)) {
    const at = ['slaProperties', index];
    const property = typeof item.property === 'string' ? item.property : '';
    const isDuration = durations.has(property.toLowerCase());
    const unit = item.unit;
    if (typeof unit === 'string') {
      const known = timeUnits.has(unit.toLowerCase()) || ratioUnits.has(unit.toLowerCase());
      if (isDuration && !timeUnits.has(unit.toLowerCase())) {
        findings.push({
          pointer: pointerOf([...at, 'unit']),
          message: `"${unit}" is not a time unit; ${property} needs one of d, h, m, s, ms, w, mo, y (or their long forms)`,
          rule: 'semantic/sla-unit',
          severity: 'error',
        });
      } else if (!known) {
        findings.push({
          pointer: pointerOf([...at, 'unit']),
          message: `unknown unit "${unit}"; Meshboard understands time units (d, h, m, s, …) and %`,
          rule: 'semantic/sla-unit',
          severity: 'warning',
        });
      }
    }
    if (isDuration && 'value' in item) {
      const value = item.value;
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number) || number < 0) {
        findings.push({
          pointer: pointerOf([...at, 'value']),
          message: `${property} must be a non-negative number of ${typeof unit === 'string' ? unit : 'units'}; got ${JSON.stringify(value)}`,
          rule: 'semantic/sla-value',
          severity: 'error',
        });
      }
      if (unit === undefined) {
        findings.push({
          pointer: pointerOf([...at, 'unit']),
          message: `${property} has no unit; add one (e.g. unit: d)`,
          rule: 'semantic/sla-unit',
          severity: 'warning',
        });
      }
    }
  }
  return findings;
}
