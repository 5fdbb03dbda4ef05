import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { Loading } from '../Loading';
import { formatDate, statusLabel } from './accessLabels';
import { RequestAccessButton } from './RequestAccessButton';

/** Props of {@link PortAccess}. */
export interface PortAccessProps {
  productId: string;
  port: string;
  productName?: string;
  productStatus?: string;
}

/**
 * The signed-in user's access to one output port, for the product page: a live subscription ("Access
 * active until …"), else a pending request, else the "Request access" button. Reads
 * `GET /api/products/{id}/subscriptions` (the user's own for consumers) and the user's pending requests.
 */
export function PortAccess({ productId, port, productName, productStatus }: PortAccessProps) {
  const subscriptions = useQuery({ queryKey: ['subscriptions', 'product', productId], queryFn: ({ signal }) => api.call('GET /api/products/{id}/subscriptions', { path: { id: productId }, query: { limit: 500 } }, { signal }) });
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => api.call('GET /api/me', undefined, { signal }) });
  const pending = useQuery({ queryKey: ['access-requests', 'mine', 'pending'], queryFn: ({ signal }) => api.call('GET /api/access-requests', { query: { scope: 'mine', status: 'pending', limit: 500 } }, { signal }) });
  if (subscriptions.isPending || me.isPending || pending.isPending) return <Loading label="Checking your access…" />;
  const live = subscriptions.data?.items.find((item) => item.port === port && item.consumer.id === me.data?.id && (item.status === 'active' || item.status === 'granting' || item.status === 'grant_failed'));
  if (live !== undefined) {
    return (
      <p>
        <span className={`badge status-${live.status}`}>{statusLabel(live.status)}</span>{' '}
        <Link to="/access/subscriptions/$subscriptionId" params={{ subscriptionId: live.id }}>
          Your access {live.expiresAt === null ? 'until revoked' : `until ${formatDate(live.expiresAt)}`}
        </Link>
      </p>
    );
  }
  const request = pending.data?.items.find((item) => (item.product.id === productId || item.product.externalId === productId) && item.port === port);
  if (request !== undefined) {
    return (
      <p>
        <span className="badge">pending</span>{' '}
        <Link to="/access/requests" search={{ request: request.id }}>
          Your request is waiting for a decision
        </Link>
      </p>
    );
  }
  return <RequestAccessButton productId={productId} port={port} {...(productName === undefined ? {} : { productName })} {...(productStatus === undefined ? {} : { productStatus })} />;
}
