/**
 * The sprints suite, run on both stores (sprintsEmbedded.test.ts, sprintsPostgres.test.ts): planning
 * against capacity, the board's moves feeding the burndown (replayed with a test clock), closing with
 * unfinished items carried, If-Match and races, retrospectives carrying open actions forward, and the
 * decision log linked to items.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../auth/Actor';
import { ConflictError, InputError, NotAllowedError, PreconditionFailedError } from '../../errors/errors';
import type { Store } from '../../store/createStore';
import { newId } from '../../store/newId';
import { insertTestPerson, rejection } from '../../testing/insertTestPerson';
import { insertTestProduct, type TestProduct } from '../../testing/insertTestProduct';
import { BacklogService } from '../BacklogService';
import { DecisionService } from './DecisionService';
import { RetrospectiveService } from './RetrospectiveService';
import { SprintService } from './SprintService';

/** How a suite file provides its store. */
export interface SprintsSubject {
  store: () => Store;
}

const person = (store: Store, roles: Record<string, 'data_product_owner' | 'member'> = {}) => insertTestPerson(store.db, roles, 'sprint');
const thrown = rejection;

/** Registers the sprints suite under `name`. */
export function defineSprintsSuite(name: string, subject: SprintsSubject): void {
  describe(`${name}: sprints, retrospectives, decisions`, () => {
    let clock = new Date('2026-03-01T09:00:00Z');
    const now = () => clock;
    let sprints: SprintService;
    let backlog: BacklogService;
    let retros: RetrospectiveService;
    let decisions: DecisionService;
    let product: TestProduct;
    let owner: Actor;
    let consumer: Actor;
    beforeAll(async () => {
      const { db } = subject.store();
      sprints = new SprintService(db, now);
      backlog = new BacklogService(db, now);
      retros = new RetrospectiveService(db);
      decisions = new DecisionService(db);
      product = await insertTestProduct(db);
      owner = await person(subject.store(), { [product.domainId]: 'data_product_owner' });
      consumer = await person(subject.store());
    });

    const triaged = async (p: TestProduct, o: Actor, title: string, estimate: number | null) => backlog.create(o, p.id, { kind: 'story', title, estimate, state: 'triaged' });

    it('plans a sprint: pulls triaged items in as planned, refuses new and foreign items, warns past capacity', async () => {
      const p = await insertTestProduct(subject.store().db);
      const o = await person(subject.store(), { [p.domainId]: 'member' });
      const sprint = await sprints.create(o, p.externalId, { name: 'Sprint A', goal: 'Fresh orders', startDate: '2026-03-02', endDate: '2026-03-13', capacityUnit: 'points', members: [{ userId: o.userId, name: 'Ada', available: 8 }, { userId: null, name: 'Lin', available: 2 }] });
      expect(sprint).toMatchObject({ number: 1, state: 'planned', version: 1, startDate: '2026-03-02', endDate: '2026-03-13', commitment: { capacity: 10, committed: 0, warnings: [] } });
      const a = await triaged(p, o, 'A', 5);
      const b = await triaged(p, o, 'B', 8);
      const fresh = await backlog.create(o, p.id, { kind: 'idea', title: 'New' });
      const after = await sprints.addItem(o, { id: sprint.id, expectedVersion: 1, itemId: a.id });
      expect(after.items.map((entry) => [entry.item.title, entry.item.state])).toEqual([['A', 'planned']]);
      const full = await sprints.addItem(o, { id: sprint.id, expectedVersion: 2, itemId: b.id });
      expect(full.commitment).toMatchObject({ committed: 13, capacity: 10, warnings: ['The committed estimate (13 points) exceeds the capacity (10 points) by 3.'] });
      const refusedNew = (await thrown(sprints.addItem(o, { id: sprint.id, expectedVersion: 3, itemId: fresh.id }))) as InputError;
      expect(refusedNew).toBeInstanceOf(InputError);
      expect(refusedNew.problems).toEqual([{ pointer: '/itemId', detail: expect.stringContaining('triage it') as unknown }]);
      const foreign = await triaged(product, owner, 'Elsewhere', 1);
      expect(((await thrown(sprints.addItem(o, { id: sprint.id, expectedVersion: 3, itemId: foreign.id }))) as InputError).problems[0]?.pointer).toBe('/itemId');
      expect(await thrown(sprints.addItem(o, { id: sprint.id, expectedVersion: 3, itemId: a.id }))).toBeInstanceOf(ConflictError);
      const second = await sprints.create(o, p.id, { name: 'Sprint B', startDate: '2026-03-16', endDate: '2026-03-27', capacityUnit: 'points' });
      expect(((await thrown(sprints.addItem(o, { id: second.id, expectedVersion: 1, itemId: a.id }))) as ConflictError).message).toMatch(/already in sprint 1/);
      const removed = await sprints.removeItem(o, { id: sprint.id, expectedVersion: 3, itemId: b.id });
      expect(removed.commitment).toMatchObject({ committed: 5, warnings: [] });
      const audit = await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', sprint.id).orderBy('seq').execute();
      expect(audit.map((event) => event.action)).toEqual(['sprint.create', 'sprint.add_item', 'sprint.add_item', 'sprint.remove_item']);
      expect((await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', a.id).orderBy('seq').execute()).map((e) => e.action)).toEqual(['backlog_item.create', 'backlog_item.transition']);
    });

    it('keeps writes to the product’s domain, checks dates and members with pointers, and refuses stale versions', async () => {
      expect(await thrown(sprints.create(consumer, product.id, { name: 'X', startDate: '2026-03-02', endDate: '2026-03-13', capacityUnit: 'points' }))).toBeInstanceOf(NotAllowedError);
      const dates = (await thrown(sprints.create(owner, product.id, { name: 'X', startDate: '2026-03-13', endDate: '2026-03-02', capacityUnit: 'points' }))) as InputError;
      expect(dates.problems).toEqual([{ pointer: '/endDate', detail: 'The sprint ends before it starts.' }]);
      expect(((await thrown(sprints.create(owner, product.id, { name: 'X', startDate: '2026-02-30', endDate: '2026-03-02', capacityUnit: 'points' }))) as InputError).problems[0]?.pointer).toBe('/startDate');
      const ghost = (await thrown(sprints.create(owner, product.id, { name: 'X', startDate: '2026-03-02', endDate: '2026-03-03', capacityUnit: 'person-days', members: [{ userId: newId(), name: 'Ghost', available: 1 }] }))) as InputError;
      expect(ghost.problems[0]?.pointer).toBe('/members/0/userId');
      const sprint = await sprints.create(owner, product.id, { name: 'Y', startDate: '2026-03-02', endDate: '2026-03-03', capacityUnit: 'person-days' });
      expect(await thrown(sprints.update(consumer, { id: sprint.id, expectedVersion: 1, patch: { name: 'Mine' } }))).toBeInstanceOf(NotAllowedError);
      await sprints.update(owner, { id: sprint.id, expectedVersion: 1, patch: { name: 'Y2', members: [{ userId: null, name: 'Kim', available: 3 }] } });
      const stale = await thrown(sprints.update(owner, { id: sprint.id, expectedVersion: 1, patch: { name: 'Lost' } }));
      expect(stale).toBeInstanceOf(PreconditionFailedError);
      expect(await sprints.get(sprint.id)).toMatchObject({ name: 'Y2', version: 2, commitment: { capacity: 3 } });
    });

    it('lets two planners pulling items with the same version race: one wins, one gets 412, no lost scope', async () => {
      const p = await insertTestProduct(subject.store().db);
      const o = await person(subject.store(), { [p.domainId]: 'data_product_owner' });
      const sprint = await sprints.create(o, p.id, { name: 'Race', startDate: '2026-03-02', endDate: '2026-03-06', capacityUnit: 'points' });
      const [x, y] = [await triaged(p, o, 'X', 1), await triaged(p, o, 'Y', 1)];
      const results = await Promise.allSettled([sprints.addItem(o, { id: sprint.id, expectedVersion: 1, itemId: x.id }), sprints.addItem(o, { id: sprint.id, expectedVersion: 1, itemId: y.id })]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const failed = results.find((result) => result.status === 'rejected');
      expect(failed?.status === 'rejected' ? failed.reason : undefined).toBeInstanceOf(PreconditionFailedError);
      expect((await sprints.get(sprint.id)).items).toHaveLength(1);
      // A card moving while a planner pulls the same item again: the move wins, the pull is a 409, no deadlock.
      const current = await sprints.get(sprint.id);
      const inSprint = current.items[0]?.item;
      const [moved, pulled] = await Promise.allSettled([
        backlog.update(o, { id: inSprint?.id ?? '', expectedVersion: inSprint?.version ?? 0, patch: { state: 'in_progress' } }),
        sprints.addItem(o, { id: sprint.id, expectedVersion: current.version, itemId: inSprint?.id ?? '' }),
      ]);
      expect(moved.status).toBe('fulfilled');
      expect(pulled.status === 'rejected' ? pulled.reason : undefined).toBeInstanceOf(ConflictError);
    });

    it('runs one sprint at a time; the burndown replays moves day by day; closing carries unfinished items', async () => {
      const p = await insertTestProduct(subject.store().db);
      const o = await person(subject.store(), { [p.domainId]: 'data_product_owner' });
      clock = new Date('2026-03-01T10:00:00Z');
      const sprint = await sprints.create(o, p.id, { name: 'Run', startDate: '2026-03-02', endDate: '2026-03-06', capacityUnit: 'points', members: [{ userId: null, name: 'Ada', available: 10 }] });
      const next = await sprints.create(o, p.id, { name: 'Next', startDate: '2026-03-09', endDate: '2026-03-13', capacityUnit: 'points' });
      const a = await triaged(p, o, 'A', 5);
      const b = await triaged(p, o, 'B', 3);
      await sprints.addItem(o, { id: sprint.id, expectedVersion: 1, itemId: a.id });
      await sprints.addItem(o, { id: sprint.id, expectedVersion: 2, itemId: b.id });
      const started = await sprints.start(o, { id: sprint.id, expectedVersion: 3 });
      expect(started.state).toBe('active');
      expect(((await thrown(sprints.start(o, { id: next.id, expectedVersion: 1 }))) as ConflictError).message).toMatch(/still running/);
      clock = new Date('2026-03-02T15:00:00Z');
      const moving = await backlog.update(o, { id: a.id, expectedVersion: 2, patch: { state: 'in_progress' } });
      clock = new Date('2026-03-03T11:00:00Z');
      await backlog.update(o, { id: a.id, expectedVersion: moving.version, patch: { state: 'done' } });
      clock = new Date('2026-03-04T11:00:00Z');
      const reestimated = await backlog.update(o, { id: b.id, expectedVersion: 2, patch: { estimate: 4 } });
      expect(reestimated.estimate).toBe(4);
      const burndown = await sprints.burndown(sprint.id);
      expect(burndown).toMatchObject({ unit: 'points', startScope: 8 });
      expect(burndown.days.map((day) => [day.date, day.remaining, day.ideal])).toEqual([
        ['2026-03-02', 8, 8],
        ['2026-03-03', 3, 6],
        ['2026-03-04', 4, 4],
        ['2026-03-05', null, 2],
        ['2026-03-06', null, 0],
      ]);
      clock = new Date('2026-03-05T16:00:00Z');
      const badNext = (await thrown(sprints.close(o, { id: sprint.id, expectedVersion: 4, unfinished: 'next', nextSprintId: sprint.id }))) as InputError;
      expect(badNext.problems[0]?.pointer).toBe('/nextSprintId');
      const closed = await sprints.close(o, { id: sprint.id, expectedVersion: 4, unfinished: 'next', nextSprintId: next.id });
      expect(closed.state).toBe('closed');
      expect(closed.items.map((entry) => [entry.item.title, entry.outcome])).toEqual([['A', 'done'], ['B', 'carried']]);
      expect((await sprints.get(next.id)).items.map((entry) => [entry.item.title, entry.outcome])).toEqual([['B', null]]);
      expect(await thrown(sprints.addItem(o, { id: sprint.id, expectedVersion: 5, itemId: b.id }))).toBeInstanceOf(ConflictError);
      // A change after closing counts for the next sprint only: the closed burndown ends on its closing day.
      clock = new Date('2026-03-10T09:00:00Z');
      await backlog.update(o, { id: b.id, expectedVersion: reestimated.version, patch: { state: 'in_progress' } });
      expect((await sprints.burndown(sprint.id)).days.map((day) => day.remaining)).toEqual([8, 3, 4, 4, null]);
      expect((await sprints.list(p.id, { state: 'closed' })).map((s) => s.name)).toEqual(['Run']);
      const nextStarted = await sprints.start(o, { id: next.id, expectedVersion: 2 });
      const toBacklog = await sprints.close(o, { id: next.id, expectedVersion: nextStarted.version, unfinished: 'backlog' });
      expect(toBacklog.items.map((entry) => entry.outcome)).toEqual(['returned']);
      expect((await backlog.get(b.id)).state).toBe('in_progress');
    });

    it('holds retrospectives: v0 first save, stale refused, open actions carried forward until done', async () => {
      const p = await insertTestProduct(subject.store().db);
      const o = await person(subject.store(), { [p.domainId]: 'data_product_owner' });
      const first = await sprints.create(o, p.id, { name: 'R1', startDate: '2026-04-01', endDate: '2026-04-10', capacityUnit: 'points' });
      const second = await sprints.create(o, p.id, { name: 'R2', startDate: '2026-04-13', endDate: '2026-04-24', capacityUnit: 'points' });
      expect(await retros.get(first.id)).toMatchObject({ version: 0, wentWell: [], actions: [], carriedActions: [] });
      const saved = await retros.save(o, { sprintId: first.id, expectedVersion: 0, wentWell: ['Pairing on the loader'], toImprove: ['Estimates of defects'] });
      expect(saved).toMatchObject({ version: 1, wentWell: ['Pairing on the loader'], toImprove: ['Estimates of defects'] });
      expect(await thrown(retros.save(o, { sprintId: first.id, expectedVersion: 0, wentWell: [], toImprove: [] }))).toBeInstanceOf(PreconditionFailedError);
      expect(await thrown(retros.save(consumer, { sprintId: first.id, expectedVersion: 1, wentWell: [], toImprove: [] }))).toBeInstanceOf(NotAllowedError);
      const ownerless = (await thrown(retros.addAction(o, first.id, { title: 'Nobody' }))) as InputError;
      expect(ownerless.problems[0]?.pointer).toBe('/ownerUserId');
      expect(((await thrown(retros.addAction(o, first.id, { title: 'Late', ownerLabel: 'Lin', dueDate: '24 April' }))) as InputError).problems[0]?.pointer).toBe('/dueDate');
      const mine = await retros.addAction(o, first.id, { title: 'Size defects in refinement', ownerUserId: o.userId, dueDate: '2026-04-17' });
      expect(mine).toMatchObject({ owner: { userId: o.userId, label: o.label }, dueDate: '2026-04-17', done: false, sprintNumber: 1 });
      const theirs = await retros.addAction(o, first.id, { title: 'Book the room', ownerLabel: 'Lin' });
      const later = await retros.get(second.id);
      expect(later.carriedActions.map((action) => action.title)).toEqual(['Size defects in refinement', 'Book the room']);
      expect(later.actions).toEqual([]);
      const done = await retros.updateAction(o, { id: theirs.id, expectedVersion: 1, patch: { done: true } });
      expect(done).toMatchObject({ done: true, version: 2 });
      expect(await thrown(retros.updateAction(o, { id: theirs.id, expectedVersion: 1, patch: { title: 'x' } }))).toBeInstanceOf(PreconditionFailedError);
      expect((await retros.get(second.id)).carriedActions.map((action) => action.title)).toEqual(['Size defects in refinement']);
      expect((await retros.get(first.id)).actions.map((action) => [action.title, action.done])).toEqual([['Size defects in refinement', false], ['Book the room', true]]);
      const audit = await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', theirs.id).orderBy('seq').execute();
      expect(audit.map((event) => event.action)).toEqual(['retro_action.create', 'retro_action.done']);
    });

    it('keeps a decision log linked to items, shown on each item; superseding names the successor', async () => {
      const p = await insertTestProduct(subject.store().db);
      const o = await person(subject.store(), { [p.domainId]: 'data_product_owner' });
      const item = await triaged(p, o, 'Parquet snapshot', 3);
      const other = await triaged(p, o, 'Compaction', 2);
      const foreign = await triaged(product, owner, 'Not ours', 1);
      const bad = (await thrown(decisions.create(o, p.id, { title: 'Format', itemIds: [item.id, foreign.id], decidedOn: '2026-13-01' }))) as InputError;
      expect(bad.problems.map((problem) => problem.pointer)).toEqual(['/decidedOn', '/itemIds/1']);
      expect(await thrown(decisions.create(consumer, p.id, { title: 'Format' }))).toBeInstanceOf(NotAllowedError);
      const csv = await decisions.create(o, p.id, { title: 'Serve CSV snapshots', context: 'Consumers use spreadsheets.', options: [{ title: 'CSV', pros: 'Opens anywhere', cons: 'No types' }], decision: 'CSV', consequences: 'Types documented in the contract', status: 'accepted', decidedOn: '2026-02-01', deciders: ['Ada', 'Lin'], itemIds: [item.id] });
      expect(csv).toMatchObject({ number: 1, status: 'accepted', decidedOn: '2026-02-01', deciders: ['Ada', 'Lin'], items: [{ id: item.id, number: item.number, title: 'Parquet snapshot' }], version: 1 });
      const parquet = await decisions.create(o, p.id, { title: 'Serve Parquet snapshots', status: 'accepted', itemIds: [item.id, other.id, other.id] });
      expect(parquet.items.map((linked) => linked.title)).toEqual(['Parquet snapshot', 'Compaction']);
      expect(parquet.decidedOn).toMatch(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/);
      const missing = (await thrown(decisions.update(o, { id: csv.id, expectedVersion: 1, patch: { status: 'superseded' } }))) as InputError;
      expect(missing.problems[0]?.pointer).toBe('/supersededById');
      const superseded = await decisions.update(o, { id: csv.id, expectedVersion: 1, patch: { status: 'superseded', supersededById: parquet.id } });
      expect(superseded).toMatchObject({ status: 'superseded', supersededById: parquet.id, version: 2 });
      expect(await thrown(decisions.update(o, { id: csv.id, expectedVersion: 1, patch: { title: 'Lost' } }))).toBeInstanceOf(PreconditionFailedError);
      expect((await decisions.forItem(item.id)).map((decision) => decision.number)).toEqual([2, 1]);
      expect((await decisions.forItem(other.id)).map((decision) => decision.number)).toEqual([2]);
      expect((await decisions.list(p.id, { status: 'accepted' })).map((decision) => decision.title)).toEqual(['Serve Parquet snapshots']);
      const unlinked = await decisions.update(o, { id: parquet.id, expectedVersion: 1, patch: { itemIds: [other.id] } });
      expect(unlinked.items.map((linked) => linked.id)).toEqual([other.id]);
      expect((await decisions.forItem(item.id)).map((decision) => decision.number)).toEqual([1]);
    });
  });
}
