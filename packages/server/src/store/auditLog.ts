import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { InputError } from '../errors/errors';
import type { AuditEventRow, Database, JsonValue } from './Database';
import { decodeCursor, toPage, type Page } from './pagination';

/** What one audit event records; written by the same transaction as the change it describes. */
export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before: JsonValue | null;
  after: JsonValue | null;
}

/** Appends an audit event inside `trx` (pass the mutation's transaction so both commit or neither). */
export async function recordAudit(trx: Kysely<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      id: randomUUID(),
      actor_id: actor.userId,
      actor_label: actor.label,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      before: entry.before === null ? null : JSON.stringify(entry.before),
      after: entry.after === null ? null : JSON.stringify(entry.after),
    })
    .execute();
}

/**
 * Appends many audit events by one actor inside `trx` in one statement per 1,000 (a batch publish);
 * the same rows {@link recordAudit} writes one by one, in the order given.
 */
export async function recordAudits(trx: Kysely<Database>, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += 1000) {
    await trx
      .insertInto('audit_events')
      .values(
        entries.slice(start, start + 1000).map((entry) => ({
          id: randomUUID(),
          actor_id: actor.userId,
          actor_label: actor.label,
          action: entry.action,
          entity_type: entry.entityType,
          entity_id: entry.entityId,
          before: entry.before === null ? null : JSON.stringify(entry.before),
          after: entry.after === null ? null : JSON.stringify(entry.after),
        })),
      )
      .execute();
  }
}

/** Filters for {@link listAuditEvents}; newest first. */
export interface AuditQuery {
  limit: number;
  cursor?: string;
  entityType?: string;
  entityId?: string;
}

/** Lists audit events newest first, paginated by their sequence number. */
export async function listAuditEvents(db: Kysely<Database>, query: AuditQuery): Promise<Page<AuditEventRow>> {
  let q = db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(query.limit + 1);
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    if (!/^[0-9]{1,19}$/.test(after)) {
      throw new InputError('The cursor is not one this server issued.', [
        { parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' },
      ]);
    }
    q = q.where('seq', '<', after);
  }
  if (query.entityType !== undefined) q = q.where('entity_type', '=', query.entityType);
  if (query.entityId !== undefined) q = q.where('entity_id', '=', query.entityId);
  return toPage(await q.execute(), query.limit, (row) => String(row.seq));
}
