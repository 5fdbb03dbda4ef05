import { embeddedSuiteStore } from '../../testing/suiteStores';
import { defineProductReadSuite } from './productRead.case';

defineProductReadSuite('embedded (PGlite)', embeddedSuiteStore('product-read'));
