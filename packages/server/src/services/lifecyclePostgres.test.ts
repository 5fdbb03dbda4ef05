import { describe } from 'vitest';
import { postgresAvailable } from '../../../../test-support/services';
import { postgresSuiteStore } from '../testing/suiteStores';
import { defineLifecycleSuite } from './lifecycle.case';

const available = await postgresAvailable();

describe.skipIf(!available)('product lifecycle on PostgreSQL', () => {
  defineLifecycleSuite('PostgreSQL', postgresSuiteStore());
});
