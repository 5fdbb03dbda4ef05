import type { BacklogItem, BacklogItemPatch } from '@meshboard/client';
import { backlogKinds, evidenceKinds, inputsOf, moscowCategories, nextBacklogStates, type BacklogKind, type BacklogState, type EvidenceKind } from '@meshboard/model';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { CrossDomainSection } from '../crossDomain/CrossDomainSection';
import { IncidentTimeline } from '../../components/lifecycle/IncidentTimeline';
import '../../components/lifecycle/lifecycle.css';
import { inputHelp, inputLabel, kindLabels, stateName } from './labels';
import { ItemDecisions } from '../sprints/ItemDecisions';
import { StateHistory } from './StateHistory';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** The open item: read it, vote, and (for the product's team) edit, score, move, link evidence, merge. */
export function BacklogItemPanel({ itemId, productId, canTriage, others, onClose }: { itemId: string; productId: string; canTriage: boolean; others: BacklogItem[]; onClose: () => void }) {
  const queryClient = useQueryClient();
  const item = useQuery({ queryKey: ['backlog-item', itemId], queryFn: ({ signal }) => api.call('GET /api/backlog-items/{id}', { path: { id: itemId } }, { signal }) });
  const vote = useQuery({ queryKey: ['backlog-item', itemId, 'vote'], queryFn: ({ signal }) => api.call('GET /api/backlog-items/{id}/vote', { path: { id: itemId } }, { signal }) });
  const settings = useQuery({ queryKey: ['backlog', productId, 'settings'], queryFn: ({ signal }) => api.call('GET /api/products/{id}/backlog/settings', { path: { id: productId } }, { signal }) });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['backlog', productId] });
    await queryClient.invalidateQueries({ queryKey: ['backlog-item', itemId] });
  };
  const patch = useMutation({
    mutationFn: ({ body, version }: { body: BacklogItemPatch; version: number }) => api.call('PATCH /api/backlog-items/{id}', { path: { id: itemId }, body }, { ifMatch: `"v${version}"` }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(['backlog-item', itemId], updated);
      await refresh();
    },
  });
  const toggleVote = useMutation({
    mutationFn: (on: boolean) => (on ? api.call('PUT /api/backlog-items/{id}/vote', { path: { id: itemId } }) : api.call('DELETE /api/backlog-items/{id}/vote', { path: { id: itemId } })),
    onSuccess: refresh,
  });
  const merge = useMutation({
    mutationFn: ({ duplicateId, version }: { duplicateId: string; version: number }) => api.call('POST /api/backlog-items/{id}/merge', { path: { id: itemId }, body: { duplicateId } }, { ifMatch: `"v${version}"` }),
    onSuccess: refresh,
  });

  if (item.isPending) return <Loading label="Loading the item…" />;
  if (item.isError) return <ErrorState error={item.error} onRetry={() => void item.refetch()} />;
  const current = item.data;
  const editable = canTriage && current.duplicateOfId === null;
  const names = [...new Set([...(settings.data === undefined ? [] : inputsOf(settings.data.settings)), ...(settings.data?.settings.framework === 'moscow' ? ['moscow'] : []), ...Object.keys(current.inputs)])];
  const save = (body: BacklogItemPatch) => patch.mutate({ body, version: current.version });
  return (
    <aside className="card" aria-labelledby="item-heading">
      <div className="backlog-actions">
        <h2 id="item-heading" style={{ margin: 0, flex: 1 }}>
          #{current.number} {current.title}
        </h2>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p>
        <span className="badge">{kindLabels[current.kind]}</span> <span className="badge badge-accent">{stateName(current.state)}</span>{' '}
        <span className="muted small">
          requested by {current.requester.label ?? 'unknown'}
          {current.source !== null && <> · {current.source}</>} · filed {dateFormat.format(new Date(current.reportedAt ?? current.createdAt))}
        </span>
      </p>
      {current.state === 'declined' && (
        <p className="notice">
          <strong>Declined:</strong> {current.declineReason}
        </p>
      )}
      {current.duplicateOfId !== null && (
        <p className="notice">
          Merged as a duplicate into{' '}
          <a href={`?item=${current.duplicateOfId}`}>{others.find((other) => other.id === current.duplicateOfId)?.title ?? 'another item'}</a>; read-only.
        </p>
      )}
      {current.description !== '' && <p>{current.description}</p>}
      {current.acceptanceCriteria.length > 0 && (
        <>
          <h3>Acceptance criteria</h3>
          <ul>
            {current.acceptanceCriteria.map((criterion, index) => (
              <li key={index}>{criterion}</li>
            ))}
          </ul>
        </>
      )}
      <div className="backlog-actions">
        <span>
          {current.votes} vote{current.votes === 1 ? '' : 's'} <span className="muted small">(shown, not a ranking input)</span>
        </span>
        {current.duplicateOfId === null && vote.data !== undefined && (
          <button type="button" className="button" aria-pressed={vote.data.voted} onClick={() => toggleVote.mutate(!vote.data.voted)} disabled={toggleVote.isPending}>
            {vote.data.voted ? 'Withdraw vote' : 'Vote'}
          </button>
        )}
      </div>
      {toggleVote.isError && <ErrorState error={toggleVote.error} />}
      {patch.isError && (
        <div>
          <ErrorState error={patch.error} />
          <button type="button" className="button" onClick={() => void item.refetch().then(() => patch.reset())}>
            Reload the item
          </button>
        </div>
      )}
      {editable && <StateSection key={`state-${current.version}`} item={current} onSave={save} pending={patch.isPending} />}
      <StateHistory itemId={current.id} />
      <ScoringSection key={`scoring-${names.join()}-${current.version}`} item={current} names={names} editable={editable} onSave={save} pending={patch.isPending} />
      {current.kind === 'defect' && <IncidentTimeline itemId={current.id} />}
      <EvidenceSection item={current} editable={editable} onSave={save} pending={patch.isPending} />
      <ItemDecisions itemId={current.id} productId={productId} />
      <CrossDomainSection item={current} canRequest={canTriage} />
      {editable && <DetailsSection key={`details-${current.version}`} item={current} onSave={save} pending={patch.isPending} />}
      {editable && others.length > 0 && (
        <section className="panel-section" aria-labelledby="merge-heading">
          <h3 id="merge-heading">Merge a duplicate into this item</h3>
          <MergeForm others={others} pending={merge.isPending} onMerge={(duplicateId) => merge.mutate({ duplicateId, version: current.version })} />
          {merge.isError && <ErrorState error={merge.error} />}
        </section>
      )}
    </aside>
  );
}

type Save = (body: BacklogItemPatch) => void;

function StateSection({ item, onSave, pending }: { item: BacklogItem; onSave: Save; pending: boolean }) {
  const next = nextBacklogStates(item.state);
  const [state, setState] = useState<BacklogState>(next[0] ?? item.state);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(state === 'declined' ? { state, declineReason: reason } : { state });
  };
  return (
    <section className="panel-section" aria-labelledby="state-heading">
      <h3 id="state-heading">State</h3>
      <form className="backlog-actions" onSubmit={submit}>
        <label className="inline-field">
          Move to
          <select value={state} onChange={(event) => setState(event.target.value as BacklogState)}>
            {next.map((s) => (
              <option key={s} value={s}>
                {stateName(s)}
              </option>
            ))}
          </select>
        </label>
        {state === 'declined' && (
          <label className="inline-field">
            Reason (the requester sees it)
            <textarea required value={reason} onChange={(event) => setReason(event.target.value)} />
          </label>
        )}
        <button type="submit" className="button" disabled={pending}>
          Change state
        </button>
      </form>
    </section>
  );
}

function ScoringSection({ item, names, editable, onSave, pending }: { item: BacklogItem; names: string[]; editable: boolean; onSave: Save; pending: boolean }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(names.map((name) => [name, item.inputs[name] === undefined ? '' : String(item.inputs[name]?.value)])));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const inputs: Record<string, number | string | null> = {};
    for (const name of names) {
      const text = (values[name] ?? '').trim();
      const before = item.inputs[name];
      if (text === '') {
        if (before !== undefined) inputs[name] = null;
      } else if (String(before?.value) !== text) inputs[name] = name === 'moscow' ? text : Number(text);
    }
    onSave({ inputs: inputs as BacklogItemPatch['inputs'] });
  };
  if (names.length === 0) return null;
  return (
    <section className="panel-section" aria-labelledby="scoring-heading">
      <h3 id="scoring-heading">Scoring inputs</h3>
      <form onSubmit={submit}>
        <div className="input-grid">
          {names.map((name) => {
            const entered = item.inputs[name];
            // Measured suggestions (reach; WSJF time criticality as cost of delay) show where nothing is entered.
            const suggestion = name === 'reach' ? item.suggested.reach : name === 'timeCriticality' ? item.suggested.timeCriticality : null;
            const id = `input-${name}`;
            return (
              <label key={name} htmlFor={id}>
                {inputLabel(name)}
                {name === 'moscow' ? (
                  <select id={id} disabled={!editable} value={values[name] ?? ''} onChange={(event) => setValues({ ...values, [name]: event.target.value })}>
                    <option value="">Not set</option>
                    {moscowCategories.map((category) => (
                      <option key={category} value={category}>
                        {category}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input id={id} type="number" step="any" disabled={!editable} value={values[name] ?? ''} placeholder={suggestion === null ? '' : `suggested ${suggestion.value}`} onChange={(event) => setValues({ ...values, [name]: event.target.value })} title={inputHelp(name)} />
                )}
                <span className="muted small">
                  {entered !== undefined ? `entered by ${entered.enteredBy.label || 'unknown'}` : suggestion !== null ? `suggested: ${suggestion.value} — ${suggestion.basis}` : 'not entered'}
                </span>
              </label>
            );
          })}
        </div>
        {editable && (
          <p>
            <button type="submit" className="button button-primary" disabled={pending}>
              Save inputs
            </button>
          </p>
        )}
      </form>
    </section>
  );
}

function EvidenceSection({ item, editable, onSave, pending }: { item: BacklogItem; editable: boolean; onSave: Save; pending: boolean }) {
  const [kind, setKind] = useState<EvidenceKind>('url');
  const [ref, setRef] = useState('');
  const [note, setNote] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({ evidence: [...item.evidence, { kind, ref, note, teamId: null }] });
    setRef('');
    setNote('');
  };
  return (
    <section className="panel-section" aria-labelledby="evidence-heading">
      <h3 id="evidence-heading">Evidence</h3>
      {item.evidence.length === 0 ? (
        <p className="empty">No evidence linked.</p>
      ) : (
        <ul className="list">
          {item.evidence.map((entry, index) => (
            <li key={index}>
              <span className="badge">{entry.kind}</span> {entry.kind === 'url' && /^(?:https?:\/\/|\/(?!\/))/.test(entry.ref) ? <a href={entry.ref}>{entry.ref}</a> : <code>{entry.ref}</code>}
              {entry.note !== '' && <span className="muted"> — {entry.note}</span>}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form className="backlog-actions" onSubmit={submit} aria-label="Link evidence">
          <label className="inline-field">
            Kind
            <select value={kind} onChange={(event) => setKind(event.target.value as EvidenceKind)}>
              {evidenceKinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            Link or id
            <input required value={ref} onChange={(event) => setRef(event.target.value)} />
          </label>
          <label className="inline-field">
            Note
            <input value={note} onChange={(event) => setNote(event.target.value)} />
          </label>
          <button type="submit" className="button" disabled={pending}>
            Link evidence
          </button>
        </form>
      )}
    </section>
  );
}

function DetailsSection({ item, onSave, pending }: { item: BacklogItem; onSave: Save; pending: boolean }) {
  const [title, setTitle] = useState(item.title);
  const [kind, setKind] = useState<BacklogKind>(item.kind);
  const [description, setDescription] = useState(item.description);
  const [criteria, setCriteria] = useState(item.acceptanceCriteria.join('\n'));
  const [labels, setLabels] = useState(item.labels.join(', '));
  const [estimate, setEstimate] = useState(item.estimate === null ? '' : String(item.estimate));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({
      title,
      kind,
      description,
      acceptanceCriteria: criteria.split('\n').map((line) => line.trim()).filter((line) => line !== ''),
      labels: labels.split(',').map((label) => label.trim()).filter((label) => label !== ''),
      estimate: estimate.trim() === '' ? null : Number(estimate),
    });
  };
  return (
    <section className="panel-section" aria-labelledby="details-heading">
      <h3 id="details-heading">Edit details</h3>
      <form className="form" onSubmit={submit}>
        <label>
          Title
          <input required maxLength={300} value={title} onChange={(event) => setTitle(event.target.value)} />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value as BacklogKind)}>
            {backlogKinds.map((k) => (
              <option key={k} value={k}>
                {kindLabels[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Description
          <textarea value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
        <label>
          Acceptance criteria (one per line)
          <textarea value={criteria} onChange={(event) => setCriteria(event.target.value)} />
        </label>
        <label>
          Labels (comma-separated)
          <input value={labels} onChange={(event) => setLabels(event.target.value)} />
        </label>
        <label>
          Estimate (story points)
          <input type="number" min={0} step="any" value={estimate} onChange={(event) => setEstimate(event.target.value)} />
        </label>
        <div>
          <button type="submit" className="button button-primary" disabled={pending}>
            Save details
          </button>
        </div>
      </form>
    </section>
  );
}

function MergeForm({ others, pending, onMerge }: { others: BacklogItem[]; pending: boolean; onMerge: (duplicateId: string) => void }) {
  const [duplicate, setDuplicate] = useState('');
  return (
    <form
      className="backlog-actions"
      onSubmit={(event) => {
        event.preventDefault();
        if (duplicate !== '') onMerge(duplicate);
      }}
    >
      <label className="inline-field">
        Duplicate
        <select value={duplicate} onChange={(event) => setDuplicate(event.target.value)} required>
          <option value="">Choose an item…</option>
          {others.map((other) => (
            <option key={other.id} value={other.id}>
              #{other.number} {other.title}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button" disabled={pending || duplicate === ''}>
        Merge into this item
      </button>
      <span className="muted small">Its evidence and votes move here; it stays, read-only.</span>
    </form>
  );
}
