import { describe } from 'vitest';
import { postgresAvailable } from '../../../../../test-support/services';
import { postgresSuiteStore } from '../../testing/suiteStores';
import { defineSprintsSuite } from './sprints.case';

const available = await postgresAvailable();

describe.skipIf(!available)('sprints on PostgreSQL', () => {
  defineSprintsSuite('PostgreSQL', postgresSuiteStore());
});
