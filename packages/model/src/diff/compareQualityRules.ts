import { isRecord, sameValue, show, without, type Json } from './values';

/** How a rule moved: tightened means data that passed the old rule can fail the new one. */
export type RuleMove = 'same' | 'tightened' | 'loosened' | 'changed' | 'documentation';

/** The outcome of comparing two versions of one quality rule. */
export interface RuleComparison {
  move: RuleMove;
  /** What moved, for the changelog line, e.g. "threshold from < 10 to < 5". */
  detail: string;
}

/** Fields that document a rule without changing what it accepts. */
const documentationFields = [
  'id', 'name', 'description', 'dimension', 'businessImpact', 'method', 'schedule', 'scheduler', 'tags',
  'customProperties', 'authoritativeDefinitions',
];
const operators = [
  'mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan', 'mustBeLessOrEqualTo',
  'mustBeBetween', 'mustNotBeBetween',
];
/** Severities under which a failing rule is reported as a warning, not a failure (as the check engine does). */
export const warningSeverities = new Set(['info', 'warning', 'low', 'minor', 'trivial']);

interface Bound {
  value: number;
  open: boolean;
}
interface Interval {
  lo: Bound | undefined;
  hi: Bound | undefined;
}

/** The accepted range of a rule's measured value, or undefined for `mustNot*` and non-numeric thresholds. */
function intervalOf(rule: Json): Interval | undefined {
  const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  let interval: Interval = { lo: undefined, hi: undefined };
  let seen = false;
  const meet = (next: Interval): void => {
    seen = true;
    interval = {
      lo: stricterLo(interval.lo, next.lo),
      hi: stricterHi(interval.hi, next.hi),
    };
  };
  for (const op of operators) {
    if (!(op in rule)) continue;
    const raw = rule[op];
    const v = num(raw);
    switch (op) {
      case 'mustBe':
        if (v === undefined) return undefined;
        meet({ lo: { value: v, open: false }, hi: { value: v, open: false } });
        break;
      case 'mustBeGreaterThan':
      case 'mustBeGreaterOrEqualTo':
        if (v === undefined) return undefined;
        meet({ lo: { value: v, open: op === 'mustBeGreaterThan' }, hi: undefined });
        break;
      case 'mustBeLessThan':
      case 'mustBeLessOrEqualTo':
        if (v === undefined) return undefined;
        meet({ lo: undefined, hi: { value: v, open: op === 'mustBeLessThan' } });
        break;
      case 'mustBeBetween': {
        const [a, b] = Array.isArray(raw) ? raw.map(num) : [];
        if (a === undefined || b === undefined) return undefined;
        // Inclusive, as the check engine evaluates it (docs/diff.md).
        meet({ lo: { value: a, open: false }, hi: { value: b, open: false } });
        break;
      }
      default:
        return undefined;
    }
  }
  return seen ? interval : undefined;
}

function stricterLo(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.value !== b.value) return a.value > b.value ? a : b;
  return a.open ? a : b;
}
function stricterHi(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.value !== b.value) return a.value < b.value ? a : b;
  return a.open ? a : b;
}

/** -1: `a` accepts less than `b` on the low side; 1: more; 0: same. */
function compareLo(a: Bound | undefined, b: Bound | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (a.value !== b.value) return a.value > b.value ? -1 : 1;
  return a.open === b.open ? 0 : a.open ? -1 : 1;
}
function compareHi(a: Bound | undefined, b: Bound | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.open === b.open ? 0 : a.open ? -1 : 1;
}

/** Combines per-aspect moves: any `changed`, or tightening and loosening together, is `changed`. */
export function combineMoves(moves: readonly RuleMove[]): RuleMove {
  const real = moves.filter((move) => move !== 'same' && move !== 'documentation');
  if (real.length === 0) return moves.includes('documentation') ? 'documentation' : 'same';
  if (real.includes('changed')) return 'changed';
  const tightened = real.includes('tightened');
  const loosened = real.includes('loosened');
  return tightened && loosened ? 'changed' : tightened ? 'tightened' : 'loosened';
}

function describeThreshold(rule: Json): string {
  const parts = operators.filter((op) => op in rule).map((op) => `${op} ${show(rule[op])}`);
  return parts.length === 0 ? 'no threshold' : parts.join(', ');
}

function compareSets(before: unknown, after: unknown, narrowerIs: 'tightened' | 'loosened'): RuleMove {
  if (sameValue(before, after)) return 'same';
  if (!Array.isArray(before) || !Array.isArray(after)) return 'changed';
  const inBefore = (x: unknown): boolean => before.some((y) => sameValue(x, y));
  const inAfter = (x: unknown): boolean => after.some((y) => sameValue(x, y));
  const narrower = after.every(inBefore);
  const wider = before.every(inAfter);
  if (narrower && wider) return 'same';
  if (narrower) return narrowerIs;
  if (wider) return narrowerIs === 'tightened' ? 'loosened' : 'tightened';
  return 'changed';
}

function isWarning(rule: Json): boolean {
  return typeof rule['severity'] === 'string' && warningSeverities.has(rule['severity'].toLowerCase());
}

/**
 * Compares two versions of one ODCS quality rule. Thresholds are compared as accepted ranges (the new
 * range inside the old one = tightened, around it = loosened); `validValues` shrinking tightens; more
 * `missingValues` tightens; severity error ↔ warning tightens/loosens; a different query, metric, type or
 * unit is `changed`; description-like fields only are `documentation`.
 */
export function compareQualityRules(before: Json, after: Json): RuleComparison {
  const details: string[] = [];
  const moves: RuleMove[] = [];

  const a = intervalOf(before);
  const b = intervalOf(after);
  const thresholdsEqual = sameValue(
    Object.fromEntries(operators.map((op) => [op, before[op]])),
    Object.fromEntries(operators.map((op) => [op, after[op]])),
  );
  if (!thresholdsEqual) {
    let move: RuleMove = 'changed';
    if (a !== undefined && b !== undefined) {
      const lo = compareLo(b.lo, a.lo);
      const hi = compareHi(b.hi, a.hi);
      if (lo <= 0 && hi <= 0) move = lo === 0 && hi === 0 ? 'same' : 'tightened';
      else if (lo >= 0 && hi >= 0) move = 'loosened';
    }
    moves.push(move);
    if (move !== 'same') details.push(`threshold from ${describeThreshold(before)} to ${describeThreshold(after)}`);
  }

  const args = (rule: Json): Json => (isRecord(rule['arguments']) ? rule['arguments'] : {});
  const validBefore = args(before)['validValues'] ?? before['validValues'];
  const validAfter = args(after)['validValues'] ?? after['validValues'];
  const validMove = compareSets(validBefore, validAfter, 'tightened');
  if (validMove !== 'same') {
    moves.push(validMove);
    details.push(`valid values from ${show(validBefore)} to ${show(validAfter)}`);
  }
  const missingBefore = args(before)['missingValues'] ?? before['missingValues'];
  const missingAfter = args(after)['missingValues'] ?? after['missingValues'];
  // More values counted as missing = more rows can fail: a larger set tightens.
  const missingMove = compareSets(missingBefore, missingAfter, 'loosened');
  if (missingMove !== 'same') {
    moves.push(missingMove);
    details.push(`values counted as missing from ${show(missingBefore)} to ${show(missingAfter)}`);
  }

  if (isWarning(before) !== isWarning(after)) {
    moves.push(isWarning(after) ? 'loosened' : 'tightened');
    details.push(`severity from ${show(before['severity'] ?? 'error')} to ${show(after['severity'] ?? 'error')}`);
  }

  const core = (rule: Json): Json => {
    const rest = without(rule, [...documentationFields, ...operators, 'severity', 'validValues', 'missingValues', 'arguments']);
    const restArgs = without(args(rule), ['validValues', 'missingValues']);
    if (Object.keys(restArgs).length > 0) rest['arguments'] = restArgs;
    return rest;
  };
  const coreBefore = core(before);
  const coreAfter = core(after);
  if (!sameValue(coreBefore, coreAfter)) {
    moves.push('changed');
    const keys = [...new Set([...Object.keys(coreBefore), ...Object.keys(coreAfter)])].filter(
      (key) => !sameValue(coreBefore[key], coreAfter[key]),
    );
    details.push(`${keys.join(', ')} changed`);
  }
  const docsBefore = Object.fromEntries(documentationFields.map((key) => [key, before[key]]));
  const docsAfter = Object.fromEntries(documentationFields.map((key) => [key, after[key]]));
  if (!sameValue(docsBefore, docsAfter)) {
    moves.push('documentation');
    if (details.length === 0) {
      const keys = documentationFields.filter((key) => !sameValue(before[key], after[key]));
      details.push(`${keys.join(', ')} changed`);
    }
  }
  return { move: combineMoves(moves), detail: details.join('; ') };
}

/** A readable label for a rule in messages: its name, its metric with threshold, or its type. */
export function describeRule(rule: Json, withThreshold = true): string {
  const name = typeof rule['name'] === 'string' ? rule['name'] : undefined;
  const metric = typeof rule['metric'] === 'string' ? rule['metric'] : typeof rule['rule'] === 'string' ? rule['rule'] : undefined;
  const base = name ?? metric ?? (typeof rule['type'] === 'string' ? `${rule['type']} rule` : 'rule');
  const threshold = describeThreshold(rule);
  return !withThreshold || threshold === 'no threshold' || name !== undefined ? base : `${base} (${threshold})`;
}

/** Whether a rule only warns when it fails (so adding it cannot make a check run fail). */
export function onlyWarns(rule: Json): boolean {
  return isWarning(rule);
}
