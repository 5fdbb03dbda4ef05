import type { FeedbackThread } from '@meshboard/client';
import { useMutation } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../ErrorState';

/**
 * Turns an issue report or feature request into an item of the product's backlog (defect or request),
 * with the feedback as its evidence and the reporter's team as the team it speaks for, so the backlog's
 * reach suggestion counts it. For owners; the server authorises. After success it links to the item.
 */
export function AddToBacklog({ thread }: { thread: FeedbackThread }) {
  const add = useMutation({
    mutationFn: () =>
      api.call('POST /api/products/{id}/backlog', {
        path: { id: thread.productId },
        body: {
          kind: thread.kind === 'issue' ? 'defect' : 'request',
          title: (thread.title || thread.body.split('\n')[0] || 'Consumer feedback').slice(0, 200),
          description: thread.body,
          evidence: [{ kind: 'feedback', ref: thread.id, note: `From ${thread.author?.name ?? 'a consumer'}'s ${thread.kind === 'issue' ? 'issue report' : 'feature request'}`, teamId: thread.team?.id ?? null }],
        },
      }),
  });
  if (add.isSuccess) {
    return (
      <p className="small">
        Added as{' '}
        <Link to="/products/$productId/backlog" params={{ productId: thread.productId }} search={{ item: add.data.id }}>
          backlog item #{add.data.number}
        </Link>
      </p>
    );
  }
  return (
    <>
      <button type="button" className="button" disabled={add.isPending} onClick={() => add.mutate()}>
        {add.isPending ? 'Adding…' : 'Add to backlog'}
      </button>
      {add.isError && <ErrorState error={add.error} />}
    </>
  );
}
