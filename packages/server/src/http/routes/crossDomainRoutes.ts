import { createRoute, z } from '@hono/zod-openapi';
import { backlogKinds, backlogStates } from '@meshboard/model';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, ifNoneMatchHits, readIfMatch } from '../etag';
import { BacklogItem } from './backlogRoutes';
import { IdParam, PageQuery, pageOf, problemResponses } from '../schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const timestamp = z.string().openapi({ format: 'date-time' });
const crossTags = ['cross-domain'];
const demandTags = ['demands'];
const demandStates = ['open', 'assigned', 'accepted', 'declined', 'merged'] as const;

const Ref = z.object({ id: z.string(), name: z.string() });
const LinkedItem = z
  .object({ id: z.string(), number: z.number().int(), title: z.string(), state: z.enum(backlogStates), declineReason: z.string().nullable(), duplicateOfId: z.string().nullable(), product: Ref, domain: Ref })
  .openapi('LinkedBacklogItem', { description: 'One end of a cross-domain link, with its product and domain.' });
const RollUp = z
  .object({ total: z.number().int(), open: z.number().int(), done: z.number().int(), declined: z.number().int(), complete: z.boolean(), summary: z.string() })
  .openapi('CrossDomainRollUp', { description: 'The children’s states rolled up on the parent: complete when every child is done or declined (merged duplicates are left out).' });
const ItemLinks = z.object({ itemId: z.string(), parent: z.union([LinkedItem, z.null()]), children: z.array(LinkedItem), rollUp: RollUp }).openapi('BacklogItemLinks');
const CrossDomainRequest = z
  .object({
    productId: z.string().min(1).openapi({ description: 'Id or external id of a product in another domain; the child is filed in its backlog.' }),
    kind: z.enum(backlogKinds).optional(),
    title: z.string().trim().min(1).max(300).optional().openapi({ description: 'Default: the parent’s title.' }),
    description: z.string().max(20_000).optional().openapi({ description: 'Default: the parent’s description.' }),
  })
  .strict()
  .openapi('CrossDomainRequest');
const Dependency = z.object({ parent: LinkedItem, child: LinkedItem, linkedAt: timestamp, ageDays: z.number().int(), open: z.boolean() }).openapi('CrossDomainDependency');
const DependencyQuery = PageQuery.extend({
  domain: z.string().min(1).optional().openapi({ description: 'Domain id or slug; matches links with either end in it.' }),
  state: z.enum(['open', 'all']).optional().openapi({ description: 'open (default): the child is still open; all: every link.' }),
});

const Demand = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    useCase: z.string(),
    desiredFields: z.array(z.string()),
    freshness: z.string(),
    requester: z.object({ userId: z.string().nullable(), label: z.string(), teamId: z.string().nullable(), teamName: z.string().nullable() }),
    state: z.enum(demandStates),
    domain: Ref.nullable(),
    product: Ref.nullable(),
    backlogItem: z.object({ id: z.string(), number: z.number().int(), state: z.string() }).nullable(),
    declineReason: z.string().nullable(),
    mergedIntoId: z.string().nullable(),
    votes: z.number().int(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('DataDemand', { description: 'A request for data no product offers yet. votes: "me too" of other consumers.' });
const DemandCreate = z
  .object({
    title: z.string().trim().min(1).max(300),
    description: z.string().max(20_000).optional(),
    useCase: z.string().trim().min(1).max(5_000).openapi({ description: 'What the data is for: the decision or product it feeds.' }),
    desiredFields: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
    freshness: z.string().trim().max(200).optional().openapi({ description: 'How fresh it must be, in words (e.g. "hourly", "by 6am daily").' }),
    requesterTeamId: z.string().nullable().optional().openapi({ description: 'A team you are a member of, asking with you.' }),
  })
  .strict()
  .openapi('DataDemandCreate');
const DemandQuery = PageQuery.extend({
  state: z.enum(demandStates).optional(),
  domain: z.string().min(1).optional().openapi({ description: 'Domain id or slug it was triaged to.' }),
  mine: z.enum(['true', 'false']).optional().openapi({ description: 'true: your own requests (anyone); otherwise the inbox (admins and domain owners).' }),
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Words in the title or use case; with q anyone may look up open and assigned requests (to say "me too").' }),
});
const Triage = z
  .object({ domainId: z.string().min(1).optional().openapi({ description: 'Domain id or slug to assign it to.' }), productId: z.string().min(1).optional().openapi({ description: 'Product (id or external id) whose backlog takes it; accepts the demand.' }) })
  .strict()
  .openapi('DataDemandTriage', { description: 'domainId alone assigns; productId accepts into that product’s backlog (needs a role in its domain).' });
const Decline = z.object({ reason: z.string().trim().min(1).max(2000) }).strict().openapi('DataDemandDecline');
const Merge = z.object({ duplicateId: z.string().min(1) }).strict().openapi('DataDemandMerge');
const VoteState = z.object({ voted: z.boolean(), votes: z.number().int() }).openapi('DataDemandVote');

/**
 * Cross-domain requests, the coordination view and the demand inbox (issue 6). Handlers validate, call
 * {@link Services.crossDomain} / {@link Services.demands} and present; rules live in the services.
 */
export function registerCrossDomainRoutes(app: App, services: Services): void {
  const { crossDomain, demands, backlog } = services;
  app.openapi(
    createRoute({ method: 'get', path: '/api/backlog-items/{id}/links', tags: crossTags, summary: 'An item’s cross-domain links: the parent it serves and its children in other domains, rolled up', request: { params: IdParam }, responses: { 200: { description: 'The links', content: json(ItemLinks) }, ...problemResponses(401, 404) } }),
    async (c) => c.json(await crossDomain.links(c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/backlog-items/{id}/cross-domain',
      tags: crossTags,
      summary: 'Request work from another domain: files a linked child item in that domain’s product backlog; needs a role in this item’s domain and If-Match of this item',
      request: { params: IdParam, body: { content: json(CrossDomainRequest), required: true } },
      responses: { 201: { description: 'The child was filed; the parent’s version moved', content: json(z.object({ parent: BacklogItem, child: BacklogItem, rollUp: RollUp }).openapi('CrossDomainRequestResult')) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await backlog.get(id)).version);
      const result = await crossDomain.request(c.get('actor'), { parentId: id, expectedVersion: version, input: c.req.valid('json') });
      return c.json(result, 201, { etag: etagFor(result.parent.version), location: `/api/backlog-items/${result.child.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/cross-domain-dependencies', tags: crossTags, summary: 'The coordination view: cross-domain dependencies across the mesh, oldest first, with age and both ends', request: { query: DependencyQuery }, responses: { 200: { description: 'A page of dependencies', content: json(pageOf(Dependency, 'CrossDomainDependencyPage')) }, ...problemResponses(400, 401) } }),
    async (c) => c.json(await crossDomain.dependencies(c.req.valid('query')), 200),
  );

  const demandVersion = (id: string) => async () => (await demands.get(id)).version;
  app.openapi(
    createRoute({ method: 'post', path: '/api/demands', tags: demandTags, summary: 'Ask for data no product offers yet (anyone signed in); lands in the demand inbox', request: { body: { content: json(DemandCreate), required: true } }, responses: { 201: { description: 'Filed', content: json(Demand) }, ...problemResponses(400, 401, 403) } }),
    async (c) => {
      const demand = await demands.create(c.get('actor'), c.req.valid('json'));
      return c.json(demand, 201, { etag: etagFor(demand.version), location: `/api/demands/${demand.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/demands', tags: demandTags, summary: 'The demand inbox (admins and domain owners), with mine=true your own requests, with q anyone’s open requests matching the words; newest first', request: { query: DemandQuery }, responses: { 200: { description: 'A page of demands', content: json(pageOf(Demand, 'DataDemandPage')) }, ...problemResponses(400, 401, 403) } }),
    async (c) => {
      const { mine, ...rest } = c.req.valid('query');
      return c.json(await demands.list(c.get('actor'), { ...rest, mine: mine === 'true' }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/demands/{id}', tags: demandTags, summary: 'Read a demand and its status', request: { params: IdParam }, responses: { 200: { description: 'The demand', content: json(Demand) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const demand = await demands.get(c.req.valid('param').id);
      const etag = etagFor(demand.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(demand, 200, { etag });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/demands/{id}/triage', tags: demandTags, summary: 'Assign a demand to a domain, or accept it into a product’s backlog (the item carries the demand as evidence); needs If-Match', request: { params: IdParam, body: { content: json(Triage), required: true } }, responses: { 200: { description: 'Triaged', content: json(Demand) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), demandVersion(id));
      const demand = await demands.triage(c.get('actor'), { id, expectedVersion: version, ...c.req.valid('json') });
      return c.json(demand, 200, { etag: etagFor(demand.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/demands/{id}/decline', tags: demandTags, summary: 'Decline a demand with a reason the requester sees; needs If-Match', request: { params: IdParam, body: { content: json(Decline), required: true } }, responses: { 200: { description: 'Declined', content: json(Demand) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), demandVersion(id));
      const demand = await demands.decline(c.get('actor'), { id, expectedVersion: version, reason: c.req.valid('json').reason });
      return c.json(demand, 200, { etag: etagFor(demand.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/demands/{id}/merge', tags: demandTags, summary: 'Merge a duplicate demand into this one: its requester and voters count as "me too" here; needs If-Match of this demand', request: { params: IdParam, body: { content: json(Merge), required: true } }, responses: { 200: { description: 'The surviving demand', content: json(Demand) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), demandVersion(id));
      const demand = await demands.merge(c.get('actor'), { id, expectedVersion: version, duplicateId: c.req.valid('json').duplicateId });
      return c.json(demand, 200, { etag: etagFor(demand.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/demands/{id}/vote', tags: demandTags, summary: 'Whether you said "me too", and the count', request: { params: IdParam }, responses: { 200: { description: 'Your vote', content: json(VoteState) }, ...problemResponses(401, 404) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const demand = await demands.get(id);
      return c.json({ voted: await demands.hasVoted(c.get('actor'), id), votes: demand.votes }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/demands/{id}/vote', tags: demandTags, summary: 'Say "me too" (idempotent); counts as evidence while the demand is open or assigned', request: { params: IdParam }, responses: { 200: { description: 'Voted', content: json(VoteState) }, ...problemResponses(401, 403, 404, 409) } }),
    async (c) => c.json({ voted: true, votes: (await demands.vote(c.get('actor'), c.req.valid('param').id, true)).votes }, 200),
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/demands/{id}/vote', tags: demandTags, summary: 'Withdraw your "me too" (idempotent)', request: { params: IdParam }, responses: { 200: { description: 'Withdrawn', content: json(VoteState) }, ...problemResponses(401, 403, 404, 409) } }),
    async (c) => c.json({ voted: false, votes: (await demands.vote(c.get('actor'), c.req.valid('param').id, false)).votes }, 200),
  );
}
