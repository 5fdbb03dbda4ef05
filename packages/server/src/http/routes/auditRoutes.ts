import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { AuditEvent, PageQuery, pageOf, problemResponses } from '../schemas';

const AuditQuery = PageQuery.extend({
  entityType: z.string().max(100).optional().openapi({ description: 'domain, team, user, token, …' }),
  entityId: z.string().max(200).optional(),
});

/** GET /api/audit-events: the audit log, newest first (admin). */
export function registerAuditRoutes(app: App, services: Services): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/audit-events',
      tags: ['audit'],
      summary: 'The audit log, newest first (admin)',
      request: { query: AuditQuery },
      responses: { 200: { description: 'A page of audit events', content: { 'application/json': { schema: pageOf(AuditEvent, 'AuditEventPage') } } }, ...problemResponses(400, 401, 403) },
    }),
    async (c) => c.json(await services.audit.list(c.get('actor'), c.req.valid('query')), 200),
  );
}
