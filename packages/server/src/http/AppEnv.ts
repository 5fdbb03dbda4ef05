import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Actor } from '../auth/Actor';

/**
 * Per-request values: the authenticated actor (set by the authentication middleware), and on the routes
 * that authenticate inside their own statement ({@link authenticatesInHandler}) the bearer secret
 * instead, until the handler has the actor.
 */
export interface AppEnv {
  Variables: { actor: Actor; bearer: string | undefined };
}

/**
 * Whether the authentication middleware leaves the token look-up of this request to its handler:
 * `GET /api/products/{id}` authenticates and reads in one statement (issue 4, see
 * `ProductService.getJsonAs`). The middleware still refuses a request without a bearer token. The
 * handler of such a route must authenticate with `c.get('bearer')` before anything else.
 */
export function authenticatesInHandler(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && /^\/api\/products\/[^/]+$/.test(path);
}

/** The application type every route module registers on. */
export type App = OpenAPIHono<AppEnv>;
