import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import { systemActor } from '../auth/Actor';
import { sampleContract, sampleProduct } from '../store/catalog.case';
import { createStore, type Store } from '../store/createStore';
import { createServices } from './createServices';
import { defineSearchStatesSuite } from './searchStates.case';

const available = await postgresAvailable();

describe.skipIf(!available)('search states on PostgreSQL', () => {
  let database: TemporaryDatabase | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    database = await createTemporaryDatabase();
    store = await createStore({ kind: 'postgres', url: database.url });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });
  const opened = (): Store => {
    if (store === undefined) throw new Error('store not opened');
    return store;
  };
  defineSearchStatesSuite('PostgreSQL', { store: opened });

  it('loses no state when runs of two contracts of one product finish at the same time', async () => {
    const root = await mkdtemp(join(tmpdir(), 'meshboard-search-race-'));
    try {
      const admin = systemActor('test');
      const services = createServices(opened().db, { checkRuns: { dataRoot: root, env: {} } });
      const domain = await services.domains.create(admin, { slug: 'race', name: 'Race' });
      await writeFile(join(root, 'good.csv'), 'id\n1\n2\n');
      await writeFile(join(root, 'bad.csv'), 'id\n1\n1\n');
      const contract = (id: string, file: string) => ({
        ...sampleContract({ id, domain: domain.slug }),
        servers: [{ server: 'files', type: 'local', format: 'csv', path: file }],
        schema: [{ name: 't', logicalType: 'object', properties: [{ name: 'id', logicalType: 'integer', unique: true }] }],
      });
      const good = (await services.contracts.publish(admin, { document: contract('race-good', 'good.csv') })).item;
      const bad = (await services.contracts.publish(admin, { document: contract('race-bad', 'bad.csv') })).item;
      const product = (
        await services.products.publish(admin, {
          document: { ...sampleProduct({ id: 'race-product', domain: domain.slug, contractId: 'race-good' }), outputPorts: [{ name: 'a', version: '1.0.0', contractId: 'race-good' }, { name: 'b', version: '1.0.0', contractId: 'race-bad' }] },
        })
      ).item;
      // Hold the product's entry so both finishing runs queue up behind it, then let them go together.
      let statuses: string[] = [];
      await opened().db.transaction().execute(async (trx) => {
        await sql`select 1 from search_entries where entity_id = ${product.id}::uuid and kind = 'product' for update`.execute(trx);
        const runs = Promise.all([services.checkRuns.runNow(admin, { contractId: good.id, trigger: 'api' }), services.checkRuns.runNow(admin, { contractId: bad.id, trigger: 'api' })]);
        for (let attempt = 0; attempt < 200; attempt += 1) {
          const waiting = await sql<{ count: number }>`select count(*)::int as count from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(opened().db);
          if ((waiting.rows[0]?.count ?? 0) >= 2) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        runs.then((done) => (statuses = done.map((run) => run.status))).catch(() => undefined);
      });
      await expect.poll(() => statuses, { timeout: 20_000 }).toEqual(['passed', 'failed']);
      const hit = (await services.search.search({ domainId: domain.id, kind: 'product' })).items[0];
      expect(hit).toMatchObject({ id: product.id, qualityState: 'failed' });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
