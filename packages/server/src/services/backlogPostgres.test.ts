import { describe } from 'vitest';
import { postgresAvailable } from '../../../../test-support/services';
import { postgresSuiteStore } from '../testing/suiteStores';
import { defineBacklogSuite } from './backlog.case';

const available = await postgresAvailable();

describe.skipIf(!available)('backlog on PostgreSQL', () => {
  defineBacklogSuite('PostgreSQL', postgresSuiteStore());
});
