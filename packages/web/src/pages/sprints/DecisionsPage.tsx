import type { Decision } from '@meshboard/client';
import { decisionStatuses, type DecisionStatus } from '@meshboard/model';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { useCanTriage } from '../backlog/useCanTriage';
import { decisionStatusLabels, linesOf } from './sprintLabels';
import '../backlog/backlog.css';
import './sprints.css';

const route = getRouteApi('/authed/products/$productId/decisions');

/** A product's decision log: trade-off records linked to backlog items, newest first, and the form to record one. */
export function DecisionsPage() {
  const { productId } = route.useParams();
  const [status, setStatus] = useState<DecisionStatus | ''>('');
  const product = useQuery({ queryKey: ['product', productId], queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }) });
  const decisions = useQuery({ queryKey: ['decisions', productId, status], queryFn: ({ signal }) => api.call('GET /api/products/{id}/decisions', { path: { id: productId }, query: status === '' ? {} : { status } }, { signal }) });
  useTitle(product.data === undefined ? 'Decision log' : `Decision log · ${product.data.name}`);
  const canWrite = useCanTriage(product.data?.domainId ?? '');
  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.isError) return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span> <a href={`/products/${encodeURIComponent(productId)}`}>{product.data.name}</a> <span aria-hidden="true">/</span> <span aria-current="page">Decision log</span>
      </nav>
      <h1>Decision log: {product.data.name}</h1>
      <p>
        <Link to="/products/$productId/backlog" params={{ productId }}>
          Backlog
        </Link>{' '}
        ·{' '}
        <Link to="/products/$productId/sprints" params={{ productId }}>
          Sprints
        </Link>
      </p>
      <label className="inline-field">
        Status
        <select value={status} onChange={(event) => setStatus(event.target.value as DecisionStatus | '')}>
          <option value="">all</option>
          {decisionStatuses.map((s) => (
            <option key={s} value={s}>
              {decisionStatusLabels[s]}
            </option>
          ))}
        </select>
      </label>
      {decisions.isPending ? (
        <Loading label="Loading the decisions…" />
      ) : decisions.isError ? (
        <ErrorState error={decisions.error} onRetry={() => void decisions.refetch()} />
      ) : decisions.data.items.length === 0 ? (
        <p className="empty">No decisions recorded.</p>
      ) : (
        <ul className="decision-list" aria-label="Decisions">
          {decisions.data.items.map((decision) => (
            <li key={decision.id}>
              <DecisionCard decision={decision} all={decisions.data.items} canWrite={canWrite} productId={productId} />
            </li>
          ))}
        </ul>
      )}
      {canWrite && <RecordDecision productId={productId} />}
    </>
  );
}

function DecisionCard({ decision, all, canWrite, productId }: { decision: Decision; all: Decision[]; canWrite: boolean; productId: string }) {
  const queryClient = useQueryClient();
  const successor = all.find((other) => other.id === decision.supersededById);
  const accept = useMutation({
    mutationFn: () => api.call('PATCH /api/decisions/{id}', { path: { id: decision.id }, body: { status: 'accepted' } }, { ifMatch: `"v${decision.version}"` }),
    onSettled: async () => queryClient.invalidateQueries({ queryKey: ['decisions', productId] }),
  });
  return (
    <article className="card" aria-labelledby={`decision-${decision.id}`}>
      <h2 id={`decision-${decision.id}`}>
        D{decision.number}: <span className={decision.status === 'superseded' ? 'status-superseded' : undefined}>{decision.title}</span>
      </h2>
      <p className="meta">
        <span className="badge">{decisionStatusLabels[decision.status]}</span> {decision.decidedOn ?? 'no date'}
        {decision.deciders.length > 0 && <> · decided by {decision.deciders.join(', ')}</>}
        {successor !== undefined && <> · superseded by D{successor.number}</>}
      </p>
      {decision.context !== '' && (
        <>
          <h3>Context</h3>
          <p>{decision.context}</p>
        </>
      )}
      {decision.options.length > 0 && (
        <>
          <h3>Options considered</h3>
          <ul>
            {decision.options.map((option) => (
              <li key={option.title}>
                <strong>{option.title}</strong>
                {option.pros !== '' && <> — for: {option.pros}</>}
                {option.cons !== '' && <> — against: {option.cons}</>}
              </li>
            ))}
          </ul>
        </>
      )}
      {decision.decision !== '' && (
        <>
          <h3>Decision</h3>
          <p>{decision.decision}</p>
        </>
      )}
      {decision.consequences !== '' && (
        <>
          <h3>Consequences</h3>
          <p>{decision.consequences}</p>
        </>
      )}
      {decision.items.length > 0 && (
        <p>
          Linked items:{' '}
          {decision.items.map((item, index) => (
            <span key={item.id}>
              {index > 0 && ', '}
              <Link to="/products/$productId/backlog" params={{ productId: decision.productId }} search={{ item: item.id }}>
                #{item.number} {item.title}
              </Link>
            </span>
          ))}
        </p>
      )}
      {canWrite && decision.status === 'proposed' && (
        <button type="button" className="button" onClick={() => accept.mutate()} disabled={accept.isPending}>
          Accept D{decision.number}
        </button>
      )}
      {accept.isError && <ErrorState error={accept.error} />}
    </article>
  );
}

function RecordDecision({ productId }: { productId: string }) {
  const queryClient = useQueryClient();
  const items = useQuery({ queryKey: ['backlog', productId, 'all-for-decisions'], queryFn: ({ signal }) => api.call('GET /api/products/{id}/backlog', { path: { id: productId }, query: { limit: 200 } }, { signal }) });
  const [title, setTitle] = useState('');
  const [context, setContext] = useState('');
  const [options, setOptions] = useState('');
  const [decision, setDecision] = useState('');
  const [consequences, setConsequences] = useState('');
  const [status, setStatus] = useState<DecisionStatus>('proposed');
  const [decidedOn, setDecidedOn] = useState('');
  const [deciders, setDeciders] = useState('');
  const [linked, setLinked] = useState<string[]>([]);
  const record = useMutation({
    mutationFn: () =>
      api.call('POST /api/products/{id}/decisions', {
        path: { id: productId },
        body: {
          title,
          context,
          options: linesOf(options).map((line) => {
            const [name = line, pros = '', cons = ''] = line.split('|').map((part) => part.trim());
            return { title: name, pros, cons };
          }),
          decision,
          consequences,
          status,
          decidedOn: decidedOn === '' ? null : decidedOn,
          deciders: deciders
            .split(',')
            .map((name) => name.trim())
            .filter((name) => name !== ''),
          itemIds: linked,
        },
      }),
    onSuccess: async () => {
      setTitle('');
      setContext('');
      setOptions('');
      setDecision('');
      setConsequences('');
      setLinked([]);
      await queryClient.invalidateQueries({ queryKey: ['decisions', productId] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate();
  };
  return (
    <section className="card" aria-labelledby="record-heading">
      <h2 id="record-heading">Record a decision</h2>
      <form className="form" onSubmit={submit}>
        {record.isError && <ErrorState error={record.error} />}
        {record.isSuccess && <p role="status">Recorded as D{record.data.number}.</p>}
        <label>
          Title
          <input required value={title} onChange={(event) => setTitle(event.target.value)} />
        </label>
        <label>
          Context
          <textarea rows={3} value={context} onChange={(event) => setContext(event.target.value)} />
        </label>
        <label>
          Options considered (one per line: option | for | against)
          <textarea rows={3} value={options} onChange={(event) => setOptions(event.target.value)} />
        </label>
        <label>
          Decision
          <textarea rows={2} value={decision} onChange={(event) => setDecision(event.target.value)} />
        </label>
        <label>
          Consequences
          <textarea rows={2} value={consequences} onChange={(event) => setConsequences(event.target.value)} />
        </label>
        <label>
          Status
          <select value={status} onChange={(event) => setStatus(event.target.value as DecisionStatus)}>
            <option value="proposed">Proposed</option>
            <option value="accepted">Accepted</option>
          </select>
        </label>
        <label>
          Date
          <input type="date" value={decidedOn} onChange={(event) => setDecidedOn(event.target.value)} />
        </label>
        <label>
          Deciders (comma-separated)
          <input value={deciders} onChange={(event) => setDeciders(event.target.value)} />
        </label>
        <label>
          Linked backlog items
          <select multiple size={5} value={linked} onChange={(event) => setLinked([...event.target.selectedOptions].map((option) => option.value))}>
            {(items.data?.items ?? []).map((item) => (
              <option key={item.id} value={item.id}>
                #{item.number} {item.title}
              </option>
            ))}
          </select>
        </label>
        <div>
          <button type="submit" className="button button-primary" disabled={record.isPending}>
            Record decision
          </button>
        </div>
      </form>
    </section>
  );
}
