import type { ProductLifecycle } from '@meshboard/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../ErrorState';

/**
 * The owner's deprecation panel (issue 6): deprecate with a sunset date and a replacement, watch what
 * still depends on the product (subscriptions, pending requests, consumers still reading) fall to zero,
 * then retire it — with an override reason while consumers remain. Every change sends the lifecycle's
 * ETag (If-Match); a stale one is refused and shown. Only rendered for owners (the API sends usage to them only).
 */
export function DeprecationPanel({ lifecycle, domainId }: { lifecycle: ProductLifecycle; domainId: string }) {
  const id = useId();
  const client = useQueryClient();
  const ifMatch = { ifMatch: `"v${lifecycle.version}"` };
  const done = (next: ProductLifecycle) => {
    client.setQueryData(['lifecycle', lifecycle.productId], next);
    // A status move touches the product, its changelog, lineage badges and search: refetch what is shown.
    void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'lifecycle' });
  };
  const plan = lifecycle.plan;
  const [sunsetDate, setSunsetDate] = useState(plan?.sunsetDate ?? '');
  const [replacement, setReplacement] = useState(plan?.replacement?.id ?? '');
  const [note, setNote] = useState(plan?.note ?? '');
  const [reason, setReason] = useState('');
  const candidates = useQuery({
    queryKey: ['products', 'domain', domainId, 'active'],
    queryFn: ({ signal }) => api.call('GET /api/products', { query: { domainId, status: 'active', limit: 500 } }, { signal }),
  });
  const deprecate = useMutation({
    mutationFn: () => api.call('PUT /api/products/{id}/lifecycle/deprecation', { path: { id: lifecycle.productId }, body: { sunsetDate, replacementProductId: replacement === '' ? null : replacement, note } }, ifMatch),
    onSuccess: done,
  });
  const withdraw = useMutation({ mutationFn: () => api.call('DELETE /api/products/{id}/lifecycle/deprecation', { path: { id: lifecycle.productId } }, ifMatch), onSuccess: done });
  const retire = useMutation({
    mutationFn: () => api.call('POST /api/products/{id}/lifecycle/retire', { path: { id: lifecycle.productId }, body: reason.trim() === '' ? {} : { override: { reason } } }, ifMatch),
    onSuccess: done,
  });
  const usage = lifecycle.usage;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    deprecate.mutate();
  };
  const dependents = usage === null ? 0 : usage.liveSubscriptions;
  return (
    <div className="deprecation-panel">
      {usage !== null && (
        <dl className="deprecation-figures" aria-label="What still depends on this product">
          <div>
            <dt>Live subscriptions</dt>
            <dd>{usage.liveSubscriptions}</dd>
          </div>
          <div>
            <dt>Pending access requests</dt>
            <dd>{usage.pendingRequests}</dd>
          </div>
          <div>
            <dt>Usage events, last 30 days</dt>
            <dd>{usage.eventsLast30Days}</dd>
          </div>
          <div>
            <dt>Consumers still reading (7 days)</dt>
            <dd>{usage.consumersStillReading.length}</dd>
          </div>
        </dl>
      )}
      {usage !== null && usage.consumersStillReading.length > 0 && (
        <>
          <h3 className="small-heading">Still reading</h3>
          <ul className="list">
            {usage.consumersStillReading.map((consumer) => (
              <li key={consumer.consumer}>
                <strong>{consumer.consumer}</strong> <span className="muted small">{consumer.events} events, last on {consumer.lastDay}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {usage !== null && usage.subscribers.length > 0 && (
        <>
          <h3 className="small-heading">Subscribers</h3>
          <ul className="list">
            {usage.subscribers.map((subscriber) => (
              <li key={subscriber.subscriptionId}>
                {subscriber.consumerName} <span className="muted small">port {subscriber.port} · {subscriber.status}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {lifecycle.status === 'retired' ? (
        <p>
          Retired{lifecycle.retirement === null ? '' : ` on ${lifecycle.retirement.retiredAt.slice(0, 10)}`}
          {lifecycle.retirement?.overrideReason == null ? '.' : `, with consumers still subscribed: ${lifecycle.retirement.overrideReason}`}
        </p>
      ) : lifecycle.status === 'active' || lifecycle.status === 'deprecated' ? (
        <form className="form" onSubmit={submit} aria-labelledby={`${id}-plan`}>
          <h3 id={`${id}-plan`} className="small-heading">
            {lifecycle.status === 'active' ? 'Deprecate this product' : 'Deprecation plan'}
          </h3>
          <label>
            Sunset date
            <span className="form-hint" id={`${id}-sunset-hint`}>
              The last day consumers can rely on it; they are reminded a week before.
            </span>
            <input type="date" required aria-describedby={`${id}-sunset-hint`} value={sunsetDate} onChange={(event) => setSunsetDate(event.target.value)} />
          </label>
          <label>
            Replacement (optional)
            <select value={replacement} onChange={(event) => setReplacement(event.target.value)}>
              <option value="">No replacement</option>
              {(candidates.data?.items ?? [])
                .filter((product) => product.id !== lifecycle.productId)
                .map((product) => (
                  <option key={product.id} value={product.id}>
                    {product.name}
                  </option>
                ))}
            </select>
          </label>
          <label>
            Note to consumers (optional)
            <textarea value={note} maxLength={2000} onChange={(event) => setNote(event.target.value)} />
          </label>
          {deprecate.isError && <ErrorState error={deprecate.error} />}
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={deprecate.isPending}>
              {lifecycle.status === 'active' ? 'Deprecate and notify subscribers' : 'Save the plan'}
            </button>
            {lifecycle.status === 'deprecated' && (
              <button type="button" className="button" disabled={withdraw.isPending} onClick={() => withdraw.mutate()}>
                Withdraw the deprecation
              </button>
            )}
          </div>
          {withdraw.isError && <ErrorState error={withdraw.error} />}
        </form>
      ) : (
        <p className="muted">A {lifecycle.status} product is deprecated only once it is active.</p>
      )}
      {lifecycle.status === 'deprecated' && (
        <form
          className="form retire-form"
          onSubmit={(event) => {
            event.preventDefault();
            retire.mutate();
          }}
          aria-labelledby={`${id}-retire`}
        >
          <h3 id={`${id}-retire`} className="small-heading">
            Retire
          </h3>
          {dependents > 0 ? (
            <label>
              Override reason
              <span className="form-hint" id={`${id}-reason-hint`}>
                {dependents} subscription{dependents === 1 ? ' is' : 's are'} still live. Retiring now needs a reason; it is kept in the audit log.
              </span>
              <textarea aria-describedby={`${id}-reason-hint`} value={reason} maxLength={2000} onChange={(event) => setReason(event.target.value)} />
            </label>
          ) : (
            <p className="small">Nobody subscribes any more: the product can be retired.</p>
          )}
          {retire.isError && <ErrorState error={retire.error} />}
          <div className="form-actions">
            <button type="submit" className="button button-danger" disabled={retire.isPending}>
              {dependents > 0 ? 'Retire with override' : 'Retire'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
