/**
 * The roadmap suite (issue 6), run on both stores (roadmapEmbedded.test.ts, roadmapPostgres.test.ts):
 * backlog state history and the cycle-time KPI computed from it, the now/next/later board with If-Match
 * and races, the timeline by release and quarter, and releases with notes from contract diffs and their
 * notifications.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../auth/Actor';
import { ConflictError, InputError, NotAllowedError, PreconditionFailedError } from '../../errors/errors';
import type { Store } from '../../store/createStore';
import type { Database } from '../../store/Database';
import { BacklogService } from '../BacklogService';
import { ContractService } from '../ContractService';
import { KpiService } from '../productLoop/KpiService';
import { publishFixtureProduct } from '../productLoop/productLoopFixtures';
import { ReleaseService } from './ReleaseService';
import { RoadmapService } from './RoadmapService';

/** How a suite file provides its store. */
export interface RoadmapSubject {
  store: () => Store;
}

async function person(db: Kysely<Database>, name: string, domainId?: string): Promise<Actor> {
  const id = randomUUID();
  const email = `${name.toLowerCase()}-${id.slice(0, 8)}@example.com`;
  await db.insertInto('users').values({ id, email, name }).execute();
  return { userId: id, label: email, isAdmin: false, domainRoles: new Map(domainId === undefined ? [] : [[domainId, new Set(['data_product_owner' as const])]]) };
}

function problemsOf(error: unknown): { pointer?: string; detail: string }[] {
  if (!(error instanceof InputError)) throw error;
  return [...error.problems];
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Registers the roadmap suite under `name`. */
export function defineRoadmapSuite(name: string, subject: RoadmapSubject): void {
  describe(`${name}: backlog state history and cycle time`, () => {
    it('records every state an item enters, with who and when, in the transaction of the change', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const owner = await person(db, 'Owner', product.domainId);
      const backlog = new BacklogService(db);
      const item = await backlog.create(owner, product.id, { kind: 'story', title: 'Daily refresh' });
      const triaged = await backlog.update(owner, { id: item.id, expectedVersion: 1, patch: { state: 'triaged' } });
      await backlog.update(owner, { id: item.id, expectedVersion: triaged.version, patch: { title: 'Daily refresh by 6am' } });
      // A refused move and a stale write record nothing.
      await expect(backlog.update(owner, { id: item.id, expectedVersion: triaged.version + 1, patch: { state: 'done' } })).rejects.toThrow(InputError);
      await expect(backlog.update(owner, { id: item.id, expectedVersion: 1, patch: { state: 'planned' } })).rejects.toThrow(PreconditionFailedError);
      const history = await backlog.history(item.id);
      expect(history.map((change) => [change.from, change.to, change.changedBy.id])).toEqual([
        [null, 'new', owner.userId],
        ['new', 'triaged', owner.userId],
      ]);
      expect(Date.parse(history[1]?.changedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(history[0]?.changedAt ?? ''));
    });

    it('computes the median and average cycle time per period in SQL, from first in progress (or creation) to done', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const owner = await person(db, 'Owner', product.domainId);
      const backlog = new BacklogService(db);
      const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 5, day, hour)).toISOString();
      // Walks an item through states, then dates each recorded move (and the creation) as given.
      const walk = async (title: string, moves: [string, string][], created: string) => {
        let item = await backlog.create(owner, product.id, { kind: 'story', title, state: 'planned' });
        for (const [state] of moves) item = await backlog.update(owner, { id: item.id, expectedVersion: item.version, patch: { state: state as 'in_progress' } });
        await db.updateTable('backlog_items').set({ created_at: created }).where('id', '=', item.id).execute();
        const changes = await db.selectFrom('backlog_state_changes').select('seq').where('item_id', '=', item.id).orderBy('seq').execute();
        await db.updateTable('backlog_state_changes').set({ changed_at: created }).where('seq', '=', changes[0]?.seq ?? '0').execute();
        for (const [index, [, when]] of moves.entries()) await db.updateTable('backlog_state_changes').set({ changed_at: when }).where('seq', '=', changes[index + 1]?.seq ?? '0').execute();
      };
      // Week of 1 June: 2 days and 4 days (median 3, average 3). Week of 8 June: 1 day, 2 days, and an
      // item done without being in progress: 10 days from creation (median 2, average 4.33). Reopened and
      // finished again in the same week counts once, by its last finish.
      await walk('A', [['in_progress', at(1)], ['done', at(3)]], at(1));
      await walk('B', [['in_progress', at(2)], ['done', at(6)]], at(1));
      await walk('C', [['in_progress', at(8)], ['done', at(8, 21)], ['in_progress', at(9, 8)], ['done', at(9)]], at(1));
      await walk('D', [['in_progress', at(10)], ['done', at(12)]], at(10));
      const e = await backlog.create(owner, product.id, { kind: 'story', title: 'E', state: 'done' });
      await db.updateTable('backlog_items').set({ created_at: at(1) }).where('id', '=', e.id).execute();
      await db.updateTable('backlog_state_changes').set({ changed_at: at(11) }).where('item_id', '=', e.id).execute();
      const kpis = new KpiService(db, { clock: () => new Date('2026-06-15T12:00:00Z') });
      const series = async (source: string) => (await kpis.create(owner, { product: product.id }, { name: source, source, period: 'week', window: 3 })).series.map((point) => [point.periodStart, point.value]);
      expect(await series('backlog.cycleTime')).toEqual([['2026-06-01', 3], ['2026-06-08', 2], ['2026-06-15', null]]);
      expect(await series('backlog.cycleTimeAverage')).toEqual([['2026-06-01', 3], ['2026-06-08', 4.33], ['2026-06-15', null]]);
      // C: first in progress on the 8th, last done on the 9th: 1 day.
      const domainSeries = (await kpis.create(owner, { domain: product.domainSlug }, { name: 'Domain cycle', source: 'backlog.cycleTime', period: 'month', window: 1 })).series;
      expect(domainSeries.map((point) => point.value)).toEqual([2]);
    });
  });

  describe(`${name}: roadmap board and timeline`, () => {
    it('places, reorders and moves items between horizons under If-Match', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const owner = await person(db, 'Owner', product.domainId);
      const consumer = await person(db, 'Consumer');
      const backlog = new BacklogService(db);
      const roadmap = new RoadmapService(db);
      const [a, b, c] = [await backlog.create(owner, product.id, { kind: 'story', title: 'A' }), await backlog.create(owner, product.id, { kind: 'story', title: 'B' }), await backlog.create(owner, product.id, { kind: 'story', title: 'C' })];
      expect(await roadmap.entry(a.id)).toMatchObject({ version: 0, horizon: null });
      await roadmap.place(owner, { itemId: a.id, expectedVersion: 0, placement: { horizon: 'now' } });
      await roadmap.place(owner, { itemId: b.id, expectedVersion: 0, placement: { horizon: 'now' } });
      const placedC = await roadmap.place(owner, { itemId: c.id, expectedVersion: 0, placement: { horizon: 'now', position: 0 } });
      expect(placedC).toMatchObject({ horizon: 'now', position: 0, version: 1 });
      const titles = async () => {
        const board = await roadmap.board(product.externalId);
        return { now: board.now.map((entry) => entry.item.title), next: board.next.map((entry) => entry.item.title), later: board.later.map((entry) => entry.item.title) };
      };
      expect(await titles()).toEqual({ now: ['C', 'A', 'B'], next: [], later: [] });
      await roadmap.place(owner, { itemId: c.id, expectedVersion: 1, placement: { position: 2 } });
      expect(await titles()).toEqual({ now: ['A', 'B', 'C'], next: [], later: [] });
      await roadmap.place(owner, { itemId: a.id, expectedVersion: 1, placement: { horizon: 'later' } });
      expect(await titles()).toEqual({ now: ['B', 'C'], next: [], later: ['A'] });
      expect((await roadmap.board(product.id)).now.map((entry) => entry.position)).toEqual([0, 1]);
      await expect(roadmap.place(owner, { itemId: a.id, expectedVersion: 1, placement: { horizon: 'next' } })).rejects.toThrow(PreconditionFailedError);
      await expect(roadmap.place(consumer, { itemId: a.id, expectedVersion: 2, placement: { horizon: 'next' } })).rejects.toThrow(NotAllowedError);
      expect(problemsOf(await thrown(roadmap.place(owner, { itemId: a.id, expectedVersion: 2, placement: { targetQuarter: '2026-Q5', position: -1 } })))).toEqual([
        { pointer: '/position', detail: expect.any(String) as unknown },
        { pointer: '/targetQuarter', detail: expect.stringContaining('YYYY-Qn') as unknown },
      ]);
      const audit = await db.selectFrom('audit_events').select(['action', 'after']).where('entity_id', '=', a.id).where('action', '=', 'roadmap_entry.place').orderBy('seq').execute();
      expect(audit.map((event) => (event.after as { horizon: string }).horizon)).toEqual(['now', 'later']);
      // Off the board: the column closes the gap.
      await roadmap.place(owner, { itemId: b.id, expectedVersion: 1, placement: { horizon: null } });
      expect(await titles()).toEqual({ now: ['C'], next: [], later: ['A'] });
    });

    it('gives one placement and one 412 to two owners placing the same item from version 0', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const owner = await person(db, 'Owner', product.domainId);
      const item = await new BacklogService(db).create(owner, product.id, { kind: 'idea', title: 'Raced' });
      const roadmap = new RoadmapService(db);
      const outcomes = await Promise.allSettled([roadmap.place(owner, { itemId: item.id, expectedVersion: 0, placement: { horizon: 'now' } }), roadmap.place(owner, { itemId: item.id, expectedVersion: 0, placement: { horizon: 'later' } })]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(failed?.status === 'rejected' ? failed.reason : undefined).toBeInstanceOf(PreconditionFailedError);
    });

    it('lays the timeline out by release and by quarter', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const owner = await person(db, 'Owner', product.domainId);
      const backlog = new BacklogService(db);
      const roadmap = new RoadmapService(db);
      const releases = new ReleaseService(db);
      const r2 = await releases.create(owner, product.id, { name: 'Autumn', productVersion: '1.2.0', targetDate: '2026-10-15' });
      const r1 = await releases.create(owner, product.id, { name: 'Summer', productVersion: '1.1.0', targetDate: '2026-07-01' });
      const [a, b, c] = [await backlog.create(owner, product.id, { kind: 'story', title: 'A' }), await backlog.create(owner, product.id, { kind: 'story', title: 'B' }), await backlog.create(owner, product.id, { kind: 'story', title: 'C' })];
      await roadmap.place(owner, { itemId: a.id, expectedVersion: 0, placement: { releaseId: r1.id } });
      await roadmap.place(owner, { itemId: b.id, expectedVersion: 0, placement: { releaseId: r2.id, targetQuarter: '2026-Q3' } });
      await roadmap.place(owner, { itemId: c.id, expectedVersion: 0, placement: { horizon: 'later' } });
      const byRelease = await roadmap.timeline(product.id, 'release');
      expect(byRelease.lanes.map((lane) => [lane.label, lane.quarter, lane.items.map((entry) => entry.item.title)])).toEqual([
        ['Summer (1.1.0)', '2026-Q3', ['A']],
        ['Autumn (1.2.0)', '2026-Q4', ['B']],
      ]);
      expect(byRelease.unscheduled.map((entry) => entry.item.title)).toEqual(['C']);
      const byQuarter = await roadmap.timeline(product.id, 'quarter');
      expect(byQuarter.lanes.map((lane) => [lane.key, lane.items.map((entry) => entry.item.title)])).toEqual([['2026-Q3', ['A', 'B']]]);
      expect(byQuarter.unscheduled.map((entry) => entry.item.title)).toEqual(['C']);
    });
  });

  describe(`${name}: releases`, () => {
    it('plans releases with unique versions and If-Match; only owners write', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const owner = await person(db, 'Owner', product.domainId);
      const consumer = await person(db, 'Consumer');
      const releases = new ReleaseService(db);
      const created = await releases.create(owner, product.id, { name: 'First', productVersion: '1.1.0', targetDate: '2026-07-01' });
      expect(created).toMatchObject({ state: 'planned', targetDate: '2026-07-01', version: 1, notes: null, items: [] });
      expect(problemsOf(await thrown(releases.create(owner, product.id, { name: ' ', productVersion: '1.1.0', targetDate: '2026-13-01' })))).toEqual([
        { pointer: '/name', detail: expect.any(String) as unknown },
        { pointer: '/targetDate', detail: expect.stringContaining('YYYY-MM-DD') as unknown },
      ]);
      expect(problemsOf(await thrown(releases.create(owner, product.id, { name: 'Again', productVersion: '1.1.0' })))).toEqual([{ pointer: '/productVersion', detail: expect.stringContaining('taken') as unknown }]);
      await expect(releases.create(consumer, product.id, { name: 'Mine', productVersion: '9.0.0' })).rejects.toThrow(NotAllowedError);
      const changed = await releases.update(owner, { id: created.id, expectedVersion: 1, patch: { targetDate: null, description: 'Currency support' } });
      expect(changed).toMatchObject({ targetDate: null, description: 'Currency support', version: 2 });
      await expect(releases.update(owner, { id: created.id, expectedVersion: 1, patch: { name: 'Stale' } })).rejects.toThrow(PreconditionFailedError);
      const audit = await db.selectFrom('audit_events').select('action').where('entity_id', '=', created.id).orderBy('seq').execute();
      expect(audit.map((event) => event.action)).toEqual(['release.create', 'release.update']);
    });

    it('releases with notes from the contract diff and the done items, notifying subscribers and requesters', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const owner = await person(db, 'Owner', product.domainId);
      const subscriber = await person(db, 'Subscriber');
      const requester = await person(db, 'Requester');
      const feedbackAuthor = await person(db, 'Author');
      const bystander = await person(db, 'Bystander');
      const requestId = randomUUID();
      await db.insertInto('access_requests').values({ id: requestId, product_id: product.id, domain_id: product.domainId, port_name: product.port, requester_id: subscriber.userId ?? '', purpose: 'Reports', approver_source: 'domain', status: 'approved' }).execute();
      await db.insertInto('subscriptions').values({ id: randomUUID(), request_id: requestId, product_id: product.id, domain_id: product.domainId, port_name: product.port, consumer_id: subscriber.userId ?? '', status: 'active', starts_at: new Date().toISOString(), grant_status: 'not_applicable' }).execute();
      const feedbackId = randomUUID();
      const now = new Date().toISOString();
      await db.insertInto('feedback').values({ id: feedbackId, product_id: product.id, kind: 'feature_request', author_id: feedbackAuthor.userId, state: 'open', last_activity_at: now, created_at: now, updated_at: now }).execute();
      const backlog = new BacklogService(db);
      const roadmap = new RoadmapService(db);
      const releases = new ReleaseService(db);
      const wanted = await backlog.create(requester, product.id, { kind: 'request', title: 'Currency column' });
      const withEvidence = await backlog.update(owner, { id: wanted.id, expectedVersion: 1, patch: { evidence: [{ kind: 'feedback', ref: feedbackId, note: 'Asked in feedback', teamId: null }], state: 'triaged' } });
      const notDone = await backlog.create(owner, product.id, { kind: 'story', title: 'Not finished', state: 'in_progress' });
      const release = await releases.create(owner, product.id, { name: 'Currency', productVersion: '2.0.0' });
      await roadmap.place(owner, { itemId: wanted.id, expectedVersion: 0, placement: { horizon: 'now', releaseId: release.id } });
      await roadmap.place(owner, { itemId: notDone.id, expectedVersion: 0, placement: { releaseId: release.id } });
      let item = withEvidence;
      for (const state of ['planned', 'in_progress', 'done'] as const) item = await backlog.update(owner, { id: item.id, expectedVersion: item.version, patch: { state } });
      // A new major contract version that drops a column: a breaking change the notes must name.
      const contracts = new ContractService(db);
      const contract = await contracts.get(product.contractId);
      const document = structuredClone(contract.document) as { version: string; schema: { name: string; properties: { name: string }[] }[] };
      const table = document.schema[0];
      const dropped = table?.properties.pop();
      if (table === undefined || dropped === undefined) throw new Error('the fixture contract has no columns');
      document.version = '2.0.0';
      await contracts.publish(owner, { ref: contract.id, document, expectedVersion: contract.version });
      await expect(releases.release(owner, { id: release.id, expectedVersion: release.version + 1 })).rejects.toThrow(PreconditionFailedError);
      const current = await releases.get(release.id);
      expect(current.items.map((entry) => [entry.title, entry.state])).toEqual([
        ['Currency column', 'done'],
        ['Not finished', 'in_progress'],
      ]);
      const released = await releases.release(owner, { id: release.id, expectedVersion: current.version });
      expect(released).toMatchObject({ state: 'released', releasedBy: owner.userId });
      const notes = released.notes;
      expect(notes?.items.map((entry) => entry.title)).toEqual(['Currency column']);
      expect(notes?.breaking).toBe(true);
      expect(notes?.contracts).toEqual([expect.objectContaining({ contractId: product.contractId, fromVersion: '1.0.0', toVersion: '2.0.0' })]);
      expect(notes?.contracts[0]?.breaking.map((change) => change.message).join(' ')).toContain(dropped.name);
      expect(notes?.markdown).toContain('#1 Currency column');
      const notified = await db.selectFrom('notifications').select(['user_id', 'kind', 'body', 'link']).where('entity_id', '=', release.id).execute();
      const byUser = new Map(notified.map((row) => [row.user_id, row]));
      expect([...byUser.keys()].sort()).toEqual([subscriber.userId, requester.userId, feedbackAuthor.userId].sort());
      expect(byUser.get(requester.userId ?? '')).toMatchObject({ kind: 'release.published', link: `/releases/${release.id}`, body: expect.stringContaining('you asked for') as unknown });
      expect(byUser.has(bystander.userId ?? '') || byUser.has(owner.userId ?? '')).toBe(false);
      await expect(releases.release(owner, { id: release.id, expectedVersion: released.version })).rejects.toThrow(ConflictError);
      await expect(releases.update(owner, { id: release.id, expectedVersion: released.version, patch: { name: 'Renamed' } })).rejects.toThrow(ConflictError);
      expect(problemsOf(await thrown(roadmap.place(owner, { itemId: notDone.id, expectedVersion: 1, placement: { releaseId: null } }).then(() => roadmap.place(owner, { itemId: notDone.id, expectedVersion: 2, placement: { releaseId: release.id } }))))).toEqual([{ pointer: '/releaseId', detail: expect.stringContaining('released') as unknown }]);
      // The next release diffs from what this one shipped: unchanged at 2.0.0.
      const next = await releases.create(owner, product.id, { name: 'Next', productVersion: '2.1.0' });
      const nextReleased = await releases.release(owner, { id: next.id, expectedVersion: next.version });
      expect(nextReleased.notes?.contracts).toEqual([expect.objectContaining({ fromVersion: '2.0.0', toVersion: '2.0.0', breaking: [], nonBreaking: [] })]);
      expect(nextReleased.notes?.breaking).toBe(false);
      expect((await releases.list(product.id, { state: 'released' })).map((entry) => entry.productVersion)).toEqual(['2.0.0', '2.1.0']);
      const audit = await db.selectFrom('audit_events').select('action').where('entity_id', '=', release.id).orderBy('seq').execute();
      expect(audit.map((event) => event.action)).toEqual(['release.create', 'release.release']);
    });

    it('releases once when two owners release the same version at the same time', async () => {
      const db = subject.store().db;
      const product = await publishFixtureProduct(db);
      const owner = await person(db, 'Owner', product.domainId);
      const releases = new ReleaseService(db);
      const release = await releases.create(owner, product.id, { name: 'Raced', productVersion: '1.5.0' });
      const outcomes = await Promise.allSettled([releases.release(owner, { id: release.id, expectedVersion: 1 }), releases.release(owner, { id: release.id, expectedVersion: 1 })]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(failed?.status === 'rejected' ? failed.reason : undefined).toBeInstanceOf(PreconditionFailedError);
      expect(await db.selectFrom('audit_events').select('action').where('entity_id', '=', release.id).where('action', '=', 'release.release').execute()).toHaveLength(1);
    });
  });
}
