/**
 * pg-boss on PostgreSQL: the queue suite, and exactly-once execution with two server processes' queues
 * (two pools, two pg-boss instances) consuming one queue on one temporary database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import { connectorAnswer, type ConnectorFactory } from '@meshboard/checks';
import { systemActor } from '../auth/Actor';
import { CheckRunService } from '../services/CheckRunService';
import { createStore, type Store } from '../store/createStore';
import { insertTestContract } from '../testing/insertTestContract';
import { CheckRunQueue } from './CheckRunQueue';
import { defineCheckRunQueueSuite, eventually } from './checkRunQueue.case';

const available = await postgresAvailable();

/** A connector factory that takes a while and then fails to connect: each execution is visible and slow enough to overlap. */
const slowFactory: ConnectorFactory = async () => {
  await new Promise((resolve) => setTimeout(resolve, 60));
  return connectorAnswer.error('test connector: no data here');
};

/** Counts the runs this process's workers executed. */
class CountingService extends CheckRunService {
  readonly executed: string[] = [];
  override async execute(runId: string): Promise<boolean> {
    this.executed.push(runId);
    return super.execute(runId);
  }
}

describe.skipIf(!available)('check-run queue on PostgreSQL', () => {
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
  defineCheckRunQueueSuite('PostgreSQL', { store: opened });

  it('runs each job exactly once with two pg-boss instances on one database', async () => {
    const second = await createStore({ kind: 'postgres', url: database?.url ?? '' });
    const services = [new CountingService(opened().db, { dataRoot: '/nonexistent', env: {}, connectorFactory: slowFactory }), new CountingService(second.db, { dataRoot: '/nonexistent', env: {}, connectorFactory: slowFactory })];
    const queues = services.map((service, i) => new CheckRunQueue({ db: i === 0 ? opened().db : second.db, checkRuns: service, log: () => undefined, syncIntervalMs: 0, pollingIntervalSeconds: 0.5 }));
    try {
      await Promise.all(queues.map((queue) => queue.start()));
      const { id } = await insertTestContract(opened().db, { document: { servers: [{ server: 'files', type: 'local', format: 'csv', path: 'x.csv' }], schema: [{ name: 'x' }] } });
      const runs: string[] = [];
      for (let i = 0; i < 24; i++) runs.push((await services[0]?.create(systemActor('test'), { contractId: id, trigger: 'api' }))?.id ?? '');
      // Enqueue from both processes, as two API servers would.
      await Promise.all(runs.map((runId, i) => queues[i % 2]?.enqueue(runId)));
      await eventually(async () => (await opened().db.selectFrom('check_runs').select('id').where('contract_id', '=', id).where('status', 'in', ['queued', 'running']).execute()).length === 0, 30_000);
      const executed = services.flatMap((service) => service.executed);
      expect(executed.sort()).toEqual([...runs].sort());
      expect(services.every((service) => service.executed.length > 0)).toBe(true);
      const finishes = await opened().db.selectFrom('audit_events').select('entity_id').where('action', '=', 'check_run.finish').where('entity_id', 'in', runs).execute();
      expect(finishes).toHaveLength(runs.length);
      const statuses = await opened().db.selectFrom('check_runs').select('status').where('contract_id', '=', id).execute();
      expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(['error']));
    } finally {
      await Promise.all(queues.map((queue) => queue.stop(5000)));
      await second.close();
    }
  });
});
