import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../app/api';
import { durationLabel, formatDateTime, statusLabel } from '../../components/access/accessLabels';
import { PortAccess } from '../../components/access/PortAccess';
import type { AccessRequest } from '../../components/access/RequestAccessDialog';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';

/** Picks a product and one of its output ports, then shows the user's access to it or offers "Request access". */
function ProductPortPicker() {
  const [productId, setProductId] = useState('');
  const [port, setPort] = useState('');
  const products = useQuery({ queryKey: ['products', 'all'], queryFn: ({ signal }) => api.call('GET /api/products', { query: { limit: 500 } }, { signal }) });
  const product = useQuery({ queryKey: ['product', productId], enabled: productId !== '', queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }) });
  if (products.isPending) return <Loading label="Loading products…" />;
  if (products.isError) return <ErrorState error={products.error} onRetry={() => void products.refetch()} />;
  const ports = product.data?.outputPorts ?? [];
  const chosen = products.data.items.find((item) => item.id === productId);
  return (
    <div className="picker">
      <label>
        Data product
        <select
          value={productId}
          onChange={(event) => {
            setProductId(event.target.value);
            setPort('');
          }}
        >
          <option value="">Choose a product…</option>
          {products.data.items.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
              {item.status === 'deprecated' || item.status === 'retired' ? ` (${item.status})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        Output port
        <select value={port} onChange={(event) => setPort(event.target.value)} disabled={productId === '' || product.isPending}>
          <option value="">{productId === '' ? 'Choose a product first' : product.isPending ? 'Loading ports…' : 'Choose a port…'}</option>
          {ports.map((item) => (
            <option key={item.name} value={item.name}>
              {item.name}
            </option>
          ))}
        </select>
      </label>
      {chosen !== undefined && port !== '' && <PortAccess productId={chosen.id} port={port} productName={chosen.name} productStatus={chosen.status} />}
    </div>
  );
}

/** One request as its requester sees it, with "Withdraw" while it is pending. */
function RequestItem({ request, highlighted }: { request: AccessRequest; highlighted: boolean }) {
  const queryClient = useQueryClient();
  const withdraw = useMutation({
    mutationFn: () => api.call('POST /api/access-requests/{id}/withdraw', { path: { id: request.id } }, { ifMatch: `"v${request.version}"` }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['access-requests'] }),
  });
  return (
    <li className="card access-item" aria-current={highlighted ? 'true' : undefined}>
      <h3>
        {request.product.name} <span className="muted">· {request.port}</span> <span className={`badge status-${request.status}`}>{statusLabel(request.status)}</span>
      </h3>
      <dl>
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
        <dt>Approvers</dt>
        <dd>{request.approvers.length === 0 ? 'an administrator' : request.approvers.map((user) => user.name).join(', ')}</dd>
        <dt>Requested</dt>
        <dd>{formatDateTime(request.createdAt)}</dd>
        {request.decidedBy !== null && request.decidedAt !== null && (
          <>
            <dt>Decided</dt>
            <dd>
              {statusLabel(request.status)} by {request.decidedBy.name} on {formatDateTime(request.decidedAt)}
              {request.decisionReason !== null && <>: “{request.decisionReason}”</>}
            </dd>
          </>
        )}
      </dl>
      <div className="form-actions">
        {request.subscriptionId !== null && (
          <Link to="/access/subscriptions/$subscriptionId" params={{ subscriptionId: request.subscriptionId }} className="button">
            View subscription
          </Link>
        )}
        {request.canWithdraw && (
          <button type="button" className="button" disabled={withdraw.isPending} onClick={() => withdraw.mutate()}>
            Withdraw
          </button>
        )}
      </div>
      {withdraw.isError && <ErrorState error={withdraw.error} />}
    </li>
  );
}

/** "My access requests": every request the user filed, newest first, and a way to file a new one. */
export function AccessRequestsPage() {
  useTitle('My access requests');
  const search = useSearch({ strict: false }) as { request?: string };
  const requests = useQuery({ queryKey: ['access-requests', 'mine'], queryFn: ({ signal }) => api.call('GET /api/access-requests', { query: { scope: 'mine', limit: 100 } }, { signal }) });
  return (
    <>
      <div className="page-head">
        <h1>My access requests</h1>
        <nav aria-label="Access" className="access-nav">
          <Link to="/access/subscriptions">My subscriptions</Link>
          <Link to="/access/inbox">Requests to decide</Link>
        </nav>
      </div>
      <section className="card" aria-labelledby="new-request-heading">
        <h2 id="new-request-heading">Request access</h2>
        <ProductPortPicker />
      </section>
      <section aria-labelledby="requests-heading">
        <h2 id="requests-heading">Your requests</h2>
        {requests.isPending ? (
          <Loading label="Loading your requests…" />
        ) : requests.isError ? (
          <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />
        ) : requests.data.items.length === 0 ? (
          <p className="empty">You have not requested access to anything yet.</p>
        ) : (
          <ul className="access-list">
            {requests.data.items.map((request) => (
              <RequestItem key={request.id} request={request} highlighted={request.id === search.request} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
