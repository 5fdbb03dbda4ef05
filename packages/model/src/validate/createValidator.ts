import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft7 from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import odcs310 from '../../schemas/odcs-json-schema-v3.1.0.json' with { type: 'json' };
import odcs320 from '../../schemas/odcs-json-schema-v3.2.0.json' with { type: 'json' };
import odps100 from '../../schemas/odps-json-schema-v1.0.0.json' with { type: 'json' };
import dcs121 from '../../schemas/dcs-datacontract.schema-v1.2.1.json' with { type: 'json' };
import dpds100 from '../../schemas/dpds-schema-v1.0.0.json' with { type: 'json' };

/** The published schemas Meshboard validates against (see docs/validation.md for which document gets which). */
export type SchemaId = 'odcs-3.1.0' | 'odcs-3.2.0' | 'odps-1.0.0' | 'dcs-1.2.1' | 'dpds-1.0.0';

/** A validator holding compiled schemas: create one per process (or per test) and reuse it. */
export interface Validator {
  /** Raw ajv errors of `value` against `schema` (all errors); empty when valid. */
  errors: (schema: SchemaId, value: unknown) => ErrorObject[];
  /** The schema document behind `schema` (as compiled), for resolving local `$ref`s in messages. */
  root: (schema: SchemaId) => object;
}

type Draft = '2019' | '2020' | '7';

const sources: Record<SchemaId, { draft: Draft; schema: () => object }> = {
  'odcs-3.1.0': { draft: '2019', schema: () => odcs310 },
  'odcs-3.2.0': { draft: '2019', schema: () => withMapBugFixed(odcs320) },
  'odps-1.0.0': { draft: '2019', schema: () => odps100 },
  'dcs-1.2.1': { draft: '7', schema: () => dcs121 },
  'dpds-1.0.0': { draft: '2020', schema: () => dpds100 },
};

/**
 * Creates a validator that compiles each schema once, on first use (`meshboard lint` of one ODCS file
 * never pays for the DCS schema). One ajv instance per JSON Schema draft, as the schemas declare:
 * ODCS/ODPS use 2019-09 (`unevaluatedProperties`), DCS draft-07, DPDS 2020-12.
 */
export function createValidator(): Validator {
  const instances = new Map<Draft, Ajv2019 | Ajv2020 | AjvDraft7>();
  const compiled = new Map<SchemaId, ValidateFunction>();
  const instance = (draft: Draft): Ajv2019 | Ajv2020 | AjvDraft7 => {
    let ajv = instances.get(draft);
    if (ajv === undefined) {
      // Formats are asserted for ODCS/ODPS (their CI runs ajv-formats); DCS and DPDS tooling treats `format`
      // as an annotation (their official examples carry `s3://…/{model}` "uris"), and so do we.
      const options = { allErrors: true, verbose: true, strict: false, logger: false, validateFormats: draft === '2019' } as const;
      ajv = draft === '2019' ? new Ajv2019(options) : draft === '2020' ? new Ajv2020(options) : new AjvDraft7(options);
      addFormats(ajv);
      // DPDS declares `format: version`, which no JSON Schema vocabulary defines: accept any string.
      ajv.addFormat('version', true);
      instances.set(draft, ajv);
    }
    return ajv;
  };
  const roots = new Map<SchemaId, object>();
  const root = (id: SchemaId): object => {
    let schema = roots.get(id);
    if (schema === undefined) {
      schema = sources[id].schema();
      roots.set(id, schema);
    }
    return schema;
  };
  const compile = (id: SchemaId): ValidateFunction => {
    let validate = compiled.get(id);
    if (validate === undefined) {
      validate = instance(sources[id].draft).compile(root(id));
      compiled.set(id, validate);
    }
    return validate;
  };
  return {
    errors: (schema, value) => {
      const validate = compile(schema);
      return validate(value) ? [] : [...(validate.errors ?? [])];
    },
    root,
  };
}

/**
 * The ODCS v3.2.0 draft schema requires `map` on every property whose `logicalType` is absent: its
 * `if: {properties: {logicalType: {const: map}}}` also holds when there is no `logicalType`. We add
 * `required: [logicalType]` to that `if`, in a copy (the vendored file stays the published one), so the
 * `map` block is required exactly when `logicalType: map`, as the standard's text says.
 */
function withMapBugFixed(schema: object): object {
  const copy = structuredClone(schema) as { $defs?: Record<string, { allOf?: unknown[] }> };
  const base = copy.$defs?.SchemaBaseProperty;
  for (const branch of base?.allOf ?? []) {
    const condition = (branch as { if?: { properties?: { logicalType?: { const?: unknown } }; required?: string[] } }).if;
    if (condition?.properties?.logicalType?.const === 'map') condition.required = ['logicalType'];
  }
  return copy;
}
