import { createRoute, z } from '@hono/zod-openapi';
import { feedbackLimits } from '../../services/feedback/FeedbackService';
import type { Services } from '../../services/createServices';
import { feedbackKinds, feedbackStates } from '../../store/Database';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, readIfMatch } from '../etag';
import { IdParam, PageQuery, problemResponses } from '../schemas';

const tags = ['feedback'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });
const timestamp = z.string().openapi({ format: 'date-time' });
const kind = z.enum(feedbackKinds);
const state = z.enum(feedbackStates);
const person = z.object({ id: z.string(), name: z.string() });

/** One feedback item on the wire. */
const FeedbackItem = z
  .object({
    id: z.string(),
    productId: z.string(),
    kind,
    parentId: z.string().nullable(),
    threadId: z.string().nullable(),
    author: person.nullable(),
    team: person.nullable(),
    byOwner: z.boolean().openapi({ description: "The author held an owner-like role in the product's domain (an owner's reply)." }),
    mine: z.boolean(),
    rating: z.number().int().nullable(),
    title: z.string(),
    body: z.string(),
    target: z.object({ kind: z.enum(['column', 'check']), contractId: z.string().nullable(), ref: z.string() }).nullable(),
    state: state.nullable(),
    stateReason: z.string().nullable(),
    stateChangedAt: timestamp.nullable(),
    votes: z.number().int(),
    voted: z.boolean(),
    deleted: z.boolean(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
    lastActivityAt: timestamp,
  })
  .openapi('FeedbackItem');
const FeedbackThread = FeedbackItem.extend({ replies: z.array(FeedbackItem) }).openapi('FeedbackThread');
const InboxThread = FeedbackThread.extend({ product: z.object({ id: z.string(), externalId: z.string(), name: z.string() }), unread: z.boolean() }).openapi('InboxThread');

const text = (max: number) => z.string().max(max);
const TargetBody = z.object({ kind: z.enum(['column', 'check']), contractId: z.string().uuid().optional(), ref: z.string().min(1).max(500) }).strict();
/** Body of POST /api/products/{id}/feedback; which fields apply depends on `kind`. */
const FeedbackCreate = z
  .object({
    kind,
    rating: z.number().int().min(1).max(5).optional(),
    title: text(feedbackLimits.title).optional(),
    body: text(feedbackLimits.body).optional(),
    teamId: z.string().uuid().nullable().optional(),
    parentId: z.string().uuid().optional(),
    target: TargetBody.optional(),
  })
  .strict()
  .openapi('FeedbackCreate');
const FeedbackPatch = z
  .object({ rating: z.number().int().min(1).max(5), title: text(feedbackLimits.title), body: text(feedbackLimits.body), teamId: z.string().uuid().nullable() })
  .partial()
  .strict()
  .openapi('FeedbackPatch');
const StateChange = z.object({ state, reason: text(feedbackLimits.reason).optional() }).strict().openapi('FeedbackStateChange');
const ListQuery = PageQuery.extend({ kind: kind.optional(), state: state.optional() });
const InboxQuery = ListQuery.extend({
  productId: z.string().min(1).optional().openapi({ description: 'Only this product (id or document id).' }),
  unread: z.enum(['true', 'false']).optional().openapi({ description: 'Only threads with activity you have not seen.' }),
});
const stateCounts = z.object({ open: z.number().int(), acknowledged: z.number().int(), resolved: z.number().int(), declined: z.number().int() });
const Summary = z
  .object({
    productId: z.string(),
    rating: z.object({ average: z.number().nullable(), count: z.number().int(), distribution: z.object({ '1': z.number().int(), '2': z.number().int(), '3': z.number().int(), '4': z.number().int(), '5': z.number().int() }) }),
    counts: z.object({ rating: z.number().int(), comment: z.number().int(), issue: z.number().int(), feature_request: z.number().int() }),
    replies: z.number().int(),
    states: z.object({ issue: stateCounts, feature_request: stateCounts }),
  })
  .openapi('FeedbackSummary');
const Options = z
  .object({
    targets: z.object({
      contracts: z.array(z.object({ id: z.string(), name: z.string() })),
      columns: z.array(z.object({ contractId: z.string(), contractName: z.string(), ref: z.string() })),
      checks: z.array(z.object({ contractId: z.string(), contractName: z.string(), ref: z.string(), name: z.string(), category: z.string() })),
    }),
    teams: z.array(person),
    canModerate: z.boolean(),
    myRating: z.union([FeedbackItem, z.null()]),
  })
  .openapi('FeedbackOptions');

/** The version a change of item `id` is conditioned on (If-Match required; `*` = current). */
async function versionFor(services: Services, actor: Parameters<Services['feedback']['get']>[0], id: string, header: string | undefined): Promise<number> {
  return expectedVersion(readIfMatch(header), async () => (await services.feedback.get(actor, id)).version);
}

/**
 * Feedback: per product (list, create, summary, form options), per item (read with ETag, change own
 * text, state changes by owners, soft delete of own items, votes, read marker) and the owner inbox.
 */
export function registerFeedbackRoutes(app: App, services: Services): void {
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/feedback', tags, summary: "A product's feedback threads, newest first", request: { params: IdParam, query: ListQuery }, responses: { 200: { description: 'A page of threads', content: json(z.object({ items: z.array(FeedbackThread), nextCursor: z.string().nullable() }).openapi('FeedbackPage')) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json(await services.feedback.list(c.get('actor'), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/products/{id}/feedback', tags, summary: 'Rate, comment, reply, report an issue or request a feature', request: { params: IdParam, body: { content: json(FeedbackCreate), required: true } }, responses: { 201: { description: 'Created', content: json(FeedbackItem) }, ...problemResponses(400, 401, 403, 404, 409) } }),
    async (c) => {
      const item = await services.feedback.create(c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
      return c.json(item, 201, { etag: etagFor(item.version), location: `/api/feedback/${item.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/feedback/summary', tags, summary: 'Average rating and counts by kind and state', request: { params: IdParam }, responses: { 200: { description: 'The summary', content: json(Summary) }, ...problemResponses(401, 404) } }),
    async (c) => c.json(await services.feedback.summary(c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/feedback/options', tags, summary: 'What the feedback form offers you: columns and checks, your teams, your rating', request: { params: IdParam }, responses: { 200: { description: 'The options', content: json(Options) }, ...problemResponses(401, 404) } }),
    async (c) => c.json(await services.feedback.options(c.get('actor'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/feedback/{id}', tags, summary: 'One feedback item (ETag for changes)', request: { params: IdParam }, responses: { 200: { description: 'The item', content: json(FeedbackItem) }, ...problemResponses(401, 404) } }),
    async (c) => {
      const item = await services.feedback.get(c.get('actor'), c.req.valid('param').id);
      return c.json(item, 200, { etag: etagFor(item.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/feedback/{id}', tags, summary: 'Change your own feedback; needs If-Match', request: { params: IdParam, body: { content: json(FeedbackPatch), required: true } }, responses: { 200: { description: 'Changed', content: json(FeedbackItem) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await versionFor(services, c.get('actor'), id, c.req.header('if-match'));
      const item = await services.feedback.update(c.get('actor'), { id, expectedVersion: version, patch: c.req.valid('json') });
      return c.json(item, 200, { etag: etagFor(item.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/feedback/{id}', tags, summary: 'Delete your own feedback (soft: replies keep their thread); needs If-Match', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await versionFor(services, c.get('actor'), id, c.req.header('if-match'));
      await services.feedback.delete(c.get('actor'), { id, expectedVersion: version });
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/feedback/{id}/state', tags, summary: "Acknowledge, resolve, decline (with a reason) or reopen; the product's owners only; needs If-Match", request: { params: IdParam, body: { content: json(StateChange), required: true } }, responses: { 200: { description: 'Changed', content: json(FeedbackItem) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await versionFor(services, c.get('actor'), id, c.req.header('if-match'));
      const body = c.req.valid('json');
      const item = await services.feedback.changeState(c.get('actor'), { id, expectedVersion: version, state: body.state, reason: body.reason });
      return c.json(item, 200, { etag: etagFor(item.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/feedback/{id}/vote', tags, summary: 'Vote +1 on a feature request (idempotent)', request: { params: IdParam }, responses: { 200: { description: 'The request with its votes', content: json(FeedbackItem) }, ...problemResponses(400, 401, 404, 409) } }),
    async (c) => c.json(await services.feedback.vote(c.get('actor'), c.req.valid('param').id, true), 200),
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/feedback/{id}/vote', tags, summary: 'Withdraw your vote (idempotent)', request: { params: IdParam }, responses: { 200: { description: 'The request with its votes', content: json(FeedbackItem) }, ...problemResponses(400, 401, 404, 409) } }),
    async (c) => c.json(await services.feedback.vote(c.get('actor'), c.req.valid('param').id, false), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/feedback/{id}/read', tags, summary: 'Mark a thread read (clears its "new" marker in your inbox)', request: { params: IdParam }, responses: { 204: { description: 'Marked' }, ...problemResponses(401, 404) } }),
    async (c) => {
      await services.feedback.read(c.get('actor'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/inbox/feedback', tags, summary: 'Feedback on the products of the domains you own, latest activity first', request: { query: InboxQuery }, responses: { 200: { description: 'A page of threads', content: json(z.object({ items: z.array(InboxThread), nextCursor: z.string().nullable(), unreadCount: z.number().int().nullable().openapi({ description: 'Threads with activity you have not seen (first page only; null after a cursor).' }) }).openapi('FeedbackInboxPage')) }, ...problemResponses(400, 401) } }),
    async (c) => {
      const { unread, ...query } = c.req.valid('query');
      return c.json(await services.feedback.inbox(c.get('actor'), { ...query, unread: unread === undefined ? undefined : unread === 'true' }), 200);
    },
  );
}
