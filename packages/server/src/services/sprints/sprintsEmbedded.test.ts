import { embeddedSuiteStore } from '../../testing/suiteStores';
import { defineSprintsSuite } from './sprints.case';

defineSprintsSuite('embedded (PGlite)', embeddedSuiteStore('sprints-store'));
