import { embeddedSuiteStore } from '../testing/suiteStores';
import { defineProductInsightSuite } from './productInsight.case';

defineProductInsightSuite('embedded (PGlite)', embeddedSuiteStore('insights'));
