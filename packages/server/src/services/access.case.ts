/**
 * The access suite, run on both stores (accessEmbedded.test.ts, accessPostgres.test.ts): requests,
 * approvers, decisions under If-Match, subscriptions, revocation, expiry with reminders,
 * notifications, audit events, and GRANT bookkeeping through a recording executor (the real
 * PostgreSQL GRANT is tested in accessPostgres.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GrantExecutor, GrantOutcome } from '../access/GrantExecutor';
import type { GrantTarget } from '../access/grantTarget';
import { ConflictError, InputError, NotAllowedError, NotFoundError, PreconditionFailedError } from '../errors/errors';
import type { Store } from '../store/createStore';
import { insertTestProduct, insertTestUser, type TestProduct, type TestUser } from '../testing/accessFixtures';
import { createServices, type Services } from './createServices';

/** How a suite file provides its store. */
export interface AccessSubject {
  store: () => Store;
}

/** A grant executor that records calls and answers from a script (an external system's stand-in). */
class ScriptedGrants implements GrantExecutor {
  readonly connections = new Set(['warehouse.test:5432/analytics']);
  readonly calls: string[] = [];
  next: GrantOutcome[] = [];
  grant(target: GrantTarget, role: string): Promise<GrantOutcome> {
    this.calls.push(`grant ${target.schema}.${target.tables.join(',')} ${role}`);
    return Promise.resolve(this.next.shift() ?? { status: 'done', message: 'granted' });
  }
  revoke(target: GrantTarget, role: string): Promise<GrantOutcome> {
    this.calls.push(`revoke ${target.schema}.${target.tables.join(',')} ${role}`);
    return Promise.resolve({ status: 'done', message: 'revoked' });
  }
}

const day = 86_400_000;

/** Registers the access suite under `name`. */
export function defineAccessSuite(name: string, subject: AccessSubject): void {
  describe(`${name}: access requests, subscriptions, notifications`, () => {
    let services: Services;
    let grants: ScriptedGrants;
    let clock = new Date('2026-03-01T10:00:00Z');
    let product: TestProduct;
    let owner: TestUser;
    let consumer: TestUser;
    let other: TestUser;
    let admin: TestUser;

    beforeAll(async () => {
      const db = subject.store().db;
      grants = new ScriptedGrants();
      services = createServices(db, { access: { grants, now: () => clock } });
      product = await insertTestProduct(db, { name: 'Orders' });
      owner = await insertTestUser(db, { name: 'Owner', roles: [{ domainId: product.domainId, role: 'data_product_owner' }] });
      consumer = await insertTestUser(db, { name: 'Consumer' });
      other = await insertTestUser(db, { name: 'Other consumer' });
      admin = await insertTestUser(db, { name: 'Admin', isAdmin: true });
    });

    const audit = (entityId: string) => subject.store().db.selectFrom('audit_events').select(['action', 'actor_label']).where('entity_id', '=', entityId).orderBy('seq').execute();

    it('files a request with the domain owners as approvers and notifies them', async () => {
      const request = await services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: 'Monthly revenue report', durationDays: 30 });
      expect(request).toMatchObject({ status: 'pending', port: 'main', approverSource: 'domain', durationDays: 30, requester: { id: consumer.id }, product: { id: product.id, name: 'Orders' }, canDecide: false, canWithdraw: true });
      expect(request.approvers.map((user) => user.id)).toEqual([owner.id]);
      const inbox = await services.accessRequests.list(owner.actor, { scope: 'inbox' });
      expect(inbox.items.map((item) => item.id)).toContain(request.id);
      expect(inbox.items.find((item) => item.id === request.id)?.canDecide).toBe(true);
      expect((await services.accessRequests.list(other.actor, { scope: 'inbox' })).items).toEqual([]);
      const notes = await services.notifications.list(owner.actor, {});
      expect(notes.items[0]).toMatchObject({ kind: 'access.requested', entityId: request.id, read: false });
      expect(notes.items[0]?.title).toContain('Orders (main)');
      expect(await audit(request.id)).toEqual([{ action: 'access_request.create', actor_label: consumer.email }]);
      // Withdraw it again so the next tests start clean.
      await services.accessRequests.withdraw(consumer.actor, { id: request.id, expectedVersion: request.version });
    });

    it('refuses a duplicate open request for the same port, naming it', async () => {
      const first = await services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: 'Churn model' });
      const duplicate = services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: 'Churn model again' });
      await expect(duplicate).rejects.toThrow(ConflictError);
      await expect(duplicate).rejects.toThrow(/pending request for port main of Orders/);
      await services.accessRequests.withdraw(consumer.actor, { id: first.id, expectedVersion: first.version });
    });

    it('refuses unknown ports, short purposes, bad role names and deprecated or retired products', async () => {
      const unknownPort = await services.accessRequests.create(consumer.actor, { productId: product.id, port: 'nope', purpose: 'Reporting' }).catch((error: unknown) => error);
      expect(unknownPort).toBeInstanceOf(InputError);
      expect((unknownPort as InputError).problems).toEqual([{ pointer: '/port', detail: "Orders's output ports: main." }]);
      const bad = await services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: ' ', dbRole: 'x; drop table y' }).catch((error: unknown) => error);
      expect((bad as InputError).problems.map((problem) => problem.pointer)).toEqual(['/purpose', '/dbRole']);
      const forever = await services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: 'Reporting', durationDays: 0.5 }).catch((error: unknown) => error);
      expect((forever as InputError).problems.map((problem) => problem.pointer)).toEqual(['/durationDays']);
      const publicRole = await services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: 'Reporting', dbRole: 'PUBLIC' }).catch((error: unknown) => error);
      expect((publicRole as InputError).problems[0]?.detail).toMatch(/everyone/);
      for (const status of ['deprecated', 'retired'] as const) {
        const old = await insertTestProduct(subject.store().db, { status, name: `Old ${status}`, domainId: product.domainId });
        await expect(services.accessRequests.create(consumer.actor, { productId: old.id, port: 'main', purpose: 'Reporting' })).rejects.toThrow(new RegExp(`is ${status}; it takes no new access requests`));
      }
      await expect(services.accessRequests.create(consumer.actor, { productId: 'urn:none', port: 'main', purpose: 'Reporting' })).rejects.toThrow(NotFoundError);
    });

    it('lets only approvers, owners and admins decide; never the requester; If-Match guards the decision', async () => {
      const request = await services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: 'Quarterly forecast' });
      await expect(services.accessRequests.decide(consumer.actor, { id: request.id, expectedVersion: request.version, decision: 'approve' })).rejects.toThrow(/your own access request/);
      // A stranger does not even see it.
      await expect(services.accessRequests.decide(other.actor, { id: request.id, expectedVersion: request.version, decision: 'approve' })).rejects.toThrow(NotFoundError);
      await expect(services.accessRequests.decide(owner.actor, { id: request.id, expectedVersion: request.version + 1, decision: 'approve' })).rejects.toThrow(PreconditionFailedError);
      const noReason = await services.accessRequests.decide(owner.actor, { id: request.id, expectedVersion: request.version, decision: 'reject' }).catch((error: unknown) => error);
      expect((noReason as InputError).problems).toEqual([{ pointer: '/reason', detail: 'A rejection needs a reason the consumer can act on.' }]);
      const rejected = await services.accessRequests.decide(owner.actor, { id: request.id, expectedVersion: request.version, decision: 'reject', reason: 'Use the aggregated port instead.' });
      expect(rejected.subscription).toBeNull();
      expect(rejected.request).toMatchObject({ status: 'rejected', decisionReason: 'Use the aggregated port instead.', decidedBy: { id: owner.id }, canDecide: false });
      await expect(services.accessRequests.decide(admin.actor, { id: request.id, expectedVersion: rejected.request.version, decision: 'approve' })).rejects.toThrow(/already rejected/);
      const note = (await services.notifications.list(consumer.actor, {})).items.find((item) => item.entityId === request.id);
      expect(note).toMatchObject({ kind: 'access.rejected', body: 'Use the aggregated port instead.' });
      expect((await audit(request.id)).map((event) => event.action)).toEqual(['access_request.create', 'access_request.reject']);
    });

    it('two approvers deciding at once: one wins, the other gets 412', async () => {
      const second = await insertTestUser(subject.store().db, { name: 'Data owner', roles: [{ domainId: product.domainId, role: 'data_owner' }] });
      const request = await services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: 'Race' });
      const outcomes = await Promise.allSettled([
        services.accessRequests.decide(owner.actor, { id: request.id, expectedVersion: request.version, decision: 'reject', reason: 'No.' }),
        services.accessRequests.decide(second.actor, { id: request.id, expectedVersion: request.version, decision: 'reject', reason: 'Not now.' }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(PreconditionFailedError);
      expect((await audit(request.id)).filter((event) => event.action === 'access_request.reject')).toHaveLength(1);
    });

    it('approval creates a subscription the consumer and the product see, then expiry reminds and ends it', async () => {
      const request = await services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: 'Dashboard', durationDays: 10 });
      const { request: approved, subscription } = await services.accessRequests.decide(owner.actor, { id: request.id, expectedVersion: request.version, decision: 'approve', reason: 'Fine.' });
      expect(approved).toMatchObject({ status: 'approved', subscriptionId: subscription?.id });
      expect(subscription).toMatchObject({ status: 'active', consumer: { id: consumer.id }, grant: { status: 'not_applicable', target: null }, expiresAt: new Date(clock.getTime() + 10 * day).toISOString(), canRevoke: true });
      expect(subscription?.grant.message).toMatch(/no PostgreSQL server/);
      const id = subscription?.id ?? '';
      expect((await services.subscriptions.listMine(consumer.actor, {})).items.map((item) => item.id)).toContain(id);
      expect((await services.subscriptions.listForProduct(owner.actor, product.id, {})).items.map((item) => item.id)).toContain(id);
      expect((await services.subscriptions.listForProduct(other.actor, product.id, {})).items).toEqual([]);
      await expect(services.subscriptions.get(other.actor, id)).rejects.toThrow(NotFoundError);
      expect((await services.notifications.list(consumer.actor, {})).items[0]).toMatchObject({ kind: 'access.approved', link: `/access/subscriptions/${id}` });
      await expect(services.accessRequests.create(consumer.actor, { productId: product.id, port: 'main', purpose: 'Again' })).rejects.toThrow(/already hold access/);

      clock = new Date(clock.getTime() + 4 * day);
      expect(await services.subscriptions.runExpiry()).toEqual({ reminded: 1, expired: 0 });
      expect(await services.subscriptions.runExpiry()).toEqual({ reminded: 0, expired: 0 });
      expect((await services.notifications.list(consumer.actor, {})).items[0]).toMatchObject({ kind: 'subscription.expiring', title: expect.stringContaining('ends in 6 days') });
      clock = new Date(clock.getTime() + 7 * day);
      expect(await services.subscriptions.runExpiry()).toEqual({ reminded: 0, expired: 1 });
      expect(await services.subscriptions.get(consumer.actor, id)).toMatchObject({ status: 'expired', endReason: 'expired', revoke: { status: 'not_applicable' }, canRevoke: false });
      expect((await services.notifications.list(consumer.actor, {})).items[0]).toMatchObject({ kind: 'subscription.expired' });
      expect((await audit(id)).map((event) => event.action)).toEqual(['subscription.create', 'subscription.remind', 'subscription.expire']);
    });

    it('names approvers from the contract roles, grants and revokes through the executor, retries a failed grant', async () => {
      const db = subject.store().db;
      const approver = await insertTestUser(db, { name: 'Named approver' });
      const pgProduct = await insertTestProduct(db, {
        name: 'Payments',
        domainId: product.domainId,
        contract: {
          servers: [{ server: 'warehouse', type: 'postgres', host: 'warehouse.test', port: 5432, database: 'analytics', schema: 'finance' }],
          schema: [{ name: 'payments', physicalName: 'payments_v1', properties: [{ name: 'id' }] }],
          roles: [{ role: 'analyst', access: 'read', firstLevelApprovers: `Head of finance, ${approver.email.toUpperCase()}` }],
        },
      });
      await expect(services.accessRequests.create(consumer.actor, { productId: pgProduct.id, port: 'main', purpose: 'Ledger' })).rejects.toThrow(/name your database role/);
      const request = await services.accessRequests.create(consumer.actor, { productId: pgProduct.id, port: 'main', purpose: 'Ledger checks', dbRole: 'analyst' });
      expect(request).toMatchObject({ approverSource: 'contract', approvers: [{ id: approver.id }] });
      expect((await services.accessRequests.list(approver.actor, { scope: 'inbox' })).items.map((item) => item.id)).toEqual([request.id]);
      expect((await services.notifications.list(approver.actor, {})).items[0]).toMatchObject({ kind: 'access.requested' });
      grants.next = [{ status: 'failed', message: 'role "analyst" does not exist' }];
      const { subscription } = await services.accessRequests.decide(approver.actor, { id: request.id, expectedVersion: request.version, decision: 'approve' });
      expect(subscription).toMatchObject({ status: 'grant_failed', grant: { status: 'failed', message: 'role "analyst" does not exist', target: 'warehouse.test:5432/analytics finance.payments_v1' }, canRetry: true });
      expect(grants.calls).toEqual(['grant finance.payments_v1 analyst']);
      const failedNote = (await services.notifications.list(consumer.actor, {})).items.find((item) => item.kind === 'subscription.grant-failed');
      expect(failedNote?.body).toBe('role "analyst" does not exist');
      if (subscription === null) throw new Error('no subscription');
      const sub = subscription;
      await expect(services.subscriptions.retry(consumer.actor, { id: sub.id, expectedVersion: sub.version - 1 })).rejects.toThrow(PreconditionFailedError);
      const retried = await services.subscriptions.retry(consumer.actor, { id: sub.id, expectedVersion: sub.version });
      expect(retried).toMatchObject({ status: 'active', grant: { status: 'done' }, canRetry: false });
      await expect(services.subscriptions.retry(consumer.actor, { id: retried.id, expectedVersion: retried.version })).rejects.toThrow(/Nothing to retry/);
      await expect(services.subscriptions.revoke(other.actor, { id: retried.id, expectedVersion: retried.version })).rejects.toThrow(NotFoundError);
      const revoked = await services.subscriptions.revoke(consumer.actor, { id: retried.id, expectedVersion: retried.version, reason: 'Project finished' });
      expect(revoked).toMatchObject({ status: 'revoked', endedBy: { id: consumer.id }, endReason: 'Project finished', revoke: { status: 'done', message: 'revoked' } });
      expect(grants.calls).toEqual(['grant finance.payments_v1 analyst', 'grant finance.payments_v1 analyst', 'revoke finance.payments_v1 analyst']);
      await expect(services.subscriptions.revoke(owner.actor, { id: revoked.id, expectedVersion: revoked.version })).rejects.toThrow(/already revoked/);
      expect((await services.notifications.list(approver.actor, {})).items[0]).toMatchObject({ kind: 'subscription.revoked', body: 'Project finished' });
      expect((await audit(sub.id)).map((event) => event.action)).toEqual([
        'subscription.create',
        'subscription.grant-failed',
        'subscription.retry-grant',
        'subscription.grant',
        'subscription.revoke',
        'subscription.revoke-grant',
      ]);
    });

    it('keeps a table granted while another live subscription of the same role still needs it', async () => {
      const db = subject.store().db;
      const shared = await insertTestProduct(db, {
        name: 'Shared ledger',
        domainId: product.domainId,
        contract: { servers: [{ server: 'w', type: 'postgres', host: 'WAREHOUSE.test', database: 'analytics', schema: 'finance' }], schema: [{ name: 'ledger' }] },
      });
      const subscriptions = [];
      for (const user of [consumer, other]) {
        const request = await services.accessRequests.create(user.actor, { productId: shared.id, port: 'main', purpose: 'Team reporting', dbRole: 'team_reporting' });
        const { subscription } = await services.accessRequests.decide(owner.actor, { id: request.id, expectedVersion: request.version, decision: 'approve' });
        if (subscription === null) throw new Error('no subscription');
        subscriptions.push(subscription);
      }
      grants.calls.length = 0;
      const [first, second] = subscriptions;
      if (first === undefined || second === undefined) throw new Error('two subscriptions expected');
      const firstEnded = await services.subscriptions.revoke(owner.actor, { id: first.id, expectedVersion: first.version });
      expect(firstEnded.revoke?.message).toMatch(/^Kept: ledger stay granted to team_reporting/);
      expect(grants.calls).toEqual([]);
      await services.subscriptions.revoke(owner.actor, { id: second.id, expectedVersion: second.version });
      expect(grants.calls).toEqual(['revoke finance.ledger team_reporting']);
    });

    it("keeps each user's notifications private; counts and marks them read", async () => {
      const before = await services.notifications.unreadCount(consumer.actor);
      expect(before).toBeGreaterThan(0);
      const [first] = (await services.notifications.list(consumer.actor, { unread: true, limit: 1 })).items;
      if (first === undefined) throw new Error('no notification');
      await expect(services.notifications.markRead(other.actor, first.id)).rejects.toThrow(NotFoundError);
      expect(await services.notifications.markRead(consumer.actor, first.id)).toMatchObject({ id: first.id, read: true });
      expect(await services.notifications.unreadCount(consumer.actor)).toBe(before - 1);
      expect(await services.notifications.markAllRead(consumer.actor)).toBe(before - 1);
      expect(await services.notifications.unreadCount(consumer.actor)).toBe(0);
      const page = await services.notifications.list(consumer.actor, { limit: 2 });
      expect(page.nextCursor).not.toBeNull();
      const next = await services.notifications.list(consumer.actor, { limit: 2, cursor: page.nextCursor ?? '' });
      expect(next.items.map((item) => item.id)).not.toContain(page.items[0]?.id);
      await expect(services.notifications.list(consumer.actor, { cursor: 'forged' })).rejects.toThrow(InputError);
      await expect(services.notifications.list({ ...consumer.actor, userId: null }, {})).rejects.toThrow(NotAllowedError);
    });
  });
}
