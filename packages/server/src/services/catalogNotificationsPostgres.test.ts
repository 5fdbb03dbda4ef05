import { afterAll, beforeAll, describe } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import { createStore, type Store } from '../store/createStore';
import { defineCatalogNotificationSuite } from './catalogNotifications.case';

const available = await postgresAvailable();

describe.skipIf(!available)('catalog notifications on PostgreSQL', () => {
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
  defineCatalogNotificationSuite('PostgreSQL', {
    store: () => {
      if (store === undefined) throw new Error('store not opened');
      return store;
    },
  });
});
