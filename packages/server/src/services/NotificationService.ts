import type { Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { InputError, NotAllowedError, NotFoundError } from '../errors/errors';
import type { Database, NotificationRow } from '../store/Database';
import { newId } from '../store/newId';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { isUuid, listLimit, type ListRequest } from './listRequest';

/**
 * What one notification says. `kind` is a dotted, stable name the web app may style by
 * (`access.requested`, `access.approved`, `subscription.expiring`, …; new features add their own, e.g.
 * `product.deprecated`, `check.failed`, `feedback.reply`). `link` is an app path (`/access/requests/…`),
 * never an absolute URL, so a notification cannot send users elsewhere.
 */
export interface NotificationInput {
  userId: string;
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
  entityType?: string;
  entityId?: string;
}

/** A notification as the API shows it. */
export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  entityType: string | null;
  entityId: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

/** Filters of a user's notification list (newest first). */
export interface NotificationListRequest extends ListRequest {
  unread?: boolean;
}

const kindPattern = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$/;

/**
 * Writes notifications inside the caller's transaction, so the message exists exactly when the change
 * it announces commits (a rolled-back approval notifies no one). Reusable by every feature:
 *
 * ```ts
 * await notify(trx, { userId, kind: 'product.deprecated', title: 'Orders is deprecated', link: `/products/${id}` });
 * ```
 *
 * Several recipients: pass an array (duplicates and null ids are dropped). Throws on a malformed kind or
 * a link that is not an app path: those are programming errors, not user input.
 */
export async function notify(trx: Kysely<Database>, input: NotificationInput | NotificationInput[]): Promise<void> {
  const inputs = Array.isArray(input) ? input : [input];
  const seen = new Set<string>();
  const rows = inputs.flatMap((item) => {
    if (!kindPattern.test(item.kind)) throw new Error(`Notification kind "${item.kind}" must be dotted lower-case words, e.g. access.approved.`);
    if (item.link != null && !/^\/(?!\/)/.test(item.link)) throw new Error(`Notification link "${item.link}" must be an app path starting with one /.`);
    const key = `${item.userId}\u0000${item.kind}\u0000${item.entityId ?? ''}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ id: newId(), user_id: item.userId, kind: item.kind, title: item.title.slice(0, 300), body: (item.body ?? '').slice(0, 4000), link: item.link ?? null, entity_type: item.entityType ?? null, entity_id: item.entityId ?? null }];
  });
  if (rows.length > 0) await trx.insertInto('notifications').values(rows).execute();
}

/** Turns a notification row into its wire shape. */
export function presentNotification(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    entityType: row.entity_type,
    entityId: row.entity_id,
    read: row.read_at !== null,
    readAt: row.read_at === null ? null : row.read_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * A user's own notifications: list, unread count, mark read. Nobody reads or marks anyone else's
 * (someone else's id is "not found"). Marking read is personal inbox state, idempotent and
 * commutative, so it needs no If-Match and is not written to the audit log.
 */
export class NotificationService {
  constructor(private readonly db: Kysely<Database>) {}

  /** The actor's notifications, newest first. */
  async list(actor: Actor, request: NotificationListRequest): Promise<Page<NotificationView>> {
    const userId = requireUser(actor);
    const limit = listLimit(request);
    let query = this.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit + 1);
    if (request.cursor !== undefined) query = query.where('id', '<', cursorId(request.cursor));
    if (request.unread === true) query = query.where('read_at', 'is', null);
    const page = toPage(await query.execute(), limit, (row) => row.id);
    return { items: page.items.map(presentNotification), nextCursor: page.nextCursor };
  }

  /** How many of the actor's notifications are unread (the bell's badge). */
  async unreadCount(actor: Actor): Promise<number> {
    const userId = requireUser(actor);
    const row = await this.db.selectFrom('notifications').select((eb) => eb.fn.countAll<string>().as('count')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Marks one of the actor's notifications read (again: no change). */
  async markRead(actor: Actor, id: string): Promise<NotificationView> {
    const userId = requireUser(actor);
    if (!isUuid(id)) throw new NotFoundError(`No notification ${id}.`);
    const row =
      (await this.db.updateTable('notifications').set({ read_at: new Date() }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).returningAll().executeTakeFirst()) ??
      (await this.db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst());
    if (row === undefined) throw new NotFoundError(`No notification ${id}.`);
    return presentNotification(row);
  }

  /** Marks all of the actor's notifications read; returns how many changed. */
  async markAllRead(actor: Actor): Promise<number> {
    const userId = requireUser(actor);
    const result = await this.db.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

function requireUser(actor: Actor): string {
  if (actor.userId === null) throw new NotAllowedError('Only users have notifications.');
  return actor.userId;
}

function cursorId(cursor: string): string {
  const id = decodeCursor(cursor);
  if (!isUuid(id)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
  return id;
}
