import type { Kysely } from 'kysely';
import type { Database } from '../../store/Database';
import type { FeedbackEvent } from './FeedbackService';
import { ownerRoles } from './FeedbackService';

/** Why a user should hear about a feedback event. */
export type FeedbackRecipientReason = 'owner' | 'reporter' | 'participant' | 'voter';

/** A user to notify about a feedback event, with the strongest reason that applies. */
export interface FeedbackRecipient {
  userId: string;
  reason: FeedbackRecipientReason;
}

/**
 * Who should be told about a committed feedback event (for the notification slice to deliver; this
 * function only decides). Never the actor themself; each user once, with the first reason below:
 * - `created` (a new rating, comment, issue or request): the product's owners (owner-like roles in its domain);
 * - `replied`: the thread's reporter, everyone else who wrote in the thread, and the owners;
 * - `state_changed`: the reporter and, for feature requests, every voter;
 * - `updated` / `deleted`: nobody (edits of one's own text are not news).
 * Disabled users are left out. An unknown or vanished item gives nobody.
 */
export async function feedbackEvents(db: Kysely<Database>, event: FeedbackEvent): Promise<FeedbackRecipient[]> {
  if (event.type === 'updated' || event.type === 'deleted') return [];
  const item = await db
    .selectFrom('feedback as f')
    .innerJoin('products as p', 'p.id', 'f.product_id')
    .select(['f.id', 'f.thread_id', 'f.author_id', 'p.domain_id'])
    .where('f.id', '=', event.feedbackId)
    .executeTakeFirst();
  if (item === undefined) return [];
  const threadId = item.thread_id ?? item.id;
  const candidates: FeedbackRecipient[] = [];
  const owners = async () =>
    (await db.selectFrom('domain_roles').select('user_id').distinct().where('domain_id', '=', item.domain_id).where('role', 'in', ownerRoles).orderBy('user_id').execute()).map((row) => ({ userId: row.user_id, reason: 'owner' as const }));
  const root = await db.selectFrom('feedback').select(['author_id', 'kind']).where('id', '=', threadId).executeTakeFirst();
  const reporter = root?.author_id == null ? [] : [{ userId: root.author_id, reason: 'reporter' as const }];
  if (event.type === 'created') candidates.push(...(await owners()));
  if (event.type === 'replied') {
    const writers = await db.selectFrom('feedback').select('author_id').distinct().where('thread_id', '=', threadId).where('author_id', 'is not', null).orderBy('author_id').execute();
    candidates.push(...reporter, ...writers.flatMap((row) => (row.author_id === null ? [] : [{ userId: row.author_id, reason: 'participant' as const }])), ...(await owners()));
  }
  if (event.type === 'state_changed') {
    const voters = root?.kind === 'feature_request' ? await db.selectFrom('feedback_votes').select('user_id').where('feedback_id', '=', threadId).orderBy('user_id').execute() : [];
    candidates.push(...reporter, ...voters.map((row) => ({ userId: row.user_id, reason: 'voter' as const })));
  }
  const ids = [...new Set(candidates.map((candidate) => candidate.userId))];
  const enabled = ids.length === 0 ? new Set<string>() : new Set((await db.selectFrom('users').select('id').where('id', 'in', ids).where('disabled', '=', false).execute()).map((row) => row.id));
  const seen = new Set<string>([event.actorId]);
  return candidates.filter((candidate) => {
    if (seen.has(candidate.userId) || !enabled.has(candidate.userId)) return false;
    seen.add(candidate.userId);
    return true;
  });
}
