import { createRoute } from '@hono/zod-openapi';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, ifNoneMatchHits, readIfMatch } from '../etag';
import { Domain, DomainCreate, DomainPatch, IdParam, PageQuery, pageOf, problemResponses } from '../schemas';

const tags = ['domains'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });

/** /api/domains: list, read (ETag), create (admin), change and delete (If-Match). */
export function registerDomainRoutes(app: App, services: Services): void {
  app.openapi(
    createRoute({ method: 'get', path: '/api/domains', tags, summary: 'List domains by slug', request: { query: PageQuery }, responses: { 200: { description: 'A page of domains', content: json(pageOf(Domain, 'DomainPage')) }, ...problemResponses(400, 401) } }),
    async (c) => c.json(await services.domains.list(c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/domains/{id}', tags, summary: 'Read a domain', request: { params: IdParam }, responses: { 200: { description: 'The domain', content: json(Domain) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const domain = await services.domains.get(c.req.valid('param').id);
      const etag = etagFor(domain.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(domain, 200, { etag });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/domains', tags, summary: 'Create a domain (admin)', request: { body: { content: json(DomainCreate), required: true } }, responses: { 201: { description: 'Created', content: json(Domain) }, ...problemResponses(400, 401, 403, 409) } }),
    async (c) => {
      const domain = await services.domains.create(c.get('actor'), c.req.valid('json'));
      return c.json(domain, 201, { etag: etagFor(domain.version), location: `/api/domains/${domain.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/domains/{id}', tags, summary: "Change a domain (admin or the domain's data product owner); needs If-Match", request: { params: IdParam, body: { content: json(DomainPatch), required: true } }, responses: { 200: { description: 'Changed', content: json(Domain) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const ifMatch = readIfMatch(c.req.header('if-match'));
      const version = await expectedVersion(ifMatch, async () => (await services.domains.get(id)).version);
      const domain = await services.domains.update(c.get('actor'), { id, expectedVersion: version, patch: c.req.valid('json') });
      return c.json(domain, 200, { etag: etagFor(domain.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/domains/{id}', tags, summary: 'Delete a domain without teams (admin); needs If-Match', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const ifMatch = readIfMatch(c.req.header('if-match'));
      const version = await expectedVersion(ifMatch, async () => (await services.domains.get(id)).version);
      await services.domains.delete(c.get('actor'), { id, expectedVersion: version });
      return c.body(null, 204);
    },
  );
}
