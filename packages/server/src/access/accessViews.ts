import type { Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { hasDomainRole } from '../auth/authorize';
import type { AccessRequestRow, AccessRequestStatus, Database, GrantStatus, LifecycleStatus, SubscriptionRow, SubscriptionStatus } from '../store/Database';
import { readGrantTarget } from './grantTarget';

/** A user as access views name them. */
export interface UserRef {
  id: string;
  email: string;
  name: string;
}

/** The product an access request or subscription is about. */
export interface ProductRef {
  id: string;
  externalId: string;
  name: string;
  status: LifecycleStatus;
}

/** An access request as the API shows it; `canDecide` / `canWithdraw` are for the asking user. */
export interface AccessRequestView {
  id: string;
  product: ProductRef;
  port: string;
  contractId: string | null;
  requester: UserRef;
  purpose: string;
  durationDays: number | null;
  dbRole: string | null;
  status: AccessRequestStatus;
  approverSource: 'contract' | 'domain';
  approvers: UserRef[];
  decidedBy: UserRef | null;
  decidedAt: string | null;
  decisionReason: string | null;
  subscriptionId: string | null;
  canDecide: boolean;
  canWithdraw: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A subscription as the API shows it: the grant's target by connection key only, never credentials. */
export interface SubscriptionView {
  id: string;
  requestId: string;
  product: ProductRef;
  port: string;
  consumer: UserRef;
  dbRole: string | null;
  status: SubscriptionStatus;
  startsAt: string;
  expiresAt: string | null;
  grant: { status: GrantStatus; message: string | null; target: string | null };
  revoke: { status: GrantStatus; message: string | null } | null;
  endedBy: UserRef | null;
  endedAt: string | null;
  endReason: string | null;
  canRevoke: boolean;
  canRetry: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Roles that own a domain's products for access decisions (besides contract-named approvers). */
export const ownerRoles = ['data_product_owner', 'data_owner'] as const;

/** Whether the actor owns access to a domain's products (its data product owner or data owner, or admin). */
export function ownsDomain(actor: Actor, domainId: string): boolean {
  return hasDomainRole(actor, domainId, ownerRoles);
}

/** Whether the actor may decide a request: admin, a named approver, or an owner of the domain — never the requester (unless admin). */
export function mayDecide(actor: Actor, row: AccessRequestRow): boolean {
  if (actor.isAdmin) return true;
  if (actor.userId === null || actor.userId === row.requester_id) return false;
  return row.approver_ids.includes(actor.userId) || ownsDomain(actor, row.domain_id);
}

/** Whether the actor may see a request: the requester and everyone who may decide it. */
export function maySeeRequest(actor: Actor, row: AccessRequestRow): boolean {
  return actor.userId === row.requester_id || mayDecide(actor, row);
}

/**
 * Whether the actor may see or end a subscription: its consumer, the domain's owners, the approvers
 * named on its request (`approverIds`), admins.
 */
export function mayManageSubscription(actor: Actor, row: SubscriptionRow, approverIds: readonly string[]): boolean {
  return actor.isAdmin || actor.userId === row.consumer_id || ownsDomain(actor, row.domain_id) || (actor.userId !== null && approverIds.includes(actor.userId));
}

/** The approvers named on the requests behind `rows`, by request id. */
export async function requestApprovers(db: Kysely<Database>, rows: readonly SubscriptionRow[]): Promise<Map<string, string[]>> {
  const ids = [...new Set(rows.map((row) => row.request_id))];
  const found = ids.length === 0 ? [] : await db.selectFrom('access_requests').select(['id', 'approver_ids']).where('id', 'in', ids).execute();
  return new Map(found.map((row) => [row.id, row.approver_ids]));
}

/** Users and products referenced by a batch of rows, loaded in two queries. */
export interface Refs {
  users: Map<string, UserRef>;
  products: Map<string, ProductRef>;
}

/** Loads the users and products named by `rows` (missing ones are shown as "unknown"). */
export async function loadRefs(db: Kysely<Database>, userIds: Iterable<string | null>, productIds: Iterable<string>): Promise<Refs> {
  const wantedUsers = [...new Set([...userIds].filter((id): id is string => id !== null))];
  const wantedProducts = [...new Set(productIds)];
  const users = wantedUsers.length === 0 ? [] : await db.selectFrom('users').select(['id', 'email', 'name']).where('id', 'in', wantedUsers).execute();
  const products = wantedProducts.length === 0 ? [] : await db.selectFrom('products').select(['id', 'external_id', 'name', 'status']).where('id', 'in', wantedProducts).execute();
  return {
    users: new Map(users.map((user) => [user.id, user])),
    products: new Map(products.map((product) => [product.id, { id: product.id, externalId: product.external_id, name: product.name, status: product.status }])),
  };
}

function user(refs: Refs, id: string): UserRef {
  return refs.users.get(id) ?? { id, email: '', name: 'Unknown user' };
}

function product(refs: Refs, id: string): ProductRef {
  return refs.products.get(id) ?? { id, externalId: '', name: 'Unknown product', status: 'retired' };
}

/** Turns request rows into views for `actor` (one batch of look-ups for all of them). */
export async function presentRequests(db: Kysely<Database>, actor: Actor, rows: AccessRequestRow[]): Promise<AccessRequestView[]> {
  const refs = await loadRefs(db, rows.flatMap((row) => [row.requester_id, row.decided_by, ...row.approver_ids]), rows.map((row) => row.product_id));
  const ids = rows.map((row) => row.id);
  const subscriptions = ids.length === 0 ? [] : await db.selectFrom('subscriptions').select(['id', 'request_id']).where('request_id', 'in', ids).execute();
  const subscriptionOf = new Map(subscriptions.map((row) => [row.request_id, row.id]));
  return rows.map((row) => ({
    id: row.id,
    product: product(refs, row.product_id),
    port: row.port_name,
    contractId: row.contract_id,
    requester: user(refs, row.requester_id),
    purpose: row.purpose,
    durationDays: row.duration_days,
    dbRole: row.db_role,
    status: row.status,
    approverSource: row.approver_source,
    approvers: row.approver_ids.map((id) => user(refs, id)),
    decidedBy: row.decided_by === null ? null : user(refs, row.decided_by),
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionReason: row.decision_reason,
    subscriptionId: subscriptionOf.get(row.id) ?? null,
    canDecide: row.status === 'pending' && mayDecide(actor, row),
    canWithdraw: row.status === 'pending' && (actor.userId === row.requester_id || actor.isAdmin),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }));
}

/** Subscription states that still give (or are meant to give) access: what "live" means everywhere. */
export const liveSubscriptionStatuses = ['granting', 'active', 'grant_failed'] as const satisfies readonly SubscriptionStatus[];

/** Whether a subscription still gives (or is meant to give) access. */
export function isLive(status: SubscriptionStatus): boolean {
  return status === 'granting' || status === 'active' || status === 'grant_failed';
}

/** Turns subscription rows into views for `actor`. */
export async function presentSubscriptions(db: Kysely<Database>, actor: Actor, rows: SubscriptionRow[]): Promise<SubscriptionView[]> {
  const refs = await loadRefs(db, rows.flatMap((row) => [row.consumer_id, row.ended_by]), rows.map((row) => row.product_id));
  const approvers = await requestApprovers(db, rows);
  return rows.map((row) => {
    const target = readGrantTarget(row.grant_target);
    const manage = mayManageSubscription(actor, row, approvers.get(row.request_id) ?? []);
    return {
      id: row.id,
      requestId: row.request_id,
      product: product(refs, row.product_id),
      port: row.port_name,
      consumer: user(refs, row.consumer_id),
      dbRole: row.db_role,
      status: row.status,
      startsAt: row.starts_at.toISOString(),
      expiresAt: row.expires_at?.toISOString() ?? null,
      grant: { status: row.grant_status, message: row.grant_message, target: target === null ? null : `${target.connection} ${target.tables.map((table) => `${target.schema}.${table}`).join(', ')}` },
      revoke: row.revoke_status === null ? null : { status: row.revoke_status, message: row.revoke_message },
      endedBy: row.ended_by === null ? null : user(refs, row.ended_by),
      endedAt: row.ended_at?.toISOString() ?? null,
      endReason: row.end_reason,
      canRevoke: manage && isLive(row.status),
      canRetry: manage && (row.status === 'grant_failed' || row.revoke_status === 'failed'),
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  });
}
