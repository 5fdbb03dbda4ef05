import { embeddedSuiteStore } from '../testing/suiteStores';
import { defineAccessSuite } from './access.case';

defineAccessSuite('embedded (PGlite)', embeddedSuiteStore('access-store'));
