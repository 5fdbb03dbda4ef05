/**
 * Quality thresholds: the ODCS operators, evaluated on one measured value. `mustBeBetween` and
 * `mustNotBeBetween` include both bounds (as the peer tool does; docs/checks.md).
 */
import type { QualityRule } from '@meshboard/model';

/** A threshold read from a rule: a predicate and how it reads in results. */
export interface Threshold {
  expected: string;
  holds: (measured: number | string | boolean | null) => boolean;
}

/** Reads the operator of a rule; undefined when it has none; an error text when it has several. */
export function readThreshold(rule: QualityRule): Threshold | string | undefined {
  const found: Threshold[] = [];
  const num = (v: number | string | boolean | null): number => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
  const equal = (a: number | string | boolean | null, b: number | string | boolean): boolean =>
    typeof b === 'number' ? num(a) === b : String(a) === String(b);
  if (rule.mustBe !== undefined) {
    const b = rule.mustBe;
    found.push({ expected: `= ${String(b)}`, holds: (m) => equal(m, b) });
  }
  if (rule.mustNotBe !== undefined) {
    const b = rule.mustNotBe;
    found.push({ expected: `!= ${String(b)}`, holds: (m) => m !== null && !equal(m, b) });
  }
  if (rule.mustBeGreaterThan !== undefined) {
    const b = rule.mustBeGreaterThan;
    found.push({ expected: `> ${b}`, holds: (m) => num(m) > b });
  }
  const ge = rule.mustBeGreaterOrEqualTo ?? rule.mustBeGreaterThanOrEqualTo;
  if (ge !== undefined) found.push({ expected: `>= ${ge}`, holds: (m) => num(m) >= ge });
  if (rule.mustBeLessThan !== undefined) {
    const b = rule.mustBeLessThan;
    found.push({ expected: `< ${b}`, holds: (m) => num(m) < b });
  }
  const le = rule.mustBeLessOrEqualTo ?? rule.mustBeLessThanOrEqualTo;
  if (le !== undefined) found.push({ expected: `<= ${le}`, holds: (m) => num(m) <= le });
  if (rule.mustBeBetween !== undefined) {
    const [low, high] = rule.mustBeBetween;
    found.push({ expected: `between ${low} and ${high} (inclusive)`, holds: (m) => num(m) >= low && num(m) <= high });
  }
  if (rule.mustNotBeBetween !== undefined) {
    const [low, high] = rule.mustNotBeBetween;
    found.push({ expected: `not between ${low} and ${high} (inclusive)`, holds: (m) => num(m) < low || num(m) > high });
  }
  if (found.length > 1) return 'the rule has more than one operator (mustBe…); use exactly one';
  return found[0];
}
