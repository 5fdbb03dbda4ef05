import type { DataDemand } from '@meshboard/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { DemandWhere } from './DemandCard';
import { demandStateLabel } from './crossDomainSearch';
import { useSeesDemandInbox } from './useSeesDemandInbox';
import './crossDomain.css';

const route = getRouteApi('/authed/demands/$demandId');
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * One request for data: what was asked, where it stands (the requester follows it here), "me too" for
 * other consumers, and for administrators and domain owners the triage: assign to a domain, accept into
 * a product's backlog, decline with a reason, or merge a duplicate into it.
 */
export function DemandPage() {
  const { demandId } = route.useParams();
  const queryClient = useQueryClient();
  const demand = useQuery({ queryKey: ['demand', demandId], queryFn: ({ signal }) => api.call('GET /api/demands/{id}', { path: { id: demandId } }, { signal }) });
  const vote = useQuery({ queryKey: ['demand', demandId, 'vote'], queryFn: ({ signal }) => api.call('GET /api/demands/{id}/vote', { path: { id: demandId } }, { signal }) });
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => api.call('GET /api/me', undefined, { signal }) });
  const triager = useSeesDemandInbox();
  useTitle(demand.data?.title ?? 'Request for data');
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['demand', demandId] });
    await queryClient.invalidateQueries({ queryKey: ['demands'] });
  };
  const toggleVote = useMutation({
    mutationFn: (on: boolean) => (on ? api.call('PUT /api/demands/{id}/vote', { path: { id: demandId } }) : api.call('DELETE /api/demands/{id}/vote', { path: { id: demandId } })),
    onSuccess: refresh,
  });
  if (demand.isPending) return <Loading label="Loading the request…" />;
  if (demand.isError) return <ErrorState error={demand.error} onRetry={() => void demand.refetch()} />;
  const current = demand.data;
  const live = current.state === 'open' || current.state === 'assigned';
  const mine = me.data?.id === current.requester.userId;
  return (
    <>
      <p className="small">
        <Link to={triager ? '/demands' : '/demands/mine'} search={{}}>
          ← {triager ? 'Demand inbox' : 'My requests'}
        </Link>
      </p>
      <h1>{current.title}</h1>
      <p className="demand-meta">
        <span className={live ? 'badge badge-accent' : 'badge'}>{demandStateLabel[current.state]}</span>
        <span className="muted small">
          asked by {current.requester.label}
          {current.requester.teamName !== null && <> for {current.requester.teamName}</>} on {dateFormat.format(new Date(current.createdAt))}
        </span>
      </p>
      <DemandWhere demand={current} />
      <section className="card" aria-labelledby="demand-what">
        <h2 id="demand-what">What and why</h2>
        <dl className="xd-facts">
          <dt>Use case</dt>
          <dd>{current.useCase}</dd>
          {current.description !== '' && (
            <>
              <dt>Details</dt>
              <dd>{current.description}</dd>
            </>
          )}
          {current.desiredFields.length > 0 && (
            <>
              <dt>Fields</dt>
              <dd>{current.desiredFields.join(', ')}</dd>
            </>
          )}
          {current.freshness !== '' && (
            <>
              <dt>Freshness</dt>
              <dd>{current.freshness}</dd>
            </>
          )}
        </dl>
        <div className="xd-row">
          <span>
            {current.votes} other consumer{current.votes === 1 ? '' : 's'} said “me too”
          </span>
          {live && !mine && vote.data !== undefined && (
            <button type="button" className="button" aria-pressed={vote.data.voted} disabled={toggleVote.isPending} onClick={() => toggleVote.mutate(!vote.data.voted)}>
              {vote.data.voted ? 'Withdraw “me too”' : 'Me too'}
            </button>
          )}
        </div>
        {toggleVote.isError && <ErrorState error={toggleVote.error} />}
      </section>
      {triager && live && <TriageActions demand={current} onDone={refresh} />}
    </>
  );
}

function TriageActions({ demand, onDone }: { demand: DataDemand; onDone: () => Promise<void> }) {
  const id = useId();
  const queryClient = useQueryClient();
  const domains = useQuery({ queryKey: ['domains', 'all'], queryFn: ({ signal }) => api.call('GET /api/domains', { query: { limit: 500 } }, { signal }) });
  const products = useQuery({ queryKey: ['products', 'all'], queryFn: ({ signal }) => api.call('GET /api/products', { query: { limit: 500 } }, { signal }) });
  const others = useQuery({ queryKey: ['demands', { mine: false, state: undefined }, 'merge'], queryFn: ({ signal }) => api.call('GET /api/demands', { query: { limit: 100 } }, { signal }) });
  const [domainId, setDomainId] = useState(demand.domain?.id ?? '');
  const [productId, setProductId] = useState('');
  const [reason, setReason] = useState('');
  const [duplicateId, setDuplicateId] = useState('');
  const ifMatch = { ifMatch: `"v${demand.version}"` };
  const after = async (updated: DataDemand) => {
    queryClient.setQueryData(['demand', demand.id], updated);
    await onDone();
  };
  const triage = useMutation({ mutationFn: (body: { domainId?: string; productId?: string }) => api.call('POST /api/demands/{id}/triage', { path: { id: demand.id }, body }, ifMatch), onSuccess: after });
  const decline = useMutation({ mutationFn: () => api.call('POST /api/demands/{id}/decline', { path: { id: demand.id }, body: { reason } }, ifMatch), onSuccess: after });
  const merge = useMutation({ mutationFn: () => api.call('POST /api/demands/{id}/merge', { path: { id: demand.id }, body: { duplicateId } }, ifMatch), onSuccess: after });
  const onSubmit = (action: () => void) => (event: FormEvent) => {
    event.preventDefault();
    action();
  };
  const domainName = (domainIdOf: string) => domains.data?.items.find((domain) => domain.id === domainIdOf)?.name ?? '';
  const candidates = (products.data?.items ?? []).filter((product) => domainId === '' || product.domainId === domainId);
  const duplicates = (others.data?.items ?? []).filter((other) => other.id !== demand.id && (other.state === 'open' || other.state === 'assigned'));
  return (
    <section aria-labelledby={`${id}-triage`}>
      <h2 id={`${id}-triage`}>Triage</h2>
      <div className="demand-actions">
        <form className="form card" onSubmit={onSubmit(() => triage.mutate(productId === '' ? { domainId } : { productId }))} aria-label="Assign or accept">
          <label htmlFor={`${id}-domain`}>
            Domain
            <select id={`${id}-domain`} value={domainId} onChange={(event) => { setDomainId(event.target.value); setProductId(''); }}>
              <option value="">Choose a domain…</option>
              {(domains.data?.items ?? []).map((domain) => (
                <option key={domain.id} value={domain.id}>
                  {domain.name}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor={`${id}-product`}>
            Product backlog <span className="muted small">(leave empty to let the domain pick)</span>
            <select id={`${id}-product`} value={productId} onChange={(event) => setProductId(event.target.value)}>
              <option value="">— the domain decides —</option>
              {candidates.map((product) => (
                <option key={product.id} value={product.id}>
                  {domainName(product.domainId)} · {product.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button-primary" disabled={triage.isPending || (domainId === '' && productId === '')}>
            {productId === '' ? 'Assign to domain' : 'Accept into backlog'}
          </button>
          {triage.isError && <ErrorState error={triage.error} />}
        </form>
        <form className="form card" onSubmit={onSubmit(() => decline.mutate())} aria-label="Decline">
          <label htmlFor={`${id}-reason`}>
            Decline with a reason <span className="muted small">(the requester reads it)</span>
            <textarea id={`${id}-reason`} required rows={3} maxLength={2000} value={reason} onChange={(event) => setReason(event.target.value)} />
          </label>
          <button type="submit" className="button" disabled={decline.isPending || reason.trim() === ''}>
            Decline
          </button>
          {decline.isError && <ErrorState error={decline.error} />}
        </form>
        {duplicates.length > 0 && (
          <form className="form card" onSubmit={onSubmit(() => merge.mutate())} aria-label="Merge a duplicate">
            <label htmlFor={`${id}-duplicate`}>
              Merge a duplicate into this request <span className="muted small">(its askers count as “me too”)</span>
              <select id={`${id}-duplicate`} required value={duplicateId} onChange={(event) => setDuplicateId(event.target.value)}>
                <option value="">Choose a request…</option>
                {duplicates.map((other) => (
                  <option key={other.id} value={other.id}>
                    {other.title} ({other.requester.label})
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button" disabled={merge.isPending || duplicateId === ''}>
              Merge
            </button>
            {merge.isError && <ErrorState error={merge.error} />}
          </form>
        )}
      </div>
    </section>
  );
}
