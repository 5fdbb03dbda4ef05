import type { CapacityUnit } from '@meshboard/model';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { useCanTriage } from '../backlog/useCanTriage';
import { MemberRows, type MemberRow } from './MemberRows';
import { sprintStateLabels } from './sprintLabels';
import '../backlog/backlog.css';
import './sprints.css';

const route = getRouteApi('/authed/products/$productId/sprints');

/** A product's sprints (running, planned, closed) and, for its domain, the form to plan the next one. */
export function SprintsPage() {
  const { productId } = route.useParams();
  const product = useQuery({ queryKey: ['product', productId], queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }) });
  const sprints = useQuery({ queryKey: ['sprints', productId], queryFn: ({ signal }) => api.call('GET /api/products/{id}/sprints', { path: { id: productId }, query: {} }, { signal }) });
  useTitle(product.data === undefined ? 'Sprints' : `Sprints · ${product.data.name}`);
  const canWrite = useCanTriage(product.data?.domainId ?? '');
  if (product.isPending || sprints.isPending) return <Loading label="Loading the sprints…" />;
  if (product.isError) return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  if (sprints.isError) return <ErrorState error={sprints.error} onRetry={() => void sprints.refetch()} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span> <a href={`/products/${encodeURIComponent(productId)}`}>{product.data.name}</a> <span aria-hidden="true">/</span> <span aria-current="page">Sprints</span>
      </nav>
      <h1>Sprints: {product.data.name}</h1>
      <p>
        <Link to="/products/$productId/backlog" params={{ productId }}>
          Backlog
        </Link>{' '}
        ·{' '}
        <Link to="/products/$productId/decisions" params={{ productId }}>
          Decision log
        </Link>
      </p>
      {sprints.data.items.length === 0 ? (
        <p className="empty">No sprints yet.</p>
      ) : (
        <ul className="sprint-cards" aria-label="Sprints">
          {sprints.data.items.map((sprint) => (
            <li key={sprint.id} className="card">
              <h2>
                <Link to="/sprints/$sprintId" params={{ sprintId: sprint.id }}>
                  {sprint.name}
                </Link>
              </h2>
              <p className="meta">
                <span className={`badge sprint-${sprint.state}`}>{sprintStateLabels[sprint.state]}</span> {sprint.startDate} – {sprint.endDate}
              </p>
              {sprint.goal !== '' && <p>{sprint.goal}</p>}
              <p>
                {sprint.items.length} items, {sprint.commitment.committed} of {sprint.commitment.capacity} {sprint.capacityUnit} committed
              </p>
              {sprint.commitment.warnings.length > 0 && <p className="warning small">{sprint.commitment.warnings[0]}</p>}
            </li>
          ))}
        </ul>
      )}
      {canWrite && <PlanSprintForm productId={productId} />}
    </>
  );
}

function PlanSprintForm({ productId }: { productId: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [goal, setGoal] = useState('');
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [unit, setUnit] = useState<CapacityUnit>('points');
  const [members, setMembers] = useState<MemberRow[]>([{ name: '', available: '' }]);
  const create = useMutation({
    mutationFn: () =>
      api.call('POST /api/products/{id}/sprints', {
        path: { id: productId },
        body: { name, goal, startDate, endDate, capacityUnit: unit, members: members.filter((member) => member.name.trim() !== '').map((member) => ({ userId: null, name: member.name.trim(), available: Number(member.available) })) },
      }),
    onSuccess: async (sprint) => {
      await queryClient.invalidateQueries({ queryKey: ['sprints', productId] });
      await navigate({ to: '/sprints/$sprintId', params: { sprintId: sprint.id } });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="card" aria-labelledby="plan-heading">
      <h2 id="plan-heading">Plan a sprint</h2>
      <form className="form" onSubmit={submit}>
        {create.isError && <ErrorState error={create.error} />}
        <label>
          Name
          <input required value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label>
          Goal
          <input value={goal} onChange={(event) => setGoal(event.target.value)} />
        </label>
        <label>
          Starts
          <input type="date" required value={startDate} onChange={(event) => setStartDate(event.target.value)} />
        </label>
        <label>
          Ends
          <input type="date" required value={endDate} onChange={(event) => setEndDate(event.target.value)} />
        </label>
        <label>
          Capacity in
          <select value={unit} onChange={(event) => setUnit(event.target.value as CapacityUnit)}>
            <option value="points">story points</option>
            <option value="person-days">person-days</option>
          </select>
        </label>
        <fieldset>
          <legend>Members and their availability</legend>
          <MemberRows members={members} unit={unit} onChange={setMembers} />
        </fieldset>
        <div>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            Plan sprint
          </button>
        </div>
      </form>
    </section>
  );
}
