import { describe } from 'vitest';
import { postgresAvailable } from '../../../../test-support/services';
import { postgresSuiteStore } from '../testing/suiteStores';
import { defineCatalogNotificationSuite } from './catalogNotifications.case';

const available = await postgresAvailable();

describe.skipIf(!available)('catalog notifications on PostgreSQL', () => {
  defineCatalogNotificationSuite('PostgreSQL', postgresSuiteStore());
});
