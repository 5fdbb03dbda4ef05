/** The job-queue suite on either store: on-demand runs as jobs, schedules kept in step with contracts. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../auth/Actor';
import { CheckRunService } from '../services/CheckRunService';
import { ordersContract } from '../services/checkRun.case';
import type { Store } from '../store/createStore';
import { insertTestContract } from '../testing/insertTestContract';
import { CheckRunQueue, scheduleQueueName } from './CheckRunQueue';

/** Waits until `done()` holds (polling), failing after `ms`. */
export async function eventually(done: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Registers the queue suite under `name`. */
export function defineCheckRunQueueSuite(name: string, subject: { store: () => Store }): void {
  describe(`${name}: check-run queue (pg-boss)`, () => {
    let root = '';
    let service: CheckRunService;
    let queue: CheckRunQueue;
    const logged: string[] = [];
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'meshboard-queue-'));
      await writeFile(join(root, 'orders.csv'), 'id,email,amount,created_at\n1,a@example.com,10,2026-01-01 00:00:00\n');
      service = new CheckRunService(subject.store().db, { dataRoot: root, env: {} });
      queue = new CheckRunQueue({ db: subject.store().db, checkRuns: service, log: (line) => logged.push(line), syncIntervalMs: 0, pollingIntervalSeconds: 60, schedulePollingIntervalSeconds: 0.5, schedulePageSize: 2 });
      service.useDispatcher((runId) => queue.enqueue(runId));
      await queue.start();
    });
    afterAll(async () => {
      await queue.stop(5000);
      await rm(root, { recursive: true, force: true });
    });

    // The run worker polls only every 60 s here: these runs finish because enqueue wakes the worker and a
    // finished batch fetches the next at once.
    it('executes a triggered run through the queue', async () => {
      const { id } = await insertTestContract(subject.store().db, { document: ordersContract('orders.csv') });
      const run = await service.trigger(systemActor('test'), { contractId: id, trigger: 'api' });
      expect(run.status).toBe('queued');
      await eventually(async () => !['queued', 'running'].includes((await service.get(run.id)).status));
      expect((await service.get(run.id)).results.length).toBeGreaterThan(0);
    });

    it('drains a backlog of runs back to back instead of one per polling interval', async () => {
      const { id } = await insertTestContract(subject.store().db, { document: ordersContract('orders.csv') });
      const runs: Array<{ id: string }> = [];
      for (let index = 0; index < 4; index++) runs.push(await service.trigger(systemActor('test'), { contractId: id, trigger: 'api' }));
      await eventually(async () => {
        const statuses = await Promise.all(runs.map(async (run) => (await service.get(run.id)).status));
        return statuses.every((status) => status !== 'queued' && status !== 'running');
      });
    });

    it('registers one schedule per contract per distinct cron, runs scheduled jobs, and removes stale schedules', async () => {
      const document = ordersContract('orders.csv');
      // Contracts ahead of it (ids grow), so the sync pages past them (schedulePageSize 2).
      for (let at = 0; at < 3; at++) await insertTestContract(subject.store().db, { document });
      const { id } = await insertTestContract(subject.store().db, { document: { ...document, quality: [{ metric: 'rowCount', schedule: '0 * * * *' }, { metric: 'rowCount', schedule: '30 2 * * 1' }, { metric: 'rowCount', schedule: 'not a cron' }] } });
      await queue.syncSchedules();
      const mine = (await queue.schedules()).filter((s) => s.name.includes(id));
      expect(mine.map((s) => s.cron).sort()).toEqual(['0 * * * *', '30 2 * * 1']);
      expect(mine.map((s) => s.name)).toContain(scheduleQueueName(id, '0 * * * *'));
      expect(logged.some((line) => line.includes('not a cron'))).toBe(true);

      await queue.sendScheduled(id, '0 * * * *');
      await eventually(async () => (await service.list(id, {})).items.some((r) => r.trigger === 'scheduled' && r.status !== 'running' && r.status !== 'queued'));

      await subject.store().db.updateTable('contracts').set({ status: 'retired' }).where('id', '=', id).execute();
      await queue.syncSchedules();
      expect((await queue.schedules()).filter((s) => s.name.includes(id))).toEqual([]);
    });
  });
}
