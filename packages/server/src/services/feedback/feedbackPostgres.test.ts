import { describe } from 'vitest';
import { postgresAvailable } from '../../../../../test-support/services';
import { postgresSuiteStore } from '../../testing/suiteStores';
import { defineFeedbackSuite } from './feedback.case';

const available = await postgresAvailable();

describe.skipIf(!available)('feedback on PostgreSQL', () => {
  defineFeedbackSuite('PostgreSQL', postgresSuiteStore());
});
