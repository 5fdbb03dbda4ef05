import type { OperationResult } from '@meshboard/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { api } from '../../app/api';
import { formatDate, formatDateTime, statusLabel } from '../../components/access/accessLabels';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import '../../components/access/access.css';

type Subscription = OperationResult<'GET /api/subscriptions/{id}'>;

/** One subscription: status, period, the grant's outcome, and Revoke / Retry where allowed. */
function SubscriptionCard({ subscription, headingLevel = 3 }: { subscription: Subscription; headingLevel?: 2 | 3 }) {
  const queryClient = useQueryClient();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['subscriptions'] });
    await queryClient.invalidateQueries({ queryKey: ['subscription', subscription.id] });
  };
  const ifMatch = `"v${subscription.version}"`;
  const revoke = useMutation({ mutationFn: () => api.call('POST /api/subscriptions/{id}/revoke', { path: { id: subscription.id }, body: {} }, { ifMatch }), onSettled: refresh });
  const retry = useMutation({ mutationFn: () => api.call('POST /api/subscriptions/{id}/retry', { path: { id: subscription.id } }, { ifMatch }), onSettled: refresh });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="card access-item">
      <Heading>
        {subscription.product.name} <span className="muted">· {subscription.port}</span> <span className={`badge status-${subscription.status}`}>{statusLabel(subscription.status)}</span>
      </Heading>
      <dl>
        <dt>Consumer</dt>
        <dd>{subscription.consumer.name}</dd>
        <dt>Since</dt>
        <dd>{formatDate(subscription.startsAt)}</dd>
        {subscription.endedAt === null && (
          <>
            <dt>Ends</dt>
            <dd>{subscription.expiresAt === null ? 'when revoked' : formatDate(subscription.expiresAt)}</dd>
          </>
        )}
        <dt>Database grant</dt>
        <dd>
          {statusLabel(subscription.grant.status)}
          {subscription.dbRole !== null && (
            <>
              {' '}
              for <code>{subscription.dbRole}</code>
            </>
          )}
          {subscription.grant.target !== null && <div className="muted small">{subscription.grant.target}</div>}
          {subscription.grant.message !== null && <div className="muted small">{subscription.grant.message}</div>}
        </dd>
        {subscription.revoke !== null && (
          <>
            <dt>Database revoke</dt>
            <dd>
              {statusLabel(subscription.revoke.status)}
              {subscription.revoke.message !== null && <div className="muted small">{subscription.revoke.message}</div>}
            </dd>
          </>
        )}
        {subscription.endedAt !== null && (
          <>
            <dt>Ended</dt>
            <dd>
              {formatDateTime(subscription.endedAt)}
              {subscription.endedBy !== null && <> by {subscription.endedBy.name}</>}
              {subscription.endReason !== null && <>: “{subscription.endReason}”</>}
            </dd>
          </>
        )}
      </dl>
      <div className="form-actions">
        {headingLevel === 3 && (
          <Link to="/access/subscriptions/$subscriptionId" params={{ subscriptionId: subscription.id }} className="button">
            Details<span className="visually-hidden"> of {subscription.product.name} · {subscription.port}</span>
          </Link>
        )}
        {subscription.canRetry && (
          <button type="button" className="button" disabled={retry.isPending} onClick={() => retry.mutate()}>
            Retry {subscription.status === 'grant_failed' ? 'grant' : 'revoke'}
          </button>
        )}
        {subscription.canRevoke && (
          <button type="button" className="button" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
            Revoke access
          </button>
        )}
      </div>
      {revoke.isError && <ErrorState error={revoke.error} />}
      {retry.isError && <ErrorState error={retry.error} />}
    </div>
  );
}

/** "My subscriptions": access the user holds or held, newest first. */
export function SubscriptionsPage() {
  useTitle('My subscriptions');
  const subscriptions = useQuery({ queryKey: ['subscriptions', 'mine'], queryFn: ({ signal }) => api.call('GET /api/subscriptions', { query: { limit: 100 } }, { signal }) });
  return (
    <>
      <div className="page-head">
        <h1>My subscriptions</h1>
        <nav aria-label="Access" className="access-nav">
          <Link to="/access/requests">My access requests</Link>
          <Link to="/access/inbox">Requests to decide</Link>
        </nav>
      </div>
      {subscriptions.isPending ? (
        <Loading label="Loading your subscriptions…" />
      ) : subscriptions.isError ? (
        <ErrorState error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />
      ) : subscriptions.data.items.length === 0 ? (
        <p className="empty">
          No subscriptions yet: <Link to="/access/requests">request access</Link> to a data product's output port.
        </p>
      ) : (
        <ul className="access-list">
          {subscriptions.data.items.map((subscription) => (
            <li key={subscription.id}>
              <SubscriptionCard subscription={subscription} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** One subscription (the target of notification links). */
export function SubscriptionPage() {
  const { subscriptionId } = useParams({ strict: false }) as { subscriptionId: string };
  const subscription = useQuery({ queryKey: ['subscription', subscriptionId], queryFn: ({ signal }) => api.call('GET /api/subscriptions/{id}', { path: { id: subscriptionId } }, { signal }) });
  useTitle(subscription.data === undefined ? 'Subscription' : `${subscription.data.product.name} · ${subscription.data.port}`);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/access/subscriptions">My subscriptions</Link>
      </nav>
      <h1>Subscription</h1>
      {subscription.isPending ? (
        <Loading label="Loading the subscription…" />
      ) : subscription.isError ? (
        <ErrorState error={subscription.error} onRetry={() => void subscription.refetch()} />
      ) : (
        <SubscriptionCard subscription={subscription.data} headingLevel={2} />
      )}
    </>
  );
}
