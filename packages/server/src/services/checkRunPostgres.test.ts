import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import { systemActor } from '../auth/Actor';
import { createStore, type Store } from '../store/createStore';
import { insertTestContract } from '../testing/insertTestContract';
import { defineCheckRunSuite } from './checkRun.case';
import { CheckRunService } from './CheckRunService';

const available = await postgresAvailable();

describe.skipIf(!available)('check runs on PostgreSQL', () => {
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
  defineCheckRunSuite('PostgreSQL', { store: opened });

  it('checks a real PostgreSQL table with credentials from the environment, never storing them', async () => {
    const url = new URL(database?.url ?? '');
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query('create schema sales; create table sales.payments (id integer primary key, amount numeric, paid_at timestamptz)');
      await client.query("insert into sales.payments values (1, 10, now()), (2, -5, now()), (3, null, now() - interval '2 hours')");
    } finally {
      await client.end();
    }
    const service = new CheckRunService(opened().db, { dataRoot: '/nonexistent', env: { MESHBOARD_POSTGRES_USER: url.username || 'postgres', MESHBOARD_POSTGRES_PASSWORD: 'secret-not-stored' } });
    const { id } = await insertTestContract(opened().db, {
      document: {
        servers: [{ server: 'warehouse', type: 'postgres', host: url.hostname, port: Number(url.port || 5432), database: url.pathname.slice(1), schema: 'sales' }],
        schema: [{ name: 'payments', properties: [{ name: 'id', logicalType: 'integer', required: true, unique: true }, { name: 'amount', logicalType: 'number', required: true, logicalTypeOptions: { minimum: 0 } }, { name: 'paid_at', logicalType: 'timestamp' }] }],
        slaProperties: [{ property: 'freshness', value: 1, unit: 'h', element: 'payments.paid_at' }],
      },
    });
    const run = await service.runNow(systemActor('test'), { contractId: id, trigger: 'api' });
    expect(run.status).toBe('failed');
    expect(run.results.find((r) => r.key === 'payments.amount.field_required')).toMatchObject({ result: 'failed', measured: 1 });
    expect(run.results.find((r) => r.key === 'payments.id.field_type')).toMatchObject({ result: 'passed' });
    expect(run.results.find((r) => r.category === 'sla')).toMatchObject({ result: 'passed' });
    const stored = JSON.stringify(await opened().db.selectFrom('check_results').selectAll().where('run_id', '=', run.id).execute());
    expect(stored).not.toContain('secret-not-stored');
  });
});
