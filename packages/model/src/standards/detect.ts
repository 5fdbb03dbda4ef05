/** The document standards Meshboard reads. */
export type Standard = 'odcs' | 'odps' | 'dcs' | 'dpds';

/** What a document says it is: its standard, the version it declares and its kind. */
export interface Detection {
  standard: Standard;
  /** The declared version (`apiVersion`, `dataContractSpecification` or `dataProductDescriptor`); '' when absent. */
  apiVersion: string;
  /** `DataContract` or `DataProduct`. */
  kind: 'DataContract' | 'DataProduct';
}

/** A located-by-pointer finding, before a source position is attached. */
export interface Finding {
  pointer: string;
  message: string;
  rule: string;
  severity: 'error' | 'warning';
}

/** Either what the document is, or why we cannot tell (`standard/unknown`, `standard/unsupported-version`). */
export type DetectResult = ({ ok: true } & Detection) | { ok: false; finding: Finding };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function versionText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * Tells which standard a parsed document follows, from its own markers only (never the file name):
 * ODCS has `kind: DataContract` (ODCS v2 is refused: its layout differs), ODPS `kind: DataProduct`, the
 * Data Contract Specification a top-level `dataContractSpecification`, DPDS a `dataProductDescriptor`.
 */
export function detectStandard(value: unknown): DetectResult {
  if (!isRecord(value)) {
    const got = value === null || value === undefined ? 'nothing' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return {
      ok: false,
      finding: {
        pointer: '',
        message: `expected a mapping (a data contract or data product), got ${got}`,
        rule: 'standard/unknown',
        severity: 'error',
      },
    };
  }
  if ('dataContractSpecification' in value) {
    return { ok: true, standard: 'dcs', apiVersion: versionText(value.dataContractSpecification), kind: 'DataContract' };
  }
  if ('dataProductDescriptor' in value) {
    return { ok: true, standard: 'dpds', apiVersion: versionText(value.dataProductDescriptor), kind: 'DataProduct' };
  }
  const apiVersion = versionText(value.apiVersion);
  if (value.kind === 'DataContract') {
    if (/^v?2\./.test(apiVersion)) {
      return {
        ok: false,
        finding: {
          pointer: '/apiVersion',
          message: `ODCS ${apiVersion} is not supported (its layout predates v3); migrate the contract to ODCS v3.1.0`,
          rule: 'standard/unsupported-version',
          severity: 'error',
        },
      };
    }
    return { ok: true, standard: 'odcs', apiVersion, kind: 'DataContract' };
  }
  if (value.kind === 'DataProduct') return { ok: true, standard: 'odps', apiVersion, kind: 'DataProduct' };
  if (typeof value.$schema === 'string' && value.kind === undefined) {
    // Schemas sit beside contracts in many repositories; a directory lint should not fail on them.
    return {
      ok: false,
      finding: { pointer: '', message: 'a JSON Schema, not a contract or product: skipped', rule: 'standard/json-schema', severity: 'warning' },
    };
  }
  const hint =
    value.kind !== undefined
      ? `its kind is ${JSON.stringify(value.kind)}, expected "DataContract" (ODCS) or "DataProduct" (ODPS)`
      : 'it has no `kind` (ODCS/ODPS), `dataContractSpecification` (DCS) or `dataProductDescriptor` (DPDS)';
  return {
    ok: false,
    finding: {
      pointer: value.kind !== undefined ? '/kind' : '',
      message: `not a data contract or data product: ${hint}`,
      rule: 'standard/unknown',
      severity: 'error',
    },
  };
}
