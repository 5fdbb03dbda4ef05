import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Actor } from '../auth/Actor';

/** Per-request values: the authenticated actor (set by the authentication middleware). */
export interface AppEnv {
  Variables: { actor: Actor };
}

/** The application type every route module registers on. */
export type App = OpenAPIHono<AppEnv>;
