import { embeddedSuiteStore } from '../../testing/suiteStores';
import { defineRoadmapSuite } from './roadmap.case';

defineRoadmapSuite('embedded (PGlite)', embeddedSuiteStore('roadmap-store'));
