/**
 * Shared set-up for suites that need a real service (PostgreSQL, Chromium).
 *
 * Contract: locally a missing service skips the suite with a one-line reason; with
 * MESHBOARD_TEST_STRICT=1 (set by .ci/run) a missing service fails the run instead, so CI can never
 * pass by silently skipping.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const strict = process.env.MESHBOARD_TEST_STRICT === '1';

/** The server-level URL tests connect to in order to create their own databases. */
export const postgresAdminUrl =
  process.env.MESHBOARD_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function canConnect(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Resolves whether PostgreSQL is reachable. Use as `describe.skipIf(!(await postgresAvailable()))`.
 * Throws under strict mode when it is not, and prints the reason for the skip otherwise.
 */
export async function postgresAvailable(): Promise<boolean> {
  const problem = await canConnect(postgresAdminUrl);
  if (problem === undefined) return true;
  const message = `PostgreSQL at ${postgresAdminUrl} is not reachable (${problem})`;
  if (strict) throw new Error(`${message}; MESHBOARD_TEST_STRICT=1 forbids skipping`);
  console.warn(`skipped: ${message}`);
  return false;
}

/** Where Debian's Chromium lives; the browser suites drive it through playwright-core. */
export const chromiumPath = process.env.MESHBOARD_CHROMIUM ?? '/usr/bin/chromium';

/** Whether Chromium is installed; throws under strict mode when it is not. */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  const message = `Chromium not found at ${chromiumPath} (apt-get install -y chromium)`;
  if (strict) throw new Error(`${message}; MESHBOARD_TEST_STRICT=1 forbids skipping`);
  console.warn(`skipped: ${message}`);
  return false;
}

/** A database created for one test run, with its URL; `drop()` removes it and its connections. */
export interface TemporaryDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/**
 * Creates a uniquely named database on the test server. The server outlives test runs, so every run
 * works in its own database and drops it at the end.
 */
export async function createTemporaryDatabase(prefix = 'meshboard_test'): Promise<TemporaryDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
