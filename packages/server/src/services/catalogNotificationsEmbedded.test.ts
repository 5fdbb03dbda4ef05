import { embeddedSuiteStore } from '../testing/suiteStores';
import { defineCatalogNotificationSuite } from './catalogNotifications.case';

defineCatalogNotificationSuite('embedded (PGlite)', embeddedSuiteStore('notifications'));
