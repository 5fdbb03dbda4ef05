import { createRoute } from '@hono/zod-openapi';
import { NotAuthenticatedError } from '../../errors/errors';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, ifNoneMatchHits, readIfMatch } from '../etag';
import { IdParam, PageQuery, pageOf, problemResponses, User, UserCreate, UserPatch } from '../schemas';

const tags = ['users'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });

/** /api/users and /api/me: list, read (ETag), create (admin), change (admin, or yourself: name and password), delete (admin). */
export function registerUserRoutes(app: App, services: Services): void {
  app.openapi(
    createRoute({ method: 'get', path: '/api/me', tags, summary: 'The signed-in user', responses: { 200: { description: 'You', content: json(User) }, ...problemResponses(401) } }),
    async (c) => {
      const { userId } = c.get('actor');
      if (userId === null) throw new NotAuthenticatedError('This credential has no user.');
      const user = await services.users.get(userId);
      return c.json(user, 200, { etag: etagFor(user.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/users', tags, summary: 'List users in creation order', request: { query: PageQuery }, responses: { 200: { description: 'A page of users', content: json(pageOf(User, 'UserPage')) }, ...problemResponses(400, 401) } }),
    async (c) => c.json(await services.users.list(c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/users/{id}', tags, summary: 'Read a user', request: { params: IdParam }, responses: { 200: { description: 'The user', content: json(User) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const user = await services.users.get(c.req.valid('param').id);
      const etag = etagFor(user.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(user, 200, { etag });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/users', tags, summary: 'Create a user (admin)', request: { body: { content: json(UserCreate), required: true } }, responses: { 201: { description: 'Created', content: json(User) }, ...problemResponses(400, 401, 403, 409) } }),
    async (c) => {
      const user = await services.users.create(c.get('actor'), c.req.valid('json'));
      return c.json(user, 201, { etag: etagFor(user.version), location: `/api/users/${user.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/users/{id}', tags, summary: 'Change a user; roles and teamIds replace the whole set; needs If-Match', request: { params: IdParam, body: { content: json(UserPatch), required: true } }, responses: { 200: { description: 'Changed', content: json(User) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await services.users.get(id)).version);
      const user = await services.users.update(c.get('actor'), { id, expectedVersion: version, patch: c.req.valid('json') });
      return c.json(user, 200, { etag: etagFor(user.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/users/{id}', tags, summary: 'Delete a user (admin); needs If-Match', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await services.users.get(id)).version);
      await services.users.delete(c.get('actor'), { id, expectedVersion: version });
      return c.body(null, 204);
    },
  );
}
