import pg from 'pg';
import type { GrantConnection } from './grantConnections';
import type { GrantTarget } from './grantTarget';

/** What running a GRANT or REVOKE came to; `message` is shown to people (never credentials). */
export type GrantOutcome = { status: 'done'; message: string } | { status: 'failed'; message: string };

/** Runs GRANT/REVOKE for subscriptions; the one place Meshboard changes privileges in other databases. */
export interface GrantExecutor {
  /** Connection keys this executor can reach (see `planGrant`). */
  readonly connections: ReadonlySet<string>;
  grant(target: GrantTarget, role: string): Promise<GrantOutcome>;
  revoke(target: GrantTarget, role: string): Promise<GrantOutcome>;
}

/**
 * A database role a consumer may name: a plain identifier (letters, digits, `_`, at most 63 bytes),
 * not `public` and not a `pg_` system role. Quoting alone would make any string safe in SQL; the rule
 * also keeps a consumer from asking for a grant to everyone (`public`) or to a built-in role.
 */
export function databaseRoleProblem(role: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(role)) return 'A database role is a letter or _ followed by letters, digits or _ (at most 63).';
  if (role.toLowerCase() === 'public') return 'Granting to PUBLIC would give everyone access; name your own role.';
  if (role.toLowerCase().startsWith('pg_')) return 'pg_ roles are PostgreSQL system roles; name your own role.';
  return undefined;
}

/** Quotes an SQL identifier (doubling embedded quotes); NUL cannot occur in identifiers. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\u0000')) throw new Error('An identifier cannot contain NUL.');
  return `"${name.replaceAll('"', '""')}"`;
}

/** The statements of a grant: USAGE on the schema (needed to reach the tables) and SELECT on the tables. */
export function grantStatements(target: GrantTarget, role: string): string[] {
  const schema = quoteIdentifier(target.schema);
  const tables = target.tables.map((table) => `${schema}.${quoteIdentifier(table)}`).join(', ');
  return [`GRANT USAGE ON SCHEMA ${schema} TO ${quoteIdentifier(role)}`, `GRANT SELECT ON TABLE ${tables} TO ${quoteIdentifier(role)}`];
}

/**
 * The statement of a revoke: SELECT on the tables only. USAGE on the schema stays, because the role
 * may hold other subscriptions in the same schema, and USAGE alone reads no data.
 */
export function revokeStatements(target: GrantTarget, role: string): string[] {
  const schema = quoteIdentifier(target.schema);
  const tables = target.tables.map((table) => `${schema}.${quoteIdentifier(table)}`).join(', ');
  return [`REVOKE SELECT ON TABLE ${tables} FROM ${quoteIdentifier(role)}`];
}

/**
 * Grants through the operator's connections (`MESHBOARD_GRANT_CONNECTIONS`), one short-lived client per
 * call, the statements in one transaction with a statement timeout. The role must exist: a missing
 * role fails the grant with that message (and makes a revoke a no-op: nothing to take away).
 */
export class PostgresGrantExecutor implements GrantExecutor {
  readonly connections: ReadonlySet<string>;
  private readonly byKey: Map<string, GrantConnection>;

  constructor(connections: GrantConnection[]) {
    this.byKey = new Map(connections.map((connection) => [connection.key, connection]));
    this.connections = new Set(this.byKey.keys());
  }

  grant(target: GrantTarget, role: string): Promise<GrantOutcome> {
    return this.run(target, role, 'grant');
  }

  revoke(target: GrantTarget, role: string): Promise<GrantOutcome> {
    return this.run(target, role, 'revoke');
  }

  private async run(target: GrantTarget, role: string, what: 'grant' | 'revoke'): Promise<GrantOutcome> {
    const connection = this.byKey.get(target.connection);
    if (connection === undefined) return { status: 'failed', message: `No grant connection ${target.connection} is configured any more.` };
    const problem = databaseRoleProblem(role);
    if (problem !== undefined) return { status: 'failed', message: problem };
    const statements = what === 'grant' ? grantStatements(target, role) : revokeStatements(target, role);
    const client = new pg.Client({ connectionString: connection.url, connectionTimeoutMillis: 5000, statement_timeout: 15_000, application_name: 'meshboard-grants' });
    try {
      await client.connect();
      const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
      if (exists.rowCount === 0) {
        return what === 'grant' ? { status: 'failed', message: `Role "${role}" does not exist on ${target.connection}; ask its administrator to create it, then retry.` } : { status: 'done', message: `Role "${role}" no longer exists on ${target.connection}; nothing to revoke.` };
      }
      await client.query('begin');
      for (const statement of statements) await client.query(statement);
      await client.query('commit');
      return { status: 'done', message: `${statements.join('; ')} on ${target.connection}` };
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      return { status: 'failed', message: `${what === 'grant' ? 'GRANT' : 'REVOKE'} on ${target.connection} failed: ${redact(error instanceof Error ? error.message : String(error), connection.url)}` };
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** Removes the connection's password from a message, should a driver ever echo it. */
function redact(message: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // unreachable for parsed connections; nothing to redact
  }
  return password === '' ? message : message.replaceAll(password, '***');
}
