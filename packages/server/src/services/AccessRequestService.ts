import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { databaseRoleProblem } from '../access/GrantExecutor';
import { planGrant } from '../access/grantTarget';
import { resolveApprovers } from '../access/resolveApprovers';
import { isLive, mayDecide, maySeeRequest, ownerRoles, presentRequests, presentSubscriptions, type AccessRequestView, type SubscriptionView } from '../access/accessViews';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import type { AccessRequestRow, AccessRequestStatus, Database } from '../store/Database';
import { sqlState } from '../store/databaseErrors';
import { newId } from '../store/newId';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { assertVersion } from './concurrency';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { planSentence } from './deprecationPlan';
import { notify } from './NotificationService';
import { asJson } from './presenters';
import type { AccessOptions, SubscriptionService } from './SubscriptionService';

/** What a consumer asks for. */
export interface AccessRequestInput {
  /** Our product id or the product's document id. */
  productId: string;
  port: string;
  purpose: string;
  /** Days of access after approval; null or absent: until revoked. */
  durationDays?: number | null;
  /** The consumer's database role; required when Meshboard grants the port in PostgreSQL. */
  dbRole?: string | null;
}

/** Which requests a list shows: the actor's own, or those waiting for (or decided by) the actor. */
export interface AccessRequestListRequest extends ListRequest {
  scope: 'mine' | 'inbox';
  status?: AccessRequestStatus;
}

/** An approver's decision. */
export interface AccessDecision {
  id: string;
  expectedVersion: number;
  decision: 'approve' | 'reject';
  reason?: string;
}

/** A decided request and, when approved, the subscription it created. */
export interface DecisionResult {
  request: AccessRequestView;
  subscription: SubscriptionView | null;
}

const pendingMessage = (port: string, product: string) => `You already have a pending request for port ${port} of ${product}; wait for the decision or withdraw it first.`;

/**
 * Access requests (issue 5): a consumer asks for one output port with a purpose, a duration and, for
 * PostgreSQL ports, their database role; the contract's named approvers (else the domain's owners)
 * approve or reject with a reason under If-Match; approval creates the subscription and then runs the
 * GRANT. Every change is audited and notifies the other side inside its transaction.
 */
export class AccessRequestService {
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly subscriptions: SubscriptionService,
    private readonly options: AccessOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Files a request. Refused: deprecated or retired products (409), unknown ports (400 on `/port`),
   * a second pending request or a live subscription for the same port (409), a missing or malformed
   * database role where Meshboard grants in PostgreSQL (400 on `/dbRole`).
   */
  async create(actor: Actor, input: AccessRequestInput): Promise<AccessRequestView> {
    if (actor.userId === null) throw new NotAllowedError('Only users can request access.');
    const requesterId = actor.userId;
    const purpose = input.purpose.trim();
    const problems = [];
    if (purpose.length < 3) problems.push({ pointer: '/purpose', detail: 'Say what you need the data for (at least 3 characters).' });
    const dbRole = input.dbRole === undefined || input.dbRole === null || input.dbRole.trim() === '' ? null : input.dbRole.trim();
    const roleProblem = dbRole === null ? undefined : databaseRoleProblem(dbRole);
    if (roleProblem !== undefined) problems.push({ pointer: '/dbRole', detail: roleProblem });
    const days = input.durationDays ?? null;
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) problems.push({ pointer: '/durationDays', detail: 'A whole number of days from 1 to 3650, or null for "until revoked".' });
    if (problems.length > 0) throw new InputError('The access request is not valid.', problems);
    try {
      return await inTransaction(this.db, async (trx) => {
        let lookup = trx.selectFrom('products').selectAll();
        lookup = isUuid(input.productId) ? lookup.where((eb) => eb.or([eb('id', '=', input.productId), eb('external_id', '=', input.productId)])) : lookup.where('external_id', '=', input.productId);
        const product = await lookup.executeTakeFirst();
        if (product === undefined) throw new NotFoundError(`No product ${input.productId}.`);
        if (product.status === 'deprecated' || product.status === 'retired') {
          // Issue 6: the refusal carries the deprecation plan, so the consumer learns where to go instead.
          const plan = await planSentence(trx, product.id);
          throw new ConflictError(`${product.name} is ${product.status}; it takes no new access requests.${plan === '' ? '' : ` ${plan}`}`);
        }
        const port = await trx
          .selectFrom('product_output_ports as p')
          .leftJoin('contracts as c', 'c.id', 'p.contract_id')
          .select(['p.port_name', 'p.contract_id', 'c.document'])
          .where('p.product_id', '=', product.id)
          .where('p.port_name', '=', input.port)
          .executeTakeFirst();
        if (port === undefined) {
          const names = (await trx.selectFrom('product_output_ports').select('port_name').where('product_id', '=', product.id).orderBy('port_name').execute()).map((row) => row.port_name);
          throw new InputError('The product has no such output port.', [{ pointer: '/port', detail: names.length === 0 ? `${product.name} has no output ports.` : `${product.name}'s output ports: ${names.join(', ')}.` }]);
        }
        const plan = planGrant(port.document ?? null, this.options.grants.connections);
        if (plan.kind === 'grant' && dbRole === null) {
          throw new InputError('This port is granted in PostgreSQL: name your database role.', [{ pointer: '/dbRole', detail: `Meshboard runs GRANT SELECT on ${plan.target.schema}.${plan.target.tables.join(', ')} to this role when the request is approved.` }]);
        }
        const pending = await trx.selectFrom('access_requests').select('id').where('requester_id', '=', requesterId).where('product_id', '=', product.id).where('port_name', '=', input.port).where('status', '=', 'pending').executeTakeFirst();
        if (pending !== undefined) throw new ConflictError(pendingMessage(input.port, product.name));
        const live = await trx.selectFrom('subscriptions').select(['id', 'status']).where('consumer_id', '=', requesterId).where('product_id', '=', product.id).where('port_name', '=', input.port).where('status', 'in', ['granting', 'active', 'grant_failed']).executeTakeFirst();
        if (live !== undefined && isLive(live.status)) throw new ConflictError(`You already hold access to port ${input.port} of ${product.name} (subscription ${live.id}); revoke it before asking again.`);
        const approvers = await resolveApprovers(trx, { contract: port.document ?? null, dbRole, domainId: product.domain_id });
        const row = await trx
          .insertInto('access_requests')
          .values({
            id: newId(),
            product_id: product.id,
            domain_id: product.domain_id,
            port_name: input.port,
            contract_id: port.contract_id,
            requester_id: requesterId,
            purpose,
            duration_days: days,
            db_role: dbRole,
            approver_ids: approvers.userIds,
            approver_source: approvers.source,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const view = await this.present(trx, actor, row);
        await recordAudit(trx, actor, { action: 'access_request.create', entityType: 'access_request', entityId: row.id, before: null, after: asJson(view) });
        await notify(
          trx,
          approvers.userIds
            .filter((userId) => userId !== requesterId)
            .map((userId) => ({ userId, kind: 'access.requested', title: `${actor.label} requests access to ${product.name} (${input.port})`, body: purpose, link: `/access/inbox?request=${row.id}`, entityType: 'access_request', entityId: row.id })),
        );
        return view;
      });
    } catch (error) {
      // Two requests racing past the check above: the partial unique index keeps one.
      if (sqlState(error) === '23505') throw new ConflictError(pendingMessage(input.port, input.productId));
      throw error;
    }
  }

  /**
   * The actor's own requests (`mine`), or the requests the actor may decide (`inbox`: pending by
   * default; admins see every domain's). Newest first.
   */
  async list(actor: Actor, request: AccessRequestListRequest): Promise<Page<AccessRequestView>> {
    const limit = listLimit(request);
    const me = actor.userId ?? '00000000-0000-0000-0000-000000000000';
    let query = this.db.selectFrom('access_requests').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (request.scope === 'mine') {
      query = query.where('requester_id', '=', me);
      if (request.status !== undefined) query = query.where('status', '=', request.status);
    } else {
      query = query.where('status', '=', request.status ?? 'pending');
      if (!actor.isAdmin) {
        const owned = [...actor.domainRoles].filter(([, roles]) => ownerRoles.some((role) => roles.has(role))).map(([domainId]) => domainId);
        query = query.where('requester_id', '!=', me).where((eb) => eb.or([eb(sql<string>`${me}::uuid`, '=', eb.fn.any('approver_ids')), ...(owned.length === 0 ? [] : [eb('domain_id', 'in', owned)])]));
      }
    }
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!isUuid(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('id', '<', after);
    }
    const page = toPage(await query.execute(), limit, (row) => row.id);
    return { items: await presentRequests(this.db, actor, page.items), nextCursor: page.nextCursor };
  }

  /** One request: its requester and everyone who may decide it (others: not found). */
  async get(actor: Actor, id: string): Promise<AccessRequestView> {
    const row = await this.row(this.db, id, false);
    if (!maySeeRequest(actor, row)) throw new NotFoundError(`No access request ${id}.`);
    return this.present(this.db, actor, row);
  }

  /**
   * Approves or rejects a pending request at `expectedVersion` (the request row is locked, so of two
   * approvers deciding at once one wins and the other gets 412). A rejection needs a reason. Approval
   * creates the subscription (expiring after the asked duration) and, after commit, runs the GRANT.
   */
  async decide(actor: Actor, decision: AccessDecision): Promise<DecisionResult> {
    const reason = decision.reason?.trim() ?? '';
    if (decision.decision === 'reject' && reason === '') throw new InputError('Say why the request is rejected.', [{ pointer: '/reason', detail: 'A rejection needs a reason the consumer can act on.' }]);
    const outcome = await inTransaction(this.db, async (trx) => {
      const current = await this.row(trx, decision.id, true);
      if (!maySeeRequest(actor, current)) throw new NotFoundError(`No access request ${decision.id}.`);
      if (!mayDecide(actor, current)) {
        throw new NotAllowedError(actor.userId === current.requester_id ? 'You cannot decide your own access request.' : "Only the contract's approvers, the domain's owners or an admin may decide this request.");
      }
      assertVersion('The access request', current.version, decision.expectedVersion);
      if (current.status !== 'pending') throw new ConflictError(`The request is already ${current.status}.`);
      const now = this.now();
      const before = await this.present(trx, actor, current);
      const updated = await trx
        .updateTable('access_requests')
        .set({ status: decision.decision === 'approve' ? 'approved' : 'rejected', decided_by: actor.userId, decided_at: now, decision_reason: reason === '' ? null : reason, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
        .where('id', '=', current.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      let subscriptionId: string | null = null;
      if (decision.decision === 'approve') {
        const contract = current.contract_id === null ? undefined : await trx.selectFrom('contracts').select('document').where('id', '=', current.contract_id).executeTakeFirst();
        const plan = planGrant(contract?.document ?? null, this.options.grants.connections);
        const grant = plan.kind === 'grant' && current.db_role !== null;
        subscriptionId = newId();
        const subscription = await trx
          .insertInto('subscriptions')
          .values({
            id: subscriptionId,
            request_id: current.id,
            product_id: current.product_id,
            domain_id: current.domain_id,
            port_name: current.port_name,
            consumer_id: current.requester_id,
            db_role: current.db_role,
            status: grant ? 'granting' : 'active',
            starts_at: now,
            expires_at: current.duration_days === null ? null : new Date(now.getTime() + current.duration_days * 86_400_000),
            grant_target: plan.kind === 'grant' ? JSON.stringify(plan.target) : null,
            grant_status: grant ? 'pending' : 'not_applicable',
            grant_message: plan.kind === 'grant' ? (grant ? null : 'No database role was named.') : plan.reason,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const [view] = await presentSubscriptions(trx, actor, [subscription]);
        await recordAudit(trx, actor, { action: 'subscription.create', entityType: 'subscription', entityId: subscriptionId, before: null, after: view === undefined ? null : asJson(view) });
      }
      const after = await this.present(trx, actor, updated);
      await recordAudit(trx, actor, { action: `access_request.${decision.decision}`, entityType: 'access_request', entityId: current.id, before: asJson(before), after: asJson(after) });
      await notify(trx, {
        userId: current.requester_id,
        kind: decision.decision === 'approve' ? 'access.approved' : 'access.rejected',
        title: `Your access request for ${before.product.name} (${current.port_name}) was ${decision.decision === 'approve' ? 'approved' : 'rejected'}`,
        body: reason,
        link: subscriptionId === null ? `/access/requests?request=${current.id}` : `/access/subscriptions/${subscriptionId}`,
        entityType: 'access_request',
        entityId: current.id,
      });
      return { requestId: current.id, subscriptionId };
    });
    if (outcome.subscriptionId !== null) await this.subscriptions.afterCommit(outcome.subscriptionId);
    return { request: await this.get(actor, outcome.requestId), subscription: outcome.subscriptionId === null ? null : await this.subscriptions.get(actor, outcome.subscriptionId) };
  }

  /** The requester (or an admin) withdraws a pending request at `expectedVersion`. */
  async withdraw(actor: Actor, input: { id: string; expectedVersion: number }): Promise<AccessRequestView> {
    return inTransaction(this.db, async (trx) => {
      const current = await this.row(trx, input.id, true);
      if (!maySeeRequest(actor, current)) throw new NotFoundError(`No access request ${input.id}.`);
      if (actor.userId !== current.requester_id && !actor.isAdmin) throw new NotAllowedError('Only the requester may withdraw an access request.');
      assertVersion('The access request', current.version, input.expectedVersion);
      if (current.status !== 'pending') throw new ConflictError(`The request is already ${current.status}.`);
      const before = await this.present(trx, actor, current);
      const updated = await trx.updateTable('access_requests').set({ status: 'withdrawn', version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', current.id).returningAll().executeTakeFirstOrThrow();
      const after = await this.present(trx, actor, updated);
      await recordAudit(trx, actor, { action: 'access_request.withdraw', entityType: 'access_request', entityId: current.id, before: asJson(before), after: asJson(after) });
      return after;
    });
  }

  private async present(db: Kysely<Database>, actor: Actor, row: AccessRequestRow): Promise<AccessRequestView> {
    const [view] = await presentRequests(db, actor, [row]);
    if (view === undefined) throw new Error('presenting an access request gave nothing');
    return view;
  }

  private async row(db: Kysely<Database>, id: string, lock: boolean): Promise<AccessRequestRow> {
    if (!isUuid(id)) throw new NotFoundError(`No access request ${id}.`);
    let query = db.selectFrom('access_requests').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No access request ${id}.`);
    return row;
  }
}
