import { describe } from 'vitest';
import { postgresAvailable } from '../../../../../test-support/services';
import { postgresSuiteStore } from '../../testing/suiteStores';
import { defineRoadmapSuite } from './roadmap.case';

const available = await postgresAvailable();

describe.skipIf(!available)('roadmap on PostgreSQL', () => {
  defineRoadmapSuite('PostgreSQL', postgresSuiteStore());
});
