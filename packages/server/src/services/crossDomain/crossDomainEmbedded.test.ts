import { embeddedSuiteStore } from '../../testing/suiteStores';
import { defineCrossDomainSuite } from './crossDomain.case';

defineCrossDomainSuite('embedded (PGlite)', embeddedSuiteStore('cross-domain-store'));
