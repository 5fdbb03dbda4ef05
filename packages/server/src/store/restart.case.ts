/**
 * The restart path, on each store (`restartEmbedded.test.ts`, `restartPostgres.test.ts`): an up-to-date
 * schema skips the Migrator, a store with an unknown migration still goes through it (and is refused),
 * and a server restarted on existing data answers at once while its job queue starts beside it — a run
 * queued in the first moments waits for the queue and is executed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { startServer } from '../startServer';
import { insertTestContract } from '../testing/insertTestContract';
import { createStore, isSchemaCurrent, migrateToLatest, type StoreOptions } from './createStore';
import { migrations } from './migrations';

/** How a suite file provides stores: a fresh, empty store location per call, and its clean-up. */
export interface RestartSubject {
  fresh: () => Promise<{ options: StoreOptions; dispose: () => Promise<void> }>;
}

const adminToken = 'mbt_restarttestrestarttestrestarttest0000';

export function defineRestartSuite(name: string, subject: RestartSubject): void {
  describe(`${name}: restart path`, () => {
    it('recognises an up-to-date schema, and leaves a store with an unknown migration to the Migrator', async () => {
      const { options, dispose } = await subject.fresh();
      try {
        const store = await createStore(options);
        try {
          expect(await isSchemaCurrent(store.db)).toBe(true);
          const applied = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(store.db);
          expect(applied.rows[0]?.n).toBe(Object.keys(migrations).length);
          // One applied migration missing (as after an upgrade): not current.
          const [last] = Object.keys(migrations).slice(-1);
          await sql`delete from kysely_migration where name = ${last}`.execute(store.db);
          expect(await isSchemaCurrent(store.db)).toBe(false);
          await sql`insert into kysely_migration (name, timestamp) values (${last}, ${new Date().toISOString()})`.execute(store.db);
          expect(await isSchemaCurrent(store.db)).toBe(true);
          // A migration this code does not know (a newer server ran it): not current, and the Migrator refuses.
          await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', ${new Date().toISOString()})`.execute(store.db);
          expect(await isSchemaCurrent(store.db)).toBe(false);
          await expect(migrateToLatest(store.db)).rejects.toThrow(/9999_from_the_future/);
        } finally {
          await store.close();
        }
      } finally {
        await dispose();
      }
    });

    it('answers health at once after a restart and executes a run queued while the job queue starts', async () => {
      const { options, dispose } = await subject.fresh();
      const dataRoot = mkdtempSync(join(tmpdir(), 'meshboard-restart-root-'));
      try {
        writeFileSync(join(dataRoot, 'orders.csv'), 'id,amount\n1,10\n2,20\n');
        const start = () => startServer({ store: options, port: 0, hostname: '127.0.0.1', adminToken, demo: false, dataRoot, log: () => undefined });
        const first = await start();
        await first.close();
        // Written while the server is down, so the restarted server's first request is its first run.
        const seeding = await createStore(options);
        let contractId: string;
        try {
          contractId = (
            await insertTestContract(seeding.db, {
              document: { servers: [{ server: 'local', type: 'local', format: 'csv', path: 'orders.csv' }], schema: [{ name: 'orders', properties: [{ name: 'id', logicalType: 'integer', required: true }] }] },
            })
          ).id;
        } finally {
          await seeding.close();
        }
        const second = await start();
        try {
          const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
          expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
          const queued = await fetch(`${second.url}/api/contracts/${contractId}/runs`, { method: 'POST', headers, body: '{}' });
          expect(queued.status).toBe(202);
          const runId = ((await queued.json()) as { id: string }).id;
          let status = 'queued';
          for (let attempt = 0; attempt < 300 && (status === 'queued' || status === 'running'); attempt++) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            status = ((await (await fetch(`${second.url}/api/runs/${runId}`, { headers })).json()) as { status: string }).status;
          }
          expect(status).toBe('passed');
        } finally {
          await second.close();
        }
      } finally {
        rmSync(dataRoot, { recursive: true, force: true });
        await dispose();
      }
    }, 60_000);
  });
}
