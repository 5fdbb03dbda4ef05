import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './DataDirLock';
import type { Database } from './Database';
import { codeMigrationProvider } from './migrations';
import { pglitePgConfig } from './pglitePgConfig';
import { withPreparedStatements } from './preparedStatements';

/** Where the data lives: an embedded PGlite data directory or a PostgreSQL server. */
export type StoreOptions =
  | { kind: 'embedded'; dataDir: string }
  | { kind: 'postgres'; url: string; poolSize?: number; onIdleError?: (error: Error) => void };

/**
 * Commit notifications for the search index (migration 0018): `listen(onChange)` calls `onChange` after
 * every commit that logged search changes, before that commit's statement answers whoever made it, so a
 * reader told of no change since its last look knows nothing was committed since. It resolves to the way
 * to stop listening. Only the embedded store offers it, and its contract includes why it can: every
 * statement, the reader's too, runs on PGlite's one session, one at a time (the pool holds one
 * connection), so no transaction is open while the reader's own statement runs.
 */
export interface SearchChangeFeed {
  listen(onChange: () => void): Promise<() => Promise<void>>;
}

/** An open store: the Kysely handle, what it runs on, and `close()` (releases pool, PGlite, lock). */
export interface Store {
  kind: StoreOptions['kind'];
  db: Kysely<Database>;
  /** Set on the embedded store only (see {@link SearchChangeFeed}). */
  searchChanges?: SearchChangeFeed;
  close: () => Promise<void>;
}

/** The channel migration 0018's trigger notifies. */
const searchChangesChannel = 'meshboard_search_changes';

// Return bigint/numeric columns as strings (pg's default) but int8 counts we read are cast in SQL.

/**
 * Opens a store and brings its schema up to date. The embedded kind takes the data directory's lock
 * first (throwing `DataDirLockedError` when another live process owns it), then opens PGlite and
 * wraps it in a real `pg` Pool through PGlite's node-postgres adapter, so the same Kysely dialect,
 * migrations and type parsing serve both kinds.
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover, pg_terminate_backend) is emitted as a
    // pool 'error'; unhandled, it would crash the process. The pool discards that client and the next
    // query opens a new connection, so reporting it is enough.
    pool.on('error', (error) => options.onIdleError?.(error));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return { kind: 'postgres', db, close: () => db.destroy() };
  }
  const lock: DataDirLock = acquireDataDirLock(options.dataDir);
  let pglite: PGlite | undefined;
  try {
    // pg_trgm (typo-tolerant search) is a contrib extension PGlite loads only when passed here.
    pglite = await PGlite.create({ dataDir: options.dataDir, extensions: { pg_trgm } });
    const pool = new pg.Pool(pglitePgConfig(pglite));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
    await migrateToLatest(db);
    const owned = pglite;
    let closed = false;
    let listening: Promise<void> | undefined;
    return {
      kind: 'embedded',
      db,
      searchChanges: {
        listen: async (onChange) => {
          const listener = (channel: string): void => {
            if (channel === searchChangesChannel) onChange();
          };
          const stop = owned.onNotification(listener);
          // Through the pool, not PGlite's own listen(): that would run LISTEN beside the pool's one
          // connection, inside whatever transaction it has open (and a rollback would undo it). The
          // session keeps listening until the store closes; other listeners may share it.
          listening ??= sql`listen ${sql.raw(searchChangesChannel)}`.execute(db).then(() => undefined);
          try {
            await listening;
          } catch (error) {
            listening = undefined;
            stop();
            throw error;
          }
          return async () => stop();
        },
      },
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await db.destroy();
          await owned.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    lock.release();
    throw error;
  }
}

/**
 * Whether every migration in code is already recorded as applied. One catalog look-up and one read of
 * Kysely's own bookkeeping table, instead of the Migrator's table/lock set-up: a restart on an
 * up-to-date store (the common case) skips the Migrator entirely. A store that is behind (or has never
 * been migrated) answers false and goes through the Migrator, which takes its lock and re-checks; so
 * does one with a migration this code does not know.
 */
export async function isSchemaCurrent(db: Kysely<Database>): Promise<boolean> {
  const table = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (table.rows[0]?.present !== true) return false;
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const inCode = new Set(Object.keys(await codeMigrationProvider.getMigrations()));
  // Exactly the same set: a migration applied by a newer server (unknown here) is left to the Migrator,
  // which refuses such a store with its own error.
  return applied.rows.length === inCode.size && applied.rows.every((row) => inCode.has(row.name));
}

/** Applies every pending migration; throws the first migration error with the migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  if (await isSchemaCurrent(db)) return;
  const migrator = new Migrator({ db, provider: codeMigrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error');
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: error });
  }
}
