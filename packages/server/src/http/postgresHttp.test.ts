import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import { createServices } from '../services/createServices';
import { seedDemo } from '../services/seedDemo';
import { createStore, type Store } from '../store/createStore';
import type { App } from './AppEnv';
import { createApp } from './createApp';

const available = await postgresAvailable();

function fail(): never {
  throw new Error('store not opened');
}

describe.skipIf(!available)('HTTP API on PostgreSQL: real races through If-Match', () => {
  let database: TemporaryDatabase | undefined;
  let store: Store | undefined;
  let app: App;
  let token = '';
  beforeAll(async () => {
    database = await createTemporaryDatabase();
    store = await createStore({ kind: 'postgres', url: database.url });
    const services = createServices(store.db);
    token = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
    const db = store.db;
    app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(db)) });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const send = (path: string, init: { method: string; body: unknown; ifMatch?: string }): Promise<Response> =>
    Promise.resolve(
      app.request(path, {
        method: init.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.ifMatch === undefined ? {} : { 'if-match': init.ifMatch }) },
        body: JSON.stringify(init.body),
      }),
    );

  it('seeds the demo mesh once when several servers start together', async () => {
    const seeded = await Promise.all([seedDemo(store?.db ?? fail()), seedDemo(store?.db ?? fail()), seedDemo(store?.db ?? fail())]);
    expect(seeded.filter(Boolean)).toHaveLength(1);
  });

  it('lets exactly one of two PATCHes with the same ETag win, every round, and audits only the winner', async () => {
    for (let round = 0; round < 10; round += 1) {
      const created = (await (await send('/api/domains', { method: 'POST', body: { slug: `race-${round}`, name: 'Start' } })).json()) as { id: string };
      const answers = await Promise.all(['A', 'B'].map((name) => send(`/api/domains/${created.id}`, { method: 'PATCH', body: { name }, ifMatch: '"v1"' })));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
      const audit = await store?.db.selectFrom('audit_events').select('action').where('entity_id', '=', created.id).execute();
      expect(audit?.map((row) => row.action).sort()).toEqual(['domain.create', 'domain.update']);
    }
  });
});
