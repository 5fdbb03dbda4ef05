import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createStore, type Store } from '../store/createStore';
import { defineCatalogNotificationSuite } from './catalogNotifications.case';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-notifications-'));
let store: Store | undefined;
beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

defineCatalogNotificationSuite('embedded (PGlite)', {
  store: () => {
    if (store === undefined) throw new Error('store not opened');
    return store;
  },
});
