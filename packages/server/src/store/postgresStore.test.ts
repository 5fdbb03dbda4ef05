import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAdminUrl, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import { createStore, type Store } from './createStore';
import { defineCatalogSuite } from './catalog.case';
import { defineConcurrencySuite, defineStoreSuite } from './store.case';

const available = await postgresAvailable();

describe.skipIf(!available)('PostgreSQL store', () => {
  let database: TemporaryDatabase | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    database = await createTemporaryDatabase();
    store = await createStore({ kind: 'postgres', url: database.url });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });
  const opened = (): Store => {
    if (store === undefined) throw new Error('store not opened');
    return store;
  };
  defineStoreSuite('PostgreSQL', { store: opened });
  defineCatalogSuite('PostgreSQL', { store: opened });
  defineConcurrencySuite('PostgreSQL', { store: opened });

  it('survives the server dropping its idle connections and reconnects on the next query', async () => {
    const idleErrors: Error[] = [];
    const own = await createStore({ kind: 'postgres', url: database?.url ?? '', onIdleError: (error) => idleErrors.push(error) });
    try {
      await sql`select 1`.execute(own.db);
      const admin = new pg.Client({ connectionString: postgresAdminUrl });
      await admin.connect();
      try {
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database?.name]);
      } finally {
        await admin.end();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(idleErrors.length).toBeGreaterThan(0);
      const answer = await sql<{ one: number }>`select 1 as one`.execute(own.db);
      expect(answer.rows[0]?.one).toBe(1);
    } finally {
      await own.close();
    }
  });
});
