import { describe } from 'vitest';
import { postgresAvailable } from '../../../../test-support/services';
import { postgresSuiteStore } from '../testing/suiteStores';
import { defineSearchStatesSuite } from './searchStates.case';

const available = await postgresAvailable();

// The same suite with searches answered by the in-memory index (kept current from search_changes).
describe.skipIf(!available)('search states on PostgreSQL, in-memory index', () => {
  defineSearchStatesSuite('PostgreSQL, in-memory index', postgresSuiteStore(), { searchIndex: true });
});
