/**
 * PostgreSQL connector: checks run inside PostgreSQL (pushed down), every statement in a READ ONLY
 * transaction with a statement timeout; custom SQL goes through the extended protocol, which refuses
 * more than one statement. Credentials come from the environment and never enter results.
 */
import pg from 'pg';
import type { Server } from '@meshboard/model';
import {
  connectorAnswer,
  errorMessage,
  toSqlValue,
  type Connector,
  type ConnectorAnswer,
  type CustomSqlOptions,
  type ObjectDescription,
  type SampleRequest,
  type SqlValue,
} from '../Connector';
import { postgresDialect } from '../Dialect';
import { scalarType, type PhysicalType } from '../PhysicalType';
import { sampleSql } from './sampleSql';

/** Environment variables holding PostgreSQL credentials (documented in docs/checks.md). */
export const postgresCredentialVariables = { user: 'MESHBOARD_POSTGRES_USER', password: 'MESHBOARD_POSTGRES_PASSWORD' } as const;

/**
 * The operator's opt-in (an environment variable, never a contract field: the contract's author is who
 * the guard protects against) to run contract SQL as a role that can reach the server's files or
 * processes. Documented in docs/checks.md.
 */
export const allowPrivilegedChecksVariable = 'MESHBOARD_ALLOW_SUPERUSER_CHECKS';

/** Predefined roles that let SQL read or write the server's files or run programs there. */
const serverAccessRoles = ['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'];

/** What a PostgreSQL connector connects to. */
export interface PostgresConnectorOptions {
  server: Server;
  env: Record<string, string | undefined>;
  /** Timeout of the engine's own statements (aggregates, samples); default 10 minutes. */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}

function physicalType(dataType: string, udtName: string): PhysicalType {
  if (dataType === 'ARRAY') {
    const element = scalarType(udtName.replace(/^_/, ''));
    return { kind: 'list', name: `${udtName.replace(/^_/, '')}[]`, element };
  }
  if (dataType === 'USER-DEFINED') return { kind: 'other', name: udtName };
  return scalarType(dataType);
}

/** Checks PostgreSQL tables and views in place. Create with {@link PostgresConnector.create}. */
export class PostgresConnector implements Connector {
  readonly dialect = postgresDialect;
  readonly schemaName: string;
  private privilegeCheck: Promise<string | undefined> | undefined;

  private constructor(
    private readonly client: pg.Client,
    private readonly options: PostgresConnectorOptions,
  ) {
    this.schemaName = options.server.schema ?? 'public';
  }

  /** Connects using the server's host/port/database and the credential variables. */
  static async create(options: PostgresConnectorOptions): Promise<ConnectorAnswer<PostgresConnector>> {
    const { server, env } = options;
    if (server.database === undefined) return connectorAnswer.error(`server "${server.server}" has no database`);
    const port = server.port === undefined ? 5432 : Number(server.port);
    if (!Number.isInteger(port)) return connectorAnswer.error(`server "${server.server}": port ${JSON.stringify(server.port)} is not a number`);
    const client = new pg.Client({
      host: server.host ?? 'localhost',
      port,
      database: server.database,
      user: env[postgresCredentialVariables.user] ?? env.PGUSER,
      password: env[postgresCredentialVariables.password] ?? env.PGPASSWORD,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: 'meshboard-checks',
      // Ages and timestamp casts in UTC, whatever the server's or database's default time zone.
      options: '-c TimeZone=UTC',
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      return connectorAnswer.error(`cannot connect to PostgreSQL at ${server.host ?? 'localhost'}:${port}/${server.database}: ${errorMessage(error)}`);
    }
    return connectorAnswer.ok(new PostgresConnector(client, options));
  }

  private relation(object: string): string {
    return `${postgresDialect.quote(this.schemaName)}.${postgresDialect.quote(object)}`;
  }

  /** Runs one statement in a READ ONLY transaction with a timeout and the server's schema on the search path. */
  private async readOnly(text: string, values: unknown[], timeoutMs: number): Promise<pg.QueryResult> {
    await this.client.query('BEGIN READ ONLY');
    try {
      await this.client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      await this.client.query(`SET LOCAL search_path TO ${postgresDialect.quote(this.schemaName)}`);
      const config: pg.QueryConfig & { queryMode: 'extended' } = { text, values, queryMode: 'extended' };
      return await this.client.query(config);
    } finally {
      await this.client.query('ROLLBACK').catch(() => undefined);
    }
  }

  private get timeout(): number {
    return this.options.statementTimeoutMs ?? 600_000;
  }

  objectReference(object: string): string {
    return postgresDialect.quote(object);
  }

  async describe(object: string): Promise<ConnectorAnswer<ObjectDescription>> {
    try {
      const result = await this.readOnly(
        'SELECT column_name, data_type, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
        [this.schemaName, object],
        this.timeout,
      );
      if (result.rows.length === 0) return connectorAnswer.notFound(`table "${this.schemaName}"."${object}" does not exist or is not visible`);
      const columns = (result.rows as { column_name: string; data_type: string; udt_name: string }[]).map((row) => ({
        name: row.column_name,
        type: physicalType(row.data_type, row.udt_name),
      }));
      return connectorAnswer.ok({ columns, typed: true, temporalFromText: false });
    } catch (error) {
      return connectorAnswer.fromThrown(error);
    }
  }

  async aggregate(object: string, expressions: { alias: string; sql: string }[]): Promise<ConnectorAnswer<Record<string, SqlValue>>> {
    const list = expressions.map((e) => `${e.sql} AS ${postgresDialect.quote(e.alias)}`).join(',\n  ');
    try {
      const result = await this.readOnly(`SELECT\n  ${list}\nFROM ${this.relation(object)}`, [], this.timeout);
      const row = result.rows[0] as Record<string, unknown> | undefined;
      if (row === undefined) return connectorAnswer.error('the aggregate query returned no row');
      return connectorAnswer.ok(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toSqlValue(v)])));
    } catch (error) {
      return connectorAnswer.error(`cannot read "${object}": ${errorMessage(error)}`);
    }
  }

  async samples(object: string, request: SampleRequest, limit: number): Promise<ConnectorAnswer<Record<string, SqlValue>[]>> {
    try {
      const result = await this.readOnly(sampleSql(postgresDialect.quote, this.relation(object), request, limit), [], this.timeout);
      return connectorAnswer.ok((result.rows as Record<string, unknown>[]).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toSqlValue(v)]))));
    } catch (error) {
      return connectorAnswer.fromThrown(error);
    }
  }

  /**
   * Why contract SQL must not run as the connected role, or undefined when it may: a superuser (or a
   * member of a server-file/program role) can read server files (`pg_read_file`), signal backends or
   * reload the configuration even inside a READ ONLY transaction.
   */
  private privilegeRefusal(): Promise<string | undefined> {
    this.privilegeCheck ??= (async (): Promise<string | undefined> => {
      if (this.options.env[allowPrivilegedChecksVariable] === '1') return undefined;
      const result = await this.readOnly(
        `SELECT r.rolsuper AS superuser,
           ARRAY(SELECT b.rolname::text FROM pg_roles b WHERE b.rolname = ANY($1) AND pg_has_role(current_user, b.oid, 'MEMBER') ORDER BY b.rolname) AS powers
         FROM pg_roles r WHERE r.rolname = current_user`,
        [serverAccessRoles],
        this.timeout,
      );
      const row = result.rows[0] as { superuser: boolean; powers: string[] } | undefined;
      const reason = row === undefined ? 'its privileges cannot be read' : row.superuser ? 'is a superuser' : row.powers.length > 0 ? `is a member of ${row.powers.join(', ')}` : undefined;
      if (reason === undefined) return undefined;
      return `refused: the connected PostgreSQL role ${reason}, so contract SQL could read server files or affect other sessions; connect as a SELECT-only role (docs/checks.md) or set ${allowPrivilegedChecksVariable}=1 to allow it`;
    })();
    return this.privilegeCheck;
  }

  async customSql(sql: string, options: CustomSqlOptions): Promise<ConnectorAnswer<Record<string, SqlValue>[]>> {
    try {
      const refusal = await this.privilegeRefusal();
      if (refusal !== undefined) return connectorAnswer.error(refusal);
      // A trailing semicolon is harmless; anything after it is a second statement and is refused.
      const text = sql.trim().replace(/;\s*$/, '');
      const result = await this.readOnly(text, [], options.timeoutMs);
      return connectorAnswer.ok((result.rows as Record<string, unknown>[]).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toSqlValue(v)]))));
    } catch (error) {
      const message = errorMessage(error);
      if (/statement timeout/i.test(message)) return connectorAnswer.error(`the query exceeded the ${options.timeoutMs} ms timeout`);
      return connectorAnswer.error(message);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
