import { embeddedSuiteStore } from '../../testing/suiteStores';
import { definePublishRoutesSuite } from './publishRoutes.case';

definePublishRoutesSuite('embedded (PGlite)', embeddedSuiteStore('publish-routes'));
