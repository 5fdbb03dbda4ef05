/** URL state of the feedback inbox; kept out of the page so the router can validate it without loading the page. */
import type { FeedbackItem } from '@meshboard/client';

/** The feedback kinds and states, in display order. */
export const inboxKinds: FeedbackItem['kind'][] = ['issue', 'feature_request', 'comment', 'rating'];
export const inboxStates: NonNullable<FeedbackItem['state']>[] = ['open', 'acknowledged', 'resolved', 'declined'];

/** The inbox filters as they appear in the URL (so a filtered view can be bookmarked and shared). */
export interface InboxFilters {
  /** The kind (`show` in the URL: `kind` is taken by the search page with other values). */
  show?: FeedbackItem['kind'];
  state?: NonNullable<FeedbackItem['state']>;
  productId?: string;
  unread?: boolean;
}

/** Reads the inbox filters from the URL's search part, dropping anything that is not a valid value. */
export function inboxFilters(search: Record<string, unknown>): InboxFilters {
  const show = inboxKinds.find((value) => value === search.show);
  const state = inboxStates.find((value) => value === search.state);
  return {
    ...(show === undefined ? {} : { show }),
    ...(state === undefined ? {} : { state }),
    ...(typeof search.productId === 'string' && search.productId !== '' ? { productId: search.productId } : {}),
    ...(search.unread === true || search.unread === 'true' ? { unread: true } : {}),
  };
}
