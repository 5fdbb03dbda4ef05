/**
 * DuckDB connector: local CSV / Parquet / newline-delimited JSON files and globs (each contract object
 * becomes a view in an in-memory database), and DuckDB database files (attached READ_ONLY).
 */
import { isAbsolute, resolve } from 'node:path';
import { DuckDBInstance, StatementType, type DuckDBConnection } from '@duckdb/node-api';
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
import { duckDbDialect } from '../Dialect';
import { parseDuckDbType } from '../PhysicalType';
import { sampleSql } from './sampleSql';

/** Where a DuckDB connector reads from. */
export interface DuckDbConnectorOptions {
  server: Server;
  /** Relative server paths resolve against this directory. */
  workingDir: string;
}

const fileFormats = new Set(['csv', 'parquet', 'json']);

/** Guesses the file format from the server's `format`, else from the path's extension. */
function formatOf(server: Server): string | undefined {
  const declared = server.format?.toLowerCase();
  if (declared !== undefined) return declared === 'jsonl' || declared === 'ndjson' ? 'json' : declared;
  const path = server.path?.toLowerCase() ?? '';
  if (path.endsWith('.csv')) return 'csv';
  if (path.endsWith('.parquet')) return 'parquet';
  if (/\.(json|jsonl|ndjson)$/.test(path)) return 'json';
  return undefined;
}

/**
 * DuckDB's error text cut to what a report can show: its first meaningful lines (at most three, joined
 * by "; "), without the sniffer's search space, the list of possible fixes, the reader options, the SQL
 * excerpt with its caret, or the offending row's content (it may hold personal data).
 */
export function conciseDuckDbError(message: string): string {
  const kept: string[] = [];
  for (const raw of message.replace(/^Error: /, '').split('\n')) {
    const line = raw.trim();
    if (line === '' || /^(Possible fixes|The search space|LINE \d+:|file = )/.test(line)) break;
    if (line.startsWith('Original Line')) continue;
    kept.push(line);
    if (kept.length === 3) break;
  }
  return kept.join('; ');
}

/** {@link conciseDuckDbError} of a thrown value. */
function duckDbError(error: unknown): string {
  return conciseDuckDbError(errorMessage(error));
}

function rows(values: Record<string, unknown>[]): Record<string, SqlValue>[] {
  return values.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toSqlValue(v)])));
}

/** What the engine may read: exact files, and directories (with everything below them). */
export interface FileScope {
  paths: string[];
  directories: string[];
}

/**
 * The files a server's `path` can name: the file itself (and, since DuckDB reads a directory path as the
 * files inside it, everything below that path — so a missing file still reads "No files found"), or —
 * when the path holds a glob or an
 * `{object}` placeholder — the directory before the first such character (with a trailing separator,
 * so `/data` does not also open `/database`).
 */
export function fileScope(path: string): FileScope {
  const special = path.search(/[*?[{]/);
  if (special < 0) return { paths: [path], directories: [/[\\/]$/.test(path) ? path : `${path}/`] };
  const prefix = path.slice(0, special);
  const cut = Math.max(prefix.lastIndexOf('/'), prefix.lastIndexOf('\\'));
  return { paths: [], directories: [cut < 0 ? './' : prefix.slice(0, cut + 1)] };
}

/**
 * Locks the session down so contract-author SQL cannot read other files or the network, load or install
 * extensions, or undo any of it: only the server's own files stay readable (DuckDB's `allowed_paths` /
 * `allowed_directories` with `enable_external_access = false`), then the configuration is locked.
 */
async function lockDown(connection: DuckDBConnection, scope: FileScope): Promise<void> {
  const list = (items: string[]): string => `[${items.map(duckDbDialect.text).join(', ')}]`;
  if (scope.paths.length > 0) await connection.run(`SET allowed_paths = ${list(scope.paths)}`);
  if (scope.directories.length > 0) await connection.run(`SET allowed_directories = ${list(scope.directories)}`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET autoinstall_known_extensions = false');
  await connection.run('SET autoload_known_extensions = false');
  await connection.run('SET lock_configuration = true');
}

/** Checks files and DuckDB databases with DuckDB. Create with {@link DuckDbConnector.create}. */
export class DuckDbConnector implements Connector {
  readonly dialect = duckDbDialect;
  readonly schemaName: string;
  private readonly views = new Map<string, Promise<ConnectorAnswer<string>>>();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly options: DuckDbConnectorOptions & { kind: 'files' | 'database'; format: string | undefined },
  ) {
    this.schemaName = options.kind === 'database' ? (options.server.schema ?? 'main') : 'main';
  }

  /** Opens an in-memory DuckDB; attaches the server's database file read-only for `type: duckdb`. */
  static async create(options: DuckDbConnectorOptions): Promise<ConnectorAnswer<DuckDbConnector>> {
    const { server } = options;
    const kind = server.type === 'duckdb' ? 'database' : 'files';
    const format = formatOf(server);
    if (kind === 'files') {
      if (server.path === undefined) return connectorAnswer.error(`server "${server.server}" has no path`);
      if (format === undefined || !fileFormats.has(format)) {
        return connectorAnswer.error(`server "${server.server}": format ${JSON.stringify(server.format ?? null)} is not supported (csv, parquet, json)`);
      }
    } else if (server.database === undefined && server.path === undefined) {
      return connectorAnswer.error(`server "${server.server}" (type duckdb) has no database path`);
    }
    try {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const connector = new DuckDbConnector(instance, connection, { ...options, kind, format });
      // Ages are computed in UTC whatever the machine's time zone (TIMESTAMPTZ → TIMESTAMP casts use it).
      await connection.run("SET TimeZone = 'UTC'");
      if (kind === 'database') {
        const file = connector.resolvePath(server.database ?? server.path ?? '');
        try {
          await connection.run(`ATTACH ${duckDbDialect.text(file)} AS source (READ_ONLY)`);
          await connection.run('USE source');
        } catch (error) {
          await connector.close();
          return connectorAnswer.error(`cannot open DuckDB database ${file}: ${duckDbError(error)}`);
        }
        await lockDown(connection, { paths: [file, `${file}.wal`], directories: [] });
      } else {
        await lockDown(connection, fileScope(connector.resolvePath(server.path ?? '')));
      }
      return connectorAnswer.ok(connector);
    } catch (error) {
      return connectorAnswer.fromThrown(error);
    }
  }

  private resolvePath(path: string): string {
    return isAbsolute(path) || /^[a-z0-9]+:\/\//i.test(path) ? path : resolve(this.options.workingDir, path);
  }

  /** The (resolved) file path or glob of an object. */
  private objectPath(object: string): string {
    return this.resolvePath((this.options.server.path ?? '').replace(/\{(model|object)\}/g, object));
  }

  /** Where an object is read from, for messages. */
  private where(object: string): string {
    return this.options.kind === 'files' ? `"${object}" (${this.objectPath(object)})` : `"${object}"`;
  }

  /** The table function reading an object's files. Empty CSV cells read as NULL (DuckDB's default). */
  private source(object: string): string {
    const path = this.objectPath(object);
    const file = duckDbDialect.text(path);
    // Files of a glob are unioned by column name (schemas may evolve between files); a single file is
    // read without it, which keeps DuckDB's parallel single-file CSV reader.
    const union = /[*?[{]/.test(path) ? ', union_by_name = true' : '';
    switch (this.options.format) {
      case 'parquet':
        return `read_parquet(${file}${union})`;
      case 'json': {
        const layout = this.options.server.delimiter === 'array' ? 'array' : this.options.server.delimiter === undefined ? 'auto' : 'newline_delimited';
        return `read_json_auto(${file}, format = '${layout}'${union})`;
      }
      default: {
        // The delimiter is fixed (',' unless the server names one) and no leading rows may be skipped:
        // left to itself, DuckDB's sniffer "fixes" a ragged file by skipping rows or reading one column.
        const delimiter = this.options.server.delimiter;
        const delim = delimiter !== undefined && delimiter.length === 1 ? delimiter : ',';
        return `read_csv(${file}, header = true, skip = 0, delim = ${duckDbDialect.text(delim)}${union})`;
      }
    }
  }

  /** The relation an object is read from: a view over its files, or the table in the attached database. */
  private relation(object: string): Promise<ConnectorAnswer<string>> {
    let known = this.views.get(object);
    if (known === undefined) {
      known = (async (): Promise<ConnectorAnswer<string>> => {
        if (this.options.kind === 'database') {
          return connectorAnswer.ok(`${duckDbDialect.quote(this.schemaName)}.${duckDbDialect.quote(object)}`);
        }
        const view = duckDbDialect.quote(object);
        try {
          await this.connection.run(`CREATE VIEW ${view} AS SELECT * FROM ${this.source(object)}`);
          return connectorAnswer.ok(view);
        } catch (error) {
          return connectorAnswer.error(`cannot read ${this.objectPath(object)}: ${duckDbError(error)}`);
        }
      })();
      this.views.set(object, known);
    }
    return known;
  }

  objectReference(object: string): string {
    return duckDbDialect.quote(object);
  }

  async describe(object: string): Promise<ConnectorAnswer<ObjectDescription>> {
    const relation = await this.relation(object);
    if (relation.kind !== 'ok') return relation;
    try {
      const reader = await this.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation.value}`);
      const columns = reader.getRowObjectsJson().map((row) => ({
        name: String(row.column_name),
        type: parseDuckDbType(String(row.column_type)),
      }));
      return connectorAnswer.ok({
        columns,
        typed: this.options.kind === 'database' || this.options.format !== 'csv',
        temporalFromText: this.options.kind === 'files' && this.options.format === 'json',
      });
    } catch (error) {
      const message = duckDbError(error);
      if (/does not exist/i.test(message)) return connectorAnswer.notFound(`object "${object}" does not exist`);
      return connectorAnswer.error(`cannot read ${this.where(object)}: ${message}`);
    }
  }

  async aggregate(object: string, expressions: { alias: string; sql: string }[]): Promise<ConnectorAnswer<Record<string, SqlValue>>> {
    const relation = await this.relation(object);
    if (relation.kind !== 'ok') return relation;
    const list = expressions.map((e) => `${e.sql} AS ${duckDbDialect.quote(e.alias)}`).join(',\n  ');
    try {
      const reader = await this.connection.runAndReadAll(`SELECT\n  ${list}\nFROM ${relation.value}`);
      const [row] = rows(reader.getRowObjectsJS());
      return row === undefined ? connectorAnswer.error('the aggregate query returned no row') : connectorAnswer.ok(row);
    } catch (error) {
      return connectorAnswer.error(`cannot read ${this.where(object)}: ${duckDbError(error)}`);
    }
  }

  async samples(object: string, request: SampleRequest, limit: number): Promise<ConnectorAnswer<Record<string, SqlValue>[]>> {
    const relation = await this.relation(object);
    if (relation.kind !== 'ok') return relation;
    try {
      const reader = await this.connection.runAndReadAll(sampleSql(duckDbDialect.quote, relation.value, request, limit));
      return connectorAnswer.ok(rows(reader.getRowObjectsJS()));
    } catch (error) {
      return connectorAnswer.error(`cannot read ${this.where(object)}: ${duckDbError(error)}`);
    }
  }

  /** Accepts exactly one SELECT statement (DuckDB's own parser decides), interrupted after the timeout. */
  async customSql(sql: string, options: CustomSqlOptions): Promise<ConnectorAnswer<Record<string, SqlValue>[]>> {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      const statements = await this.connection.extractStatements(sql);
      if (statements.count !== 1) return connectorAnswer.error(`refused: the SQL must be exactly one statement (found ${statements.count})`);
      const prepared = await statements.prepare(0);
      if (prepared.statementType !== StatementType.SELECT) {
        return connectorAnswer.error('refused: only a read-only SELECT statement may run');
      }
      timer = setTimeout(() => {
        timedOut = true;
        this.connection.interrupt();
      }, options.timeoutMs);
      const reader = await prepared.runAndReadAll();
      return connectorAnswer.ok(rows(reader.getRowObjectsJS()));
    } catch (error) {
      if (timedOut) return connectorAnswer.error(`the query exceeded the ${options.timeoutMs} ms timeout`);
      return connectorAnswer.error(duckDbError(error));
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
