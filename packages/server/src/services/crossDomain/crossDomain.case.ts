/**
 * The cross-domain suite, run on both stores (crossDomainEmbedded.test.ts, crossDomainPostgres.test.ts):
 * cross-domain requests (authorisation, If-Match, roll-up, notifications of both domains, coordination
 * view) and demands for data that does not exist yet (inbox visibility, triage into a product's backlog,
 * decline with a reason, merge with "me too" votes, the requester's notifications at each step).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../auth/Actor';
import { ConflictError, InputError, NotAllowedError, PreconditionFailedError } from '../../errors/errors';
import type { Store } from '../../store/createStore';
import { newId } from '../../store/newId';
import { insertTestProduct, type TestProduct } from '../../testing/insertTestProduct';
import { BacklogService } from '../BacklogService';
import { CrossDomainService } from './CrossDomainService';
import { DemandService } from './DemandService';

/** How a suite file provides its store. */
export interface CrossDomainSubject {
  store: () => Store;
}

async function person(store: Store, roles: Record<string, 'data_product_owner' | 'member'> = {}, isAdmin = false): Promise<Actor> {
  const id = newId();
  const email = `xd-${randomUUID().slice(0, 8)}@example.com`;
  await store.db.insertInto('users').values({ id, email, name: 'Tester', is_admin: isAdmin }).execute();
  for (const [domainId, role] of Object.entries(roles)) await store.db.insertInto('domain_roles').values({ domain_id: domainId, user_id: id, role }).execute();
  return { userId: id, label: email, isAdmin, domainRoles: new Map(Object.entries(roles).map(([domain, role]) => [domain, new Set([role])])) };
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Registers the cross-domain suite under `name`. */
export function defineCrossDomainSuite(name: string, subject: CrossDomainSubject): void {
  describe(`${name}: cross-domain requests and demands`, () => {
    let backlog: BacklogService;
    let crossDomain: CrossDomainService;
    let demands: DemandService;
    let sales: TestProduct;
    let finance: TestProduct;
    let salesOwner: Actor;
    let financeOwner: Actor;
    let consumer: Actor;
    const notes = async (actor: Actor) => (await subject.store().db.selectFrom('notifications').select(['kind', 'title', 'body', 'link']).where('user_id', '=', actor.userId ?? '').orderBy('created_at').orderBy('id').execute());
    const audit = async (id: string) => (await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', id).orderBy('seq').execute()).map((row) => row.action);

    /** Walks an item through the workflow (new → … → done), one allowed step at a time. */
    const finish = async (actor: Actor, id: string) => {
      let item = await backlog.get(id);
      for (const state of ['triaged', 'planned', 'in_progress', 'done'] as const) item = await backlog.update(actor, { id, expectedVersion: item.version, patch: { state } });
      return item;
    };

    beforeAll(async () => {
      const db = subject.store().db;
      backlog = new BacklogService(db);
      crossDomain = new CrossDomainService(db, backlog);
      demands = new DemandService(db, backlog);
      sales = await insertTestProduct(db);
      finance = await insertTestProduct(db);
      salesOwner = await person(subject.store(), { [sales.domainId]: 'data_product_owner' });
      financeOwner = await person(subject.store(), { [finance.domainId]: 'data_product_owner' });
      consumer = await person(subject.store());
    });

    it('files a linked child in the other domain’s backlog, bumps the parent and notifies both owners', async () => {
      const parent = await backlog.create(salesOwner, sales.id, { kind: 'story', title: 'Margin per order', description: 'Needs FX rates' });
      const result = await crossDomain.request(salesOwner, { parentId: parent.id, expectedVersion: 1, input: { productId: finance.externalId, title: 'Daily FX rates' } });
      expect(result.child).toMatchObject({ productId: finance.id, number: 1, title: 'Daily FX rates', kind: 'request', state: 'new', requester: { userId: salesOwner.userId } });
      expect(result.child.evidence).toEqual([expect.objectContaining({ kind: 'item', ref: parent.id })]);
      expect(result.parent.version).toBe(2);
      expect(result.rollUp).toMatchObject({ total: 1, open: 1, summary: 'blocked on 1 of 1' });
      expect((await notes(financeOwner)).map((n) => n.kind)).toEqual(['backlog.cross-domain-request']);
      expect((await notes(financeOwner))[0]?.link).toBe(`/products/${finance.id}/backlog?item=${result.child.id}`);
      expect(await notes(salesOwner)).toEqual([]);
      expect(await audit(parent.id)).toEqual(['backlog_item.create', 'backlog_item.request_cross_domain']);
      expect(await audit(result.child.id)).toEqual(['backlog_item.create']);
      const links = await crossDomain.links(result.child.id);
      expect(links.parent).toMatchObject({ id: parent.id, number: parent.number, product: { id: sales.id }, domain: { id: sales.domainId } });
    });

    it('refuses outsiders, stale versions, own-domain products and closed parents', async () => {
      const parent = await backlog.create(salesOwner, sales.id, { kind: 'request', title: 'Churn flags' });
      expect(await thrown(crossDomain.request(consumer, { parentId: parent.id, expectedVersion: 1, input: { productId: finance.id } }))).toBeInstanceOf(NotAllowedError);
      expect(await thrown(crossDomain.request(financeOwner, { parentId: parent.id, expectedVersion: 1, input: { productId: finance.id } }))).toBeInstanceOf(NotAllowedError);
      expect(await thrown(crossDomain.request(salesOwner, { parentId: parent.id, expectedVersion: 7, input: { productId: finance.id } }))).toBeInstanceOf(PreconditionFailedError);
      const own = (await thrown(crossDomain.request(salesOwner, { parentId: parent.id, expectedVersion: 1, input: { productId: sales.id } }))) as InputError;
      expect(own).toBeInstanceOf(InputError);
      expect(own.problems).toEqual([expect.objectContaining({ pointer: '/productId' })]);
      const missing = (await thrown(crossDomain.request(salesOwner, { parentId: parent.id, expectedVersion: 1, input: { productId: 'urn:nope' } }))) as InputError;
      expect(missing.problems).toEqual([expect.objectContaining({ pointer: '/productId', detail: 'No product urn:nope.' })]);
      const done = await backlog.create(salesOwner, sales.id, { kind: 'request', title: 'Shipped', state: 'done' });
      expect(await thrown(crossDomain.request(salesOwner, { parentId: done.id, expectedVersion: 1, input: { productId: finance.id } }))).toBeInstanceOf(ConflictError);
      expect((await crossDomain.links(parent.id)).children).toEqual([]);
    });

    it('gives one success and one 412 to two requests racing with the same version', async () => {
      const parent = await backlog.create(salesOwner, sales.id, { kind: 'request', title: 'Race' });
      const results = await Promise.allSettled([1, 2].map((n) => crossDomain.request(salesOwner, { parentId: parent.id, expectedVersion: 1, input: { productId: finance.id, title: `Race ${n}` } })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(PreconditionFailedError)]);
      expect((await crossDomain.links(parent.id)).children).toHaveLength(1);
    });

    it('rolls the children up on the parent and tells the parent’s owners when a child moves', async () => {
      const other = await insertTestProduct(subject.store().db);
      const otherOwner = await person(subject.store(), { [other.domainId]: 'data_product_owner' });
      const parent = await backlog.create(salesOwner, sales.id, { kind: 'story', title: 'Customer 360' });
      const a = await crossDomain.request(salesOwner, { parentId: parent.id, expectedVersion: 1, input: { productId: finance.id } });
      const b = await crossDomain.request(salesOwner, { parentId: parent.id, expectedVersion: 2, input: { productId: other.id } });
      expect(b.rollUp.summary).toBe('blocked on 2 of 2');
      const before = (await notes(salesOwner)).length;
      await finish(financeOwner, a.child.id);
      expect((await crossDomain.links(parent.id)).rollUp).toMatchObject({ total: 2, open: 1, done: 1, complete: false, summary: 'blocked on 1 of 2' });
      await backlog.update(otherOwner, { id: b.child.id, expectedVersion: 1, patch: { state: 'declined', declineReason: 'We do not hold that data' } });
      const links = await crossDomain.links(parent.id);
      expect(links.rollUp).toMatchObject({ complete: true, summary: 'done: 2 of 2 (1 declined)' });
      expect(links.children.find((child) => child.id === b.child.id)?.declineReason).toBe('We do not hold that data');
      const news = (await notes(salesOwner)).slice(before);
      expect(news.map((n) => n.kind)).toEqual(Array.from({ length: 5 }, () => 'backlog.cross-domain-state'));
      expect(news[3]).toMatchObject({ title: expect.stringContaining('is now done') as unknown, body: '“Customer 360”: blocked on 1 of 2.' });
      expect(news[4]).toMatchObject({ title: expect.stringContaining('declined: We do not hold that data') as unknown, body: '“Customer 360”: done: 2 of 2 (1 declined).' });
    });

    it('lists open dependencies across the mesh oldest first, filtered by a domain at either end', async () => {
      const lonely = await insertTestProduct(subject.store().db);
      const lonelyOwner = await person(subject.store(), { [lonely.domainId]: 'data_product_owner' });
      const parent = await backlog.create(lonelyOwner, lonely.id, { kind: 'request', title: 'Needs finance' });
      const first = await crossDomain.request(lonelyOwner, { parentId: parent.id, expectedVersion: 1, input: { productId: finance.id, title: 'First' } });
      const second = await crossDomain.request(lonelyOwner, { parentId: parent.id, expectedVersion: 2, input: { productId: sales.id, title: 'Second' } });
      const mine = await crossDomain.dependencies({ domain: lonely.domainId });
      expect(mine.items.map((d) => d.child.title)).toEqual(['First', 'Second']);
      expect(mine.items[0]).toMatchObject({ parent: { id: parent.id, domain: { id: lonely.domainId } }, child: { domain: { id: finance.domainId } }, ageDays: 0, open: true });
      await finish(financeOwner, first.child.id);
      expect((await crossDomain.dependencies({ domain: lonely.domainId })).items.map((d) => d.child.id)).toEqual([second.child.id]);
      expect((await crossDomain.dependencies({ domain: lonely.domainId, state: 'all' })).items.map((d) => d.child.id)).toEqual([first.child.id, second.child.id]);
      const paged = await crossDomain.dependencies({ domain: lonely.domainId, state: 'all', limit: 1 });
      expect((await crossDomain.dependencies({ domain: lonely.domainId, state: 'all', limit: 1, cursor: paged.nextCursor ?? '' })).items.map((d) => d.child.id)).toEqual([second.child.id]);
      expect(await thrown(crossDomain.dependencies({ domain: 'no-such-domain' }))).toBeInstanceOf(InputError);
    });

    it('files a demand for anyone, keeps the inbox to owners and admins, and notifies admins', async () => {
      const admin = await person(subject.store(), {}, true);
      const demand = await demands.create(consumer, { title: 'Store footfall', useCase: 'Staff planning', desiredFields: ['store_id', 'hour', 'visitors', 'visitors'], freshness: 'hourly' });
      expect(demand).toMatchObject({ state: 'open', desiredFields: ['store_id', 'hour', 'visitors'], requester: { userId: consumer.userId }, votes: 0, version: 1 });
      expect((await notes(admin)).filter((n) => n.kind === 'demand.created').map((n) => n.title)).toContain('New request for data: Store footfall');
      expect(await thrown(demands.list(consumer, {}))).toBeInstanceOf(NotAllowedError);
      expect((await demands.list(consumer, { mine: true })).items.map((d) => d.id)).toContain(demand.id);
      expect((await demands.list(salesOwner, { state: 'open' })).items.map((d) => d.id)).toContain(demand.id);
      const team = (await thrown(demands.create(consumer, { title: 'x', useCase: 'y', requesterTeamId: sales.teamId }))) as InputError;
      expect(team.problems).toEqual([expect.objectContaining({ pointer: '/requesterTeamId' })]);
      expect(await audit(demand.id)).toEqual(['data_demand.create']);
      const other = await person(subject.store());
      expect((await demands.list(other, { q: 'FOOTFALL' })).items.map((d) => d.id)).toContain(demand.id);
      expect((await demands.list(other, { q: 'staff plan' })).items.map((d) => d.id)).toContain(demand.id);
      expect((await demands.list(other, { q: 'footfall heatmap' })).items.map((d) => d.id)).toContain(demand.id);
      expect((await demands.list(other, { q: '100%_' })).items).toEqual([]);
      await demands.decline(admin, { id: demand.id, expectedVersion: 1, reason: 'Door sensors are not ours' });
      expect((await demands.list(other, { q: 'footfall' })).items.map((d) => d.id)).not.toContain(demand.id);
    });

    it('assigns a demand to a domain, accepts it into a product’s backlog with the demand as evidence, and tells the requester each step', async () => {
      const voter = await person(subject.store());
      const demand = await demands.create(consumer, { title: 'Supplier lead times', useCase: 'Reorder points', desiredFields: ['supplier_id', 'lead_days'] });
      expect((await demands.vote(voter, demand.id, true)).votes).toBe(1);
      expect(await thrown(demands.vote(consumer, demand.id, true))).toBeInstanceOf(ConflictError);
      expect(await thrown(demands.triage(consumer, { id: demand.id, expectedVersion: 1, domainId: finance.domainId }))).toBeInstanceOf(NotAllowedError);
      const assigned = await demands.triage(salesOwner, { id: demand.id, expectedVersion: 1, domainId: finance.domainId });
      expect(assigned).toMatchObject({ state: 'assigned', domain: { id: finance.domainId }, version: 2 });
      expect((await notes(financeOwner)).some((n) => n.kind === 'demand.assigned-to-domain')).toBe(true);
      expect(await thrown(demands.triage(salesOwner, { id: demand.id, expectedVersion: 2, productId: finance.id }))).toBeInstanceOf(NotAllowedError);
      const wrong = (await thrown(demands.triage(financeOwner, { id: demand.id, expectedVersion: 2, domainId: finance.domainId, productId: sales.id }))) as InputError;
      expect(wrong.problems).toEqual([expect.objectContaining({ pointer: '/productId' })]);
      expect(await thrown(demands.triage(financeOwner, { id: demand.id, expectedVersion: 1, productId: finance.id }))).toBeInstanceOf(PreconditionFailedError);
      const accepted = await demands.triage(financeOwner, { id: demand.id, expectedVersion: 2, productId: finance.id });
      expect(accepted).toMatchObject({ state: 'accepted', product: { id: finance.id }, backlogItem: { state: 'new' } });
      const item = await backlog.get(accepted.backlogItem?.id ?? '');
      expect(item).toMatchObject({ productId: finance.id, title: 'Supplier lead times', requester: { userId: consumer.userId } });
      expect(item.description).toContain('Desired fields: supplier_id, lead_days');
      expect(item.evidence).toEqual([expect.objectContaining({ kind: 'url', ref: `/demands/${demand.id}` })]);
      await backlog.update(financeOwner, { id: item.id, expectedVersion: 1, patch: { state: 'triaged' } });
      expect((await notes(consumer)).filter((n) => n.link === `/demands/${demand.id}`).map((n) => n.kind)).toEqual(['demand.assigned', 'demand.accepted', 'demand.item-state']);
      expect((await notes(voter)).map((n) => n.kind)).toEqual(['demand.assigned', 'demand.accepted', 'demand.item-state']);
      expect((await demands.get(demand.id)).backlogItem?.state).toBe('triaged');
      expect(await audit(demand.id)).toEqual(['data_demand.create', 'data_demand.vote', 'data_demand.assign', 'data_demand.accept']);
      expect(await thrown(demands.decline(financeOwner, { id: demand.id, expectedVersion: 3, reason: 'late' }))).toBeInstanceOf(ConflictError);
    });

    it('gives one success and one 412 to two triagers racing on the same version; the loser changes nothing', async () => {
      const demand = await demands.create(consumer, { title: 'Race for data', useCase: 'Races' });
      const results = await Promise.allSettled([
        demands.triage(financeOwner, { id: demand.id, expectedVersion: 1, productId: finance.id }),
        demands.decline(salesOwner, { id: demand.id, expectedVersion: 1, reason: 'Too late' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(PreconditionFailedError)]);
      const after = await demands.get(demand.id);
      expect(after.version).toBe(2);
      const items = await subject.store().db.selectFrom('backlog_items').select('id').where('description', 'like', '%Use case: Races%').execute();
      expect(items).toHaveLength(after.state === 'accepted' ? 1 : 0);
    });

    it('declines with a reason the requester reads, and only the assigned domain may decline', async () => {
      const demand = await demands.create(consumer, { title: 'Weather by store', useCase: 'Forecasts' });
      const empty = (await thrown(demands.decline(salesOwner, { id: demand.id, expectedVersion: 1, reason: '  ' }))) as InputError;
      expect(empty.problems).toEqual([expect.objectContaining({ pointer: '/reason' })]);
      await demands.triage(salesOwner, { id: demand.id, expectedVersion: 1, domainId: finance.domainId });
      expect(await thrown(demands.decline(salesOwner, { id: demand.id, expectedVersion: 2, reason: 'no' }))).toBeInstanceOf(NotAllowedError);
      const declined = await demands.decline(financeOwner, { id: demand.id, expectedVersion: 2, reason: 'Buy it from the weather vendor; see the wiki' });
      expect(declined).toMatchObject({ state: 'declined', declineReason: 'Buy it from the weather vendor; see the wiki' });
      const last = (await notes(consumer)).filter((n) => n.kind === 'demand.declined').pop();
      expect(last).toMatchObject({ title: 'Your request “Weather by store” was declined', body: 'Buy it from the weather vendor; see the wiki' });
    });

    it('merges a duplicate: its requester and voters become “me too” votes and are told where to follow', async () => {
      const other = await person(subject.store());
      const third = await person(subject.store());
      const survivor = await demands.create(consumer, { title: 'Returns by reason', useCase: 'Quality' });
      const duplicate = await demands.create(other, { title: 'Return reasons', useCase: 'Same' });
      await demands.vote(third, duplicate.id, true);
      await demands.vote(other, survivor.id, true);
      expect(await thrown(demands.merge(consumer, { id: survivor.id, expectedVersion: 2, duplicateId: duplicate.id }))).toBeInstanceOf(NotAllowedError);
      expect(((await thrown(demands.merge(salesOwner, { id: survivor.id, expectedVersion: 1, duplicateId: survivor.id }))) as InputError).problems[0]?.pointer).toBe('/duplicateId');
      const merged = await demands.merge(salesOwner, { id: survivor.id, expectedVersion: 1, duplicateId: duplicate.id });
      expect(merged).toMatchObject({ votes: 2, version: 2 });
      expect(await demands.get(duplicate.id)).toMatchObject({ state: 'merged', mergedIntoId: survivor.id, votes: 0 });
      expect((await notes(other)).filter((n) => n.kind === 'demand.merged').map((n) => n.link)).toEqual([`/demands/${survivor.id}`]);
      expect((await notes(third)).filter((n) => n.kind === 'demand.merged')).toHaveLength(1);
      expect(await thrown(demands.vote(third, duplicate.id, true))).toBeInstanceOf(ConflictError);
      expect(await audit(duplicate.id)).toContain('data_demand.mark_duplicate');
    });
  });
}
