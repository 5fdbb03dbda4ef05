import type { AccessRequest } from '@meshboard/client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../ErrorState';

/**
 * Files an access request into the product's backlog as a request item with the access request as its
 * evidence (issue 6), attributed to the requester's (first) team so the reach suggestion counts that
 * consuming team — like feedback's "Add to backlog". Useful for rejected requests and for requests
 * asking for data the port lacks. For the product's owners; the server authorises.
 */
export function AccessRequestToBacklog({ request }: { request: AccessRequest }) {
  const requester = useQuery({
    queryKey: ['user', request.requester.id],
    queryFn: ({ signal }) => api.call('GET /api/users/{id}', { path: { id: request.requester.id } }, { signal }),
  });
  const add = useMutation({
    mutationFn: () => {
      const teamId = requester.data?.teamIds[0] ?? null;
      const decided = request.status === 'rejected' ? ` (rejected${request.decisionReason === null ? '' : `: ${request.decisionReason}`})` : '';
      return api.call('POST /api/products/{id}/backlog', {
        path: { id: request.product.id },
        body: {
          kind: 'request',
          title: `Access need: ${request.purpose.split('\n')[0] ?? ''}`.slice(0, 200),
          description: `${request.requester.name} asked for port ${request.port}${decided}.\n\nPurpose: ${request.purpose}`,
          requesterTeamId: teamId,
          evidence: [{ kind: 'access-request', ref: request.id, note: `Access request by ${request.requester.name} for port ${request.port}${decided}`, teamId }],
        },
      });
    },
  });
  if (add.isSuccess) {
    return (
      <p className="small">
        Added as{' '}
        <Link to="/products/$productId/backlog" params={{ productId: request.product.id }} search={{ item: add.data.id }}>
          backlog item #{add.data.number}
        </Link>
      </p>
    );
  }
  return (
    <>
      <button type="button" className="button" disabled={add.isPending || requester.isPending} onClick={() => add.mutate()}>
        {add.isPending ? 'Adding…' : 'Add to backlog'}
      </button>
      {add.isError && <ErrorState error={add.error} />}
    </>
  );
}
