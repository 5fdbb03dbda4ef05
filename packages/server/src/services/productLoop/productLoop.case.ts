/**
 * The product-loop suite (issue 6), run on both stores (productLoopEmbedded.test.ts,
 * productLoopPostgres.test.ts): vision canvas versions and their export as an ODPS custom property,
 * usage event batches, KPI series from usage, check results and manual values.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, InputError, NotAllowedError, NotFoundError, PreconditionFailedError } from '../../errors/errors';
import type { Store } from '../../store/createStore';
import { ProductService } from '../ProductService';
import { KpiService } from './KpiService';
import { actorIn, insertFinishedRun, publishFixtureProduct } from './productLoopFixtures';
import { rebuildUsageRollup, UsageEventService } from './UsageEventService';
import { visionCanvasSchema } from './visionCanvas';
import { VisionService } from './VisionService';

/** How a suite file provides its store. */
export interface ProductLoopSubject {
  store: () => Store;
}

const canvas = (purpose: string) => visionCanvasSchema.parse({ purpose, targetConsumers: ['Controlling'], useCases: ['Monthly revenue report'], successKpis: ['Weekly active consumers ≥ 5'] });

function problemsOf(error: unknown): { pointer?: string; detail: string }[] {
  if (!(error instanceof InputError)) throw error;
  return [...error.problems];
}

/** Registers the product-loop suite under `name`. */
export function defineProductLoopSuite(name: string, subject: ProductLoopSubject): void {
  describe(`${name}: vision canvas`, () => {
    it('saves every change as a new version under If-Match and keeps the history', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const visions = new VisionService(db);
      const editor = actorIn(product.domainId);
      expect(await visions.get(product.externalId)).toMatchObject({ version: 0, canvas: { purpose: '', targetConsumers: [] } });
      const first = await visions.save(editor, { product: product.id, canvas: canvas('Revenue truth'), expectedVersion: 0 });
      expect(first).toMatchObject({ version: 1, savedByLabel: editor.label, canvas: { purpose: 'Revenue truth' } });
      await expect(visions.save(editor, { product: product.id, canvas: canvas('Stale'), expectedVersion: 0 })).rejects.toThrow(PreconditionFailedError);
      expect((await visions.save(editor, { product: product.id, canvas: canvas('Revenue truth'), expectedVersion: 1 })).version).toBe(1);
      expect((await visions.save(editor, { product: product.id, canvas: canvas('Revenue truth, daily'), expectedVersion: 1 })).version).toBe(2);
      const history = await visions.history(product.id, { limit: 1 });
      expect(history.items.map((item) => item.version)).toEqual([2]);
      expect((await visions.history(product.id, { limit: 5, cursor: history.nextCursor ?? '' })).items.map((item) => item.canvas.purpose)).toEqual(['Revenue truth']);
      expect((await visions.version(product.id, 1)).canvas.purpose).toBe('Revenue truth');
      await expect(visions.version(product.id, 9)).rejects.toThrow(NotFoundError);
      await expect(visions.save(actorIn(null), { product: product.id, canvas: canvas('x'), expectedVersion: 2 })).rejects.toThrow(NotAllowedError);
    });

    it('gives one save and one 412 to two editors starting from the same version', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const visions = new VisionService(db);
      const editor = actorIn(product.domainId);
      const outcomes = await Promise.allSettled([
        visions.save(editor, { product: product.id, canvas: canvas('A'), expectedVersion: 0 }),
        visions.save(editor, { product: product.id, canvas: canvas('B'), expectedVersion: 0 }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(failed?.status === 'rejected' ? failed.reason : undefined).toBeInstanceOf(PreconditionFailedError);
    });

    it('exports the canvas as an ODPS custom property and fills it from a published document', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const products = new ProductService(db);
      await new VisionService(db).save(actorIn(product.domainId), { product: product.id, canvas: canvas('Exported'), expectedVersion: 0 });
      const read = await products.get(product.id);
      const document = read.document as { customProperties?: { property: string; value: { purpose: string } }[] };
      expect(document.customProperties).toEqual([expect.objectContaining({ property: 'meshboardVision', value: expect.objectContaining({ purpose: 'Exported' }) })]);
      // Publishing the pulled document back changes nothing; a changed canvas in it becomes version 2.
      const again = await products.publish(actorIn(product.domainId), { ref: product.id, document: read.document, expectedVersion: read.version });
      expect(again.outcome).toBe('unchanged');
      expect((await new VisionService(db).get(product.id)).version).toBe(1);
      const changed = { ...(read.document as object), customProperties: [{ property: 'meshboardVision', value: { purpose: 'From the file', useCases: ['Forecasting'] } }] };
      const published = await products.publish(actorIn(product.domainId), { ref: product.id, document: changed, expectedVersion: read.version });
      expect(published.outcome).toBe('unchanged');
      expect(await new VisionService(db).get(product.id)).toMatchObject({ version: 2, canvas: { purpose: 'From the file', useCases: ['Forecasting'], targetConsumers: [] } });
      const stored = await db.selectFrom('products').select('document').where('id', '=', product.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored.document)).not.toContain('meshboardVision');
      const bad = { ...(read.document as object), customProperties: [{ property: 'owner', value: 'x' }, { property: 'meshboardVision', value: { purpose: 'x', targetConsumers: [''], colour: 'red' } }] };
      const error = await products.publish(actorIn(product.domainId), { ref: product.id, document: bad, expectedVersion: read.version }).catch((caught: unknown) => caught);
      expect(problemsOf(error).map((problem) => problem.pointer).sort()).toEqual(['/customProperties/1/value', '/customProperties/1/value/targetConsumers/0']);
    });
  });

  describe(`${name}: usage events`, () => {
    it('stores a batch once, re-sent batches are no-ops, and a bad batch stores nothing', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const usage = new UsageEventService(db);
      const sender = actorIn(product.domainId);
      const events = [
        { id: `e1-${product.id}`, product: product.externalId, outputPort: product.port, consumerTeam: 'controlling', kind: 'query', occurredAt: '2026-06-10T10:00:00Z', rows: 100, bytes: 2048 },
        { id: `e2-${product.id}`, product: product.id, kind: 'download', occurredAt: '2026-06-11T10:00:00+02:00' },
        { product: product.externalId, consumerUser: 'ana@example.com', kind: 'read', occurredAt: '2026-06-12T00:00:00Z', rows: 5 },
      ];
      expect(await usage.ingest(sender, { events })).toEqual({ received: 3, inserted: 3, duplicates: 0 });
      expect(await usage.ingest(sender, { events: events.slice(0, 2) })).toEqual({ received: 2, inserted: 0, duplicates: 2 });
      const count = async () => Number((await db.selectFrom('usage_events').select((eb) => eb.fn.countAll().as('n')).where('product_id', '=', product.id).executeTakeFirstOrThrow()).n);
      expect(await count()).toBe(3);
      const bad = [
        { ...events[0], id: 'new-1', outputPort: 'nope' },
        { ...events[0], id: 'new-2', kind: 'scrape' },
        { ...events[0], id: 'new-3', product: 'no.such.product' },
        { ...events[0], id: 'new-4', occurredAt: '2999-01-01T00:00:00Z' },
        { ...events[0], id: 'new-5', occurredAt: 'yesterday' },
      ];
      const error = await usage.ingest(sender, { events: bad }).catch((caught: unknown) => caught);
      expect(problemsOf(error).map((problem) => problem.pointer)).toEqual(['/events/1/kind', '/events/4/occurredAt']);
      const semantic = await usage.ingest(sender, { events: [bad[0], bad[2], bad[3]] }).catch((caught: unknown) => caught);
      expect(problemsOf(semantic).map((problem) => problem.pointer)).toEqual(['/events/0/outputPort', '/events/1/product', '/events/2/occurredAt']);
      expect(await count()).toBe(3);
      // The roll-up kept by ingesting equals one rebuilt from the events (re-sent events were not added twice).
      const rollup = () => db.selectFrom('usage_daily').select(['day', 'consumer', 'kind', 'events', 'row_count', 'byte_count']).where('product_id', '=', product.id).orderBy('day').orderBy('kind').execute();
      const kept = await rollup();
      expect(kept.map((row) => [row.consumer, row.kind, Number(row.events), Number(row.row_count)])).toEqual([['controlling', 'query', 1, 100], ['', 'download', 1, 0], ['ana@example.com', 'read', 1, 5]]);
      await rebuildUsageRollup(db);
      expect(await rollup()).toEqual(kept);
      await expect(usage.ingest(actorIn(null), { events: [{ ...events[0], id: 'new-6' }] })).rejects.toThrow(NotAllowedError);
      await expect(usage.ingest(sender, { events: [] })).rejects.toThrow(InputError);
    });

    it('takes 10,000 events in one batch', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const events = Array.from({ length: 10_000 }, (_, index) => ({ id: `bulk-${product.id}-${index}`, product: product.externalId, kind: 'query', occurredAt: new Date(Date.UTC(2026, 5, 1) + index * 60_000).toISOString(), rows: index }));
      expect(await new UsageEventService(db).ingest(actorIn(product.domainId), { events })).toEqual({ received: 10_000, inserted: 10_000, duplicates: 0 });
    });
  });

  describe(`${name}: KPIs`, () => {
    const now = new Date('2026-06-15T12:00:00Z'); // a Monday
    const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 5, day, hour)).toISOString();

    it('computes usage, check pass rate and SLA compliance per period for a product and its domain', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const sibling = await publishFixtureProduct(db, { id: product.domainId, slug: product.domainSlug });
      const owner = actorIn(product.domainId, 'data_product_owner');
      await new UsageEventService(db).ingest(owner, {
        events: [
          { product: product.id, kind: 'query', occurredAt: at(13), consumerTeam: 'a', rows: 10 },
          { product: product.id, kind: 'query', occurredAt: at(13, 23), consumerTeam: 'b', rows: 5 },
          { product: product.id, kind: 'download', occurredAt: at(15), consumerTeam: 'a' },
          { product: sibling.id, kind: 'read', occurredAt: at(15), consumerTeam: 'c' },
          { product: product.id, kind: 'query', occurredAt: at(1) },
        ],
      });
      await insertFinishedRun(db, { contractId: product.contractId, finishedAt: at(14), results: [{ status: 'passed' }, { status: 'failed' }, { status: 'error' }, { status: 'passed', category: 'sla' }] });
      await insertFinishedRun(db, { contractId: sibling.contractId, finishedAt: at(15), results: [{ status: 'passed' }, { status: 'warning', category: 'sla' }] });
      const kpis = new KpiService(db, { clock: () => now });
      const events = await kpis.create(owner, { product: product.externalId }, { name: 'Daily use', source: 'usage.events', target: 2, period: 'day', window: 3 });
      expect(events.series).toEqual([
        { periodStart: '2026-06-13', value: 2, met: true, inProgress: false, enteredBy: null, enteredAt: null },
        { periodStart: '2026-06-14', value: null, met: null, inProgress: false, enteredBy: null, enteredAt: null },
        { periodStart: '2026-06-15', value: 1, met: false, inProgress: true, enteredBy: null, enteredAt: null },
      ]);
      expect(events.latest).toMatchObject({ periodStart: '2026-06-15', value: 1 });
      const rows = await kpis.create(owner, { product: product.id }, { name: 'Rows', source: 'usage.rows', period: 'week', window: 2 });
      expect(rows.series.map((point) => [point.periodStart, point.value])).toEqual([['2026-06-08', 15], ['2026-06-15', 0]]);
      const consumers = await kpis.create(owner, { domain: product.domainSlug }, { name: 'Consumers', source: 'usage.consumers', period: 'month', window: 1 });
      expect(consumers.kpi.scope).toBe('domain');
      expect(consumers.series).toMatchObject([{ periodStart: '2026-06-01', value: 3 }]);
      const passRate = await kpis.create(owner, { domain: product.domainId }, { name: 'Pass rate', source: 'checks.passRate', target: 90, period: 'week', window: 2 });
      // Week of 8 June: product run 2 passed of 3 evaluated (the error is not counted). Week of 15 June: sibling 1 of 2.
      expect(passRate.series.map((point) => [point.periodStart, point.value, point.met])).toEqual([['2026-06-08', 66.67, false], ['2026-06-15', 50, false]]);
      const sla = await kpis.create(owner, { product: product.id }, { name: 'SLA', source: 'sla.compliance', target: 99, period: 'week', window: 2 });
      expect(sla.series.map((point) => point.value)).toEqual([100, null]);
      expect((await kpis.forProduct(product.id)).map((report) => report.kpi.name)).toEqual(['Daily use', 'Rows', 'SLA']);
      expect((await kpis.forDomain(product.domainSlug)).map((report) => report.kpi.name)).toEqual(['Consumers', 'Pass rate']);
      const lower = await kpis.create(owner, { product: product.id }, { name: 'Few downloads', source: 'usage.downloads', target: 0, direction: 'lower', period: 'day', window: 1 });
      expect(lower.series).toMatchObject([{ value: 1, met: false }]);
    });

    it('computes adoption, access lead time, ratings and open requests from the marketplace records', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const owner = actorIn(product.domainId, 'data_product_owner');
      const person = async (name: string) => {
        const id = randomUUID();
        await db.insertInto('users').values({ id, email: `${id}@example.com`, name }).execute();
        return id;
      };
      const [ana, ben, cy] = [await person('Ana'), await person('Ben'), await person('Cy')];
      const request = async (requester: string, created: string, decided: string | null, status: 'approved' | 'rejected' | 'pending') => {
        const id = randomUUID();
        await db
          .insertInto('access_requests')
          .values({ id, product_id: product.id, domain_id: product.domainId, port_name: product.port, requester_id: requester, purpose: 'Analysis', approver_source: 'domain', status, decided_at: decided, created_at: created })
          .execute();
        return id;
      };
      const subscribe = async (consumer: string, requestId: string, starts: string, ended: string | null) => {
        await db
          .insertInto('subscriptions')
          .values({ id: randomUUID(), request_id: requestId, product_id: product.id, domain_id: product.domainId, port_name: product.port, consumer_id: consumer, status: ended === null ? 'active' : 'revoked', starts_at: starts, ended_at: ended, grant_status: 'not_applicable' })
          .execute();
      };
      // Week of 1 June: Ben's first request decided after 1 h; week of 8 June: Ana's after 6 h, Ben's rejected
      // after 2 h (average 4 h); week of 15 June: one still pending.
      await subscribe(ana, await request(ana, at(9, 3), at(9, 9), 'approved'), at(9, 9), null);
      await request(ben, at(10, 8), at(10, 10), 'rejected');
      await subscribe(ben, await request(ben, at(1), at(1, 10), 'approved'), at(1, 10), at(5));
      await request(ben, at(15, 8), null, 'pending');
      const feedback = async (kind: 'rating' | 'issue', created: string, extra: { author?: string; rating?: number; state?: 'open' | 'resolved'; stateChangedAt?: string } = {}) => {
        await db
          .insertInto('feedback')
          .values({ id: randomUUID(), product_id: product.id, kind, author_id: extra.author ?? ana, rating: extra.rating ?? null, state: extra.state ?? null, state_changed_at: extra.stateChangedAt ?? null, last_activity_at: created, created_at: created, updated_at: created })
          .execute();
      };
      await feedback('rating', at(9), { rating: 4 });
      await feedback('rating', at(10), { author: ben, rating: 5 });
      await feedback('rating', at(15), { author: cy, rating: 2 });
      await feedback('issue', at(2), { state: 'resolved', stateChangedAt: at(12) });
      await feedback('issue', at(9), { state: 'open' });
      await feedback('issue', at(15, 8), { state: 'resolved', stateChangedAt: at(15, 9) });
      const kpis = new KpiService(db, { clock: () => now });
      const series = async (source: string, period: 'week' | 'month' = 'week', window = 3) =>
        (await kpis.create(owner, { product: product.id }, { name: source, source, period, window })).series.map((point) => [point.periodStart, point.value]);
      // Ben's subscription ended on 5 June, inside the first week; Ana's runs on.
      expect(await series('subscriptions.consumers')).toEqual([['2026-06-01', 1], ['2026-06-08', 1], ['2026-06-15', 1]]);
      expect(await series('access.leadTime')).toEqual([['2026-06-01', 1], ['2026-06-08', 4], ['2026-06-15', null]]);
      expect(await series('feedback.rating')).toEqual([['2026-06-01', null], ['2026-06-08', 4.5], ['2026-06-15', 2]]);
      // 2 June issue open until the 12th: open at the ends of the first week only; the 9 June issue from then on.
      expect(await series('feedback.openRequests')).toEqual([['2026-06-01', 1], ['2026-06-08', 1], ['2026-06-15', 1]]);
      expect(await series('subscriptions.consumers', 'month', 1)).toEqual([['2026-06-01', 2]]);
    });

    it('records who entered each manual value; the latest entry of a period counts', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const kpis = new KpiService(db, { clock: () => now });
      const owner = { ...actorIn(product.domainId, 'data_product_owner'), label: 'olu@example.com' };
      const member = { ...actorIn(product.domainId, 'member'), label: 'mo@example.com' };
      const nps = await kpis.create(owner, { product: product.id }, { name: 'Consumer NPS', source: 'manual', target: 30, period: 'month', window: 2 });
      expect(nps.kpi).toMatchObject({ manual: true, window: 2, direction: 'higher' });
      await kpis.enterValue(owner, nps.kpi.id, { periodStart: '2026-05-01', value: 20 });
      await kpis.enterValue(member, nps.kpi.id, { periodStart: '2026-05-01', value: 35, note: 'survey closed' });
      const report = await kpis.enterValue(owner, nps.kpi.id, { periodStart: '2026-06-01', value: 25 });
      expect(report.series).toMatchObject([
        { periodStart: '2026-05-01', value: 35, met: true, enteredBy: 'mo@example.com' },
        { periodStart: '2026-06-01', value: 25, met: false, enteredBy: 'olu@example.com' },
      ]);
      expect(await db.selectFrom('kpi_manual_values').select('value').where('kpi_id', '=', nps.kpi.id).orderBy('seq').execute()).toEqual([{ value: 20 }, { value: 35 }, { value: 25 }]);
      expect(problemsOf(await kpis.enterValue(owner, nps.kpi.id, { periodStart: '2026-05-02', value: 1 }).catch((caught: unknown) => caught))).toEqual([{ pointer: '/periodStart', detail: 'Periods are months; this month starts on 2026-05-01.' }]);
      await expect(kpis.enterValue(owner, nps.kpi.id, { periodStart: '2026-07-01', value: 1 })).rejects.toThrow(InputError);
      await expect(kpis.enterValue(actorIn(null), nps.kpi.id, { periodStart: '2026-06-01', value: 1 })).rejects.toThrow(NotAllowedError);
      const computed = await kpis.create(owner, { product: product.id }, { name: 'Use', source: 'usage.events' });
      expect(computed.kpi).toMatchObject({ period: 'week', window: 12, target: null });
      await expect(kpis.enterValue(owner, computed.kpi.id, { periodStart: '2026-06-15', value: 1 })).rejects.toThrow(ConflictError);
    });

    it('validates definitions with pointers and changes them only at the current version', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const kpis = new KpiService(db, { clock: () => now });
      const owner = actorIn(product.domainId, 'data_product_owner');
      expect(problemsOf(await kpis.create(owner, { product: product.id }, { name: 'x', source: 'stars' }).catch((caught: unknown) => caught))[0]).toMatchObject({ pointer: '/source' });
      expect(problemsOf(await kpis.create(owner, { product: product.id }, { name: '', source: 'manual', window: 0, period: 'year' }).catch((caught: unknown) => caught)).map((problem) => problem.pointer).sort()).toEqual(['/name', '/period', '/window']);
      await expect(kpis.create(actorIn(null), { product: product.id }, { name: 'x', source: 'manual' })).rejects.toThrow(NotAllowedError);
      await expect(kpis.create(owner, { product: 'no.such.product' }, { name: 'x', source: 'manual' })).rejects.toThrow(NotFoundError);
      const created = await kpis.create(owner, { product: product.id }, { name: 'Use', source: 'usage.events', target: 10 });
      const updated = await kpis.update(owner, { id: created.kpi.id, expectedVersion: 1, patch: { target: 20, period: 'day', window: 7 } });
      expect(updated.kpi).toMatchObject({ version: 2, target: 20, period: 'day', window: 7 });
      expect(updated.series).toHaveLength(7);
      await expect(kpis.update(owner, { id: created.kpi.id, expectedVersion: 1, patch: { target: 5 } })).rejects.toThrow(PreconditionFailedError);
      await expect(kpis.delete(owner, { id: created.kpi.id, expectedVersion: 1 })).rejects.toThrow(PreconditionFailedError);
      await kpis.delete(owner, { id: created.kpi.id, expectedVersion: 2 });
      await expect(kpis.get(created.kpi.id)).rejects.toThrow(NotFoundError);
      const audit = await db.selectFrom('audit_events').select('action').where('entity_id', '=', created.kpi.id).orderBy('seq').execute();
      expect(audit.map((event) => event.action)).toEqual(['kpi.create', 'kpi.update', 'kpi.delete']);
      expect(new KpiService(db).listSources().map((source) => source.key)).toEqual(expect.arrayContaining(['usage.events', 'checks.passRate', 'sla.compliance', 'manual']));
    });
  });
}
