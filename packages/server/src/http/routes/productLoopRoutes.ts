import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../services/createServices';
import { kpiCreateSchema, kpiPatchSchema, kpiValueSchema } from '../../services/productLoop/kpiDefinitionSchema';
import { usageBatchSchema } from '../../services/productLoop/usageEventSchema';
import { visionCanvasSchema } from '../../services/productLoop/visionCanvas';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, ifNoneMatchHits, readIfMatch } from '../etag';
import { IdParam, PageQuery, pageOf, problemResponses } from '../schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const timestamp = z.string().openapi({ format: 'date-time' });

// The input schemas belong to the services (they validate every caller); the routes reuse them as they are.
const VisionCanvas = visionCanvasSchema;
const Vision = z
  .object({
    productId: z.string(),
    version: z.number().int().openapi({ description: '0 while nothing was saved; the ETag is "v<version>".' }),
    canvas: VisionCanvas,
    savedBy: z.string().nullable(),
    savedByLabel: z.string().nullable(),
    savedAt: timestamp.nullable(),
  })
  .openapi('Vision');
const VisionVersionParam = IdParam.extend({ version: z.coerce.number().int().min(1).openapi({ param: { name: 'version', in: 'path' } }) });

const UsageBatch = usageBatchSchema;
const UsageResult = z.object({ received: z.number().int(), inserted: z.number().int(), duplicates: z.number().int() }).openapi('UsageIngestResult');

const KpiSource = z.object({ key: z.string(), label: z.string(), unit: z.string(), description: z.string(), manual: z.boolean() }).openapi('KpiSource');
const Kpi = z
  .object({
    id: z.string(),
    scope: z.enum(['product', 'domain']),
    productId: z.string().nullable(),
    domainId: z.string(),
    name: z.string(),
    description: z.string(),
    source: z.string(),
    sourceLabel: z.string(),
    unit: z.string(),
    manual: z.boolean(),
    target: z.number().nullable(),
    direction: z.enum(['higher', 'lower']),
    period: z.enum(['day', 'week', 'month']),
    window: z.number().int(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Kpi');
const KpiPoint = z
  .object({ periodStart: z.string().openapi({ format: 'date' }), value: z.number().nullable(), met: z.boolean().nullable(), inProgress: z.boolean().openapi({ description: 'The current period, not ended yet.' }), enteredBy: z.string().nullable(), enteredAt: timestamp.nullable() })
  .openapi('KpiPoint');
const KpiReport = z.object({ kpi: Kpi, series: z.array(KpiPoint), latest: KpiPoint.nullable() }).openapi('KpiReport');
const KpiReports = z.object({ items: z.array(KpiReport) }).openapi('KpiReportList');
const KpiIdParam = z.object({ kpiId: z.string().openapi({ param: { name: 'kpiId', in: 'path' } }) });
const KpiCreate = kpiCreateSchema;
const KpiPatch = kpiPatchSchema;
const KpiValue = kpiValueSchema;

/**
 * Issue 6, the product loop: vision canvas (versioned, If-Match), usage events (batches), KPIs of products
 * and domains with their series, manual KPI values.
 */
export function registerProductLoopRoutes(app: App, services: Services): void {
  const vision = ['vision'];
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/vision', tags: vision, summary: "A product's latest vision canvas (version 0 when none was saved)", request: { params: IdParam }, responses: { 200: { description: 'The canvas', content: json(Vision) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const view = await services.visions.get(c.req.valid('param').id);
      const etag = etagFor(view.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(view, 200, { etag });
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/api/products/{id}/vision',
      tags: vision,
      summary: 'Save the vision canvas as a new version (a role in the domain); needs If-Match ("v0" for the first save)',
      request: { params: IdParam, body: { content: json(VisionCanvas), required: true } },
      responses: { 200: { description: 'Saved (or unchanged)', content: json(Vision) }, ...problemResponses(400, 401, 403, 404, 412, 428) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await services.visions.get(id)).version);
      const view = await services.visions.save(c.get('actor'), { product: id, canvas: c.req.valid('json'), expectedVersion: version });
      return c.json(view, 200, { etag: etagFor(view.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/vision/versions', tags: vision, summary: 'The saved versions of the canvas, newest first', request: { params: IdParam, query: PageQuery }, responses: { 200: { description: 'A page of versions', content: json(pageOf(Vision, 'VisionPage')) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json(await services.visions.history(c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/vision/versions/{version}', tags: vision, summary: 'One saved version of the canvas', request: { params: VisionVersionParam }, responses: { 200: { description: 'The version', content: json(Vision) }, ...problemResponses(400, 401, 404) } }),
    async (c) => {
      const { id, version } = c.req.valid('param');
      return c.json(await services.visions.version(id, version), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/usage-events',
      tags: ['usage'],
      summary: 'Report usage events (a role in the domain of every product named); all or none, idempotent by event id',
      request: { body: { content: json(UsageBatch), required: true } },
      responses: { 200: { description: 'Stored', content: json(UsageResult) }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => c.json(await services.usageEvents.ingest(c.get('actor'), c.req.valid('json')), 200),
  );

  const kpis = ['kpis'];
  app.openapi(
    createRoute({ method: 'get', path: '/api/kpi-sources', tags: kpis, summary: 'The sources a KPI can be computed from', responses: { 200: { description: 'The sources', content: json(z.object({ items: z.array(KpiSource) }).openapi('KpiSourceList')) }, ...problemResponses(401) } }),
    (c) => c.json({ items: services.kpis.listSources() }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/kpis', tags: kpis, summary: "A product's KPIs with their series", request: { params: IdParam }, responses: { 200: { description: 'The KPIs', content: json(KpiReports) }, ...problemResponses(401, 404) } }),
    async (c) => c.json({ items: await services.kpis.forProduct(c.req.valid('param').id) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/products/{id}/kpis', tags: kpis, summary: 'Define a KPI of a product (a role in its domain)', request: { params: IdParam, body: { content: json(KpiCreate), required: true } }, responses: { 201: { description: 'Defined', content: json(KpiReport) }, ...problemResponses(400, 401, 403, 404) } }),
    async (c) => {
      const report = await services.kpis.create(c.get('actor'), { product: c.req.valid('param').id }, c.req.valid('json'));
      return c.json(report, 201, { etag: etagFor(report.kpi.version), location: `/api/kpis/${report.kpi.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/domains/{id}/kpis', tags: kpis, summary: "A domain's KPIs (computed over all its products) with their series", request: { params: IdParam }, responses: { 200: { description: 'The KPIs', content: json(KpiReports) }, ...problemResponses(401, 404) } }),
    async (c) => c.json({ items: await services.kpis.forDomain(c.req.valid('param').id) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/domains/{id}/kpis', tags: kpis, summary: 'Define a KPI of a domain (a role in it)', request: { params: IdParam, body: { content: json(KpiCreate), required: true } }, responses: { 201: { description: 'Defined', content: json(KpiReport) }, ...problemResponses(400, 401, 403, 404) } }),
    async (c) => {
      const report = await services.kpis.create(c.get('actor'), { domain: c.req.valid('param').id }, c.req.valid('json'));
      return c.json(report, 201, { etag: etagFor(report.kpi.version), location: `/api/kpis/${report.kpi.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/kpis/{kpiId}', tags: kpis, summary: 'One KPI with its series', request: { params: KpiIdParam }, responses: { 200: { description: 'The KPI', content: json(KpiReport) }, ...problemResponses(401, 404) } }),
    async (c) => {
      const report = await services.kpis.get(c.req.valid('param').kpiId);
      return c.json(report, 200, { etag: etagFor(report.kpi.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/kpis/{kpiId}', tags: kpis, summary: 'Change a KPI; needs If-Match', request: { params: KpiIdParam, body: { content: json(KpiPatch), required: true } }, responses: { 200: { description: 'Changed', content: json(KpiReport) }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { kpiId } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await services.kpis.get(kpiId)).kpi.version);
      const report = await services.kpis.update(c.get('actor'), { id: kpiId, expectedVersion: version, patch: c.req.valid('json') });
      return c.json(report, 200, { etag: etagFor(report.kpi.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/kpis/{kpiId}', tags: kpis, summary: 'Delete a KPI and its entered values; needs If-Match', request: { params: KpiIdParam }, responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { kpiId } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await services.kpis.get(kpiId)).kpi.version);
      await services.kpis.delete(c.get('actor'), { id: kpiId, expectedVersion: version });
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/kpis/{kpiId}/values', tags: kpis, summary: 'Enter the value of a manual KPI for a period (recorded with who entered it)', request: { params: KpiIdParam, body: { content: json(KpiValue), required: true } }, responses: { 200: { description: 'Recorded; the KPI now', content: json(KpiReport) }, ...problemResponses(400, 401, 403, 404, 409) } }),
    async (c) => c.json(await services.kpis.enterValue(c.get('actor'), c.req.valid('param').kpiId, c.req.valid('json')), 200),
  );
}
