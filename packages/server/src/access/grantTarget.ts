import type { JsonValue } from '../store/Database';
import { connectionKey } from './grantConnections';

/**
 * What an approval grants in PostgreSQL: SELECT on `tables` in `schema`, through the configured
 * connection `connection` (its key, never its URL). Stored on the subscription at approval, so a
 * later REVOKE removes exactly what was granted even if the contract changed since.
 */
export interface GrantTarget {
  connection: string;
  schema: string;
  tables: string[];
}

/** Where access to a port comes from: Meshboard grants it, or people do (`reason` says why). */
export type GrantPlan = { kind: 'grant'; target: GrantTarget } | { kind: 'not_applicable'; reason: string };

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Plans the grant for a port from its contract (ODCS v3): the first `postgres` server whose
 * host/port/database has a configured connection, its `schema` (default `public`), and every schema
 * object's `physicalName` (else `name`). Anything else — no PostgreSQL server, no connection for it, no
 * objects — is `not_applicable` with the reason shown to people.
 */
export function planGrant(contract: JsonValue | null, connections: ReadonlySet<string>): GrantPlan {
  if (!isObject(contract)) return { kind: 'not_applicable', reason: 'The port has no contract, so Meshboard cannot grant access itself.' };
  const servers = (Array.isArray(contract['servers']) ? contract['servers'] : []).filter(isObject).filter((server) => server['type'] === 'postgres' || server['type'] === 'postgresql');
  if (servers.length === 0) return { kind: 'not_applicable', reason: "The contract has no PostgreSQL server; access is granted outside Meshboard." };
  const tables = (Array.isArray(contract['schema']) ? contract['schema'] : []).filter(isObject).flatMap((object) => {
    const name = text(object['physicalName']) ?? text(object['name']);
    return name === undefined ? [] : [name];
  });
  if (tables.length === 0) return { kind: 'not_applicable', reason: 'The contract names no tables to grant.' };
  const unmatched: string[] = [];
  for (const server of servers) {
    const host = text(server['host']);
    const database = text(server['database']);
    if (host === undefined || database === undefined) continue;
    const port = typeof server['port'] === 'number' ? server['port'] : undefined;
    const key = connectionKey(host, port, database);
    if (connections.has(key)) return { kind: 'grant', target: { connection: key, schema: text(server['schema']) ?? 'public', tables: [...new Set(tables)] } };
    unmatched.push(key);
  }
  return {
    kind: 'not_applicable',
    reason: unmatched.length === 0 ? 'The PostgreSQL server names no host and database.' : `No grant connection is configured for ${unmatched.join(', ')}; access is granted outside Meshboard.`,
  };
}

/** Reads a stored {@link GrantTarget} back (null when the subscription has none or it is malformed). */
export function readGrantTarget(value: JsonValue | null): GrantTarget | null {
  if (!isObject(value)) return null;
  const { connection, schema, tables } = value;
  if (typeof connection !== 'string' || typeof schema !== 'string' || !Array.isArray(tables) || !tables.every((t): t is string => typeof t === 'string')) return null;
  return { connection, schema, tables };
}
