/**
 * SQL spelling per engine. The plan compiler writes every aggregate through a dialect, so one plan runs
 * pushed down on PostgreSQL or in DuckDB without per-connector logic.
 */

/** How one SQL engine spells the few things that differ between engines. */
export interface Dialect {
  name: 'duckdb' | 'postgres';
  /** Quotes an identifier. */
  quote: (identifier: string) => string;
  /** A string literal. */
  text: (value: string) => string;
  /** The expression as text. */
  asText: (expression: string) => string;
  /** The expression as a double, NULL when it is not a number (never an error). */
  asNumber: (expression: string, numeric: boolean) => string;
  /** True when the text expression contains a match of the regular expression (unanchored search). */
  matches: (textExpression: string, pattern: string) => string;
  /** Milliseconds since the epoch of a date or timestamp expression. */
  epochMillis: (expression: string) => string;
}

function quoteIdentifier(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function quoteText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** DuckDB: RE2 regular expressions, TRY_CAST. */
export const duckDbDialect: Dialect = {
  name: 'duckdb',
  quote: quoteIdentifier,
  text: quoteText,
  asText: (e) => `CAST(${e} AS VARCHAR)`,
  asNumber: (e, numeric) => (numeric ? `CAST(${e} AS DOUBLE)` : `TRY_CAST(${e} AS DOUBLE)`),
  matches: (t, p) => `regexp_matches(${t}, ${quoteText(p)})`,
  epochMillis: (e) => `CAST(epoch_ms(CAST(${e} AS TIMESTAMP)) AS DOUBLE)`,
};

const numberText = String.raw`'^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$'`;

/** PostgreSQL: POSIX regular expressions (`~`), no TRY_CAST (a guarded CASE instead). */
export const postgresDialect: Dialect = {
  name: 'postgres',
  quote: quoteIdentifier,
  text: quoteText,
  asText: (e) => `CAST(${e} AS TEXT)`,
  asNumber: (e, numeric) =>
    numeric
      ? `CAST(${e} AS DOUBLE PRECISION)`
      : `(CASE WHEN CAST(${e} AS TEXT) ~ ${numberText} THEN CAST(CAST(${e} AS TEXT) AS DOUBLE PRECISION) END)`,
  matches: (t, p) => `(${t} ~ ${quoteText(p)})`,
  epochMillis: (e) => `CAST(EXTRACT(EPOCH FROM ${e}) * 1000 AS DOUBLE PRECISION)`,
};
