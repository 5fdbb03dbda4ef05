import { embeddedSuiteStore } from '../testing/suiteStores';
import { defineLifecycleSuite } from './lifecycle.case';

defineLifecycleSuite('embedded (PGlite)', embeddedSuiteStore('lifecycle'));
