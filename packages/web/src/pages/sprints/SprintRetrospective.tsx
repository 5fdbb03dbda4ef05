import type { RetroAction, Retrospective, Sprint } from '@meshboard/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { linesOf } from './sprintLabels';

/** The sprint's retrospective: what went well, what to improve, its actions, and open actions carried from earlier sprints. */
export function SprintRetrospective({ sprint, canWrite }: { sprint: Sprint; canWrite: boolean }) {
  const retro = useQuery({ queryKey: ['retro', sprint.id], queryFn: ({ signal }) => api.call('GET /api/sprints/{id}/retrospective', { path: { id: sprint.id } }, { signal }) });
  if (retro.isPending) return <Loading label="Loading the retrospective…" />;
  if (retro.isError) return <ErrorState error={retro.error} onRetry={() => void retro.refetch()} />;
  return (
    <>
      <RetroNotes sprintId={sprint.id} retro={retro.data} canWrite={canWrite} />
      <section className="card" aria-labelledby="carried-heading">
        <h2 id="carried-heading">Open actions from earlier sprints</h2>
        <ActionList actions={retro.data.carriedActions} sprintId={sprint.id} canWrite={canWrite} empty="No open actions carried forward." />
      </section>
      <section className="card" aria-labelledby="actions-heading">
        <h2 id="actions-heading">Actions of this retrospective</h2>
        <ActionList actions={retro.data.actions} sprintId={sprint.id} canWrite={canWrite} empty="No actions agreed yet." />
        {canWrite && <AddAction sprintId={sprint.id} />}
      </section>
    </>
  );
}

function RetroNotes({ sprintId, retro, canWrite }: { sprintId: string; retro: Retrospective; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [wentWell, setWentWell] = useState(retro.wentWell.join('\n'));
  const [toImprove, setToImprove] = useState(retro.toImprove.join('\n'));
  const save = useMutation({
    mutationFn: () => api.call('PUT /api/sprints/{id}/retrospective', { path: { id: sprintId }, body: { wentWell: linesOf(wentWell), toImprove: linesOf(toImprove) } }, { ifMatch: `"v${retro.version}"` }),
    onSuccess: (next) => queryClient.setQueryData(['retro', sprintId], next),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  if (!canWrite) {
    return (
      <div className="retro-columns">
        {[
          ['Went well', retro.wentWell],
          ['To improve', retro.toImprove],
        ].map(([title, lines]) => (
          <section key={String(title)} className="card">
            <h2>{title}</h2>
            {(lines as string[]).length === 0 ? <p className="empty">Nothing noted.</p> : <ul>{(lines as string[]).map((line) => <li key={line}>{line}</li>)}</ul>}
          </section>
        ))}
      </div>
    );
  }
  return (
    <form className="form card" onSubmit={submit} aria-labelledby="notes-heading">
      <h2 id="notes-heading">Retrospective notes</h2>
      {save.isError && <ErrorState error={save.error} />}
      {save.isSuccess && <p role="status">Saved.</p>}
      <div className="retro-columns">
        <label>
          Went well (one point per line)
          <textarea rows={5} value={wentWell} onChange={(event) => setWentWell(event.target.value)} />
        </label>
        <label>
          To improve (one point per line)
          <textarea rows={5} value={toImprove} onChange={(event) => setToImprove(event.target.value)} />
        </label>
      </div>
      <div>
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          Save notes
        </button>
      </div>
    </form>
  );
}

function ActionList({ actions, sprintId, canWrite, empty }: { actions: RetroAction[]; sprintId: string; canWrite: boolean; empty: string }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (action: RetroAction) => api.call('PATCH /api/retro-actions/{id}', { path: { id: action.id }, body: { done: !action.done } }, { ifMatch: `"v${action.version}"` }),
    onSettled: async () => queryClient.invalidateQueries({ queryKey: ['retro', sprintId] }),
  });
  if (actions.length === 0) return <p className="empty">{empty}</p>;
  return (
    <>
      {toggle.isError && <ErrorState error={toggle.error} />}
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Done</th>
            <th scope="col">Action</th>
            <th scope="col">Owner</th>
            <th scope="col">Due</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((action) => (
            <tr key={action.id}>
              <td>
                <input type="checkbox" checked={action.done} disabled={!canWrite || toggle.isPending} onChange={() => toggle.mutate(action)} aria-label={`${action.title}: done`} />
              </td>
              <td>{action.title}</td>
              <td>{action.owner.label}</td>
              <td>{action.dueDate ?? '—'}</td>
              <td>Sprint {action.sprintNumber}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function AddAction({ sprintId }: { sprintId: string }) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const add = useMutation({
    mutationFn: () => api.call('POST /api/sprints/{id}/retrospective/actions', { path: { id: sprintId }, body: { title, ...(owner.trim() === '' ? {} : { ownerLabel: owner.trim() }), dueDate: due === '' ? null : due } }),
    onSuccess: async () => {
      setTitle('');
      setOwner('');
      setDue('');
      await queryClient.invalidateQueries({ queryKey: ['retro', sprintId] });
    },
  });
  return (
    <form
      className="backlog-actions"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate();
      }}
    >
      <label className="inline-field">
        New action
        <input required value={title} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <label className="inline-field">
        Owner
        <input required value={owner} onChange={(event) => setOwner(event.target.value)} />
      </label>
      <label className="inline-field">
        Due
        <input type="date" value={due} onChange={(event) => setDue(event.target.value)} />
      </label>
      <button type="submit" className="button" disabled={add.isPending}>
        Add action
      </button>
      {add.isError && <ErrorState error={add.error} />}
    </form>
  );
}
