/**
 * The recommended PostgreSQL set-up for tests: a temporary database plus a least-privilege LOGIN role
 * that may only SELECT from `public` (docs/checks.md), since contract SQL refuses to run as a superuser.
 * Role names are cluster-wide, so each one is unique per run and dropped with the database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTemporaryDatabase, postgresAdminUrl, type TemporaryDatabase } from '../../../../test-support/services';

/** A temporary database with a SELECT-only role; `drop` removes both. */
export interface ReaderDatabase {
  database: TemporaryDatabase;
  /** A server entry pointing at the database (schema `public`). */
  server: { server: string; type: string; host: string; port: number; database: string; schema: string };
  /** Credentials of the SELECT-only role. */
  readerEnv: Record<string, string>;
  /** Credentials of the (superuser) admin the database was created with. */
  adminEnv: Record<string, string>;
  /** Runs set-up SQL as the admin (tables created later are readable by the role too). */
  setUp: (...statements: string[]) => Promise<void>;
  drop: () => Promise<void>;
}

/** Creates the database and its SELECT-only role. */
export async function createReaderDatabase(prefix: string): Promise<ReaderDatabase> {
  const database = await createTemporaryDatabase(prefix);
  const role = `meshboard_reader_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const url = new URL(database.url);
  const adminUser = decodeURIComponent(url.username) || 'postgres';
  const setUp = async (...statements: string[]): Promise<void> => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await setUp(
    `CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`,
    `GRANT CONNECT ON DATABASE "${database.name}" TO "${role}"`,
    `GRANT USAGE ON SCHEMA public TO "${role}"`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "${role}"`,
  );
  return {
    database,
    server: { server: 'pg', type: 'postgres', host: url.hostname, port: Number(url.port || 5432), database: database.name, schema: 'public' },
    readerEnv: { MESHBOARD_POSTGRES_USER: role },
    adminEnv: { MESHBOARD_POSTGRES_USER: adminUser },
    setUp,
    drop: async () => {
      // The database goes first: it holds the role's grants.
      await database.drop();
      const admin = new pg.Client({ connectionString: postgresAdminUrl });
      await admin.connect();
      try {
        await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      } finally {
        await admin.end();
      }
    },
  };
}
