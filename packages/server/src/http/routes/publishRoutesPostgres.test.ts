import { describe } from 'vitest';
import { postgresAvailable } from '../../../../../test-support/services';
import { postgresSuiteStore } from '../../testing/suiteStores';
import { definePublishRoutesSuite } from './publishRoutes.case';

const available = await postgresAvailable();

describe.skipIf(!available)('batch publish on PostgreSQL', () => {
  definePublishRoutesSuite('PostgreSQL', postgresSuiteStore());
});
