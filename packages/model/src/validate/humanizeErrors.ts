import type { ErrorObject } from 'ajv';
import type { Finding } from '../standards/detect';
import { fromPointer, toPointer } from '../document/problem';
import { suggest } from './suggest';

/** Keywords that only combine other schemas: their own error repeats what their branches said. */
const composite = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'then', 'else', '$ref', 'not']);
/** Combinators whose failure we can explain on their own (an ambiguous `oneOf`, a forbidden `not`). */
const explained = new Set(['anyOf', 'oneOf', 'not']);
const annotationDependent = new Set(['unevaluatedProperties', 'unevaluatedItems']);
/** How many ajv errors are examined at most (see `humanizeErrors`). */
const maxErrors = 500;

/**
 * Turns ajv's errors (run with `allErrors` and `verbose`) into findings a person can act on:
 * one finding per real problem, pointing at the offending field, with the allowed values, the value
 * found and a "did you mean" for typos. Noise is collapsed: a failing `anyOf`/`oneOf`/`if` is dropped
 * when a branch said something more specific; `unevaluatedProperties` errors at an object where such a
 * combinator failed are dropped (a failing branch evaluates nothing, so every field it covered looks
 * unknown); type errors of alternative branches are merged ("must be string or array").
 * `root` is the schema document, used to list the known field names of an object for suggestions.
 */
export function humanizeErrors(everyError: readonly ErrorObject[], root: object): Finding[] {
  // Collapsing compares errors pairwise: past a few hundred, a person reads no further anyway, and a
  // hostile document with a million errors must not turn into minutes of work.
  const allErrors = everyError.length > maxErrors ? everyError.slice(0, maxErrors) : everyError;
  const { errors, findings } = pruneBranches(allErrors);
  // Where a combinator failed, or a discriminator-like field (an enum/const) of the object is wrong,
  // the branches that would have evaluated the object's other fields did not apply.
  const failedCombinatorAt = new Set(
    allErrors.filter((e) => e.keyword === 'if' || e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath),
  );
  for (const e of allErrors) {
    if (e.keyword === 'enum' || e.keyword === 'const') failedCombinatorAt.add(e.instancePath.slice(0, e.instancePath.lastIndexOf('/')));
  }
  const concrete = errors.filter((e) => !composite.has(e.keyword));
  const deeperThan = (path: string): boolean =>
    concrete.some((e) => e.instancePath.startsWith(`${path}/`));
  const specificAtOrBelow = (path: string): boolean =>
    concrete.some(
      (e) =>
        (e.instancePath === path || e.instancePath.startsWith(`${path}/`)) &&
        !(annotationDependent.has(e.keyword) && failedCombinatorAt.has(e.instancePath)),
    );

  const typesAt = new Map<string, { types: Set<string>; data: unknown }>();
  const enumsAt = new Map<string, { values: unknown[]; data: unknown }>();
  for (const error of errors) {
    const path = error.instancePath;
    if (composite.has(error.keyword)) {
      // `if`/`allOf`/`$ref` only wrap: anything else said at or below this place says it better.
      const wrapperOnly = !explained.has(error.keyword);
      const saidElsewhere = wrapperOnly
        ? errors.some((e) => e !== error && (e.instancePath === path || e.instancePath.startsWith(`${path}/`))) ||
          findings.some((f) => f.pointer === path || f.pointer.startsWith(`${path}/`))
        : specificAtOrBelow(path);
      if (!saidElsewhere) findings.push(explainCombinator(error));
      continue;
    }
    // Reported instead: the combinator's own explanation or its branch's specific error.
    if (annotationDependent.has(error.keyword) && failedCombinatorAt.has(path)) continue;
    switch (error.keyword) {
      case 'type': {
        // A value of the wrong type for one branch may fit another branch that then complained deeper.
        if (deeperThan(path)) continue;
        const entry = typesAt.get(path) ?? { types: new Set<string>(), data: error.data };
        for (const type of String(error.params.type).split(',')) entry.types.add(type);
        typesAt.set(path, entry);
        break;
      }
      case 'enum':
      case 'const': {
        if (deeperThan(path)) continue;
        const allowed: unknown[] = error.keyword === 'enum' ? (error.params.allowedValues as unknown[]) : [error.params.allowedValue];
        const entry = enumsAt.get(path) ?? { values: [], data: error.data };
        for (const value of allowed) if (!entry.values.includes(value)) entry.values.push(value);
        enumsAt.set(path, entry);
        break;
      }
      default:
        findings.push(explainConcrete(error, root));
    }
  }
  for (const [pointer, { types, data }] of typesAt) {
    findings.push({ pointer, message: `must be ${orList([...types])}; got ${describeValue(data)}`, rule: 'schema/type', severity: 'error' });
  }
  // A value of the wrong type cannot be among the allowed ones either: the type error says it all.
  for (const [pointer, { values, data }] of enumsAt) if (!typesAt.has(pointer)) findings.push(enumFinding(pointer, values, data));
  const result = dedupe(findings).sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
  if (everyError.length > maxErrors) {
    result.push({
      pointer: '',
      message: `the schema reported ${everyError.length.toLocaleString('en')} errors; only the first ${maxErrors} were examined: fix these and lint again`,
      rule: 'schema/too-many-errors',
      severity: 'error',
    });
  }
  return result;
}

/**
 * Keeps, of each failing `anyOf`/`oneOf`, only the branch errors that help: none when a `oneOf` failed
 * because several branches passed; one "needs one of" finding when every branch only missed a different
 * required field; otherwise the branch closest to passing (one whose errors lie deeper in the value,
 * i.e. whose shape matched, else the one with fewest errors). Type/enum mismatches of every branch are
 * all kept, to be merged into "must be string or array".
 */
function pruneBranches(errors: readonly ErrorObject[]): { errors: ErrorObject[]; findings: Finding[] } {
  const dropped = new Set<ErrorObject>();
  const findings: Finding[] = [];
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  // Outer combinators first, so branches they discard are not examined again.
  combinators.sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const combinator of combinators) {
    if (dropped.has(combinator)) continue;
    const prefix = `${combinator.schemaPath}/`;
    const path = combinator.instancePath;
    const branches = new Map<string, ErrorObject[]>();
    for (const error of errors) {
      if (dropped.has(error) || !error.schemaPath.startsWith(prefix)) continue;
      if (error.instancePath !== path && !error.instancePath.startsWith(`${path}/`)) continue;
      const branch = error.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    const all = [...branches.values()].flat();
    if (all.length === 0) continue;
    const passing = (combinator.params as { passingSchemas?: unknown }).passingSchemas;
    if (combinator.keyword === 'oneOf' && Array.isArray(passing)) {
      for (const error of all) dropped.add(error);
      continue;
    }
    const shallow = (e: ErrorObject): boolean => e.instancePath === path && ['type', 'enum', 'const'].includes(e.keyword);
    if (all.every(shallow)) continue;
    const lists = [...branches.values()];
    if (lists.every((list) => list.length === 1 && list[0]?.keyword === 'required' && list[0].instancePath === path)) {
      const fields = lists.map((list) => String(list[0]?.params.missingProperty));
      findings.push({ pointer: path, message: `needs one of the fields ${fields.join(', ')}`, rule: 'schema/required', severity: 'error' });
      for (const error of all) dropped.add(error);
      dropped.add(combinator);
      continue;
    }
    const matchedShape = lists.filter((list) => !list.some(shallow));
    const candidates = matchedShape.length > 0 ? matchedShape : lists;
    const deepest = (list: ErrorObject[]): number => Math.max(...list.map((e) => e.instancePath.length));
    const best = [...candidates].sort((a, b) => deepest(b) - deepest(a) || a.length - b.length)[0] ?? [];
    for (const error of all) if (!best.includes(error)) dropped.add(error);
  }
  return { errors: errors.filter((e) => !dropped.has(e)), findings };
}

function enumFinding(pointer: string, values: unknown[], data: unknown): Finding {
  const shown = values.slice(0, 12).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const list = values.length > 12 ? `${shown.join(', ')}, …` : shown.join(', ');
  const candidates = values.filter((v): v is string => typeof v === 'string');
  const hint = typeof data === 'string' ? suggest(data, candidates) : undefined;
  const head = values.length === 1 ? `must be ${list}` : `must be one of ${list}`;
  return {
    pointer,
    message: `${head}; got ${describeValue(data)}${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}`,
    rule: 'schema/enum',
    severity: 'error',
  };
}

function explainConcrete(error: ErrorObject, root: object): Finding {
  const pointer = error.instancePath;
  const at = (rule: string, message: string, where = pointer): Finding => ({ pointer: where, message, rule, severity: 'error' });
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return at('schema/required', `missing required field "${String(params.missingProperty)}"`, `${pointer}/${escape(String(params.missingProperty))}`);
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const field = String(params.additionalProperty ?? params.unevaluatedProperty);
      const known = knownFields(error.parentSchema, root);
      const hint = suggest(field, known);
      return at('schema/unknown-field', `unknown field "${field}"${hint !== undefined ? ` (did you mean "${hint}"?)` : ''}`, `${pointer}/${escape(field)}`);
    }
    case 'pattern':
      return at('schema/pattern', `must match the pattern ${String(params.pattern)}; got ${describeValue(error.data)}`);
    case 'format':
      return at('schema/format', `must be a valid ${String(params.format)}; got ${describeValue(error.data)}`);
    case 'minItems':
    case 'maxItems':
      return at(`schema/${error.keyword === 'minItems' ? 'min-items' : 'max-items'}`, `must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${plural(Number(params.limit), 'item')}; got ${Array.isArray(error.data) ? error.data.length : describeValue(error.data)}`);
    case 'minLength':
    case 'maxLength':
      return at(`schema/${error.keyword === 'minLength' ? 'min-length' : 'max-length'}`, `must be ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${plural(Number(params.limit), 'character')} long; got ${describeValue(error.data)}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at('schema/range', `must be ${String(params.comparison)} ${String(params.limit)}; got ${describeValue(error.data)}`);
    case 'uniqueItems':
      return at('schema/unique-items', `items ${String(params.j)} and ${String(params.i)} are identical; every item must be different`);
    case 'unevaluatedItems':
      return at('schema/unknown-item', 'has more items than allowed');
    case 'dependentRequired':
    case 'dependencies':
      return at('schema/required', `"${String(params.property)}" also needs "${String(params.missingProperty)}"`, `${pointer}/${escape(String(params.missingProperty))}`);
    default:
      return at(`schema/${error.keyword}`, error.message ?? `fails the schema's "${error.keyword}" rule`);
  }
}

function explainCombinator(error: ErrorObject): Finding {
  const pointer = error.instancePath;
  const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
  if (error.keyword === 'oneOf' && Array.isArray(passing)) {
    const branches = Array.isArray(error.schema) ? (error.schema as unknown[]) : [];
    const keys = branches.flatMap((branch) => {
      const required = (branch as { required?: unknown }).required;
      return Array.isArray(required) ? required.filter((k): k is string => typeof k === 'string') : [];
    });
    const present = isRecord(error.data) ? keys.filter((k) => k in (error.data as Record<string, unknown>)) : [];
    if (present.length > 1) {
      return { pointer, message: `set only one of ${keys.join(', ')}; found ${present.join(' and ')}`, rule: 'schema/one-of', severity: 'error' };
    }
    return { pointer, message: 'matches more than one of the allowed forms; make it unambiguous', rule: 'schema/one-of', severity: 'error' };
  }
  if (error.keyword === 'not') {
    const required = (error.schema as { required?: unknown } | undefined)?.required;
    if (Array.isArray(required) && required.length === 1) {
      return { pointer: `${pointer}/${escape(String(required[0]))}`, message: `field "${String(required[0])}" is not allowed here`, rule: 'schema/not', severity: 'error' };
    }
    return { pointer, message: 'has a form the schema forbids here', rule: 'schema/not', severity: 'error' };
  }
  return { pointer, message: `does not match any allowed form; got ${describeValue(error.data)}`, rule: 'schema/any-of', severity: 'error' };
}

/** Field names an object schema knows, following local `$ref`s and combinators (for suggestions). */
function knownFields(schema: unknown, root: object, seen = new Set<unknown>()): string[] {
  if (!isRecord(schema) || seen.has(schema)) return [];
  seen.add(schema);
  const names = isRecord(schema.properties) ? Object.keys(schema.properties) : [];
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#')) {
    names.push(...knownFields(resolve(root, schema.$ref), root, seen));
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const branches = schema[key];
    if (Array.isArray(branches)) for (const branch of branches) names.push(...knownFields(branch, root, seen));
  }
  for (const key of ['then', 'else']) names.push(...knownFields(schema[key], root, seen));
  return [...new Set(names)];
}

function resolve(root: object, ref: string): unknown {
  let node: unknown = root;
  for (const segment of fromPointer(ref.slice(1))) node = isRecord(node) ? node[segment] : undefined;
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escape(segment: string): string {
  return toPointer([segment]).slice(1);
}

/** A value as shown in messages: strings quoted, long values shortened, containers by their type. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${plural(value.length, 'item')}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === undefined) return 'nothing';
  return `${typeof value} ${String(value)}`;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.pointer}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
