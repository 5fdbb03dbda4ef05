/**
 * Measures: the aggregate values one object scan computes. Each measure becomes one aggregate expression
 * in the object's single SELECT, and (for violation counts) a row predicate reused for failed samples.
 */
import type { ColumnDescription } from './Connector';
import type { Dialect } from './Dialect';

/** What to measure on an object. Column names are the names in the data. */
export type Measure =
  | { metric: 'rowCount' }
  | { metric: 'nulls'; column: string }
  | { metric: 'missing'; column: string; values: string[] }
  | {
      metric: 'invalid';
      column: string;
      /** The valid values as text (compared with the value as text). */
      validValues: string[] | undefined;
      /** Set when every valid value is a number: a numeric column is then compared numerically. */
      numericValues?: number[] | undefined;
      pattern: string | undefined;
    }
  | { metric: 'duplicates'; columns: string[] }
  | { metric: 'pattern'; column: string; pattern: string }
  | { metric: 'minLength' | 'maxLength'; column: string; limit: number }
  | { metric: 'minimum' | 'maximum'; column: string; limit: number; exclusive: boolean }
  | { metric: 'newest' | 'oldest'; column: string };

/** The columns a measure reads (all must exist for it to run). */
export function measureColumns(measure: Measure): string[] {
  switch (measure.metric) {
    case 'rowCount':
      return [];
    case 'duplicates':
      return measure.columns;
    default:
      return [measure.column];
  }
}

/** A measure in SQL: its aggregate expression and, for violation counts, the violating-row predicate. */
export interface MeasureSql {
  aggregate: string;
  violation: string | undefined;
}

function isNumeric(columns: readonly ColumnDescription[], name: string): boolean {
  const kind = columns.find((col) => col.name === name)?.type.kind;
  return kind === 'integer' || kind === 'number';
}

const countWhere = (predicate: string): string => `CAST(count(*) FILTER (WHERE ${predicate}) AS DOUBLE PRECISION)`;

/** Writes a measure in a dialect, given the described columns (numeric columns compare without casts). */
export function measureSql(measure: Measure, dialect: Dialect, columns: readonly ColumnDescription[]): MeasureSql {
  const violation = (predicate: string): MeasureSql => ({ aggregate: countWhere(predicate), violation: predicate });
  if (measure.metric === 'rowCount') return { aggregate: 'CAST(count(*) AS DOUBLE PRECISION)', violation: undefined };
  if (measure.metric === 'duplicates') {
    const quoted = measure.columns.map(dialect.quote);
    const allPresent = quoted.map((c) => `${c} IS NOT NULL`).join(' AND ');
    const distinct = quoted.length === 1 ? `count(DISTINCT ${quoted[0] ?? ''})` : `count(DISTINCT (${quoted.join(', ')})) FILTER (WHERE ${allPresent})`;
    return { aggregate: `CAST(count(*) FILTER (WHERE ${allPresent}) - ${distinct} AS DOUBLE PRECISION)`, violation: undefined };
  }
  const c = dialect.quote(measure.column);
  const text = dialect.asText(c);
  switch (measure.metric) {
    case 'nulls':
      return violation(`${c} IS NULL`);
    case 'missing': {
      const list = measure.values.map(dialect.text).join(', ');
      return violation(list === '' ? `${c} IS NULL` : `(${c} IS NULL OR ${text} IN (${list}))`);
    }
    case 'invalid': {
      const parts: string[] = [];
      if (measure.numericValues !== undefined && measure.numericValues.length > 0 && isNumeric(columns, measure.column)) {
        // DOUBLE 1.0 reads as '1.0' and NUMERIC(10,2) 2 as '2.00': numbers must be compared as numbers.
        parts.push(`${dialect.asNumber(c, true)} NOT IN (${measure.numericValues.map(String).join(', ')})`);
      } else if (measure.validValues !== undefined) parts.push(`${text} NOT IN (${measure.validValues.map(dialect.text).join(', ') || 'NULL'})`);
      if (measure.pattern !== undefined) parts.push(`NOT ${dialect.matches(text, measure.pattern)}`);
      return violation(`${c} IS NOT NULL AND (${parts.join(' OR ') || 'FALSE'})`);
    }
    case 'pattern':
      return violation(`${c} IS NOT NULL AND NOT ${dialect.matches(text, measure.pattern)}`);
    case 'minLength':
      return violation(`length(${text}) < ${measure.limit}`);
    case 'maxLength':
      return violation(`length(${text}) > ${measure.limit}`);
    case 'minimum':
    case 'maximum': {
      const value = dialect.asNumber(c, isNumeric(columns, measure.column));
      const op = measure.metric === 'minimum' ? (measure.exclusive ? '<=' : '<') : measure.exclusive ? '>=' : '>';
      return violation(`${value} ${op} ${measure.limit}`);
    }
    case 'newest':
      return { aggregate: dialect.epochMillis(`max(${c})`), violation: undefined };
    case 'oldest':
      return { aggregate: dialect.epochMillis(`min(${c})`), violation: undefined };
  }
}
