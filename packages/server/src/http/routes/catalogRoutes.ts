import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { PublishRequest } from '../../services/ContractService';
import type { Services } from '../../services/createServices';
import type { App, AppEnv } from '../AppEnv';
import { etagFor, ifNoneMatchHits, readIfMatch } from '../etag';
import { IdParam, PageQuery, pageOf, problemResponses } from '../schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const timestamp = z.string().openapi({ format: 'date-time' });
const lifecycle = z.enum(['proposed', 'draft', 'active', 'deprecated', 'retired']);
const changeKind = z.enum(['initial', 'breaking', 'non-breaking']);
const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((value) => value === 'true' || value === '1');

/** A standard's document as JSON (validated by the model's validators, not by this schema). */
const Document = z.record(z.string(), z.unknown()).openapi('Document', { description: 'An ODCS contract or ODPS product document.' });

const ContractSummary = z
  .object({ id: z.string(), externalId: z.string(), name: z.string(), domainId: z.string(), status: lifecycle, currentVersion: z.string(), version: z.number().int(), createdAt: timestamp, updatedAt: timestamp })
  .openapi('ContractSummary');
const Contract = ContractSummary.extend({ document: z.unknown() }).openapi('Contract');
const ContractVersion = z
  .object({ contractId: z.string(), version: z.string(), revision: z.number().int(), changeKind, publishedBy: z.string().nullable(), publishedAt: timestamp, document: z.unknown() })
  .openapi('ContractVersion');
const ProductSummary = z
  .object({ id: z.string(), externalId: z.string(), name: z.string(), domainId: z.string(), status: lifecycle, productVersion: z.string(), ownerTeamId: z.string().nullable(), version: z.number().int(), createdAt: timestamp, updatedAt: timestamp })
  .openapi('ProductSummary');
const OutputPort = z
  .object({
    name: z.string(),
    contractExternalId: z.string().nullable(),
    contract: z.object({ id: z.string(), externalId: z.string(), name: z.string(), currentVersion: z.string(), status: lifecycle }).nullable(),
  })
  .openapi('OutputPort');
const Product = ProductSummary.extend({ document: z.unknown(), outputPorts: z.array(OutputPort) }).openapi('Product');
const ProductVersion = z
  .object({ productId: z.string(), version: z.string(), revision: z.number().int(), changeKind, publishedBy: z.string().nullable(), publishedAt: timestamp, document: z.unknown() })
  .openapi('ProductVersion');
/** One classified change of a diff (shared with the batch publish route). */
export const Change = z.object({ path: z.string(), change: z.string(), severity: z.enum(['breaking', 'non-breaking', 'informational']), message: z.string() }).passthrough().openapi('Change');
const Diff = z
  .object({ kind: z.enum(['contract', 'product']), breaking: z.boolean(), oldVersion: z.string().optional(), newVersion: z.string().optional(), suggestedVersion: z.string().optional(), versionNote: z.string().optional(), changes: z.array(Change) })
  .openapi('Diff');
const publishResult = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      outcome: z.enum(['created', 'published', 'revised', 'unchanged']),
      changeKind: changeKind.nullable(),
      breaking: z.boolean(),
      changes: z.array(Change),
      suggestedVersion: z.string().nullable(),
      dryRun: z.boolean(),
      item,
    })
    .openapi(name);
const ContractPublish = publishResult(Contract, 'ContractPublishResult');
const ProductPublish = publishResult(Product, 'ProductPublishResult');

const ListFilter = PageQuery.extend({ domainId: z.string().optional(), status: lifecycle.optional() });
const PublishQuery = z.object({
  force: flag.openapi({ description: 'Publish a breaking change that keeps the version (recorded as breaking).' }),
  dryRun: flag.openapi({ description: 'Validate and classify only; nothing is written.' }),
});
const VersionParam = IdParam.extend({ version: z.string().min(1).openapi({ param: { name: 'version', in: 'path' } }) });
const RevisionQuery = z.object({ revision: z.coerce.number().int().min(1).optional() });
const DiffQuery = z.object({ from: z.string().min(1), to: z.string().min(1).optional() });
const qualityState = z.enum(['passed', 'warning', 'failed', 'error', 'not-run']);
const slaState = z.enum(['met', 'breached', 'unknown']);
const SearchQuery = PageQuery.extend({
  q: z.string().max(200).optional().describe('The text. Empty or absent browses: products only (unless kind is given), sorted by name.'),
  kind: z.enum(['product', 'contract', 'property']).optional(),
  domainId: z.string().max(200).optional().describe('A domain id, or a domain slug as the domain facet reports it.'),
  status: z.string().max(50).optional(),
  tag: z.string().max(200).optional(),
  owner: z.string().max(200).optional(),
  quality: qualityState.optional().describe("Data quality: the latest check run's outcome (a product: the worst of its output ports' contracts)."),
  sla: slaState.optional().describe("SLA state: every SLA check's latest verdict met, any breached, or nothing measured."),
  sort: z.enum(['relevance', 'name', 'updated']).optional().describe('relevance (default with a text), name (default when browsing), updated (most recently published first).'),
});
const FacetCounts = z.array(z.object({ value: z.string(), count: z.number().int() }));
const SearchHit = z
  .object({
    kind: z.enum(['product', 'contract', 'property']),
    id: z.string(),
    title: z.string(),
    context: z.string(),
    domainId: z.string(),
    status: z.string(),
    owner: z.string(),
    tags: z.array(z.string()),
    qualityState,
    slaState,
    updatedAt: timestamp,
    score: z.number(),
  })
  .openapi('SearchHit');
const SearchResult = z
  .object({
    items: z.array(SearchHit),
    nextCursor: z.string().nullable(),
    total: z.number().int(),
    facets: z.object({ kind: FacetCounts, domain: FacetCounts, status: FacetCounts, tag: FacetCounts, owner: FacetCounts, quality: FacetCounts, sla: FacetCounts }),
  })
  .openapi('SearchResult');

/** The If-Match of a publish: absent (must not exist yet), `*`, or a version; a list takes its first tag. */
function publishPrecondition(header: string | undefined): PublishRequest['expectedVersion'] {
  if (header === undefined || header.trim() === '') return undefined;
  const parsed = readIfMatch(header);
  if (parsed.kind === 'any') return 'any';
  return parsed.kind === 'version' ? parsed.version : (parsed.versions[0] ?? -1);
}

function withEtag<T extends { version: number }>(c: Context<AppEnv>, item: T) {
  const etag = etagFor(item.version);
  return { etag, notModified: ifNoneMatchHits(c.req.header('if-none-match'), etag) };
}

/** `GET /api/products/{id}`: authenticates with the bearer secret the middleware left, and reads. */
async function readProduct(c: Context<AppEnv>, services: Services, id: string): Promise<{ version: number; json: string }> {
  const secret = c.get('bearer');
  // Without a deferred secret the middleware has authenticated this request itself (no path under
  // /api/products is public), so only the read is left.
  if (secret === undefined) return services.products.getJson(id);
  const { actor, ...item } = await services.products.getJsonAs(services.auth, secret, id);
  c.set('actor', actor);
  return item;
}

/**
 * /api/contracts, /api/products (publish with history, latest, versions, diff) and /api/search.
 * Handlers only validate, call the service and present; rules live in the services.
 */
export function registerCatalogRoutes(app: App, services: Services): void {
  for (const resource of ['contracts', 'products'] as const) {
    const isContract = resource === 'contracts';
    const tags = [resource];
    const noun = isContract ? 'contract' : 'product';
    const service = isContract ? services.contracts : services.products;
    const Summary = isContract ? ContractSummary : ProductSummary;
    const Item = isContract ? Contract : Product;
    const Version = isContract ? ContractVersion : ProductVersion;
    const Publish = isContract ? ContractPublish : ProductPublish;
    const standard = isContract ? 'ODCS' : 'ODPS';

    app.openapi(
      createRoute({ method: 'get', path: `/api/${resource}`, tags, summary: `List ${resource} by document id`, request: { query: ListFilter }, responses: { 200: { description: `A page of ${resource}`, content: json(pageOf(Summary, `${isContract ? 'Contract' : 'Product'}Page`)) }, ...problemResponses(400, 401) } }),
      async (c) => c.json(await service.list(c.req.valid('query')), 200),
    );
    app.openapi(
      createRoute({ method: 'get', path: `/api/${resource}/{id}`, tags, summary: `Read the latest version of a ${noun} (by id or document id)`, request: { params: IdParam }, responses: { 200: { description: `The ${noun}`, content: json(Item) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
      async (c) => {
        const id = c.req.valid('param').id;
        // Products, the hot read (issue 4), answer their presented JSON text as read from the store,
        // authenticated in the same statement (the middleware left the look-up to this handler).
        const item = isContract ? await services.contracts.get(id) : await readProduct(c, services, id);
        const { etag, notModified } = withEtag(c, item);
        if (notModified) return c.body(null, 304, { etag });
        return 'json' in item ? c.body(item.json, 200, { etag, 'content-type': 'application/json' }) : c.json(item, 200, { etag });
      },
    );
    app.openapi(
      createRoute({ method: 'post', path: `/api/${resource}`, tags, summary: `Create a ${noun} from an ${standard} document (a role in its domain)`, request: { query: PublishQuery, body: { content: json(Document), required: true } }, responses: { 201: { description: 'Created', content: json(Publish) }, 200: { description: 'Dry run', content: json(Publish) }, ...problemResponses(400, 401, 403, 409) } }),
      async (c) => {
        const { dryRun } = c.req.valid('query');
        const result = await service.publish(c.get('actor'), { document: c.req.valid('json'), dryRun });
        if (dryRun) return c.json(result, 200);
        return c.json(result, 201, { etag: etagFor(result.item.version), location: `/api/${resource}/${result.item.id}` });
      },
    );
    app.openapi(
      createRoute({
        method: 'put',
        path: `/api/${resource}/{id}`,
        tags,
        summary: `Publish a ${noun} version (create, new version, or unchanged); If-Match needed when it exists`,
        description: `Idempotent: an identical document changes nothing (outcome "unchanged"). A breaking change that keeps the version is 409 unless force=true.`,
        request: { params: IdParam, query: PublishQuery, body: { content: json(Document), required: true } },
        responses: { 200: { description: 'Published, unchanged or dry run', content: json(Publish) }, 201: { description: 'Created', content: json(Publish) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
      }),
      async (c) => {
        const { force, dryRun } = c.req.valid('query');
        const result = await service.publish(c.get('actor'), { ref: c.req.valid('param').id, document: c.req.valid('json'), expectedVersion: publishPrecondition(c.req.header('if-match')), force, dryRun });
        const status = result.outcome === 'created' && !dryRun ? 201 : 200;
        return c.json(result, status, dryRun ? {} : { etag: etagFor(result.item.version) });
      },
    );
    app.openapi(
      createRoute({ method: 'get', path: `/api/${resource}/{id}/versions`, tags, summary: `The immutable published versions of a ${noun}, newest first`, request: { params: IdParam, query: PageQuery }, responses: { 200: { description: 'A page of versions', content: json(pageOf(Version, `${isContract ? 'Contract' : 'Product'}VersionPage`)) }, ...problemResponses(400, 401, 404) } }),
      async (c) => c.json(await service.versions(c.req.valid('param').id, c.req.valid('query')), 200),
    );
    app.openapi(
      createRoute({ method: 'get', path: `/api/${resource}/{id}/versions/{version}`, tags, summary: `One published version (its latest revision unless revision= is given)`, request: { params: VersionParam, query: RevisionQuery }, responses: { 200: { description: 'The version', content: json(Version) }, ...problemResponses(400, 401, 404) } }),
      async (c) => {
        const { id, version } = c.req.valid('param');
        return c.json(await service.version(id, version, c.req.valid('query').revision), 200);
      },
    );
    app.openapi(
      createRoute({ method: 'get', path: `/api/${resource}/{id}/diff`, tags, summary: `Classify the changes between two published versions (to defaults to the latest)`, request: { params: IdParam, query: DiffQuery }, responses: { 200: { description: 'The classified changes', content: json(Diff) }, ...problemResponses(400, 401, 404) } }),
      async (c) => {
        const { from, to } = c.req.valid('query');
        return c.json(await service.diff(c.req.valid('param').id, from, to), 200);
      },
    );
  }

  app.openapi(
    createRoute({ method: 'get', path: '/api/search', tags: ['search'], summary: 'Search products, contracts, properties, owners and tags (typo-tolerant, ranked, with facets)', request: { query: SearchQuery }, responses: { 200: { description: 'Ranked hits and facet counts', content: json(SearchResult) }, ...problemResponses(400, 401) } }),
    async (c) => c.json(await services.search.search(c.req.valid('query')), 200),
  );
}
