/**
 * The typed view of an ODCS v3.x data contract that the check engine needs: servers, schema objects and
 * their properties, quality rules and SLA properties. Full validation against the published JSON Schema
 * is the validator's job; this model only reads what checks execute, keeps unknown fields (so tolerant
 * reading of v3.0.x–v3.2.0 documents works), and rejects shapes a check cannot run on (e.g. a property
 * without a name) with a JSON pointer.
 */
import { z } from 'zod';

/** A quality rule threshold value: a number, or (for `mustBe`) also a string or boolean. */
const thresholdValue = z.union([z.number(), z.string(), z.boolean()]);

/** The ODCS quality operators. Set by the contract author; at most one is used per rule. */
export const qualityOperatorsSchema = z.looseObject({
  mustBe: thresholdValue.optional(),
  mustNotBe: thresholdValue.optional(),
  mustBeGreaterThan: z.number().optional(),
  mustBeGreaterOrEqualTo: z.number().optional(),
  /** Alias some contracts use for mustBeGreaterOrEqualTo. */
  mustBeGreaterThanOrEqualTo: z.number().optional(),
  mustBeLessThan: z.number().optional(),
  mustBeLessOrEqualTo: z.number().optional(),
  /** Alias some contracts use for mustBeLessOrEqualTo. */
  mustBeLessThanOrEqualTo: z.number().optional(),
  mustBeBetween: z.tuple([z.number(), z.number()]).optional(),
  mustNotBeBetween: z.tuple([z.number(), z.number()]).optional(),
});

/**
 * One quality rule (`schema[].quality[]` or `schema[].properties[].quality[]`). `type` defaults to
 * `library` as in ODCS. `rule` is the deprecated name of `metric`; v3.0.x put `validValues` and
 * `missingValues` beside the metric, v3.1.0 puts them under `arguments` — both are read.
 */
export const qualityRuleSchema = qualityOperatorsSchema.extend({
  id: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  type: z.enum(['text', 'library', 'sql', 'custom']).optional(),
  metric: z.string().optional(),
  rule: z.string().optional(),
  arguments: z.record(z.string(), z.unknown()).optional(),
  validValues: z.array(z.unknown()).optional(),
  missingValues: z.array(z.unknown()).optional(),
  query: z.string().optional(),
  engine: z.string().optional(),
  implementation: z.unknown().optional(),
  unit: z.string().optional(),
  dimension: z.string().optional(),
  severity: z.string().optional(),
  tags: z.array(z.string()).optional(),
  businessImpact: z.string().optional(),
});
/** One quality rule of a contract. */
export type QualityRule = z.infer<typeof qualityRuleSchema>;

/** A property's type options (ODCS `logicalTypeOptions`): the constraints schema checks verify. */
export const logicalTypeOptionsSchema = z.looseObject({
  pattern: z.string().optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  exclusiveMinimum: z.union([z.number(), z.boolean()]).optional(),
  exclusiveMaximum: z.union([z.number(), z.boolean()]).optional(),
  format: z.string().optional(),
});
/** The constraints of a property's logical type. */
export type LogicalTypeOptions = z.infer<typeof logicalTypeOptionsSchema>;

/**
 * A schema property (a column, a struct field, or an array's `items`). `physicalName` overrides `name`
 * as the column name in the data. `classification` values like `PII`/`restricted` mask samples.
 */
export interface SchemaProperty {
  name?: string | undefined;
  physicalName?: string | undefined;
  logicalType?: string | undefined;
  physicalType?: string | undefined;
  logicalTypeOptions?: LogicalTypeOptions | undefined;
  required?: boolean | undefined;
  unique?: boolean | undefined;
  primaryKey?: boolean | undefined;
  primaryKeyPosition?: number | undefined;
  classification?: string | undefined;
  description?: string | undefined;
  properties?: SchemaProperty[] | undefined;
  items?: SchemaProperty | undefined;
  quality?: QualityRule[] | undefined;
  [key: string]: unknown;
}

/** zod schema of {@link SchemaProperty} (recursive through `properties` and `items`). */
export const schemaPropertySchema: z.ZodType<SchemaProperty> = z.lazy(() =>
  z.looseObject({
    name: z.string().optional(),
    physicalName: z.string().optional(),
    logicalType: z.string().optional(),
    physicalType: z.string().optional(),
    logicalTypeOptions: logicalTypeOptionsSchema.optional(),
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
    primaryKey: z.boolean().optional(),
    primaryKeyPosition: z.number().optional(),
    classification: z.string().optional(),
    description: z.string().optional(),
    properties: z.array(schemaPropertySchema).optional(),
    items: schemaPropertySchema.optional(),
    quality: z.array(qualityRuleSchema).optional(),
  }),
);

/** A schema object (a table, file set or topic): its properties and object-level quality rules. */
export const schemaObjectSchema = z.looseObject({
  name: z.string().min(1),
  physicalName: z.string().optional(),
  logicalType: z.string().optional(),
  physicalType: z.string().optional(),
  description: z.string().optional(),
  properties: z.array(schemaPropertySchema).optional(),
  quality: z.array(qualityRuleSchema).optional(),
});
/** One object of a contract's schema. */
export type SchemaObject = z.infer<typeof schemaObjectSchema>;

/**
 * A server: where the data lives. The engine executes `local` (csv/parquet/json files and globs),
 * `duckdb` (database file) and `postgres`/`postgresql`; other types are reported as an error when chosen.
 */
export const serverSchema = z.looseObject({
  server: z.string().min(1),
  type: z.string().min(1),
  environment: z.string().optional(),
  description: z.string().optional(),
  path: z.string().optional(),
  format: z.string().optional(),
  delimiter: z.string().optional(),
  database: z.string().optional(),
  schema: z.string().optional(),
  host: z.string().optional(),
  port: z.union([z.number(), z.string()]).optional(),
});
/** One server entry of a contract. */
export type Server = z.infer<typeof serverSchema>;

/** An SLA property (`slaProperties[]`): `freshness`, `latency`, `retention` are executable. */
export const slaPropertySchema = z.looseObject({
  id: z.string().optional(),
  property: z.string().min(1),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  unit: z.string().optional(),
  element: z.string().optional(),
  driver: z.string().optional(),
  description: z.string().optional(),
});
/** One SLA property of a contract. */
export type SlaProperty = z.infer<typeof slaPropertySchema>;

/** The parts of an ODCS contract the check engine reads. */
export const odcsContractSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  id: z.string().min(1),
  name: z.string().optional(),
  version: z.string().optional(),
  status: z.string().optional(),
  servers: z.array(serverSchema).optional(),
  schema: z.array(schemaObjectSchema).optional(),
  slaProperties: z.array(slaPropertySchema).optional(),
});
/** A data contract as the check engine sees it. */
export type OdcsContract = z.infer<typeof odcsContractSchema>;

/** The outcome of {@link parseOdcsContract}: the contract, or the problems with JSON pointers. */
export type OdcsParseResult =
  | { ok: true; contract: OdcsContract }
  | { ok: false; issues: { pointer: string; message: string }[] };

/** Reads a parsed document as an ODCS contract for checking; problems carry JSON pointers. */
export function parseOdcsContract(value: unknown): OdcsParseResult {
  const parsed = odcsContractSchema.safeParse(value);
  if (parsed.success) return { ok: true, contract: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      pointer: `/${issue.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
      message: issue.message,
    })),
  };
}
