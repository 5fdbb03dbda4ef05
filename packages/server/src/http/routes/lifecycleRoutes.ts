import { createRoute, z } from '@hono/zod-openapi';
import { lifecycleStatuses } from '@meshboard/model';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, readIfMatch } from '../etag';
import { IdParam, problemResponses } from '../schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const tags = ['lifecycle'];
const timestamp = z.string().openapi({ format: 'date-time' });
const status = z.enum(lifecycleStatuses);
const date = z.string().openapi({ format: 'date', example: '2026-12-31' });

const Plan = z
  .object({
    sunsetDate: date.nullable(),
    daysLeft: z.number().int().nullable().openapi({ description: 'Days from today (UTC) to the sunset date; negative once passed.' }),
    replacement: z.object({ id: z.string(), externalId: z.string(), name: z.string(), status }).nullable(),
    note: z.string(),
    deprecatedAt: timestamp.nullable(),
    deprecatedBy: z.string().nullable(),
    remindedFor: date.nullable().openapi({ description: 'The sunset date subscribers were reminded of (one reminder per date, 7 days ahead).' }),
  })
  .openapi('DeprecationPlan');
const Usage = z
  .object({
    liveSubscriptions: z.number().int(),
    pendingRequests: z.number().int(),
    subscribers: z.array(z.object({ subscriptionId: z.string(), consumerId: z.string(), consumerName: z.string(), port: z.string(), status: z.string(), since: timestamp })),
    eventsLast30Days: z.number().int(),
    daily: z.array(z.object({ day: date, events: z.number().int() })),
    consumersStillReading: z.array(z.object({ consumer: z.string(), events: z.number().int(), lastDay: date })),
  })
  .openapi('DeprecationUsage', { description: 'What still depends on the product; shown to its owners only.' });
const Lifecycle = z
  .object({
    productId: z.string(),
    externalId: z.string(),
    name: z.string(),
    status,
    allowedMoves: z.array(status),
    plan: Plan.nullable(),
    retirement: z.object({ retiredAt: timestamp, retiredBy: z.string().nullable(), overrideReason: z.string().nullable() }).nullable(),
    incidentThreshold: z.number().int(),
    version: z.number().int(),
    usage: Usage.nullable(),
  })
  .openapi('ProductLifecycle');
const DeprecationBody = z
  .object({
    sunsetDate: z.string().openapi({ format: 'date', description: 'The last day (YYYY-MM-DD, UTC), today or later.' }),
    replacementProductId: z.string().min(1).nullable().optional().openapi({ description: 'The product consumers should move to (id or document id).' }),
    note: z.string().max(2000).optional(),
  })
  .strict()
  .openapi('DeprecationPlanInput');
const RetireBody = z
  .object({ override: z.object({ reason: z.string().max(2000) }).strict().nullable().optional().openapi({ description: 'Needed while consumers still subscribe: why retiring anyway is accepted (audited).' }) })
  .strict()
  .openapi('RetireInput');
const SettingsBody = z.object({ incidentThreshold: z.number().int().openapi({ description: 'Failing runs in a row that open an incident, 1–100 (default 2).' }) }).strict().openapi('LifecycleSettingsInput');
const TimelineEntry = z.object({ kind: z.enum(['opened', 'failed', 'recovered']), runId: z.string(), status: z.string(), at: timestamp });
const Incident = z
  .object({
    id: z.string(),
    productId: z.string(),
    contract: z.object({ id: z.string(), name: z.string() }),
    backlogItemId: z.string().nullable(),
    state: z.enum(['open', 'recovered']),
    failures: z.number().int(),
    openedAt: timestamp,
    lastFailedAt: timestamp,
    recoveredAt: timestamp.nullable(),
    timeline: z.array(TimelineEntry),
  })
  .openapi('CheckIncident');
const IncidentList = z.object({ items: z.array(Incident) }).openapi('CheckIncidentList');

/**
 * The lifecycle API (issue 6): a product's lifecycle and deprecation panel, deprecation with a sunset
 * date, withdrawal, retirement (override with a reason while consumers subscribe), incident settings,
 * and the incidents behind backlog defects. Every change needs If-Match on the lifecycle's ETag ("v0"
 * before the first change). Rules live in LifecycleService and the model.
 */
export function registerLifecycleRoutes(app: App, services: Services): void {
  const service = services.lifecycle;
  const version = (c: { get: (key: 'actor') => Parameters<typeof service.get>[0] }, id: string) => async () => (await service.get(c.get('actor'), id)).version;

  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/lifecycle', tags, summary: 'A product’s lifecycle: status, allowed moves, deprecation plan, retirement, incident threshold; usage figures for owners', request: { params: IdParam }, responses: { 200: { description: 'The lifecycle', content: json(Lifecycle) }, ...problemResponses(401, 404) } }),
    async (c) => {
      const view = await service.get(c.get('actor'), c.req.valid('param').id);
      return c.json(view, 200, { etag: etagFor(view.version) });
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/products/{id}/lifecycle/deprecation',
      tags,
      summary: 'Deprecate an active product with a sunset date and an optional replacement (or change the plan); subscribers are notified; needs If-Match',
      request: { params: IdParam, body: { content: json(DeprecationBody), required: true } },
      responses: { 200: { description: 'Deprecated', content: json(Lifecycle) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const view = await service.deprecate(c.get('actor'), {
        productRef: id,
        expectedVersion: await expectedVersion(readIfMatch(c.req.header('if-match')), version(c, id)),
        plan: { sunsetDate: body.sunsetDate, ...(body.replacementProductId === undefined ? {} : { replacementProductId: body.replacementProductId }), ...(body.note === undefined ? {} : { note: body.note }) },
      });
      return c.json(view, 200, { etag: etagFor(view.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/products/{id}/lifecycle/deprecation', tags, summary: 'Withdraw a deprecation: the product is active again; needs If-Match', request: { params: IdParam }, responses: { 200: { description: 'Active again', content: json(Lifecycle) }, ...problemResponses(401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const view = await service.withdraw(c.get('actor'), { productRef: id, expectedVersion: await expectedVersion(readIfMatch(c.req.header('if-match')), version(c, id)) });
      return c.json(view, 200, { etag: etagFor(view.version) });
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/products/{id}/lifecycle/retire',
      tags,
      summary: 'Retire a deprecated product; while consumers subscribe it needs override.reason (audited); needs If-Match',
      request: { params: IdParam, body: { content: json(RetireBody), required: false } },
      responses: { 200: { description: 'Retired', content: json(Lifecycle) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const view = await service.retire(c.get('actor'), { productRef: id, expectedVersion: await expectedVersion(readIfMatch(c.req.header('if-match')), version(c, id)), override: body.override ?? null });
      return c.json(view, 200, { etag: etagFor(view.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/products/{id}/lifecycle/settings', tags, summary: 'Set how many failing runs in a row open an incident for the product; needs If-Match', request: { params: IdParam, body: { content: json(SettingsBody), required: true } }, responses: { 200: { description: 'Saved', content: json(Lifecycle) }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const view = await service.updateSettings(c.get('actor'), { productRef: id, expectedVersion: await expectedVersion(readIfMatch(c.req.header('if-match')), version(c, id)), incidentThreshold: c.req.valid('json').incidentThreshold });
      return c.json(view, 200, { etag: etagFor(view.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/incidents', tags, summary: 'The product’s check incidents (failing streaks), newest first, each with its timeline', request: { params: IdParam }, responses: { 200: { description: 'Incidents', content: json(IncidentList) }, ...problemResponses(401, 404) } }),
    async (c) => c.json({ items: await service.incidents({ productRef: c.req.valid('param').id }) }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/backlog-items/{id}/incidents', tags, summary: 'The incidents a backlog defect was filed for: the item’s incident timeline', request: { params: IdParam }, responses: { 200: { description: 'Incidents', content: json(IncidentList) }, ...problemResponses(401, 404) } }),
    async (c) => c.json({ items: await service.incidents({ backlogItemId: c.req.valid('param').id }) }, 200),
  );
}
