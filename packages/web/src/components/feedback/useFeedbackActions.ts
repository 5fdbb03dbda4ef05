import type { FeedbackCreate, FeedbackItem } from '@meshboard/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api';

/** The query keys of feedback data; every mutation refreshes all of them (lists, summary, inbox). */
export const feedbackKeys = {
  all: ['feedback'] as const,
  list: (productId: string, kind: string) => ['feedback', 'list', productId, kind] as const,
  summary: (productId: string) => ['feedback', 'summary', productId] as const,
  options: (productId: string) => ['feedback', 'options', productId] as const,
  inbox: (filters: object) => ['feedback', 'inbox', filters] as const,
};

const ifMatch = (item: Pick<FeedbackItem, 'version'>) => ({ ifMatch: `"v${item.version}"` });

/**
 * The feedback writes as mutations. Changes of existing items send the version the user saw as
 * If-Match, so an item someone else changed meanwhile is refused (412) instead of overwritten.
 */
export function useFeedbackActions() {
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: feedbackKeys.all });
  return {
    create: useMutation({ mutationFn: ({ productId, body }: { productId: string; body: FeedbackCreate }) => api.call('POST /api/products/{id}/feedback', { path: { id: productId }, body }), onSuccess }),
    update: useMutation({
      mutationFn: ({ item, patch }: { item: FeedbackItem; patch: { rating?: number; title?: string; body?: string } }) => api.call('PATCH /api/feedback/{id}', { path: { id: item.id }, body: patch }, ifMatch(item)),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (item: FeedbackItem) => api.call('DELETE /api/feedback/{id}', { path: { id: item.id } }, ifMatch(item)), onSuccess }),
    changeState: useMutation({
      mutationFn: ({ item, state, reason }: { item: FeedbackItem; state: NonNullable<FeedbackItem['state']>; reason?: string }) =>
        api.call('POST /api/feedback/{id}/state', { path: { id: item.id }, body: reason === undefined || reason.trim() === '' ? { state } : { state, reason } }, ifMatch(item)),
      onSuccess,
    }),
    vote: useMutation({
      mutationFn: (item: FeedbackItem) => (item.voted ? api.call('DELETE /api/feedback/{id}/vote', { path: { id: item.id } }) : api.call('PUT /api/feedback/{id}/vote', { path: { id: item.id } })),
      onSuccess,
    }),
    markRead: useMutation({ mutationFn: (item: FeedbackItem) => api.call('POST /api/feedback/{id}/read', { path: { id: item.id } }), onSuccess }),
  };
}
