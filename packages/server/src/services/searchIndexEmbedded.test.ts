import { embeddedSuiteStore } from '../testing/suiteStores';
import { defineSearchIndexSuite } from './searchIndex.case';

defineSearchIndexSuite('embedded (PGlite)', embeddedSuiteStore('search-index'));
