/**
 * The store a `*.case.ts` suite runs on, opened before and closed after the enclosing suite: an embedded
 * store in a fresh temporary directory, or a PostgreSQL store on a fresh temporary database. Call inside
 * a `describe` (or at a file's top level); hand the returned `{store}` to the suite's `define…Suite`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../../../test-support/services';
import { createStore, type Store } from '../store/createStore';

/** What a suite needs: the open store (throws when asked before `beforeAll` opened it). */
export interface SuiteStore {
  store: () => Store;
}

function holder(get: () => Store | undefined): SuiteStore {
  return {
    store: () => {
      const store = get();
      if (store === undefined) throw new Error('store not opened');
      return store;
    },
  };
}

/** An embedded (PGlite) store in a new temporary directory named after `prefix`, removed afterwards. */
export function embeddedSuiteStore(prefix: string): SuiteStore {
  const dataDir = mkdtempSync(join(tmpdir(), `meshboard-${prefix}-`));
  let store: Store | undefined;
  beforeAll(async () => {
    store = await createStore({ kind: 'embedded', dataDir });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return holder(() => store);
}

/** A PostgreSQL store on a new temporary database, dropped afterwards (guard with postgresAvailable). */
export function postgresSuiteStore(): SuiteStore {
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
  return holder(() => store);
}
