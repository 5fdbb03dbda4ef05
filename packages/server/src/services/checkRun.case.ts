/**
 * The check-run suite, run on both stores (checkRunEmbedded.test.ts, checkRunPostgres.test.ts): the real
 * engine on small CSV files written to a temporary data root, results stored per check, trends, SLA
 * compliance, authorisation and the atomic claim of a run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../auth/Actor';
import { InputError, NotAllowedError, NotFoundError } from '../errors/errors';
import type { Store } from '../store/createStore';
import type { JsonValue } from '../store/Database';
import { insertTestContract } from '../testing/insertTestContract';
import { CheckRunService } from './CheckRunService';

/** How a suite file provides its store. */
export interface CheckRunSubject {
  store: () => Store;
}

function actor(roles: Record<string, ('data_product_owner' | 'data_owner' | 'producer' | 'member')[]>): Actor {
  return { userId: null, label: 'tester@test', isAdmin: false, domainRoles: new Map(Object.entries(roles).map(([d, r]) => [d, new Set(r)])) };
}

const badOrders = 'id,email,amount,created_at\n1,a@example.com,10,2026-01-01 00:00:00\n2,not-an-email,20,2026-01-02 00:00:00\n3,c@example.com,30,2026-01-03 00:00:00\n';
const goodOrders = 'id,email,amount,created_at\n1,a@example.com,10,2026-01-01 00:00:00\n2,b@example.com,20,2026-01-02 00:00:00\n3,c@example.com,30,2026-01-03 00:00:00\n4,d@example.com,40,2026-01-04 00:00:00\n';

/** A contract over `<file>` with a PII e-mail pattern rule, a row count and two SLA checks. */
export function ordersContract(file: string): Record<string, JsonValue> {
  return {
    servers: [{ server: 'files', type: 'local', format: 'csv', path: file }, { server: 'elsewhere', type: 'local', format: 'csv', path: '../../etc/passwd' }],
    schema: [
      {
        name: 'orders',
        properties: [
          { name: 'id', required: true, unique: true },
          { name: 'email', classification: 'PII', logicalTypeOptions: { pattern: '^[^@]+@[^@]+$' } },
          { name: 'amount' },
          { name: 'created_at' },
        ],
        quality: [{ metric: 'rowCount', mustBeGreaterThan: 0, schedule: '0 * * * *', scheduler: 'cron' }],
      },
    ],
    slaProperties: [
      { property: 'freshness', value: 1, unit: 'd', element: 'orders.created_at' },
      { property: 'retention', value: 100, unit: 'y', element: 'orders.created_at' },
    ],
  };
}

/** Registers the check-run suite under `name`. */
export function defineCheckRunSuite(name: string, subject: CheckRunSubject): void {
  describe(`${name}: check runs`, () => {
    let root = '';
    let service: CheckRunService;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'meshboard-runs-'));
      service = new CheckRunService(subject.store().db, { dataRoot: root, env: {} });
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    it('runs a stored contract on a CSV file and stores every check with masked samples and audit events', async () => {
      await writeFile(join(root, 'orders-a.csv'), badOrders);
      const { id, domainId } = await insertTestContract(subject.store().db, { document: ordersContract('orders-a.csv') });
      const run = await service.runNow(actor({ [domainId]: ['producer'] }), { contractId: id, trigger: 'manual' });
      expect(run).toMatchObject({ status: 'failed', server: 'files', trigger: 'manual', contractVersion: '1.0.0', error: null });
      expect(run.startedAt).not.toBeNull();
      expect(run.finishedAt).not.toBeNull();
      const pattern = run.results.find((r) => r.key === 'orders.email.field_regex');
      expect(pattern).toMatchObject({ result: 'failed', measured: 1, category: 'schema' });
      expect(pattern?.samples).toEqual([{ id: 2, email: '***', amount: 20, created_at: expect.anything() as unknown }]);
      expect(run.results.find((r) => r.key === 'orders.row_count')).toMatchObject({ result: 'passed', measured: 3, unit: 'rows' });
      expect(run.results.find((r) => r.key === 'orders.id.field_is_present')).toMatchObject({ result: 'passed', measured: 'present' });
      expect(run.summary).toMatchObject({ result: 'failed', failed: 2, total: run.results.length });
      const audit = await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', run.id).orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(['check_run.create', 'check_run.finish']);
    });

    it('keeps a trend per check, the latest result per check and SLA compliance over a period', async () => {
      await writeFile(join(root, 'orders-b.csv'), badOrders);
      const { id } = await insertTestContract(subject.store().db, { document: ordersContract('orders-b.csv') });
      const admin: Actor = { ...actor({}), isAdmin: true };
      const first = await service.runNow(admin, { contractId: id, trigger: 'api' });
      await writeFile(join(root, 'orders-b.csv'), goodOrders);
      const second = await service.runNow(admin, { contractId: id, trigger: 'scheduled' });
      expect([first.status, second.status]).toEqual(['failed', 'failed']); // freshness fails on old data
      const latest = await service.latest(id);
      expect(latest.find((r) => r.key === 'orders.email.field_regex')).toMatchObject({ result: 'passed', runId: second.id, measured: 0 });
      expect(latest.find((r) => r.key === 'orders.row_count')).toMatchObject({ measured: 4 });
      const history = await service.history(id, 'orders.row_count', { limit: 1 });
      expect(history.items).toMatchObject([{ runId: second.id, measured: 4, result: 'passed' }]);
      const older = await service.history(id, 'orders.row_count', { limit: 1, cursor: history.nextCursor ?? '' });
      expect(older).toMatchObject({ items: [{ runId: first.id, measured: 3 }], nextCursor: null });
      const sla = await service.slaCompliance(id, { days: 30 });
      expect(sla).toHaveLength(2);
      expect(sla.find((s) => s.key.includes('freshness'))).toMatchObject({ evaluated: 2, passed: 0, compliancePercent: 0, lastResult: 'failed' });
      expect(sla.find((s) => s.key.includes('retention'))).toMatchObject({ evaluated: 2, passed: 2, compliancePercent: 100 });
      expect(await service.slaCompliance(id, { days: 30, now: new Date(Date.now() + 40 * 86_400_000) })).toEqual([]);
      const page = await service.list(id, { limit: 1 });
      expect(page.items.map((r) => r.id)).toEqual([second.id]);
      expect((await service.list(id, { limit: 5, cursor: page.nextCursor ?? '' })).items.map((r) => r.id)).toEqual([first.id]);
    });

    it('needs a role in the owning domain to trigger; reads need none', async () => {
      await writeFile(join(root, 'orders-c.csv'), goodOrders);
      const { id, domainId } = await insertTestContract(subject.store().db, { document: ordersContract('orders-c.csv') });
      await expect(service.create(actor({}), { contractId: id, trigger: 'manual' })).rejects.toThrow(NotAllowedError);
      await expect(service.create(actor({ 'another-domain': ['data_product_owner'] }), { contractId: id, trigger: 'manual' })).rejects.toThrow(NotAllowedError);
      const run = await service.create(actor({ [domainId]: ['member'] }), { contractId: id, trigger: 'manual' });
      expect(run.status).toBe('queued');
      expect(await service.list(id, {})).toMatchObject({ items: [{ id: run.id, status: 'queued' }] });
      await expect(service.create(actor({ [domainId]: ['member'] }), { contractId: id, server: 'nope', trigger: 'manual' })).rejects.toThrow(InputError);
      await expect(service.create(actor({ [domainId]: ['member'] }), { contractId: '0190-not', trigger: 'manual' })).rejects.toThrow(NotFoundError);
      await expect(service.get('019a0000-0000-7000-8000-000000000000')).rejects.toThrow(NotFoundError);
    });

    it('executes a queued run exactly once even when asked twice', async () => {
      await writeFile(join(root, 'orders-d.csv'), goodOrders);
      const { id, domainId } = await insertTestContract(subject.store().db, { document: ordersContract('orders-d.csv') });
      const run = await service.create(actor({ [domainId]: ['producer'] }), { contractId: id, trigger: 'api' });
      const claims = await Promise.all([service.execute(run.id), service.execute(run.id)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const stored = await service.get(run.id);
      const keys = stored.results.map((r) => r.key);
      expect(new Set(keys).size).toBe(keys.length);
      const audit = await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', run.id).execute();
      expect(audit.filter((a) => a.action === 'check_run.finish')).toHaveLength(1);
    });

    it('refuses server paths outside the data root and reports missing files as a run error', async () => {
      const { id, domainId } = await insertTestContract(subject.store().db, { document: ordersContract('missing.csv') });
      const who = actor({ [domainId]: ['producer'] });
      const outside = await service.runNow(who, { contractId: id, server: 'elsewhere', trigger: 'manual' });
      expect(outside.status).toBe('error');
      expect(outside.error).toMatch(/outside the server's data root/);
      const serverless = await insertTestContract(subject.store().db, { document: { schema: [{ name: 'orders' }] }, domainId });
      await expect(service.create(who, { contractId: serverless.id, trigger: 'manual' })).rejects.toThrow(/no servers/);
      const missing = await service.runNow(who, { contractId: id, trigger: 'manual' });
      expect(missing.status).toBe('error');
      expect(missing.results.some((r) => r.result === 'error')).toBe(true);
    });

    it('reads absolute paths inside an extra root (the demo data) and still refuses everything else', async () => {
      const extra = await mkdtemp(join(tmpdir(), 'meshboard-extra-'));
      try {
        await writeFile(join(extra, 'orders.csv'), goodOrders);
        const withExtra = new CheckRunService(subject.store().db, { dataRoot: root, extraRoots: [extra], env: {} });
        const { id, domainId } = await insertTestContract(subject.store().db, { document: ordersContract(join(extra, 'orders.csv')) });
        const who = actor({ [domainId]: ['producer'] });
        const inside = await withExtra.runNow(who, { contractId: id, server: 'files', trigger: 'manual' });
        expect(inside.error ?? null).toBeNull();
        expect(inside.results.find((r) => r.key === 'orders.row_count')?.result).toBe('passed');
        const outside = await withExtra.runNow(who, { contractId: id, server: 'elsewhere', trigger: 'manual' });
        expect(outside.error).toMatch(/outside the server's data root/);
        // Without the extra root the same absolute path is refused.
        const refused = await service.runNow(who, { contractId: id, server: 'files', trigger: 'manual' });
        expect(refused.error).toMatch(/outside the server's data root/);
      } finally {
        await rm(extra, { recursive: true, force: true });
      }
    });

    it('marks runs abandoned in running by a dead process as error, leaving recent ones alone', async () => {
      await writeFile(join(root, 'orders-e.csv'), goodOrders);
      const { id, domainId } = await insertTestContract(subject.store().db, { document: ordersContract('orders-e.csv') });
      const who = actor({ [domainId]: ['producer'] });
      const old = await service.create(who, { contractId: id, trigger: 'manual' });
      const recent = await service.create(who, { contractId: id, trigger: 'manual' });
      const { db } = subject.store();
      await db.updateTable('check_runs').set({ status: 'running', started_at: new Date(Date.now() - 2 * 3_600_000) }).where('id', '=', old.id).execute();
      await db.updateTable('check_runs').set({ status: 'running', started_at: new Date() }).where('id', '=', recent.id).execute();
      expect(await service.failAbandoned(60)).toBeGreaterThanOrEqual(1);
      expect(await service.get(old.id)).toMatchObject({ status: 'error', error: expect.stringMatching(/stopped before it finished/) as unknown });
      expect((await service.get(recent.id)).status).toBe('running');
      expect(await service.execute(recent.id)).toBe(false);
    });

    it('ends a run whose stored contract cannot be read as error, with the reason', async () => {
      const { id, domainId } = await insertTestContract(subject.store().db, { document: ordersContract('orders-a.csv') });
      await subject.store().db.updateTable('contract_versions').set({ document: JSON.stringify({ servers: [{ server: 'files', type: 'local' }], schema: 'not a list' }) }).where('contract_id', '=', id).execute();
      const run = await service.runNow(actor({ [domainId]: ['producer'] }), { contractId: id, trigger: 'manual' });
      expect(run.status).toBe('error');
      expect(run.error).toMatch(/cannot be checked/);
    });
  });
}
