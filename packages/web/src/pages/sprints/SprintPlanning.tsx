import type { Sprint } from '@meshboard/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { stateName } from '../backlog/labels';
import { MemberRows, type MemberRow } from './MemberRows';

/**
 * Planning: capacity from the members' availability against the committed estimate (a warning past
 * capacity), the scope, and the open items in ranked order to pull in. Start and close live here too.
 */
export function SprintPlanning({ sprint, canWrite }: { sprint: Sprint; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const ifMatch = `"v${sprint.version}"`;
  const refresh = async (next: Sprint) => {
    queryClient.setQueryData(['sprint', sprint.id], next);
    await queryClient.invalidateQueries({ queryKey: ['sprints'] });
    await queryClient.invalidateQueries({ queryKey: ['ranking-for-sprint', sprint.productId] });
  };
  const add = useMutation({ mutationFn: (itemId: string) => api.call('POST /api/sprints/{id}/items', { path: { id: sprint.id }, body: { itemId } }, { ifMatch }), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (itemId: string) => api.call('DELETE /api/sprints/{id}/items/{itemId}', { path: { id: sprint.id, itemId } }, { ifMatch }), onSuccess: refresh });
  const start = useMutation({ mutationFn: () => api.call('POST /api/sprints/{id}/start', { path: { id: sprint.id } }, { ifMatch }), onSuccess: refresh });
  const { commitment } = sprint;
  const over = commitment.committed > commitment.capacity;
  const share = commitment.capacity === 0 ? (commitment.committed > 0 ? 100 : 0) : Math.min(100, (commitment.committed / commitment.capacity) * 100);
  const error = add.error ?? remove.error ?? start.error;
  return (
    <>
      <section className="card" aria-labelledby="capacity-heading">
        <h2 id="capacity-heading">Capacity</h2>
        <p className="sprint-summary">
          <strong>
            {commitment.committed} of {commitment.capacity} {sprint.capacityUnit} committed
          </strong>
          <span>{sprint.items.length} items</span>
        </p>
        <div className={`capacity-bar${over ? ' over' : ''}`} role="img" aria-label={`${Math.round(share)}% of capacity committed`}>
          <span style={{ width: `${share}%` }} />
        </div>
        {commitment.warnings.map((warning) => (
          <p key={warning} className="warning" role={over ? 'alert' : undefined}>
            {warning}
          </p>
        ))}
        {sprint.members.length > 0 && (
          <table className="table">
            <caption>Availability per member ({sprint.capacityUnit})</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Available</th>
              </tr>
            </thead>
            <tbody>
              {sprint.members.map((member) => (
                <tr key={member.name}>
                  <td>{member.name}</td>
                  <td>{member.available}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canWrite && sprint.state !== 'closed' && <EditPlan key={sprint.version} sprint={sprint} onSaved={refresh} />}
        {canWrite && sprint.state === 'planned' && (
          <p>
            <button type="button" className="button button-primary" onClick={() => start.mutate()} disabled={start.isPending}>
              Start sprint
            </button>
          </p>
        )}
        {canWrite && sprint.state === 'active' && <CloseSprint sprint={sprint} onClosed={refresh} />}
      </section>
      {error !== null && <ErrorState error={error} />}
      <section className="card" aria-labelledby="scope-heading">
        <h2 id="scope-heading">Scope</h2>
        {sprint.items.length === 0 ? (
          <p className="empty">Nothing planned yet{canWrite && sprint.state !== 'closed' ? ': pull items from the ranking below.' : '.'}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Item</th>
                <th scope="col">State</th>
                <th scope="col">Estimate</th>
                {sprint.state === 'closed' ? <th scope="col">Outcome</th> : canWrite && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {sprint.items.map(({ item, outcome }) => (
                <tr key={item.id}>
                  <td>#{item.number}</td>
                  <td>{item.title}</td>
                  <td>{stateName(item.state)}</td>
                  <td>{item.estimate ?? '—'}</td>
                  {sprint.state === 'closed' ? (
                    <td>{outcome ?? '—'}</td>
                  ) : (
                    canWrite && (
                      <td>
                        <button type="button" className="button" onClick={() => remove.mutate(item.id)} disabled={remove.isPending} aria-label={`Remove #${item.number} from the sprint`}>
                          Remove
                        </button>
                      </td>
                    )
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {canWrite && sprint.state !== 'closed' && <RankedCandidates sprint={sprint} onAdd={(itemId) => add.mutate(itemId)} busy={add.isPending} />}
    </>
  );
}

function RankedCandidates({ sprint, onAdd, busy }: { sprint: Sprint; onAdd: (itemId: string) => void; busy: boolean }) {
  const ranking = useQuery({ queryKey: ['ranking-for-sprint', sprint.productId], queryFn: ({ signal }) => api.call('GET /api/products/{id}/backlog/ranking', { path: { id: sprint.productId }, query: { limit: 50 } }, { signal }) });
  if (ranking.isPending) return <Loading label="Loading the ranking…" />;
  if (ranking.isError) return <ErrorState error={ranking.error} onRetry={() => void ranking.refetch()} />;
  const inSprint = new Set(sprint.items.map((entry) => entry.item.id));
  const candidates = ranking.data.items.filter((entry) => !inSprint.has(entry.item.id) && entry.item.state !== 'new' && entry.item.state !== 'in_progress');
  return (
    <section className="card" aria-labelledby="candidates-heading">
      <h2 id="candidates-heading">Pull from the ranked backlog</h2>
      <p className="small muted">Open, triaged items in the product’s ranking order; new items need triage first.</p>
      {candidates.length === 0 ? (
        <p className="empty">No triaged items left to plan.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Item</th>
              <th scope="col">Estimate</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {candidates.map(({ rank, item }) => (
              <tr key={item.id}>
                <td>{rank}</td>
                <td>
                  #{item.number} {item.title}
                </td>
                <td>{item.estimate ?? '—'}</td>
                <td>
                  <button type="button" className="button" onClick={() => onAdd(item.id)} disabled={busy} aria-label={`Add #${item.number} to the sprint`}>
                    Add
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CloseSprint({ sprint, onClosed }: { sprint: Sprint; onClosed: (next: Sprint) => Promise<void> }) {
  const planned = useQuery({ queryKey: ['sprints', sprint.productId, 'planned'], queryFn: ({ signal }) => api.call('GET /api/products/{id}/sprints', { path: { id: sprint.productId }, query: { state: 'planned' } }, { signal }) });
  const [destination, setDestination] = useState('backlog');
  const close = useMutation({
    mutationFn: () => api.call('POST /api/sprints/{id}/close', { path: { id: sprint.id }, body: destination === 'backlog' ? { unfinished: 'backlog' } : { unfinished: 'next', nextSprintId: destination } }, { ifMatch: `"v${sprint.version}"` }),
    onSuccess: onClosed,
  });
  return (
    <form
      className="backlog-actions"
      onSubmit={(event) => {
        event.preventDefault();
        close.mutate();
      }}
    >
      <label className="inline-field">
        Unfinished items go
        <select value={destination} onChange={(event) => setDestination(event.target.value)}>
          <option value="backlog">back to the backlog</option>
          {(planned.data?.items ?? []).map((next) => (
            <option key={next.id} value={next.id}>
              into {next.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button" disabled={close.isPending}>
        Close sprint
      </button>
      {close.isError && <ErrorState error={close.error} />}
    </form>
  );
}

/** Name, goal, dates and members' availability of a planned or running sprint, saved with If-Match. */
function EditPlan({ sprint, onSaved }: { sprint: Sprint; onSaved: (next: Sprint) => Promise<void> }) {
  const [goal, setGoal] = useState(sprint.goal);
  const [endDate, setEndDate] = useState(sprint.endDate);
  const [members, setMembers] = useState<MemberRow[]>(sprint.members.map((member) => ({ name: member.name, available: String(member.available) })));
  const save = useMutation({
    mutationFn: () =>
      api.call(
        'PATCH /api/sprints/{id}',
        {
          path: { id: sprint.id },
          body: {
            goal,
            endDate,
            members: members
              .filter((member) => member.name.trim() !== '')
              .map((member) => ({ userId: sprint.members.find((old) => old.name === member.name)?.userId ?? null, name: member.name.trim(), available: Number(member.available) })),
          },
        },
        { ifMatch: `"v${sprint.version}"` },
      ),
    onSuccess: onSaved,
  });
  return (
    <details>
      <summary>Change the goal, end date or availability</summary>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        {save.isError && <ErrorState error={save.error} />}
        <label>
          Goal
          <input value={goal} onChange={(event) => setGoal(event.target.value)} />
        </label>
        <label>
          Ends
          <input type="date" required value={endDate} onChange={(event) => setEndDate(event.target.value)} />
        </label>
        <MemberRows members={members} unit={sprint.capacityUnit} onChange={setMembers} />
        <p>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            Save plan
          </button>
        </p>
      </form>
    </details>
  );
}
