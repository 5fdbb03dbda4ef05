/**
 * The feedback suite, run on both stores (feedbackEmbedded.test.ts on PGlite, feedbackPostgres.test.ts
 * on PostgreSQL 15): ratings, comments and threads, issues on columns and checks, feature requests and
 * votes, states, the owner inbox with unread markers, the summary, authorisation, audit and If-Match.
 * Each suite works in its own fresh domain, so the two files could share a store.
 */
import { describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../auth/Actor';
import { ConflictError, InputError, NotAllowedError, PreconditionFailedError, type MeshboardError } from '../../errors/errors';
import { sampleContract, sampleProduct } from '../../store/catalog.case';
import type { Store } from '../../store/createStore';
import type { DomainRole } from '../../store/Database';
import { createServices, type Services } from '../createServices';
import { feedbackEvents } from './feedbackEvents';
import { deliverFeedbackNotifications } from './feedbackNotifications';
import type { FeedbackEvent } from './FeedbackService';

/** How a suite file provides its store. */
export interface FeedbackSubject {
  store: () => Store;
}

const admin = systemActor('test');
let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** Awaits a promise expected to fail with `type` and returns the error's field problems. */
async function problemsOf(promise: Promise<unknown>, type: abstract new (...args: never[]) => MeshboardError = InputError): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error instanceof InputError ? error.problems.map((problem) => problem.pointer ?? problem.parameter ?? '') : [];
  }
  throw new Error('expected the call to fail');
}

interface World {
  services: Services;
  events: FeedbackEvent[];
  productId: string;
  otherProductId: string;
  contractId: string;
  owner: Actor;
  consumer: Actor;
  loner: Actor;
  outsider: Actor;
  teams: { first: string; second: string };
}

/** A domain with one product (over one contract), an owner, a consumer in two teams, one in none, and an owner of another domain. */
async function world(store: Store): Promise<World> {
  const events: FeedbackEvent[] = [];
  const services = createServices(store.db, { onFeedbackEvent: (event) => events.push(event) });
  const domain = await services.domains.create(admin, { slug: unique('fb'), name: 'Feedback domain' });
  const elsewhere = await services.domains.create(admin, { slug: unique('fb-other'), name: 'Other domain' });
  const first = await services.teams.create(admin, { slug: unique('fb-team-a'), name: 'Analytics', domainId: domain.id });
  const second = await services.teams.create(admin, { slug: unique('fb-team-b'), name: 'Marketing' });
  const person = async (name: string, roles: { domainId: string; role: DomainRole }[], teamIds: string[]): Promise<Actor> => {
    const user = await services.users.create(admin, { email: `${unique(name)}@example.com`, name, roles, teamIds });
    const map = new Map<string, Set<DomainRole>>();
    for (const grant of roles) map.set(grant.domainId, new Set([...(map.get(grant.domainId) ?? []), grant.role]));
    return { userId: user.id, label: user.email, isAdmin: false, domainRoles: map };
  };
  const owner = await person('Owner', [{ domainId: domain.id, role: 'data_product_owner' }], [first.id]);
  const consumer = await person('Consumer', [], [first.id, second.id]);
  const loner = await person('Loner', [], []);
  const outsider = await person('Outsider', [{ domainId: elsewhere.id, role: 'data_owner' }], []);
  const contractExternal = unique('urn:fb:contract');
  const contract = sampleContract({ id: contractExternal, domain: domain.slug });
  const published = await services.contracts.publish(admin, { document: { ...contract, schema: [{ ...contract.schema[0], quality: [{ id: 'customers-not-empty', metric: 'rowCount', mustBeGreaterThan: 0 }] }] } });
  const product = await services.products.publish(admin, { document: sampleProduct({ id: unique('urn:fb:product'), domain: domain.slug, contractId: contractExternal }) });
  const other = await services.products.publish(admin, { document: sampleProduct({ id: unique('urn:fb:product'), domain: domain.slug, contractId: contractExternal, name: 'Second product' }) });
  return { services, events, productId: product.item.id, otherProductId: other.item.id, contractId: published.item.id, owner, consumer, loner, outsider, teams: { first: first.id, second: second.id } };
}

async function auditActions(store: Store, entityId: string): Promise<string[]> {
  return (await store.db.selectFrom('audit_events').select('action').where('entity_id', '=', entityId).orderBy('seq').execute()).map((row) => row.action);
}

/** Registers the feedback suite under `name`. */
export function defineFeedbackSuite(name: string, subject: FeedbackSubject): void {
  describe(`${name}: feedback`, () => {
    it('keeps one editable rating per user and product, and summarises the live ones', async () => {
      const w = await world(subject.store());
      const { feedback } = w.services;
      const mine = await feedback.create(w.loner, w.productId, { kind: 'rating', rating: 4, body: '  Solid data. ' });
      expect(mine).toMatchObject({ kind: 'rating', rating: 4, body: 'Solid data.', team: null, mine: true, byOwner: false, version: 1, state: null });
      await expect(feedback.create(w.loner, w.productId, { kind: 'rating', rating: 2 })).rejects.toThrow(new RegExp(`PATCH /api/feedback/${mine.id}`));
      await feedback.create(w.consumer, w.productId, { kind: 'rating', rating: 1, teamId: w.teams.second });
      expect(await problemsOf(feedback.update(w.consumer, { id: mine.id, expectedVersion: 1, patch: { rating: 1 } }), NotAllowedError)).toEqual([]);
      const changed = await feedback.update(w.loner, { id: mine.id, expectedVersion: 1, patch: { rating: 5 } });
      expect(changed).toMatchObject({ rating: 5, body: 'Solid data.', version: 2 });
      await expect(feedback.update(w.loner, { id: mine.id, expectedVersion: 1, patch: { rating: 3 } })).rejects.toThrow(PreconditionFailedError);

      let summary = await feedback.summary(w.productId);
      expect(summary.rating).toEqual({ average: 3, count: 2, distribution: { '1': 1, '2': 0, '3': 0, '4': 0, '5': 1 } });
      expect(summary.counts).toMatchObject({ rating: 2, comment: 0 });
      expect((await feedback.options(w.loner, w.productId)).myRating).toMatchObject({ id: mine.id, rating: 5 });

      await feedback.delete(w.loner, { id: mine.id, expectedVersion: 2 });
      summary = await feedback.summary(w.productId);
      expect(summary.rating).toMatchObject({ average: 1, count: 1 });
      expect((await feedback.list(w.loner, w.productId, { kind: 'rating' })).items.map((item) => item.author?.name)).toEqual(['Consumer']);
      expect((await feedback.options(w.loner, w.productId)).myRating).toBeNull();
      const again = await feedback.create(w.loner, w.productId, { kind: 'rating', rating: 3 });
      expect(again.id).not.toBe(mine.id);
      expect(await auditActions(subject.store(), mine.id)).toEqual(['feedback.create', 'feedback.update', 'feedback.delete']);
      expect((await feedback.summary(w.otherProductId)).rating).toMatchObject({ average: null, count: 0 });
    });

    it('names the field of every invalid input with a JSON pointer', async () => {
      const w = await world(subject.store());
      const { feedback } = w.services;
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'rating' }))).toEqual(['/rating']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'rating', rating: 6, title: 'x' }))).toEqual(['/rating', '/title']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'issue', body: 'no title' }))).toEqual(['/title']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'comment', body: '   ' }))).toEqual(['/body']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'feature_request', title: 'T', target: { kind: 'column', ref: 'customers.email' } }))).toEqual(['/target']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'issue', title: 'T', parentId: w.productId }))).toEqual(['/parentId']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'issue', title: 'T', target: { kind: 'column', ref: 'customers.nope' } }))).toEqual(['/target/ref']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'issue', title: 'T', target: { kind: 'check', ref: 'no-such-check' } }))).toEqual(['/target/ref']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'issue', title: 'T', target: { kind: 'column', contractId: w.productId, ref: 'customers.email' } }))).toEqual(['/target/contractId']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'comment', body: 'x', parentId: '019a0000-0000-7000-8000-000000000000' }))).toEqual(['/parentId']);
      // Team attribution: several teams → choose; not a member → refused; none → null.
      expect(await problemsOf(feedback.create(w.consumer, w.productId, { kind: 'comment', body: 'hello' }))).toEqual(['/teamId']);
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'comment', body: 'hello', teamId: w.teams.first }))).toEqual(['/teamId']);
      expect(await feedback.create(w.consumer, w.productId, { kind: 'comment', body: 'hello', teamId: null })).toMatchObject({ team: null });
      expect(await feedback.create(w.owner, w.productId, { kind: 'comment', body: 'hello' })).toMatchObject({ team: { id: w.teams.first, name: 'Analytics' }, byOwner: true });
      await expect(feedback.create(w.loner, 'urn:none', { kind: 'comment', body: 'x' })).rejects.toThrow(/No product/);
      await expect(feedback.create(admin, w.productId, { kind: 'comment', body: 'x' })).rejects.toThrow(NotAllowedError);
    });

    it('reports issues on a column or a check and lets only owners move them through their states', async () => {
      const w = await world(subject.store());
      const { feedback } = w.services;
      const options = await feedback.options(w.consumer, w.productId);
      expect(options.targets.columns.map((column) => column.ref)).toEqual(['customers.customer_id', 'customers.email']);
      expect(options.targets.checks.map((check) => check.ref)).toContain('customers-not-empty');
      expect(options.teams.map((team) => team.name)).toEqual(['Analytics', 'Marketing']);
      expect(options.canModerate).toBe(false);
      expect((await feedback.options(w.owner, w.productId)).canModerate).toBe(true);

      const onColumn = await feedback.create(w.consumer, w.productId, { kind: 'issue', title: 'E-mails missing', body: '3 % are empty.', teamId: w.teams.second, target: { kind: 'column', ref: 'customers.email' } });
      expect(onColumn).toMatchObject({ state: 'open', team: { name: 'Marketing' }, target: { kind: 'column', contractId: w.contractId, ref: 'customers.email' } });
      const onCheck = await feedback.create(w.consumer, w.productId, { kind: 'issue', title: 'Row count check flaps', teamId: w.teams.first, target: { kind: 'check', contractId: w.contractId, ref: 'customers-not-empty' } });
      expect(onCheck.target).toEqual({ kind: 'check', contractId: w.contractId, ref: 'customers-not-empty' });

      await expect(feedback.changeState(w.consumer, { id: onColumn.id, expectedVersion: 1, state: 'resolved' })).rejects.toThrow(NotAllowedError);
      await expect(feedback.changeState(w.outsider, { id: onColumn.id, expectedVersion: 1, state: 'resolved' })).rejects.toThrow(NotAllowedError);
      const acknowledged = await feedback.changeState(w.owner, { id: onColumn.id, expectedVersion: 1, state: 'acknowledged' });
      expect(acknowledged).toMatchObject({ state: 'acknowledged', version: 2 });
      await expect(feedback.changeState(w.owner, { id: onColumn.id, expectedVersion: 1, state: 'resolved' })).rejects.toThrow(PreconditionFailedError);
      const reply = await feedback.create(w.owner, w.productId, { kind: 'comment', body: 'Fixed upstream; backfilled.', parentId: onColumn.id });
      expect(reply).toMatchObject({ byOwner: true, threadId: onColumn.id, parentId: onColumn.id });
      const resolved = await feedback.changeState(w.owner, { id: onColumn.id, expectedVersion: 2, state: 'resolved', reason: 'Backfilled on Monday.' });
      expect(resolved).toMatchObject({ state: 'resolved', stateReason: 'Backfilled on Monday.' });
      expect(await problemsOf(feedback.changeState(w.owner, { id: onColumn.id, expectedVersion: 3, state: 'acknowledged' }))).toEqual(['/state']);
      expect(await problemsOf(feedback.changeState(w.owner, { id: onCheck.id, expectedVersion: 1, state: 'declined' }))).toEqual(['/reason']);
      expect(await feedback.changeState(w.owner, { id: onCheck.id, expectedVersion: 1, state: 'declined', reason: 'The check is right: the source was empty.' })).toMatchObject({ state: 'declined', stateReason: 'The check is right: the source was empty.' });
      const comment = await feedback.create(w.loner, w.productId, { kind: 'comment', body: 'Nice' });
      expect(await problemsOf(feedback.changeState(w.owner, { id: comment.id, expectedVersion: 1, state: 'resolved' }))).toEqual(['/state']);

      // The reporter sees the reply and the state; nobody edits others' text.
      const thread = (await feedback.list(w.consumer, w.productId, { kind: 'issue' })).items.find((item) => item.id === onColumn.id);
      expect(thread).toMatchObject({ state: 'resolved', stateReason: 'Backfilled on Monday.', mine: true, replies: [{ body: 'Fixed upstream; backfilled.', byOwner: true, mine: false }] });
      await expect(feedback.update(w.owner, { id: onColumn.id, expectedVersion: 3, patch: { body: 'edited by the owner' } })).rejects.toThrow(NotAllowedError);
      expect((await feedback.list(w.consumer, w.productId, { state: 'declined' })).items.map((item) => item.id)).toEqual([onCheck.id]);
      expect(await auditActions(subject.store(), onColumn.id)).toEqual(['feedback.create', 'feedback.state', 'feedback.state']);
      const summary = await feedback.summary(w.productId);
      expect(summary.states.issue).toEqual({ open: 0, acknowledged: 0, resolved: 1, declined: 1 });
      expect(summary.counts).toMatchObject({ issue: 2, comment: 1 });
      expect(summary.replies).toBe(1);
    });

    it('threads replies and keeps the thread when a comment is deleted', async () => {
      const w = await world(subject.store());
      const { feedback } = w.services;
      const root = await feedback.create(w.loner, w.productId, { kind: 'comment', body: 'Is the country ISO 3166?' });
      const answer = await feedback.create(w.owner, w.productId, { kind: 'comment', body: 'Yes, alpha-2.', parentId: root.id });
      const nested = await feedback.create(w.loner, w.productId, { kind: 'comment', body: 'Thanks!', parentId: answer.id });
      expect(nested).toMatchObject({ parentId: answer.id, threadId: root.id });
      await expect(feedback.delete(w.owner, { id: root.id, expectedVersion: 1 })).rejects.toThrow(NotAllowedError);
      await expect(feedback.delete(w.loner, { id: root.id, expectedVersion: 7 })).rejects.toThrow(PreconditionFailedError);
      await feedback.delete(w.loner, { id: root.id, expectedVersion: 1 });
      const [thread] = (await feedback.list(w.loner, w.productId, {})).items;
      expect(thread).toMatchObject({ id: root.id, deleted: true, body: '', replies: [{ id: answer.id, body: 'Yes, alpha-2.' }, { id: nested.id, parentId: answer.id }] });
      expect(await problemsOf(feedback.create(w.loner, w.productId, { kind: 'comment', body: 'x', parentId: root.id }))).toEqual(['/parentId']);
      await expect(feedback.update(w.loner, { id: root.id, expectedVersion: 2, patch: { body: 'back' } })).rejects.toThrow(ConflictError);
      expect(await problemsOf(feedback.create(w.loner, w.otherProductId, { kind: 'comment', body: 'x', parentId: answer.id }))).toEqual(['/parentId']);
    });

    it('counts one vote per user on feature requests', async () => {
      const w = await world(subject.store());
      const { feedback } = w.services;
      const request = await feedback.create(w.loner, w.productId, { kind: 'feature_request', title: 'Add a region column' });
      expect(await feedback.vote(w.loner, request.id, true)).toMatchObject({ votes: 1, voted: true });
      expect(await feedback.vote(w.loner, request.id, true)).toMatchObject({ votes: 1, voted: true });
      expect(await feedback.vote(w.owner, request.id, true)).toMatchObject({ votes: 2, voted: true });
      expect(await feedback.get(w.consumer, request.id)).toMatchObject({ votes: 2, voted: false });
      expect(await feedback.vote(w.loner, request.id, false)).toMatchObject({ votes: 1, voted: false });
      const issue = await feedback.create(w.loner, w.productId, { kind: 'issue', title: 'x' });
      expect(await problemsOf(feedback.vote(w.loner, issue.id, true))).toEqual(['id']);
      expect(await auditActions(subject.store(), request.id)).toEqual(['feedback.create', 'feedback.vote', 'feedback.vote', 'feedback.unvote']);
    });

    it("gives owners an inbox of their domains' feedback with filters, unread markers and pages", async () => {
      const w = await world(subject.store());
      const { feedback } = w.services;
      const issue = await feedback.create(w.loner, w.productId, { kind: 'issue', title: 'Duplicates' });
      const request = await feedback.create(w.loner, w.otherProductId, { kind: 'feature_request', title: 'Daily refresh' });
      const rating = await feedback.create(w.loner, w.productId, { kind: 'rating', rating: 2, body: 'Often late' });
      expect((await feedback.inbox(w.outsider, {})).items).toEqual([]);
      expect((await feedback.inbox(w.loner, {})).items).toEqual([]);

      const all = await feedback.inbox(w.owner, {});
      expect(all.items.map((item) => item.id)).toEqual([rating.id, request.id, issue.id]);
      expect(all.items.every((item) => item.unread)).toBe(true);
      expect(all.unreadCount).toBe(3);
      expect(all.items[1]?.product.name).toBe('Second product');
      expect((await feedback.inbox(w.owner, { kind: 'issue' })).items.map((item) => item.id)).toEqual([issue.id]);
      expect((await feedback.inbox(w.owner, { state: 'open' })).items.map((item) => item.id)).toEqual([request.id, issue.id]);
      expect((await feedback.inbox(w.owner, { productId: w.otherProductId })).items.map((item) => item.id)).toEqual([request.id]);

      await feedback.read(w.owner, rating.id);
      await feedback.create(w.owner, w.productId, { kind: 'comment', body: 'Looking into it', parentId: issue.id });
      let inbox = await feedback.inbox(w.owner, {});
      // The owner's reply moved the issue up and counts as read by them.
      expect(inbox.items.map((item) => [item.id, item.unread])).toEqual([
        [issue.id, false],
        [rating.id, false],
        [request.id, true],
      ]);
      expect(inbox.unreadCount).toBe(1);
      await feedback.create(w.loner, w.productId, { kind: 'comment', body: 'Any news?', parentId: issue.id });
      inbox = await feedback.inbox(w.owner, { unread: true });
      expect(inbox.items.map((item) => item.id)).toEqual([issue.id, request.id]);
      expect(inbox.items[0]?.replies.map((reply) => reply.body)).toEqual(['Looking into it', 'Any news?']);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await feedback.inbox(w.owner, { limit: 1, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.items.map((item) => item.id));
        expect(page.unreadCount === null).toBe(cursor !== undefined);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(seen).toEqual([issue.id, rating.id, request.id]);
      expect(await problemsOf(feedback.inbox(w.owner, { cursor: 'bm90LWEtY3Vyc29y' }))).toEqual(['cursor']);

      const firstPage = await feedback.list(w.loner, w.productId, { limit: 1 });
      expect(firstPage.nextCursor).not.toBeNull();
      const secondPage = await feedback.list(w.loner, w.productId, { limit: 1, cursor: firstPage.nextCursor ?? '' });
      expect([...firstPage.items, ...secondPage.items].map((item) => item.id)).toEqual([rating.id, issue.id]);
      expect(secondPage.nextCursor).toBeNull();
    });

    it('serialises concurrent state changes: one wins, the other gets 412', async () => {
      const w = await world(subject.store());
      const { feedback } = w.services;
      const issue = await feedback.create(w.loner, w.productId, { kind: 'issue', title: 'Race' });
      const outcomes = await Promise.allSettled([
        feedback.changeState(w.owner, { id: issue.id, expectedVersion: 1, state: 'acknowledged' }),
        feedback.changeState(w.owner, { id: issue.id, expectedVersion: 1, state: 'resolved' }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(failed?.status === 'rejected' ? failed.reason : undefined).toBeInstanceOf(PreconditionFailedError);
      expect((await feedback.get(w.owner, issue.id)).version).toBe(2);
    });

    it('names the users to notify for each event (never the actor)', async () => {
      const w = await world(subject.store());
      const { feedback } = w.services;
      const db = subject.store().db;
      const request = await feedback.create(w.loner, w.productId, { kind: 'feature_request', title: 'CSV export' });
      expect(w.events.at(-1)).toEqual({ type: 'created', feedbackId: request.id, actorId: w.loner.userId });
      expect(await feedbackEvents(db, { type: 'created', feedbackId: request.id, actorId: w.loner.userId ?? '' })).toEqual([{ userId: w.owner.userId, reason: 'owner' }]);
      await feedback.vote(w.consumer, request.id, true);
      const reply = await feedback.create(w.owner, w.productId, { kind: 'comment', body: 'Planned', parentId: request.id });
      expect(await feedbackEvents(db, { type: 'replied', feedbackId: reply.id, actorId: w.owner.userId ?? '' })).toEqual([{ userId: w.loner.userId, reason: 'reporter' }]);
      await feedback.changeState(w.owner, { id: request.id, expectedVersion: 1, state: 'acknowledged' });
      expect(w.events.at(-1)).toMatchObject({ type: 'state_changed', feedbackId: request.id });
      const notified = await feedbackEvents(db, { type: 'state_changed', feedbackId: request.id, actorId: w.owner.userId ?? '' });
      expect(notified).toEqual([
        { userId: w.loner.userId, reason: 'reporter' },
        { userId: w.consumer.userId, reason: 'voter' },
      ]);
      expect(await feedbackEvents(db, { type: 'updated', feedbackId: request.id, actorId: w.loner.userId ?? '' })).toEqual([]);

      // Delivered as in-app notifications: the reporter and the voter hear of the state change.
      expect(await deliverFeedbackNotifications(db, { type: 'state_changed', feedbackId: request.id, actorId: w.owner.userId ?? '' })).toBe(2);
      const heard = await w.services.notifications.list(w.consumer, {});
      expect(heard.items[0]).toMatchObject({ kind: 'feedback.state', title: expect.stringContaining('“CSV export”') as unknown, link: `/products/${w.productId}/feedback`, read: false });
      expect(await deliverFeedbackNotifications(db, { type: 'created', feedbackId: request.id, actorId: w.loner.userId ?? '' })).toBe(1);
      expect((await w.services.notifications.list(w.owner, {})).items[0]).toMatchObject({ kind: 'feedback.created', link: '/inbox/feedback' });

      // A failing listener never turns a committed write into an error.
      const failing = createServices(db, {
        onFeedbackEvent: () => {
          throw new Error('listener down');
        },
      });
      const comment = await failing.feedback.create(w.loner, w.productId, { kind: 'comment', body: 'Still saved' });
      expect((await feedback.get(w.loner, comment.id)).body).toBe('Still saved');
    });
  });
}
