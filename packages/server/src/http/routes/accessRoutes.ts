import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, ifNoneMatchHits, readIfMatch } from '../etag';
import { IdParam, PageQuery, pageOf, problemResponses } from '../schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const timestamp = z.string().openapi({ format: 'date-time' });
const lifecycle = z.enum(['proposed', 'draft', 'active', 'deprecated', 'retired']);
const UserRef = z.object({ id: z.string(), email: z.string(), name: z.string() }).openapi('UserRef');
const ProductRef = z.object({ id: z.string(), externalId: z.string(), name: z.string(), status: lifecycle }).openapi('ProductRef');
const requestStatus = z.enum(['pending', 'approved', 'rejected', 'withdrawn']);
const subscriptionStatus = z.enum(['granting', 'active', 'grant_failed', 'revoked', 'expired']);
const grantStatus = z.enum(['pending', 'done', 'failed', 'not_applicable']);

/** An access request on the wire. */
const AccessRequest = z
  .object({
    id: z.string(),
    product: ProductRef,
    port: z.string(),
    contractId: z.string().nullable(),
    requester: UserRef,
    purpose: z.string(),
    durationDays: z.number().int().nullable().openapi({ description: 'Days of access after approval; null: until revoked.' }),
    dbRole: z.string().nullable(),
    status: requestStatus,
    approverSource: z.enum(['contract', 'domain']).openapi({ description: "contract: named by the contract's roles; domain: the domain's data product owners and data owners." }),
    approvers: z.array(UserRef),
    decidedBy: z.union([UserRef, z.null()]),
    decidedAt: timestamp.nullable(),
    decisionReason: z.string().nullable(),
    subscriptionId: z.string().nullable(),
    canDecide: z.boolean().openapi({ description: 'Whether the calling user may approve or reject it now.' }),
    canWithdraw: z.boolean(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('AccessRequest');

/** A subscription on the wire (grant target by connection key only: never credentials). */
const Subscription = z
  .object({
    id: z.string(),
    requestId: z.string(),
    product: ProductRef,
    port: z.string(),
    consumer: UserRef,
    dbRole: z.string().nullable(),
    status: subscriptionStatus,
    startsAt: timestamp,
    expiresAt: timestamp.nullable(),
    grant: z.object({ status: grantStatus, message: z.string().nullable(), target: z.string().nullable().openapi({ description: 'host:port/database schema.table, … (no credentials).' }) }),
    revoke: z.object({ status: grantStatus, message: z.string().nullable() }).nullable(),
    endedBy: z.union([UserRef, z.null()]),
    endedAt: timestamp.nullable(),
    endReason: z.string().nullable(),
    canRevoke: z.boolean(),
    canRetry: z.boolean(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Subscription');

const Notification = z
  .object({ id: z.string(), kind: z.string(), title: z.string(), body: z.string(), link: z.string().nullable(), entityType: z.string().nullable(), entityId: z.string().nullable(), read: z.boolean(), readAt: timestamp.nullable(), createdAt: timestamp })
  .openapi('Notification');

const AccessRequestCreate = z
  .object({
    productId: z.string().min(1).max(500).openapi({ description: "Our product id or the product's document id." }),
    port: z.string().min(1).max(200).openapi({ description: 'The output port’s name.' }),
    purpose: z.string().max(4000).openapi({ description: 'What the data is needed for.' }),
    durationDays: z.number().int().min(1).max(3650).nullable().optional().openapi({ description: 'Days of access after approval; null or absent: until revoked.' }),
    dbRole: z.string().max(63).nullable().optional().openapi({ description: 'Your PostgreSQL role, for ports Meshboard grants itself.' }),
  })
  .strict()
  .openapi('AccessRequestCreate');
const AccessDecisionBody = z.object({ decision: z.enum(['approve', 'reject']), reason: z.string().max(4000).optional().openapi({ description: 'Required when rejecting.' }) }).strict().openapi('AccessDecision');
const DecisionResult = z.object({ request: AccessRequest, subscription: z.union([Subscription, z.null()]) }).openapi('AccessDecisionResult');
const RevokeBody = z.object({ reason: z.string().max(4000).optional() }).strict().openapi('SubscriptionRevoke');
const RequestListQuery = PageQuery.extend({
  scope: z.enum(['mine', 'inbox']).optional().openapi({ description: 'mine (default): your requests; inbox: requests you may decide (pending unless status is given).' }),
  status: requestStatus.optional(),
});
const SubscriptionListQuery = PageQuery.extend({ status: subscriptionStatus.optional() });
const NotificationListQuery = PageQuery.extend({ unread: z.enum(['true', 'false']).optional().openapi({ description: 'true: unread only.' }) });

/** Access requests, subscriptions and notifications (issue 5). */
export function registerAccessRoutes(app: App, services: Services): void {
  const { accessRequests, subscriptions, notifications } = services;
  const tags = ['access'];
  app.openapi(
    createRoute({ method: 'post', path: '/api/access-requests', tags, summary: 'Request access to an output port of a product', request: { body: { content: json(AccessRequestCreate), required: true } }, responses: { 201: { description: 'Filed; the approvers are notified', content: json(AccessRequest) }, ...problemResponses(400, 401, 403, 404, 409) } }),
    async (c) => {
      const request = await accessRequests.create(c.get('actor'), c.req.valid('json'));
      return c.json(request, 201, { etag: etagFor(request.version), location: `/api/access-requests/${request.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/access-requests', tags, summary: 'Your access requests, or (scope=inbox) those you may decide; newest first', request: { query: RequestListQuery }, responses: { 200: { description: 'A page of requests', content: json(pageOf(AccessRequest, 'AccessRequestPage')) }, ...problemResponses(400, 401) } }),
    async (c) => {
      const { scope, ...rest } = c.req.valid('query');
      return c.json(await accessRequests.list(c.get('actor'), { ...rest, scope: scope ?? 'mine' }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/access-requests/{id}', tags, summary: 'One access request (its requester and approvers)', request: { params: IdParam }, responses: { 200: { description: 'The request', content: json(AccessRequest) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const request = await accessRequests.get(c.get('actor'), c.req.valid('param').id);
      const etag = etagFor(request.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(request, 200, { etag });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/access-requests/{id}/decision', tags, summary: 'Approve or reject (named approvers, domain owners, admins); needs If-Match', request: { params: IdParam, body: { content: json(AccessDecisionBody), required: true } }, responses: { 200: { description: 'Decided; approval created the subscription', content: json(DecisionResult) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = c.get('actor');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await accessRequests.get(actor, id)).version);
      const result = await accessRequests.decide(actor, { id, expectedVersion: version, ...c.req.valid('json') });
      return c.json(result, 200, { etag: etagFor(result.request.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/access-requests/{id}/withdraw', tags, summary: 'Withdraw your pending request; needs If-Match', request: { params: IdParam }, responses: { 200: { description: 'Withdrawn', content: json(AccessRequest) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = c.get('actor');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await accessRequests.get(actor, id)).version);
      const request = await accessRequests.withdraw(actor, { id, expectedVersion: version });
      return c.json(request, 200, { etag: etagFor(request.version) });
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/subscriptions', tags, summary: 'Your subscriptions, newest first', request: { query: SubscriptionListQuery }, responses: { 200: { description: 'A page of subscriptions', content: json(pageOf(Subscription, 'SubscriptionPage')) }, ...problemResponses(400, 401) } }),
    async (c) => c.json(await subscriptions.listMine(c.get('actor'), c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/subscriptions', tags, summary: "A product's subscriptions: all for its domain's owners and admins, your own otherwise", request: { params: IdParam, query: SubscriptionListQuery }, responses: { 200: { description: 'A page of subscriptions', content: json(pageOf(Subscription, 'SubscriptionPage')) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json(await subscriptions.listForProduct(c.get('actor'), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/subscriptions/{id}', tags, summary: 'One subscription (its consumer, the domain’s owners, admins)', request: { params: IdParam }, responses: { 200: { description: 'The subscription', content: json(Subscription) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const subscription = await subscriptions.get(c.get('actor'), c.req.valid('param').id);
      const etag = etagFor(subscription.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(subscription, 200, { etag });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/subscriptions/{id}/revoke', tags, summary: 'End access (consumer, domain owners, admins); runs the REVOKE; needs If-Match', request: { params: IdParam, body: { content: json(RevokeBody), required: false } }, responses: { 200: { description: 'Revoked', content: json(Subscription) }, ...problemResponses(400, 401, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = c.get('actor');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await subscriptions.get(actor, id)).version);
      const body = (c.req.valid('json') as z.infer<typeof RevokeBody> | undefined) ?? {};
      const subscription = await subscriptions.revoke(actor, { id, expectedVersion: version, ...body });
      return c.json(subscription, 200, { etag: etagFor(subscription.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/subscriptions/{id}/retry', tags, summary: 'Run a failed GRANT (or REVOKE) again; needs If-Match', request: { params: IdParam }, responses: { 200: { description: 'The subscription with the new outcome', content: json(Subscription) }, ...problemResponses(400, 401, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const actor = c.get('actor');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await subscriptions.get(actor, id)).version);
      const subscription = await subscriptions.retry(actor, { id, expectedVersion: version });
      return c.json(subscription, 200, { etag: etagFor(subscription.version) });
    },
  );

  const notificationTags = ['notifications'];
  app.openapi(
    createRoute({ method: 'get', path: '/api/notifications', tags: notificationTags, summary: 'Your notifications, newest first', request: { query: NotificationListQuery }, responses: { 200: { description: 'A page of notifications', content: json(pageOf(Notification, 'NotificationPage')) }, ...problemResponses(400, 401) } }),
    async (c) => {
      const { unread, ...rest } = c.req.valid('query');
      return c.json(await notifications.list(c.get('actor'), { ...rest, unread: unread === 'true' }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/notifications/unread-count', tags: notificationTags, summary: 'How many of your notifications are unread', responses: { 200: { description: 'The count', content: json(z.object({ count: z.number().int() }).openapi('UnreadCount')) }, ...problemResponses(401) } }),
    async (c) => c.json({ count: await notifications.unreadCount(c.get('actor')) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/notifications/{id}/read', tags: notificationTags, summary: 'Mark one notification read (idempotent)', request: { params: IdParam }, responses: { 200: { description: 'The notification', content: json(Notification) }, ...problemResponses(401, 404) } }),
    async (c) => c.json(await notifications.markRead(c.get('actor'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/notifications/read-all', tags: notificationTags, summary: 'Mark all your notifications read', responses: { 200: { description: 'How many changed', content: json(z.object({ updated: z.number().int() }).openapi('MarkedRead')) }, ...problemResponses(401) } }),
    async (c) => c.json({ updated: await notifications.markAllRead(c.get('actor')) }, 200),
  );
}
