import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createStore, type Store } from '../../store/createStore';
import { defineProductLoopRoutesSuite } from '../../http/routes/productLoopRoutes.case';
import { defineProductLoopSuite } from './productLoop.case';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-loop-store-'));
let store: Store | undefined;
beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const opened = (): Store => {
  if (store === undefined) throw new Error('store not opened');
  return store;
};
// One PGlite store for the service and the HTTP suites: opening one costs seconds.
defineProductLoopSuite('embedded (PGlite)', { store: opened });
defineProductLoopRoutesSuite('embedded (PGlite)', { store: opened });
