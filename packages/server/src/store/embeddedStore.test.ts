import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from './createStore';
import { DataDirLockedError } from './DataDirLock';
import { defineCatalogSuite } from './catalog.case';
import { defineStoreSuite } from './store.case';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-store-'));
let store: Store | undefined;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function opened(): Store {
  if (store === undefined) throw new Error('store not opened');
  return store;
}

defineStoreSuite('embedded (PGlite)', { store: opened });
defineCatalogSuite('embedded (PGlite)', { store: opened });

describe('embedded store: ownership of the data directory', () => {
  it('refuses a second open of a directory this process owns', async () => {
    await expect(createStore({ kind: 'embedded', dataDir })).rejects.toThrow(DataDirLockedError);
  });

  it('keeps data across close and reopen, and frees the lock on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshboard-reopen-'));
    try {
      const first = await createStore({ kind: 'embedded', dataDir: dir });
      await first.db.insertInto('domains').values({ id: crypto.randomUUID(), slug: 'kept', name: 'Kept', description: '' }).execute();
      await first.close();
      const second = await createStore({ kind: 'embedded', dataDir: dir });
      const row = await second.db.selectFrom('domains').select('slug').executeTakeFirst();
      await second.close();
      expect(row?.slug).toBe('kept');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
