import type { FeedbackItem } from '@meshboard/client';

/** Human names of the feedback kinds. */
export const kindLabel: Record<FeedbackItem['kind'], string> = {
  rating: 'Rating',
  comment: 'Comment',
  issue: 'Issue',
  feature_request: 'Feature request',
};

/** Human names of the states of issues and feature requests. */
export const stateLabel: Record<NonNullable<FeedbackItem['state']>, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  declined: 'Declined',
};

/** Which states an owner may move an item to from its current state (mirrors the server's rule). */
export const nextStates: Record<NonNullable<FeedbackItem['state']>, NonNullable<FeedbackItem['state']>[]> = {
  open: ['acknowledged', 'resolved', 'declined'],
  acknowledged: ['resolved', 'declined', 'open'],
  resolved: ['open'],
  declined: ['open'],
};

/** The action label of a move to `state`. */
export const stateAction: Record<NonNullable<FeedbackItem['state']>, string> = {
  open: 'Reopen',
  acknowledged: 'Acknowledge',
  resolved: 'Resolve',
  declined: 'Decline',
};

/** "4.3 ★" style text of an average, or a dash without ratings. */
export function formatAverage(average: number | null): string {
  return average === null ? '–' : average.toFixed(1);
}

/** A short, locale-formatted date and time. */
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
