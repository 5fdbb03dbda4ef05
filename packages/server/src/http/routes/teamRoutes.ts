import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, ifNoneMatchHits, readIfMatch } from '../etag';
import { IdParam, PageQuery, pageOf, problemResponses, Team, TeamCreate, TeamPatch } from '../schemas';

const tags = ['teams'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });
const TeamQuery = PageQuery.extend({ domainId: z.string().optional().openapi({ description: 'Only the teams of this domain.' }) });

/** /api/teams: list (optionally by domain), read (ETag), create, change and delete (If-Match). */
export function registerTeamRoutes(app: App, services: Services): void {
  app.openapi(
    createRoute({ method: 'get', path: '/api/teams', tags, summary: 'List teams by slug', request: { query: TeamQuery }, responses: { 200: { description: 'A page of teams', content: json(pageOf(Team, 'TeamPage')) }, ...problemResponses(400, 401) } }),
    async (c) => c.json(await services.teams.list(c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/teams/{id}', tags, summary: 'Read a team', request: { params: IdParam }, responses: { 200: { description: 'The team', content: json(Team) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const team = await services.teams.get(c.req.valid('param').id);
      const etag = etagFor(team.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(team, 200, { etag });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/teams', tags, summary: "Create a team (admin, or the domain's data product owner)", request: { body: { content: json(TeamCreate), required: true } }, responses: { 201: { description: 'Created', content: json(Team) }, ...problemResponses(400, 401, 403, 409) } }),
    async (c) => {
      const team = await services.teams.create(c.get('actor'), c.req.valid('json'));
      return c.json(team, 201, { etag: etagFor(team.version), location: `/api/teams/${team.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/teams/{id}', tags, summary: 'Change a team; needs If-Match', request: { params: IdParam, body: { content: json(TeamPatch), required: true } }, responses: { 200: { description: 'Changed', content: json(Team) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await services.teams.get(id)).version);
      const team = await services.teams.update(c.get('actor'), { id, expectedVersion: version, patch: c.req.valid('json') });
      return c.json(team, 200, { etag: etagFor(team.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/teams/{id}', tags, summary: 'Delete a team; needs If-Match', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await services.teams.get(id)).version);
      await services.teams.delete(c.get('actor'), { id, expectedVersion: version });
      return c.body(null, 204);
    },
  );
}
