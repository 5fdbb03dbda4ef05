import { afterAll, beforeAll, describe } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import { createStore, type Store } from '../store/createStore';
import { postgresSuiteStore } from '../testing/suiteStores';
import { defineSearchIndexSuite, defineSharedDatabaseSearchSuite } from './searchIndex.case';

const available = await postgresAvailable();

describe.skipIf(!available)('search index on PostgreSQL', () => {
  defineSearchIndexSuite('PostgreSQL', postgresSuiteStore());

  // Two stores (pools) on one database stand for two server processes.
  let database: TemporaryDatabase | undefined;
  let first: Store | undefined;
  let second: Store | undefined;
  beforeAll(async () => {
    database = await createTemporaryDatabase();
    first = await createStore({ kind: 'postgres', url: database.url });
    second = await createStore({ kind: 'postgres', url: database.url });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });
  const opened = (store: Store | undefined) => () => {
    if (store === undefined) throw new Error('store not opened');
    return store;
  };
  defineSharedDatabaseSearchSuite('PostgreSQL', { first: () => opened(first)(), second: () => opened(second)() });
});
