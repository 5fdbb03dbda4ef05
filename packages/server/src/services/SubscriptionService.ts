import { sql, type Kysely } from 'kysely';
import { systemActor, type Actor } from '../auth/Actor';
import { type GrantExecutor } from '../access/GrantExecutor';
import { readGrantTarget, type GrantTarget } from '../access/grantTarget';
import { isLive, mayManageSubscription, ownsDomain, presentSubscriptions, requestApprovers, type SubscriptionView } from '../access/accessViews';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import type { Database, SubscriptionRow, SubscriptionStatus } from '../store/Database';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { assertVersion } from './concurrency';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { notify } from './NotificationService';
import { asJson } from './presenters';

/** Options of the access services: where grants run and what time it is (tests move the clock). */
export interface AccessOptions {
  grants: GrantExecutor;
  now?: () => Date;
  /** Days before expiry the consumer is reminded (default 7). */
  reminderDays?: number;
  /** Where failures of background grant work are reported. */
  onError?: (error: unknown) => void;
}

/** Filters of subscription lists. */
export interface SubscriptionListRequest extends ListRequest {
  status?: SubscriptionStatus;
}

/** What one expiry pass did. */
export interface ExpiryResult {
  reminded: number;
  expired: number;
}

const grantsActor = systemActor('access-grants');
const expiryActor = systemActor('access-expiry');

/**
 * Subscriptions: access an approved request gives. Lists for the consumer and per product (owners and
 * admins see every consumer, others their own), revocation (consumer, owners, admin; If-Match), retry
 * of a failed GRANT or REVOKE, and the expiry pass (reminders, then expiry with REVOKE). Database
 * privileges change only after the deciding transaction committed: the outcome is then recorded with
 * its own audit event, so a crash in between leaves a visible `pending` grant, never an unrecorded one.
 */
export class SubscriptionService {
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: AccessOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The actor's own subscriptions, newest first. */
  async listMine(actor: Actor, request: SubscriptionListRequest): Promise<Page<SubscriptionView>> {
    if (actor.userId === null) return { items: [], nextCursor: null };
    return this.page(actor, request, (query) => query.where('consumer_id', '=', actor.userId ?? ''));
  }

  /** A product's subscriptions: all for its domain's owners and admins, the actor's own for anyone else. */
  async listForProduct(actor: Actor, productRef: string, request: SubscriptionListRequest): Promise<Page<SubscriptionView>> {
    let lookup = this.db.selectFrom('products').select(['id', 'domain_id']);
    lookup = isUuid(productRef) ? lookup.where((eb) => eb.or([eb('id', '=', productRef), eb('external_id', '=', productRef)])) : lookup.where('external_id', '=', productRef);
    const product = await lookup.executeTakeFirst();
    if (product === undefined) throw new NotFoundError(`No product ${productRef}.`);
    const all = ownsDomain(actor, product.domain_id);
    return this.page(actor, request, (query) => {
      const ofProduct = query.where('product_id', '=', product.id);
      return all ? ofProduct : ofProduct.where('consumer_id', '=', actor.userId ?? '00000000-0000-0000-0000-000000000000');
    });
  }

  private async page(
    actor: Actor,
    request: SubscriptionListRequest,
    scope: (query: ReturnType<typeof this.base>) => ReturnType<typeof this.base>,
  ): Promise<Page<SubscriptionView>> {
    const limit = listLimit(request);
    let query = scope(this.base()).orderBy('id', 'desc').limit(limit + 1);
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!isUuid(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('id', '<', after);
    }
    if (request.status !== undefined) query = query.where('status', '=', request.status);
    const page = toPage(await query.execute(), limit, (row) => row.id);
    return { items: await presentSubscriptions(this.db, actor, page.items), nextCursor: page.nextCursor };
  }

  private base() {
    return this.db.selectFrom('subscriptions').selectAll();
  }

  /** One subscription (its consumer, the domain's owners and admins; anyone else: not found). */
  async get(actor: Actor, id: string): Promise<SubscriptionView> {
    const row = await this.row(this.db, id, false);
    await this.authorize(this.db, actor, row);
    return this.present(this.db, actor, row);
  }

  private async present(db: Kysely<Database>, actor: Actor, row: SubscriptionRow): Promise<SubscriptionView> {
    const [view] = await presentSubscriptions(db, actor, [row]);
    if (view === undefined) throw new Error('presenting a subscription gave nothing');
    return view;
  }

  /** Not found unless the actor may manage the subscription (see {@link mayManageSubscription}). */
  private async authorize(db: Kysely<Database>, actor: Actor, row: SubscriptionRow): Promise<void> {
    const approvers = (await requestApprovers(db, [row])).get(row.request_id) ?? [];
    if (!mayManageSubscription(actor, row, approvers)) throw new NotFoundError(`No subscription ${row.id}.`);
  }

  private async row(db: Kysely<Database>, id: string, lock: boolean): Promise<SubscriptionRow> {
    if (!isUuid(id)) throw new NotFoundError(`No subscription ${id}.`);
    let query = db.selectFrom('subscriptions').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No subscription ${id}.`);
    return row;
  }

  /**
   * Ends a live subscription (its consumer, the domain's owners, admins) at `expectedVersion`; the
   * other side is notified. A granted PostgreSQL privilege is then revoked and the outcome recorded.
   */
  async revoke(actor: Actor, input: { id: string; expectedVersion: number; reason?: string }): Promise<SubscriptionView> {
    const reason = input.reason?.trim() ?? '';
    const row = await inTransaction(this.db, async (trx) => {
      const current = await this.row(trx, input.id, true);
      await this.authorize(trx, actor, current);
      assertVersion('The subscription', current.version, input.expectedVersion);
      if (!isLive(current.status)) throw new ConflictError(`The subscription is already ${current.status}; there is nothing to revoke.`);
      const before = await this.present(trx, actor, current);
      const updated = await trx
        .updateTable('subscriptions')
        .set({
          status: 'revoked',
          ended_by: actor.userId,
          ended_at: this.now(),
          end_reason: reason === '' ? null : reason,
          // A grant still running is revoked when its outcome arrives (see runGrant).
          revoke_status: current.grant_status === 'done' ? 'pending' : 'not_applicable',
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', current.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const after = await this.present(trx, actor, updated);
      await recordAudit(trx, actor, { action: 'subscription.revoke', entityType: 'subscription', entityId: current.id, before: asJson(before), after: asJson(after) });
      const byConsumer = actor.userId === current.consumer_id;
      const request = await trx.selectFrom('access_requests').select(['decided_by']).where('id', '=', current.request_id).executeTakeFirst();
      const recipient = byConsumer ? (request?.decided_by ?? null) : current.consumer_id;
      if (recipient !== null && recipient !== actor.userId) {
        await notify(trx, {
          userId: recipient,
          kind: 'subscription.revoked',
          title: byConsumer ? `${actor.label} ended their access to ${before.product.name} (${current.port_name})` : `Your access to ${before.product.name} (${current.port_name}) was revoked`,
          body: reason,
          link: `/access/subscriptions/${current.id}`,
          entityType: 'subscription',
          entityId: current.id,
        });
      }
      return updated;
    });
    await this.afterCommit(row.id);
    return this.get(actor, row.id);
  }

  /**
   * Tries a failed GRANT (or REVOKE) again, e.g. after the consumer's role was created. Consumer,
   * owners and admins; If-Match. Returns the subscription with the new outcome.
   */
  async retry(actor: Actor, input: { id: string; expectedVersion: number }): Promise<SubscriptionView> {
    await inTransaction(this.db, async (trx) => {
      const current = await this.row(trx, input.id, true);
      await this.authorize(trx, actor, current);
      assertVersion('The subscription', current.version, input.expectedVersion);
      const retryGrant = current.status === 'grant_failed';
      const retryRevoke = current.revoke_status === 'failed';
      if (!retryGrant && !retryRevoke) throw new ConflictError(`Nothing to retry: the subscription is ${current.status} and its grant ${current.grant_status}.`);
      const updated = await trx
        .updateTable('subscriptions')
        .set(retryGrant ? { status: 'granting', grant_status: 'pending', version: sql<number>`version + 1`, updated_at: sql<Date>`now()` } : { revoke_status: 'pending', version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
        .where('id', '=', current.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: retryGrant ? 'subscription.retry-grant' : 'subscription.retry-revoke', entityType: 'subscription', entityId: current.id, before: asJson(await this.present(trx, actor, current)), after: asJson(await this.present(trx, actor, updated)) });
    });
    await this.afterCommit(input.id);
    return this.get(actor, input.id);
  }

  /**
   * Runs whatever database work a committed change left pending (grant, then revoke). Never throws: the
   * change it follows has committed, so a failure here is reported (`onError`) and stays visible as a
   * `pending` grant or revoke on the subscription instead of failing the caller's request.
   */
  async afterCommit(id: string): Promise<void> {
    try {
      await this.runGrant(id);
      await this.runRevoke(id);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  /**
   * Runs a pending GRANT and records the outcome (`done` → active, `failed` → grant_failed with the
   * message; the consumer and the approver are told about a failure). If the subscription ended while
   * the grant ran, the fresh privilege is revoked at once.
   */
  async runGrant(id: string): Promise<void> {
    const row = await this.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined || row.grant_status !== 'pending') return;
    const target = readGrantTarget(row.grant_target);
    const outcome = target === null || row.db_role === null ? { status: 'failed' as const, message: 'The subscription has no grant target or database role.' } : await this.options.grants.grant(target, row.db_role);
    await inTransaction(this.db, async (trx) => {
      const current = await this.row(trx, id, true);
      if (current.grant_status !== 'pending') return;
      const stillWanted = current.status === 'granting';
      const updated = await trx
        .updateTable('subscriptions')
        .set({
          grant_status: outcome.status,
          grant_message: outcome.message,
          ...(stillWanted ? { status: outcome.status === 'done' ? 'active' : 'grant_failed' } : {}),
          ...(!stillWanted && outcome.status === 'done' ? { revoke_status: 'pending' } : {}),
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, grantsActor, { action: outcome.status === 'done' ? 'subscription.grant' : 'subscription.grant-failed', entityType: 'subscription', entityId: id, before: { grantStatus: current.grant_status }, after: { grantStatus: updated.grant_status, message: outcome.message } });
      if (outcome.status === 'failed' && stillWanted) {
        const request = await trx.selectFrom('access_requests').select(['decided_by']).where('id', '=', current.request_id).executeTakeFirst();
        const product = await trx.selectFrom('products').select('name').where('id', '=', current.product_id).executeTakeFirst();
        await notify(
          trx,
          [current.consumer_id, request?.decided_by ?? null]
            .filter((userId): userId is string => userId !== null)
            .map((userId) => ({ userId, kind: 'subscription.grant-failed', title: `Granting access to ${product?.name ?? 'a product'} (${current.port_name}) failed`, body: outcome.message, link: `/access/subscriptions/${id}`, entityType: 'subscription', entityId: id })),
        );
      }
    });
  }

  /** Runs a pending REVOKE and records the outcome; a failure is kept for a retry and told to the domain's owners via the consumer's page. */
  async runRevoke(id: string): Promise<void> {
    const row = await this.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined || row.revoke_status !== 'pending') return;
    const target = readGrantTarget(row.grant_target);
    const remaining = target === null || row.db_role === null ? null : await this.stillGranted(row, target);
    const outcome =
      target === null || row.db_role === null || remaining === null
        ? { status: 'done' as const, message: 'Nothing was granted.' }
        : remaining.tables.length === 0
          ? { status: 'done' as const, message: `Kept: ${target.tables.join(', ')} stay granted to ${row.db_role} by another live subscription.` }
          : await this.options.grants.revoke(remaining, row.db_role);
    await inTransaction(this.db, async (trx) => {
      const current = await this.row(trx, id, true);
      if (current.revoke_status !== 'pending') return;
      await trx.updateTable('subscriptions').set({ revoke_status: outcome.status, revoke_message: outcome.message, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
      await recordAudit(trx, grantsActor, { action: outcome.status === 'done' ? 'subscription.revoke-grant' : 'subscription.revoke-grant-failed', entityType: 'subscription', entityId: id, before: { revokeStatus: 'pending' }, after: { revokeStatus: outcome.status, message: outcome.message } });
    });
  }

  /**
   * The part of `target` this subscription's REVOKE may take away: tables that another live, granted
   * subscription of the same role on the same connection and schema also holds stay granted (one role
   * may serve several subscriptions, e.g. a team's shared role).
   */
  private async stillGranted(row: SubscriptionRow, target: GrantTarget): Promise<GrantTarget> {
    const others = await this.db
      .selectFrom('subscriptions')
      .select('grant_target')
      .where('id', '!=', row.id)
      .where('db_role', '=', row.db_role)
      .where('grant_status', '=', 'done')
      .where('status', 'in', ['granting', 'active', 'grant_failed'])
      .execute();
    const kept = new Set(
      others.flatMap((other) => {
        const held = readGrantTarget(other.grant_target);
        return held !== null && held.connection === target.connection && held.schema === target.schema ? held.tables : [];
      }),
    );
    return { ...target, tables: target.tables.filter((table) => !kept.has(table)) };
  }

  /**
   * The expiry pass (run by the access job every few minutes; safe to run anywhere at once: rows are
   * claimed with `FOR UPDATE SKIP LOCKED`). First reminds consumers whose access ends within the
   * reminder window (once per subscription), then expires what has ended and revokes its grants.
   */
  async runExpiry(): Promise<ExpiryResult> {
    const now = this.now();
    const remindBefore = new Date(now.getTime() + (this.options.reminderDays ?? 7) * 86_400_000);
    const live: SubscriptionStatus[] = ['granting', 'active', 'grant_failed'];
    const reminded = await inTransaction(this.db, async (trx) => {
      const due = await trx.selectFrom('subscriptions').selectAll().where('status', 'in', live).where('reminder_sent_at', 'is', null).where('expires_at', '>', now).where('expires_at', '<=', remindBefore).forUpdate().skipLocked().execute();
      if (due.length === 0) return 0;
      const products = new Map((await trx.selectFrom('products').select(['id', 'name']).where('id', 'in', due.map((row) => row.product_id)).execute()).map((p) => [p.id, p.name]));
      for (const row of due) {
        await trx.updateTable('subscriptions').set({ reminder_sent_at: now }).where('id', '=', row.id).execute();
        const days = Math.max(1, Math.ceil(((row.expires_at?.getTime() ?? now.getTime()) - now.getTime()) / 86_400_000));
        await notify(trx, { userId: row.consumer_id, kind: 'subscription.expiring', title: `Your access to ${products.get(row.product_id) ?? 'a product'} (${row.port_name}) ends in ${days} day${days === 1 ? '' : 's'}`, body: `It ends on ${row.expires_at?.toISOString().slice(0, 10) ?? ''}; request access again to keep it.`, link: `/access/subscriptions/${row.id}`, entityType: 'subscription', entityId: row.id });
        await recordAudit(trx, expiryActor, { action: 'subscription.remind', entityType: 'subscription', entityId: row.id, before: null, after: { expiresAt: row.expires_at?.toISOString() ?? null } });
      }
      return due.length;
    });
    const expired = await inTransaction(this.db, async (trx) => {
      const due = await trx.selectFrom('subscriptions').selectAll().where('status', 'in', live).where('expires_at', '<=', now).forUpdate().skipLocked().execute();
      if (due.length === 0) return [];
      const products = new Map((await trx.selectFrom('products').select(['id', 'name']).where('id', 'in', due.map((row) => row.product_id)).execute()).map((p) => [p.id, p.name]));
      for (const row of due) {
        await trx
          .updateTable('subscriptions')
          .set({ status: 'expired', ended_at: now, end_reason: 'expired', revoke_status: row.grant_status === 'done' ? 'pending' : 'not_applicable', version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
          .where('id', '=', row.id)
          .execute();
        await notify(trx, { userId: row.consumer_id, kind: 'subscription.expired', title: `Your access to ${products.get(row.product_id) ?? 'a product'} (${row.port_name}) has ended`, body: 'The access period is over; request access again if you still need it.', link: `/access/subscriptions/${row.id}`, entityType: 'subscription', entityId: row.id });
        await recordAudit(trx, expiryActor, { action: 'subscription.expire', entityType: 'subscription', entityId: row.id, before: { status: row.status }, after: { status: 'expired' } });
      }
      return due.map((row) => row.id);
    });
    for (const id of expired) await this.runRevoke(id).catch((error: unknown) => this.options.onError?.(error));
    return { reminded, expired: expired.length };
  }

  /** Throws unless the actor is a signed-in user. */
  static requireUser(actor: Actor): string {
    if (actor.userId === null) throw new NotAllowedError('Only users can hold access.');
    return actor.userId;
  }
}
