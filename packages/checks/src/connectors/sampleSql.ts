// Kept apart from the connectors so the PostgreSQL connector does not load DuckDB's native module.
import type { SampleRequest } from '../Connector';

/** The SQL of a sample request; shared by the SQL connectors. */
export function sampleSql(quote: (id: string) => string, relation: string, request: SampleRequest, limit: number): string {
  if (request.kind === 'rows') return `SELECT * FROM ${relation} WHERE ${request.where} LIMIT ${limit}`;
  const columns = request.columns.map(quote);
  const keys = request.columns.length === 1 ? `${columns[0] ?? ''} AS "key"` : columns.join(', ');
  return `SELECT ${keys}, CAST(count(*) AS INTEGER) AS "duplicate_count" FROM ${relation} WHERE ${columns.map((c) => `${c} IS NOT NULL`).join(' AND ')} GROUP BY ${columns.join(', ')} HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT ${limit}`;
}
