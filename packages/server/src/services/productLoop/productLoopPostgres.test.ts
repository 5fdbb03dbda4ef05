import { afterAll, beforeAll, describe } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../../test-support/services';
import { createStore, type Store } from '../../store/createStore';
import { defineProductLoopRoutesSuite } from '../../http/routes/productLoopRoutes.case';
import { defineProductLoopSuite } from './productLoop.case';

const available = await postgresAvailable();

describe.skipIf(!available)('product loop on PostgreSQL', () => {
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
  defineProductLoopSuite('PostgreSQL', { store: opened });
  defineProductLoopRoutesSuite('PostgreSQL', { store: opened });
});
