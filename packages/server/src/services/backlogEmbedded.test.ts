import { embeddedSuiteStore } from '../testing/suiteStores';
import { defineBacklogSuite } from './backlog.case';

defineBacklogSuite('embedded (PGlite)', embeddedSuiteStore('backlog-store'));
