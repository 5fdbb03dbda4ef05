import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { IdParam, PageQuery, pageOf, problemResponses } from '../schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const lifecycle = z.enum(['proposed', 'draft', 'active', 'deprecated', 'retired']);

const TrustBadge = z
  .object({
    level: z.enum(['high', 'medium', 'low', 'unknown']),
    score: z.number().nullable().openapi({ description: 'Checks passed ÷ checks with a verdict over the last 10 finished runs, in percent.' }),
    runs: z.number().int(),
    passedChecks: z.number().int(),
    evaluatedChecks: z.number().int(),
    lastRunAt: z.string().nullable().openapi({ format: 'date-time' }),
    lastRunStatus: z.string().nullable(),
    ageHours: z.number().int().nullable(),
    reason: z.string(),
  })
  .openapi('TrustBadge', { description: 'Computed from recent check runs (rule in docs/server.md, "Product page"); never set by hand.' });
const LineageNode = z
  .object({
    id: z.string(),
    kind: z.enum(['product', 'source']),
    name: z.string(),
    externalId: z.string(),
    contractId: z.string().nullable(),
    domainId: z.string().nullable(),
    status: lifecycle.nullable(),
    level: z.number().int().openapi({ description: '0 = this product, negative upstream, positive downstream.' }),
  })
  .openapi('LineageNode');
const LineageEdge = z.object({ from: z.string(), to: z.string(), contractExternalId: z.string(), inputPort: z.string() }).openapi('LineageEdge');
const Lineage = z.object({ rootId: z.string(), depth: z.number().int(), nodes: z.array(LineageNode), edges: z.array(LineageEdge), truncated: z.boolean() }).openapi('Lineage');
const QualityState = z.enum(['passed', 'warning', 'failed', 'error', 'not-run']);
const SlaState = z.enum(['met', 'breached', 'unknown']);
const ProductHealth = z
  .object({
    id: z.string(),
    externalId: z.string(),
    name: z.string(),
    status: lifecycle,
    productVersion: z.string(),
    ownerTeamId: z.string().nullable(),
    trust: TrustBadge,
    qualityState: QualityState.openapi({ description: 'Latest check outcome of its worst output-port contract.' }),
    slaState: SlaState.openapi({ description: 'SLA checks of its output-port contracts: all met, any breached, or unknown.' }),
    activeSubscriptions: z.number().int().openapi({ description: 'Subscriptions in state active.' }),
    consumers: z.number().int().openapi({ description: 'Distinct users holding those subscriptions.' }),
  })
  .openapi('ProductHealth');
const DomainHealthSummary = z
  .object({
    products: z.number().int(),
    passingChecks: z.number().int().openapi({ description: 'Products whose latest checks passed.' }),
    failingChecks: z.number().int().openapi({ description: 'Products whose latest checks failed or errored.' }),
    breachingSla: z.number().int().openapi({ description: 'Products breaching an SLA.' }),
    activeSubscriptions: z.number().int(),
    consumers: z.number().int().openapi({ description: 'Distinct users with an active subscription to a product of the domain.' }),
  })
  .openapi('DomainHealthSummary');
const ProductRef = z.object({ id: z.string(), externalId: z.string(), name: z.string(), domainId: z.string(), status: lifecycle }).openapi('ProductRef');
const ContractUsage = z.object({ offeredBy: z.array(ProductRef), readBy: z.array(ProductRef) }).openapi('ContractUsage');
const DepthQuery = z.object({ depth: z.coerce.number().int().min(1).max(5).optional().openapi({ description: 'Steps upstream and downstream, 1–5 (default 2).' }) });

/** Read-only endpoints of the product and contract pages: lineage, trust badges, contract usage, a domain's product health. */
export function registerProductPageRoutes(app: App, services: Services): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/products/{id}/lineage',
      tags: ['products'],
      summary: "A product's lineage: upstream products and sources, downstream consumers (from the ODPS input ports)",
      request: { params: IdParam, query: DepthQuery },
      responses: { 200: { description: 'The graph', content: json(Lineage) }, ...problemResponses(400, 401, 404) },
    }),
    async (c) => c.json(await services.productInsights.lineage(c.req.valid('param').id, c.req.valid('query').depth ?? 2), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/contracts/{id}/trust',
      tags: ['check runs'],
      summary: "A contract's trust badge, computed from its last 10 finished check runs",
      request: { params: IdParam },
      responses: { 200: { description: 'The badge', content: json(TrustBadge) }, ...problemResponses(401, 404) },
    }),
    async (c) => c.json(await services.productInsights.contractTrust(c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/contracts/{id}/usage',
      tags: ['contracts'],
      summary: 'The products offering a contract on an output port and those reading it through an input port',
      request: { params: IdParam },
      responses: { 200: { description: 'Producers and consumers', content: json(ContractUsage) }, ...problemResponses(401, 404) },
    }),
    async (c) => c.json(await services.productInsights.contractUsage(c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/domains/{id}/product-health',
      tags: ['domains'],
      summary: "A domain's products (by domain id or slug) with status and trust badge",
      request: { params: IdParam, query: PageQuery },
      responses: { 200: { description: 'A page of products', content: json(pageOf(ProductHealth, 'ProductHealthPage')) }, ...problemResponses(400, 401, 404) },
    }),
    async (c) => c.json(await services.productInsights.domainHealth(c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/domains/{id}/health-summary',
      tags: ['domains'],
      summary: 'A domain at a glance (by domain id or slug): products, passing and failing checks, SLA breaches, active subscriptions',
      request: { params: IdParam },
      responses: { 200: { description: 'Counts over all the domain\'s products', content: json(DomainHealthSummary) }, ...problemResponses(401, 404) },
    }),
    async (c) => c.json(await services.productInsights.domainHealthSummary(c.req.valid('param').id), 200),
  );
}
