import { createRoute, z } from '@hono/zod-openapi';
import type { App } from '../AppEnv';
import { problemResponses } from '../schemas';

const Health = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    store: z.enum(['ok', 'unavailable']),
    search: z.enum(['index', 'sql']).openapi({ description: 'What answers searches: the in-memory index once built, SQL before that (or with MESHBOARD_SEARCH_INDEX=off). Both give the same hits; the index is faster.' }),
  })
  .openapi('Health');

/**
 * GET /api/health: 200 when the store answers, 503 otherwise (for load balancers and `serve`). `search`
 * tells whether the in-memory search index is serving yet (it is built in the background after start).
 */
export function registerHealthRoutes(app: App, checkStore: () => Promise<void>, searchMode: () => 'index' | 'sql'): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/health',
      tags: ['health'],
      security: [],
      summary: 'Whether the server and its store are up',
      responses: {
        200: { description: 'Healthy', content: { 'application/json': { schema: Health } } },
        503: { description: 'The store does not answer', content: { 'application/json': { schema: Health } } },
        ...problemResponses(),
      },
    }),
    async (c) => {
      try {
        await checkStore();
        return c.json({ status: 'ok' as const, store: 'ok' as const, search: searchMode() }, 200);
      } catch {
        return c.json({ status: 'unavailable' as const, store: 'unavailable' as const, search: searchMode() }, 503);
      }
    },
  );
}
