import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { bearerToken } from '../bearerToken';
import { IdParam, IssuedToken, PageQuery, problemResponses, SignIn, Token, TokenCreate } from '../schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const TokenQuery = PageQuery.extend({ userId: z.string().optional().openapi({ description: "Another user's tokens (admin)." }) });

/** Sign-in/out and API tokens: create (the secret is in this one answer only), list, revoke. */
export function registerAuthRoutes(app: App, services: Services): void {
  app.openapi(
    createRoute({ method: 'post', path: '/api/auth/sign-in', tags: ['auth'], security: [], summary: 'Exchange e-mail and password for a session bearer token (12 h)', request: { body: { content: json(SignIn), required: true } }, responses: { 200: { description: 'Signed in', content: json(IssuedToken) }, ...problemResponses(400, 401, 429) } }),
    async (c) => c.json(await services.auth.signIn(c.req.valid('json')), 200, { 'cache-control': 'no-store' }),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/auth/sign-out', tags: ['auth'], summary: 'Revoke the token this request is authenticated with', responses: { 204: { description: 'Signed out' }, ...problemResponses(401) } }),
    async (c) => {
      const secret = bearerToken(c);
      if (secret !== undefined) await services.auth.signOut(c.get('actor'), secret);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/tokens', tags: ['auth'], summary: 'Create an API token; the secret is shown in this answer only', request: { body: { content: json(TokenCreate), required: true } }, responses: { 201: { description: 'Created', content: json(IssuedToken) }, ...problemResponses(400, 401, 403) } }),
    async (c) => {
      const body = c.req.valid('json');
      const issued = await services.auth.createToken(c.get('actor'), {
        name: body.name,
        ...(body.userId === undefined ? {} : { userId: body.userId }),
        expiresAt: body.expiresAt == null ? null : new Date(body.expiresAt),
      });
      return c.json(issued, 201, { 'cache-control': 'no-store' });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/tokens', tags: ['auth'], summary: 'Your tokens and sessions (never their secrets), oldest first', request: { query: TokenQuery }, responses: { 200: { description: 'Tokens', content: json(z.object({ items: z.array(Token), nextCursor: z.string().nullable() }).openapi('TokenList')) }, ...problemResponses(400, 401, 403) } }),
    async (c) => c.json(await services.auth.listTokens(c.get('actor'), c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/tokens/{id}', tags: ['auth'], summary: 'Revoke a token (idempotent)', request: { params: IdParam }, responses: { 204: { description: 'Revoked' }, ...problemResponses(401, 404) } }),
    async (c) => {
      await services.auth.revokeToken(c.get('actor'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
}
