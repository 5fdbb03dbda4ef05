import { describe } from 'vitest';
import { postgresAvailable } from '../../../../../test-support/services';
import { postgresSuiteStore } from '../../testing/suiteStores';
import { defineProductReadSuite } from './productRead.case';

const available = await postgresAvailable();

describe.skipIf(!available)('product reads on PostgreSQL', () => {
  defineProductReadSuite('PostgreSQL', postgresSuiteStore());
});
