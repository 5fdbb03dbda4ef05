/**
 * Check results: one tagged union per check outcome, built only through {@link checkResult}, so every
 * result carries the same fields whatever produced it (schema, quality or SLA check; any connector).
 */

/** The outcome of one check. `skipped` covers checks that cannot run (text rules, custom engines, missing columns). */
export type CheckOutcome = 'passed' | 'warning' | 'failed' | 'error' | 'skipped';

/** The outcome of a whole run (`unknown` when every check was skipped or none was selected). */
export type RunOutcome = 'passed' | 'warning' | 'failed' | 'error' | 'unknown';

/** Which part of a contract a check comes from. */
export type CheckCategory = 'schema' | 'quality' | 'sla';

/** What identifies a check and where it points; shared by every outcome. */
export interface CheckIdentity {
  /** Stable id: the rule's own `id` when it has one, else `<object>[.<property>].<type>[.<n>]`. */
  id: string;
  name: string;
  category: CheckCategory;
  /** Neutral check-type label, e.g. `field_regex`, `row_count`, `model_quality_sql`. */
  type: string;
  object: string | null;
  property: string | null;
  dimension: string | null;
  severity: string | null;
}

/** One check's result, in the JSON shape of `meshboard test --format json`. */
export interface CheckResult extends CheckIdentity {
  result: CheckOutcome;
  measured: number | string | null;
  expected: string | null;
  unit: string | null;
  message: string;
  /** Up to 5 rows showing the failure, PII columns masked; empty when passing. */
  samples: Record<string, unknown>[];
}

/** What an evaluation adds to an identity. */
export interface CheckDetails {
  measured?: number | string | null;
  expected?: string | null;
  unit?: string | null;
  message?: string;
  samples?: Record<string, unknown>[];
}

/** Severities that downgrade a failure to a warning (decided once; see docs/checks.md). */
export const warningSeverities: ReadonlySet<string> = new Set(['info', 'warning', 'warn', 'low', 'minor', 'trivial']);

function make(identity: CheckIdentity, result: CheckOutcome, details: CheckDetails, fallback: string): CheckResult {
  return {
    ...identity,
    result,
    measured: details.measured ?? null,
    expected: details.expected ?? null,
    unit: details.unit ?? null,
    message: details.message ?? fallback,
    samples: details.samples ?? [],
  };
}

/** The one factory of check results. `failed` downgrades to `warning` for a warning-like severity. */
export const checkResult = {
  passed: (identity: CheckIdentity, details: CheckDetails = {}): CheckResult => make(identity, 'passed', details, 'passed'),
  failed: (identity: CheckIdentity, details: CheckDetails = {}): CheckResult => {
    const downgraded = identity.severity !== null && warningSeverities.has(identity.severity.toLowerCase());
    return make(identity, downgraded ? 'warning' : 'failed', details, 'failed');
  },
  error: (identity: CheckIdentity, message: string, details: CheckDetails = {}): CheckResult =>
    make(identity, 'error', { ...details, message }, message),
  skipped: (identity: CheckIdentity, message: string): CheckResult => make(identity, 'skipped', { message }, message),
};

/**
 * Combines check results into the run's outcome: `error` if any check errored (the run could not verify
 * everything it promised), else `failed`, else `warning`, else `passed`; `unknown` if nothing ran.
 */
export function runOutcome(results: readonly CheckResult[]): RunOutcome {
  const seen = new Set(results.map((r) => r.result));
  if (seen.has('error')) return 'error';
  if (seen.has('failed')) return 'failed';
  if (seen.has('warning')) return 'warning';
  if (seen.has('passed')) return 'passed';
  return 'unknown';
}
