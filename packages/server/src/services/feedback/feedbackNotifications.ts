import type { Kysely } from 'kysely';
import type { Database } from '../../store/Database';
import { notify, type NotificationInput } from '../NotificationService';
import { feedbackEvents, type FeedbackRecipient } from './feedbackEvents';
import type { FeedbackEvent } from './FeedbackService';

const kindWords: Record<string, string> = { rating: 'rating', comment: 'comment', issue: 'issue report', feature_request: 'feature request' };

/**
 * Delivers a committed feedback event as in-app notifications to the users {@link feedbackEvents} names:
 * owners hear of new feedback (linked to their inbox), reporters and participants of replies, reporters
 * and voters of state changes (with the owner's reason). Runs after the feedback write committed, in its
 * own statement: a failure here loses a notification, never the feedback. Returns how many were written.
 */
export async function deliverFeedbackNotifications(db: Kysely<Database>, event: FeedbackEvent): Promise<number> {
  const recipients = await feedbackEvents(db, event);
  if (recipients.length === 0) return 0;
  const item = await db
    .selectFrom('feedback as f')
    .innerJoin('products as p', 'p.id', 'f.product_id')
    .leftJoin('feedback as root', 'root.id', 'f.thread_id')
    .select(['f.id', 'f.kind', 'f.title', 'f.state', 'f.state_reason', 'f.thread_id', 'p.id as product_id', 'p.name as product_name', 'root.title as root_title', 'root.kind as root_kind'])
    .where('f.id', '=', event.feedbackId)
    .executeTakeFirst();
  if (item === undefined) return 0;
  const threadTitle = (item.thread_id === null ? item.title : item.root_title) || kindWords[item.thread_id === null ? item.kind : (item.root_kind ?? 'comment')] || 'feedback';
  const productLink = `/products/${item.product_id}/feedback`;
  const message = (recipient: FeedbackRecipient): NotificationInput => {
    const base = { userId: recipient.userId, entityType: 'feedback', entityId: item.thread_id ?? item.id };
    if (event.type === 'created') {
      return { ...base, kind: 'feedback.created', title: `New ${kindWords[item.kind] ?? 'feedback'} on ${item.product_name}${item.title === '' ? '' : `: ${item.title}`}`, link: '/inbox/feedback' };
    }
    if (event.type === 'replied') {
      return { ...base, kind: 'feedback.reply', title: `New reply on “${threadTitle}” (${item.product_name})`, link: recipient.reason === 'owner' ? '/inbox/feedback' : productLink };
    }
    const state = item.state ?? 'changed';
    return { ...base, kind: 'feedback.state', title: `“${threadTitle}” on ${item.product_name} is now ${state}`, body: item.state_reason ?? '', link: productLink };
  };
  await notify(db, recipients.map(message));
  return recipients.length;
}
