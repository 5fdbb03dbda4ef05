import { describe } from 'vitest';
import { postgresAvailable } from '../../../../test-support/services';
import { postgresSuiteStore } from '../testing/suiteStores';
import { defineProductInsightSuite } from './productInsight.case';

const available = await postgresAvailable();

describe.skipIf(!available)('product insights on PostgreSQL', () => {
  defineProductInsightSuite('PostgreSQL', postgresSuiteStore());
});
