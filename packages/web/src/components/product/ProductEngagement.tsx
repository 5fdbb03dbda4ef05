import type { Product } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { formatDate } from '../access/accessLabels';
import { PortAccess } from '../access/PortAccess';
import { Loading } from '../Loading';

/**
 * The consumer side of a product page: access per output port (request, pending, or live), the active
 * subscriptions (every consumer for the product's owners and admins; only one's own for anyone else, as
 * the API decides). Feedback is a section of its own beside it (see ProductFeedback).
 */
export function ProductEngagement({ product }: { product: Product }) {
  const subscribers = useQuery({
    queryKey: ['subscriptions', 'product', product.id, 'active'],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}/subscriptions', { path: { id: product.id }, query: { status: 'active', limit: 500 } }, { signal }),
  });
  return (
    <div className="columns">
        <div>
          <h3>Access</h3>
          {product.outputPorts.length === 0 ? (
            <p className="empty">This product has no output port to request access to.</p>
          ) : (
            <ul className="list">
              {product.outputPorts.map((port) => (
                <li key={port.name}>
                  <strong>{port.name}</strong>
                  <PortAccess productId={product.id} port={port.name} productName={product.name} productStatus={product.status} />
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>Subscribers</h3>
          {subscribers.isPending ? (
            <Loading label="Loading subscribers…" />
          ) : subscribers.isError || subscribers.data.items.length === 0 ? (
            <p className="empty">{subscribers.isError ? 'Subscribers could not be loaded.' : 'No active subscriptions you can see.'}</p>
          ) : (
            <ul className="list" aria-label="Active subscriptions">
              {subscribers.data.items.map((subscription) => (
                <li key={subscription.id}>
                  <Link to="/access/subscriptions/$subscriptionId" params={{ subscriptionId: subscription.id }}>
                    {subscription.consumer.name}
                  </Link>{' '}
                  <span className="small muted">
                    {subscription.port} · {subscription.expiresAt === null ? 'until revoked' : `until ${formatDate(subscription.expiresAt)}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
    </div>
  );
}
