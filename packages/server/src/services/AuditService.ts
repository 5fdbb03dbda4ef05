import type { Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { requireAdmin } from '../auth/authorize';
import { listAuditEvents } from '../store/auditLog';
import type { Database } from '../store/Database';
import type { Page } from '../store/pagination';
import { listLimit, type ListRequest } from './listRequest';
import { presentAuditEvent, type AuditEventView } from './presenters';

/** Reading the audit log: administrators only (before/after states may show any entity). Newest first. */
export class AuditService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Lists audit events, optionally for one entity type and id. */
  async list(actor: Actor, request: ListRequest & { entityType?: string; entityId?: string }): Promise<Page<AuditEventView>> {
    requireAdmin(actor, 'read the audit log');
    const page = await listAuditEvents(this.db, {
      limit: listLimit(request),
      ...(request.cursor === undefined ? {} : { cursor: request.cursor }),
      ...(request.entityType === undefined ? {} : { entityType: request.entityType }),
      ...(request.entityId === undefined ? {} : { entityId: request.entityId }),
    });
    return { items: page.items.map(presentAuditEvent), nextCursor: page.nextCursor };
  }
}
