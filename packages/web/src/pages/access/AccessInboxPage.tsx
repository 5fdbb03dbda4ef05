import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { AccessRequestToBacklog } from '../../components/access/AccessRequestToBacklog';
import { durationLabel, formatDateTime, statusLabel } from '../../components/access/accessLabels';
import type { AccessRequest } from '../../components/access/RequestAccessDialog';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import '../../components/access/access.css';

/** One pending request with the approve / reject form (a reason is required to reject). */
function DecisionItem({ request }: { request: AccessRequest }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      api.call('POST /api/access-requests/{id}/decision', { path: { id: request.id }, body: { decision, ...(reason.trim() === '' ? {} : { reason: reason.trim() }) } }, { ifMatch: `"v${request.version}"` }),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['access-requests'] });
      await queryClient.invalidateQueries({ queryKey: ['notifications'] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    decide.mutate(submitter instanceof HTMLButtonElement && submitter.value === 'reject' ? 'reject' : 'approve');
  };
  return (
    <li className="card access-item">
      <h3>
        {request.requester.name} <span className="muted">→ {request.product.name} · {request.port}</span>
      </h3>
      <dl>
        <dt>Requester</dt>
        <dd>{request.requester.email}</dd>
        <dt>Purpose</dt>
        <dd>{request.purpose}</dd>
        <dt>Duration</dt>
        <dd>{durationLabel(request.durationDays)}</dd>
        {request.dbRole !== null && (
          <>
            <dt>Database role</dt>
            <dd>
              <code>{request.dbRole}</code>
            </dd>
          </>
        )}
        <dt>Requested</dt>
        <dd>{formatDateTime(request.createdAt)}</dd>
        <dt>Approvers</dt>
        <dd>{request.approverSource === 'contract' ? `named by the contract: ${request.approvers.map((user) => user.name).join(', ')}` : "the domain's owners"}</dd>
      </dl>
      {request.canDecide ? (
        <form className="form decision-form" onSubmit={submit} aria-label={`Decide the request of ${request.requester.name}`}>
          <label>
            Reason
            <span className="form-hint" id={`${id}-hint`}>
              Required to reject; shown to the requester.
            </span>
            <textarea aria-describedby={`${id}-hint`} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={4000} />
          </label>
          {decide.isError && <ErrorState error={decide.error} />}
          <div className="form-actions">
            <button type="submit" name="decision" value="reject" className="button" disabled={decide.isPending}>
              Reject
            </button>
            <button type="submit" name="decision" value="approve" className="button button-primary" disabled={decide.isPending}>
              Approve
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">{statusLabel(request.status)}</p>
      )}
      <AccessRequestToBacklog request={request} />
    </li>
  );
}

/** The approver inbox: pending requests the user may decide (named approver, domain owner, admin). */
export function AccessInboxPage() {
  useTitle('Requests to decide');
  // Issue 6: decided requests stay reachable (a rejected one is often backlog evidence).
  const [status, setStatus] = useState<'pending' | 'rejected' | 'approved'>('pending');
  const inbox = useQuery({ queryKey: ['access-requests', 'inbox', status], queryFn: ({ signal }) => api.call('GET /api/access-requests', { query: { scope: 'inbox', status, limit: 100 } }, { signal }) });
  return (
    <>
      <div className="page-head">
        <h1>Requests to decide</h1>
        <nav aria-label="Access" className="access-nav">
          <Link to="/access/requests">My access requests</Link>
          <Link to="/access/subscriptions">My subscriptions</Link>
        </nav>
      </div>
      <label className="form-inline">
        Show{' '}
        <select value={status} onChange={(event) => setStatus(event.target.value as typeof status)}>
          <option value="pending">Waiting for a decision</option>
          <option value="rejected">Rejected</option>
          <option value="approved">Approved</option>
        </select>
      </label>
      {inbox.isPending ? (
        <Loading label="Loading requests…" />
      ) : inbox.isError ? (
        <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : inbox.data.items.length === 0 ? (
        <p className="empty">{status === 'pending' ? 'Nothing waits for your decision.' : `No ${status} requests.`}</p>
      ) : (
        <ul className="access-list">
          {inbox.data.items.map((request) => (
            <DecisionItem key={request.id} request={request} />
          ))}
        </ul>
      )}
    </>
  );
}
