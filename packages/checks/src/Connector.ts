/**
 * The narrow capability a data source gives the check engine. Every answer is a tagged union built by
 * {@link connectorAnswer}; connectors never throw for data or configuration problems. New warehouses are
 * new implementations of this interface, run through the shared suite in `connectors/connector.case.ts`.
 */
import type { Dialect } from './Dialect';
import type { PhysicalType } from './PhysicalType';

/** One column as the source describes it. */
export interface ColumnDescription {
  name: string;
  type: PhysicalType;
}

/**
 * An object's columns. `typed` is false for sources whose types are guessed (CSV), which get no type
 * checks. `temporalFromText` is true where dates/times were inferred from text (JSON): such a column also
 * satisfies `logicalType: string`.
 */
export interface ObjectDescription {
  columns: ColumnDescription[];
  typed: boolean;
  temporalFromText: boolean;
}

/** What a sample request asks for: rows matching a violation predicate, or the keys that repeat. */
export type SampleRequest = { kind: 'rows'; where: string } | { kind: 'duplicates'; columns: string[] };

/** A connector's answer: a value, "this object does not exist", or an error with its reason. */
export type ConnectorAnswer<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'notFound'; message: string }
  | { kind: 'error'; message: string };

/** The one factory of connector answers. */
export const connectorAnswer = {
  ok: <T>(value: T): ConnectorAnswer<T> => ({ kind: 'ok', value }),
  notFound: <T>(message: string): ConnectorAnswer<T> => ({ kind: 'notFound', message }),
  error: <T>(message: string): ConnectorAnswer<T> => ({ kind: 'error', message }),
  /** Turns a thrown value into an error answer with a readable message. */
  fromThrown: <T>(error: unknown): ConnectorAnswer<T> => ({ kind: 'error', message: errorMessage(error) }),
};

/** The message of a thrown value, without stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A JSON-safe scalar as engines return them. */
export type SqlValue = string | number | boolean | null;

/** Options of a custom (contract-author) SQL statement. */
export interface CustomSqlOptions {
  timeoutMs: number;
}

/** A data source the engine can check. Objects are named as in the contract (`physicalName` ?? `name`). */
export interface Connector {
  readonly dialect: Dialect;
  /** The columns of an object, `notFound` when it does not exist. */
  describe: (object: string) => Promise<ConnectorAnswer<ObjectDescription>>;
  /** Runs ONE statement `SELECT <expressions> FROM <object>` and returns its single row, keyed by alias. */
  aggregate: (object: string, expressions: { alias: string; sql: string }[]) => Promise<ConnectorAnswer<Record<string, SqlValue>>>;
  /** Up to `limit` rows showing a failure. */
  samples: (object: string, request: SampleRequest, limit: number) => Promise<ConnectorAnswer<Record<string, SqlValue>[]>>;
  /** Runs one read-only statement written by a contract author, with a timeout; returns its rows. */
  customSql: (sql: string, options: CustomSqlOptions) => Promise<ConnectorAnswer<Record<string, SqlValue>[]>>;
  /** How `{object}` is written inside custom SQL (e.g. `orders`, `"public"."orders"`). */
  objectReference: (object: string) => string;
  /** The schema name `${schema}` stands for in custom SQL. */
  readonly schemaName: string;
  close: () => Promise<void>;
}

/** Makes any engine value JSON-safe: bigints and numeric strings stay readable, dates become ISO text. */
export function toSqlValue(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
  return String(value);
}
