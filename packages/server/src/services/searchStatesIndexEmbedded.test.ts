import { embeddedSuiteStore } from '../testing/suiteStores';
import { defineSearchStatesSuite } from './searchStates.case';

// The same suite with searches answered by the in-memory index (kept current from search_changes).
defineSearchStatesSuite('embedded (PGlite), in-memory index', embeddedSuiteStore('search-index-states'), { searchIndex: true });
