import type { Problem } from '../document/problem';
import { readSource, type ReadLimits, type SourceDocument } from '../document/SourceDocument';
import { detectStandard, type Detection, type Finding, type Standard } from '../standards/detect';
import { createValidator, type SchemaId, type Validator } from './createValidator';
import { humanizeErrors } from './humanizeErrors';
import { asRecord, odcsElements } from './rules/odcsWalk';
import { portContracts, type ContractIndex } from './rules/portContracts';
import { qualityRules } from './rules/qualityRules';
import { relationships } from './rules/relationships';
import { slaProperties } from './rules/slaProperties';
import { uniqueIds } from './rules/uniqueIds';
import { uniqueNames } from './rules/uniqueNames';

/** One linted file: what it is and everything wrong with it, in source order. */
export interface LintedFile {
  path: string;
  /** `unknown` when the document could not be read or recognised. */
  standard: Standard | 'unknown';
  apiVersion: string;
  kind: string;
  /** The schema it was validated against (`undefined` when none applied). */
  schema: SchemaId | undefined;
  /** No problem of severity `error` (warnings do not make a file invalid). */
  valid: boolean;
  problems: Problem[];
}

/** The result of linting a set of documents together. */
export interface LintReport {
  files: LintedFile[];
  /** Every file is valid. */
  valid: boolean;
}

/** Options of `lintDocuments`. */
export interface LintOptions {
  /** Reuse compiled schemas across calls (the server keeps one); a fresh validator otherwise. */
  validator?: Validator;
  limits?: ReadLimits;
}

/** The result of validating one parsed value (no source text, so findings carry pointers only). */
export interface ValidationResult {
  valid: boolean;
  findings: Finding[];
}

/**
 * Lints documents as one set (pure: the caller reads the files). Each text is read safely, its
 * standard detected, validated against the schema chosen in `schemaFor`, and checked by the semantic
 * rules; cross-file rules (ODPS port → contract) see every ODCS contract of the set.
 */
export function lintDocuments(sources: readonly { path: string; text: string }[], options: LintOptions = {}): LintReport {
  const validator = options.validator ?? createValidator();
  // One pass that lets each parsed document go as soon as its file is done (a thousand YAML trees kept
  // alive at once cost more in garbage collection than the validation itself); only data products wait
  // for the pass to end, as their port rule needs every contract id of the set.
  const ids = new Set<string>();
  /** The first file of each contract id and version, to catch the same contract given twice. */
  const contracts = new Map<string, string>();
  const products: { file: LintedFile; document: SourceDocument; value: Record<string, unknown> }[] = [];
  const files = sources.map((source): LintedFile => {
    const document = readSource(source.path, source.text, options.limits);
    const detection = document.problems.length === 0 ? detectStandard(document.value) : undefined;
    if (detection === undefined || !detection.ok) {
      const problems = detection === undefined ? document.problems : [locate(document, detection.finding)];
      const valid = problems.every((p) => p.severity !== 'error');
      return { path: document.path, standard: 'unknown', apiVersion: '', kind: '', schema: undefined, valid, problems };
    }
    const record = asRecord(document.value);
    const findings = check(document.value, detection, validator);
    if (detection.standard === 'odcs' && typeof record?.id === 'string') {
      ids.add(record.id);
      const key = `${record.id}\u0000${String(record.version)}`;
      const earlier = contracts.get(key);
      if (earlier === undefined) contracts.set(key, document.path);
      else findings.push(duplicateContract(record.id, String(record.version), earlier));
    }
    const file: LintedFile = {
      path: document.path,
      standard: detection.standard,
      apiVersion: detection.apiVersion,
      kind: detection.kind,
      schema: schemaFor(detection),
      valid: true,
      problems: findings.map((finding) => locate(document, finding)),
    };
    if (detection.standard === 'odps' && record !== undefined) products.push({ file, document, value: record });
    return file;
  });
  for (const { file, document, value } of products) {
    file.problems.push(...portContracts(value, { ids }).map((finding) => locate(document, finding)));
  }
  for (const file of files) {
    file.problems.sort(bySourceOrder);
    file.valid = file.problems.every((p) => p.severity !== 'error');
  }
  return { files, valid: files.every((file) => file.valid) };
}

/**
 * Which schema validates a document: every ODCS 3.x contract against v3.1.0 (declared apiVersions in the
 * official examples are unreliable), except `apiVersion: v3.2.0`, which gets the v3.2.0 draft schema (with
 * its `map` bug fixed); every ODPS product against v1.0.0 (which accepts `apiVersion: v0.9.0`); DCS
 * against 1.2.1 (its enum covers 0.9.0–1.2.1); DPDS against 1.0.0.
 */
export function schemaFor(detection: Detection): SchemaId {
  switch (detection.standard) {
    case 'odcs':
      return detection.apiVersion === 'v3.2.0' ? 'odcs-3.2.0' : 'odcs-3.1.0';
    case 'odps':
      return 'odps-1.0.0';
    case 'dcs':
      return 'dcs-1.2.1';
    case 'dpds':
      return 'dpds-1.0.0';
  }
}

/** Validates a parsed ODCS contract: its schema, then the semantic rules. For the server and tests. */
export function validateOdcs(value: unknown, options: { validator?: Validator } = {}): ValidationResult {
  return validateAs(value, 'odcs', options.validator ?? createValidator(), { ids: new Set() });
}

/** Validates a parsed ODPS product; `contractIds` are the contracts its ports may reference. */
export function validateOdps(
  value: unknown,
  options: { validator?: Validator; contractIds?: ReadonlySet<string> } = {},
): ValidationResult {
  return validateAs(value, 'odps', options.validator ?? createValidator(), { ids: options.contractIds ?? new Set() });
}

function validateAs(value: unknown, expected: Standard, validator: Validator, contracts: ContractIndex): ValidationResult {
  const detection = detectStandard(value);
  if (!detection.ok) return { valid: false, findings: [detection.finding] };
  if (detection.standard !== expected) {
    const finding: Finding = {
      pointer: '',
      message: `expected ${expected.toUpperCase()}, but this document is ${detection.standard.toUpperCase()}`,
      rule: 'standard/unexpected',
      severity: 'error',
    };
    return { valid: false, findings: [finding] };
  }
  const findings = check(value, detection, validator);
  const record = asRecord(value);
  if (detection.standard === 'odps' && record !== undefined) findings.push(...portContracts(record, contracts));
  return { valid: findings.every((f) => f.severity !== 'error'), findings };
}

/** Schema and single-document semantic rules (cross-file rules are run by the callers). */
function check(value: unknown, detection: Detection, validator: Validator): Finding[] {
  const schema = schemaFor(detection);
  const findings = humanizeErrors(validator.errors(schema, value), validator.root(schema));
  const record = asRecord(value);
  if (record === undefined) return findings;
  if (detection.standard === 'odcs') {
    const elements = odcsElements(record);
    findings.push(
      ...uniqueIds(record, elements),
      ...uniqueNames(record, elements),
      ...relationships(record, elements),
      ...qualityRules(record, elements),
      ...slaProperties(record),
    );
  }
  return findings;
}

/**
 * `semantic/duplicate-contract` (a warning): two files of one lint set with the same contract `id` and
 * `version` (versions side by side are fine); a product's port would resolve to either. Not an error:
 * collections of examples (the official ODCS ones among them) reuse one id in many files.
 */
function duplicateContract(id: string, version: string, earlier: string): Finding {
  return {
    pointer: '/id',
    message: `contract "${id}" version ${version} is also defined in ${earlier}`,
    rule: 'semantic/duplicate-contract',
    severity: 'warning',
  };
}

function locate(document: SourceDocument, finding: Finding): Problem {
  return { ...finding, ...document.locate(finding.pointer) };
}

function bySourceOrder(a: Problem, b: Problem): number {
  return a.line - b.line || a.column - b.column || (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0);
}

