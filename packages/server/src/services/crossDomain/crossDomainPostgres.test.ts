import { describe } from 'vitest';
import { postgresAvailable } from '../../../../../test-support/services';
import { postgresSuiteStore } from '../../testing/suiteStores';
import { defineCrossDomainSuite } from './crossDomain.case';

const available = await postgresAvailable();

describe.skipIf(!available)('cross-domain requests and demands on PostgreSQL', () => {
  defineCrossDomainSuite('PostgreSQL', postgresSuiteStore());
});
