import { embeddedSuiteStore } from '../testing/suiteStores';
import { defineSearchStatesSuite } from './searchStates.case';

defineSearchStatesSuite('embedded (PGlite)', embeddedSuiteStore('search-store'));
