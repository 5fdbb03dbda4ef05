/**
 * Contract → plan: every check the contract implies, grouped per schema object, before any data is read.
 * Pure (no connector): the same plan runs on any connector; filters (check types, tag, dimension, id)
 * are applied here so excluded checks add nothing to the scan.
 */
import type { OdcsContract, QualityRule, SchemaObject, SchemaProperty } from '@meshboard/model';
import type { CheckCategory, CheckIdentity } from './CheckResult';
import type { Measure } from './Measure';
import { readThreshold, type Threshold } from './readThreshold';
import { isCheckableLogicalType } from './typeConformance';
import { unitMillis } from './timeUnits';

/** How an aggregate measure is judged. */
export type Judgement =
  | { kind: 'zero' }
  | { kind: 'threshold'; threshold: Threshold; percent: boolean; note: string | undefined }
  | { kind: 'maxAge'; millis: number; limit: string };

/** One planned check. Column names are as the contract writes them; the runner matches them to the data. */
export type PlannedCheck =
  | { kind: 'presence'; identity: CheckIdentity; column: string }
  | { kind: 'type'; identity: CheckIdentity; column: string; property: SchemaProperty }
  | { kind: 'measure'; identity: CheckIdentity; measure: Measure; judgement: Judgement; samples: boolean }
  | { kind: 'sql'; identity: CheckIdentity; query: string; threshold: Threshold; column: string | undefined }
  | { kind: 'skip'; identity: CheckIdentity; message: string }
  | { kind: 'invalid'; identity: CheckIdentity; message: string };

/** The checks of one schema object. `name` is the object's name in the data (`physicalName` ?? `name`). */
export interface ObjectPlan {
  object: string;
  name: string;
  checks: PlannedCheck[];
  /** Columns whose values are masked in samples (classified PII/sensitive/restricted/confidential). */
  maskedColumns: string[];
}

/** A compiled contract. */
export interface Plan {
  objects: ObjectPlan[];
  /** Checks that belong to no object (e.g. an SLA whose element names no known object). */
  orphans: PlannedCheck[];
}

/** Which checks to plan. */
export interface PlanFilter {
  categories?: CheckCategory[] | undefined;
  tags?: string[] | undefined;
  dimensions?: string[] | undefined;
  ids?: string[] | undefined;
  /** Metadata-only: checks that read values are planned as skipped. */
  metadataOnly?: boolean | undefined;
}

const maskedClassifications = /^(pii|sensitive|restricted|confidential|secret)$/i;
const executableMetrics = ['nullValues', 'missingValues', 'invalidValues', 'duplicateValues', 'rowCount'] as const;

function columnOf(property: SchemaProperty): string | undefined {
  return property.physicalName ?? property.name;
}

function asStrings(values: unknown): string[] | undefined {
  if (!Array.isArray(values)) return undefined;
  return values.filter((v) => v !== null && v !== undefined).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

interface Context {
  object: string;
  filter: PlanFilter;
  ids: Set<string>;
}

function uniqueId(context: Context, wanted: string): string {
  let id = wanted;
  for (let n = 2; context.ids.has(id); n++) id = `${wanted}.${n}`;
  context.ids.add(id);
  return id;
}

interface IdentityInput {
  id?: string | undefined;
  name: string;
  category: CheckCategory;
  type: string;
  object: string | null;
  property: string | null;
  dimension?: string | undefined;
  severity?: string | undefined;
}

function identity(context: Context, input: IdentityInput): CheckIdentity {
  const base = input.id ?? [input.object, input.property, input.type].filter((p) => p !== null).join('.');
  return {
    id: uniqueId(context, base),
    name: input.name,
    category: input.category,
    type: input.type,
    object: input.object,
    property: input.property,
    dimension: input.dimension ?? null,
    severity: input.severity ?? null,
  };
}

function selected(check: PlannedCheck, tags: readonly string[], filter: PlanFilter): boolean {
  const id = check.identity;
  if (filter.categories !== undefined && !filter.categories.includes(id.category)) return false;
  if (filter.dimensions !== undefined && (id.dimension === null || !filter.dimensions.includes(id.dimension))) return false;
  if (filter.tags !== undefined && !filter.tags.some((t) => tags.includes(t))) return false;
  if (filter.ids !== undefined && !filter.ids.some((wanted) => id.id === wanted || id.id.startsWith(`${wanted}.`))) return false;
  return true;
}

/** Value checks become skipped in metadata-only mode. */
function valueCheck(check: PlannedCheck, filter: PlanFilter): PlannedCheck {
  if (filter.metadataOnly !== true || check.kind === 'presence' || check.kind === 'type') return check;
  return { kind: 'skip', identity: check.identity, message: 'skipped: metadata-only mode reads no values' };
}

function propertyChecks(context: Context, property: SchemaProperty, typed: { add: (c: PlannedCheck, tags: readonly string[]) => void }): void {
  const column = columnOf(property);
  if (column === undefined) return;
  const object = context.object;
  const tags = Array.isArray(property.tags) ? property.tags.filter((t): t is string => typeof t === 'string') : [];
  const make = (type: string, name: string, dimension: string): CheckIdentity =>
    identity(context, { name, category: 'schema', type, object, property: column, dimension });
  const measure = (type: string, name: string, dimension: string, m: Measure, samples = true): void =>
    typed.add({ kind: 'measure', identity: make(type, name, dimension), measure: m, judgement: { kind: 'zero' }, samples }, tags);

  typed.add({ kind: 'presence', identity: make('field_is_present', `${column} is present`, 'conformity'), column }, tags);
  if (isCheckableLogicalType(property.logicalType)) {
    typed.add({ kind: 'type', identity: make('field_type', `${column} has type ${property.logicalType ?? ''}`, 'conformity'), column, property }, tags);
  }
  if (property.required === true) measure('field_required', `${column} is required`, 'completeness', { metric: 'nulls', column });
  if (property.unique === true || (property.primaryKey === true && property.unique !== false)) {
    measure('field_unique', `${column} is unique`, 'uniqueness', { metric: 'duplicates', columns: [column] });
  }
  if (property.primaryKey === true && property.required !== true) {
    measure('field_required', `${column} (primary key) is not null`, 'completeness', { metric: 'nulls', column });
  }
  const options = property.logicalTypeOptions ?? {};
  if (options.pattern !== undefined) {
    measure('field_regex', `${column} matches ${options.pattern}`, 'conformity', { metric: 'pattern', column, pattern: options.pattern });
  }
  if (options.format !== undefined) {
    const pattern = formatPatterns[options.format];
    if (pattern !== undefined) measure('field_format', `${column} has format ${options.format}`, 'conformity', { metric: 'pattern', column, pattern });
  }
  if (options.minLength !== undefined) {
    measure('field_min_length', `${column} has at least ${options.minLength} characters`, 'conformity', { metric: 'minLength', column, limit: options.minLength });
  }
  if (options.maxLength !== undefined) {
    measure('field_max_length', `${column} has at most ${options.maxLength} characters`, 'conformity', { metric: 'maxLength', column, limit: options.maxLength });
  }
  const bound = (kind: 'minimum' | 'maximum', inclusive: number | undefined, exclusive: number | boolean | undefined): void => {
    if (typeof exclusive === 'number') {
      measure(`field_exclusive_${kind}`, `${column} ${kind === 'minimum' ? '>' : '<'} ${exclusive}`, 'accuracy', { metric: kind, column, limit: exclusive, exclusive: true });
    }
    if (inclusive !== undefined) {
      const strict = exclusive === true;
      const op = kind === 'minimum' ? (strict ? '>' : '>=') : strict ? '<' : '<=';
      measure(`field_${kind}`, `${column} ${op} ${inclusive}`, 'accuracy', { metric: kind, column, limit: inclusive, exclusive: strict });
    }
  };
  bound('minimum', options.minimum, options.exclusiveMinimum);
  bound('maximum', options.maximum, options.exclusiveMaximum);
  (property.quality ?? []).forEach((rule, index) => typed.add(qualityCheck(context, rule, index, column), [...tags, ...(rule.tags ?? [])]));
}

/** Regular expressions for `logicalTypeOptions.format` values (others make no check; docs/checks.md). */
export const formatPatterns: Record<string, string> = {
  email: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
  uuid: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  uri: '^[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s]*$',
  url: '^[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s]+$',
};

function qualityCheck(context: Context, rule: QualityRule, index: number, column: string | undefined): PlannedCheck {
  const object = context.object;
  const type = rule.type ?? (rule.query !== undefined ? 'sql' : 'library');
  const metric = rule.metric ?? rule.rule;
  const label = rule.name ?? rule.description ?? (type === 'library' ? metric : type) ?? type;
  const checkType =
    type === 'sql' ? (column === undefined ? 'model_quality_sql' : 'field_quality_sql')
    : type === 'library' ? qualityTypeNames[metric ?? ''] ?? 'quality_library'
    : `quality_${type}`;
  const id = identity(context, {
    id: rule.id,
    name: label,
    category: 'quality',
    type: checkType,
    object,
    property: column ?? null,
    dimension: rule.dimension,
    severity: rule.severity,
  });
  if (type === 'text') return { kind: 'skip', identity: id, message: 'not executable: a text rule is for people to read' };
  if (type === 'custom') {
    return { kind: 'skip', identity: id, message: `skipped: custom rule for engine "${rule.engine ?? 'unnamed'}" is run by that engine, not by Meshboard` };
  }
  const threshold = readThreshold(rule);
  if (typeof threshold === 'string') return { kind: 'invalid', identity: id, message: threshold };
  if (type === 'sql') {
    if (rule.query === undefined || rule.query.trim() === '') return { kind: 'invalid', identity: id, message: 'a sql rule needs a query' };
    if (threshold === undefined) return { kind: 'invalid', identity: id, message: 'a sql rule needs an operator (mustBe, mustBeGreaterThan, …)' };
    return { kind: 'sql', identity: id, query: rule.query, threshold, column };
  }
  if (type !== 'library') return { kind: 'invalid', identity: id, message: `unknown quality rule type "${type}"` };
  if (metric === undefined || !(executableMetrics as readonly string[]).includes(metric)) {
    return { kind: 'invalid', identity: id, message: `unknown library metric ${JSON.stringify(metric ?? null)} (known: ${executableMetrics.join(', ')})` };
  }
  const args = rule.arguments ?? {};
  const percentAllowed = metric === 'nullValues' || metric === 'missingValues' || metric === 'invalidValues';
  const wantsPercent = rule.unit === 'percent' || rule.unit === '%';
  const note = wantsPercent && !percentAllowed ? `unit "percent" ignored for ${metric}: compared as a count` : undefined;
  const judgement: Judgement = {
    kind: 'threshold',
    threshold: threshold ?? (metric === 'rowCount' ? { expected: '> 0', holds: (m) => typeof m === 'number' && m > 0 } : { expected: '= 0', holds: (m) => m === 0 }),
    percent: wantsPercent && percentAllowed,
    note,
  };
  let measure: Measure;
  if (metric === 'rowCount') measure = { metric: 'rowCount' };
  else if (metric === 'duplicateValues') {
    const listed = asStrings(args.properties);
    const columns = listed ?? (column === undefined ? [] : [column]);
    if (columns.length === 0) return { kind: 'invalid', identity: id, message: 'duplicateValues on an object needs arguments.properties' };
    measure = { metric: 'duplicates', columns };
  } else if (column === undefined) {
    return { kind: 'invalid', identity: id, message: `${metric} belongs on a property` };
  } else if (metric === 'nullValues') measure = { metric: 'nulls', column };
  else if (metric === 'missingValues') {
    measure = { metric: 'missing', column, values: asStrings(args.missingValues ?? rule.missingValues) ?? [''] };
  } else {
    const listed: unknown = args.validValues ?? rule.validValues;
    const validValues = asStrings(listed);
    const numericValues = Array.isArray(listed) && listed.length > 0 && listed.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (listed as number[]) : undefined;
    const pattern = typeof args.pattern === 'string' ? args.pattern : undefined;
    if (validValues === undefined && pattern === undefined) {
      return { kind: 'skip', identity: id, message: 'skipped: invalidValues needs arguments.validValues or arguments.pattern' };
    }
    measure = { metric: 'invalid', column, validValues, numericValues, pattern };
  }
  return { kind: 'measure', identity: id, measure, judgement, samples: measure.metric !== 'rowCount' };
}

const qualityTypeNames: Record<string, string> = {
  nullValues: 'field_null_values',
  missingValues: 'field_missing_values',
  invalidValues: 'field_invalid_values',
  duplicateValues: 'field_duplicate_values',
  rowCount: 'row_count',
};

function objectName(object: SchemaObject): string {
  return object.physicalName ?? object.name;
}

/** Compiles a contract into per-object check plans. */
export function compilePlan(contract: OdcsContract, filter: PlanFilter = {}): Plan {
  const ids = new Set<string>();
  const objects: ObjectPlan[] = [];
  for (const schemaObject of contract.schema ?? []) {
    const context: Context = { object: schemaObject.name, filter, ids };
    const checks: PlannedCheck[] = [];
    const add = (check: PlannedCheck, tags: readonly string[]): void => {
      if (selected(check, tags, filter)) checks.push(valueCheck(check, filter));
    };
    for (const property of schemaObject.properties ?? []) propertyChecks(context, property, { add });
    const objectTags = Array.isArray(schemaObject.tags) ? schemaObject.tags.filter((t): t is string => typeof t === 'string') : [];
    (schemaObject.quality ?? []).forEach((rule, index) => add(qualityCheck(context, rule, index, undefined), [...objectTags, ...(rule.tags ?? [])]));
    const maskedColumns = (schemaObject.properties ?? [])
      .filter((p) => p.classification !== undefined && maskedClassifications.test(p.classification))
      .map((p) => columnOf(p))
      .filter((c): c is string => c !== undefined);
    objects.push({ object: schemaObject.name, name: objectName(schemaObject), checks, maskedColumns });
  }
  const orphans: PlannedCheck[] = [];
  const slaContext: Context = { object: '', filter, ids };
  for (const sla of contract.slaProperties ?? []) {
    const property = sla.property.toLowerCase();
    if (property !== 'freshness' && property !== 'latency' && property !== 'retention') continue;
    const [first, second] = (sla.element ?? '').split(',')[0]?.trim().split('.') ?? [];
    const target =
      second !== undefined
        ? objects.find((o) => o.object === first || o.name === first)
        : objects.find((o) => (contract.schema ?? []).some((s) => s.name === o.object && (s.properties ?? []).some((p) => columnOf(p) === first)));
    const column = second ?? first;
    const id = identity(slaContext, {
      id: sla.id,
      name: `${property} ${String(sla.value ?? '')}${sla.unit ?? ''} on ${sla.element ?? '?'}`,
      category: 'sla',
      type: `servicelevel_${property}`,
      object: target?.object ?? null,
      property: column === undefined || column === '' ? null : column,
      dimension: 'timeliness',
    });
    let check: PlannedCheck;
    const millisPerUnit = unitMillis(sla.unit ?? 'd');
    const value = typeof sla.value === 'number' ? sla.value : Number(sla.value);
    if (target === undefined || column === undefined || column === '') {
      check = { kind: 'invalid', identity: id, message: `the SLA element ${JSON.stringify(sla.element ?? null)} names no object.property of this contract` };
    } else if (millisPerUnit === undefined) {
      check = { kind: 'invalid', identity: id, message: `unknown time unit ${JSON.stringify(sla.unit)} (see docs/checks.md for the unit table)` };
    } else if (!Number.isFinite(value) || value < 0) {
      check = { kind: 'invalid', identity: id, message: `the SLA value ${JSON.stringify(sla.value ?? null)} is not a non-negative number` };
    } else {
      check = {
        kind: 'measure',
        identity: id,
        measure: { metric: property === 'retention' ? 'oldest' : 'newest', column },
        judgement: { kind: 'maxAge', millis: value * millisPerUnit, limit: `${value} ${sla.unit ?? 'd'}` },
        samples: false,
      };
    }
    if (!selected(check, [], filter)) continue;
    const planned = valueCheck(check, filter);
    if (target === undefined) orphans.push(planned);
    else target.checks.push(planned);
  }
  return { objects, orphans };
}
