import type { Release, RoadmapEntry } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { kindLabels, stateName } from '../backlog/labels';
import { horizonLabels, horizons, neighbourHorizon, type Horizon } from './horizons';
import { useRoadmapPlacement } from './useRoadmapPlacement';

type Move = 'up' | 'down' | 'left' | 'right';

/**
 * The now / next / later board. Planners drag cards between and within columns; the keyboard
 * alternative is the move buttons on every card (or Alt + arrow keys while focus is in a card). Every
 * move is announced in a live region and keeps focus on the moved card.
 */
export function RoadmapBoardView({ productId, canPlan }: { productId: string; canPlan: boolean }) {
  const board = useQuery({ queryKey: ['roadmap', productId, 'board'], queryFn: ({ signal }) => api.call('GET /api/products/{id}/roadmap', { path: { id: productId } }, { signal }) });
  const releases = useQuery({ queryKey: ['releases', productId], queryFn: ({ signal }) => api.call('GET /api/products/{id}/releases', { path: { id: productId } }, { signal }) });
  const place = useRoadmapPlacement(productId);
  const [announcement, setAnnouncement] = useState('');
  const [focusAfter, setFocusAfter] = useState<string | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);

  // Once the move is saved and the board reloaded, focus goes back into the moved card (its first
  // enabled move button, else its link), so keyboard users can keep moving it.
  useEffect(() => {
    if (focusAfter === null || board.data === undefined || place.isPending) return;
    const card = document.querySelector<HTMLElement>(`[data-card="${focusAfter}"]`);
    (card?.querySelector<HTMLElement>('button:not(:disabled)') ?? card?.querySelector<HTMLElement>('a'))?.focus();
    setFocusAfter(null);
  }, [board.data, focusAfter, place.isPending]);

  if (board.isPending) return <Loading label="Loading the roadmap…" />;
  if (board.isError) return <ErrorState error={board.error} onRetry={() => void board.refetch()} />;
  const data = board.data;
  const releaseNames = new Map((releases.data?.items ?? []).map((release: Release) => [release.id, `${release.name} ${release.productVersion}`]));
  const entries = [...data.now, ...data.next, ...data.later];

  const moveTo = (entry: RoadmapEntry, horizon: Horizon, position: number) => {
    setFocusAfter(entry.itemId);
    place.mutate(
      { itemId: entry.itemId, version: entry.version, placement: { horizon, position } },
      { onSuccess: (placed) => setAnnouncement(`Moved #${entry.item.number} ${entry.item.title} to ${horizonLabels[horizon]}, place ${placed.position + 1}.`) },
    );
  };
  const move = (entry: RoadmapEntry, direction: Move) => {
    const horizon = entry.horizon ?? 'later';
    const column = data[horizon];
    if (direction === 'up' && entry.position > 0) moveTo(entry, horizon, entry.position - 1);
    if (direction === 'down' && entry.position < column.length - 1) moveTo(entry, horizon, entry.position + 1);
    const target = direction === 'left' ? neighbourHorizon(horizon, -1) : direction === 'right' ? neighbourHorizon(horizon, 1) : undefined;
    if (target !== undefined) moveTo(entry, target, Math.min(entry.position, data[target].length));
  };
  const onKey = (entry: RoadmapEntry) => (event: KeyboardEvent) => {
    if (!canPlan || !event.altKey) return;
    const keys: Record<string, Move> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };
    const direction = keys[event.key];
    if (direction === undefined) return;
    event.preventDefault();
    move(entry, direction);
  };
  const dropOn = (horizon: Horizon, position: number) => (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    const entry = entries.find((candidate) => candidate.itemId === dragged);
    setDragged(null);
    if (entry === undefined) return;
    // Dropping below itself in the same column: the place counts without the card being moved.
    const adjusted = entry.horizon === horizon && entry.position < position ? position - 1 : position;
    if (entry.horizon === horizon && entry.position === adjusted) return;
    moveTo(entry, horizon, adjusted);
  };

  return (
    <>
      <p className="small muted">
        {canPlan ? 'Drag cards to plan, or use the move buttons (Alt + arrow keys while a card has focus).' : 'Where the product team plans to work: now, next and later.'}
      </p>
      <p role="status" aria-live="polite" className="visually-hidden">
        {announcement}
      </p>
      {place.isError && (
        <div>
          <ErrorState error={place.error} />
          <button type="button" className="button" onClick={() => place.reset()}>
            Dismiss
          </button>
        </div>
      )}
      <div className="roadmap-board">
        {horizons.map((horizon) => (
          <section key={horizon} aria-labelledby={`horizon-${horizon}`} className={`roadmap-column${dragged !== null ? ' drop-ready' : ''}`} onDragOver={(event) => canPlan && event.preventDefault()} onDrop={dropOn(horizon, data[horizon].length)}>
            <h2 id={`horizon-${horizon}`}>
              {horizonLabels[horizon]} <span className="roadmap-count">{data[horizon].length}</span>
            </h2>
            {data[horizon].length === 0 && <p className="small muted">Nothing planned {horizon === 'now' ? 'now' : horizon === 'next' ? 'next' : 'later'}.</p>}
            <ol className="roadmap-cards">
              {data[horizon].map((entry) => (
                <li
                  key={entry.itemId}
                  className={`roadmap-card${dragged === entry.itemId ? ' dragging' : ''}`}
                  draggable={canPlan}
                  onDragStart={(event) => {
                    event.dataTransfer.setData('text/plain', entry.itemId);
                    event.dataTransfer.effectAllowed = 'move';
                    setDragged(entry.itemId);
                  }}
                  onDragEnd={() => setDragged(null)}
                  onDragOver={(event) => canPlan && event.preventDefault()}
                  onDrop={dropOn(horizon, entry.position)}
                  onKeyDown={onKey(entry)}
                  data-card={entry.itemId}
                  aria-label={`#${entry.item.number} ${entry.item.title}, ${horizonLabels[horizon]} place ${entry.position + 1} of ${data[horizon].length}`}
                >
                  <Link to="/products/$productId/backlog" params={{ productId }} search={{ item: entry.itemId }}>
                    #{entry.item.number} {entry.item.title}
                  </Link>
                  <p className="roadmap-card-meta">
                    <span className="badge">{kindLabels[entry.item.kind]}</span> <span className={`badge state-${entry.item.state}`}>{stateName(entry.item.state)}</span>
                    {entry.targetQuarter !== null && <span className="badge">{entry.targetQuarter.replace('-', ' ')}</span>}
                    {entry.releaseId !== null && (
                      <Link to="/releases/$releaseId" params={{ releaseId: entry.releaseId }} className="badge badge-accent">
                        {releaseNames.get(entry.releaseId) ?? 'release'}
                      </Link>
                    )}
                  </p>
                  {canPlan && (
                    <div className="roadmap-moves" role="group" aria-label={`Move #${entry.item.number}`}>
                      <MoveButton label={`Move #${entry.item.number} up`} symbol="↑" disabled={entry.position === 0 || place.isPending} onClick={() => move(entry, 'up')} />
                      <MoveButton label={`Move #${entry.item.number} down`} symbol="↓" disabled={entry.position === data[horizon].length - 1 || place.isPending} onClick={() => move(entry, 'down')} />
                      <MoveButton label={`Move #${entry.item.number} to ${neighbourHorizon(horizon, -1) === undefined ? 'the left' : horizonLabels[neighbourHorizon(horizon, -1) ?? 'now']}`} symbol="←" disabled={neighbourHorizon(horizon, -1) === undefined || place.isPending} onClick={() => move(entry, 'left')} />
                      <MoveButton label={`Move #${entry.item.number} to ${neighbourHorizon(horizon, 1) === undefined ? 'the right' : horizonLabels[neighbourHorizon(horizon, 1) ?? 'later']}`} symbol="→" disabled={neighbourHorizon(horizon, 1) === undefined || place.isPending} onClick={() => move(entry, 'right')} />
                    </div>
                  )}
                  {canPlan && <ScheduleQuarter key={`${entry.itemId}-${entry.version}`} entry={entry} onSave={(targetQuarter) => place.mutate({ itemId: entry.itemId, version: entry.version, placement: { targetQuarter } })} />}
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
      {canPlan && <AddToRoadmap productId={productId} placed={new Set(entries.map((entry) => entry.itemId))} onPlace={(itemId, version, horizon) => place.mutate({ itemId, version, placement: { horizon } }, { onSuccess: (placed) => setAnnouncement(`Added #${placed.item.number} ${placed.item.title} to ${horizonLabels[horizon]}.`) })} />}
    </>
  );
}

function MoveButton({ label, symbol, disabled, onClick }: { label: string; symbol: string; disabled: boolean; onClick: () => void }) {
  return (
    <button type="button" className="button roadmap-small" aria-label={label} title={label} disabled={disabled} onClick={onClick}>
      <span aria-hidden="true">{symbol}</span>
    </button>
  );
}

/** The card's target quarter (YYYY-Qn), saved on change; empty clears it. */
function ScheduleQuarter({ entry, onSave }: { entry: RoadmapEntry; onSave: (quarter: string | null) => void }) {
  const [value, setValue] = useState(entry.targetQuarter ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(value.trim() === '' ? null : value.trim());
  };
  return (
    <form className="roadmap-quarter" onSubmit={submit}>
      <label>
        <span className="visually-hidden">Target quarter of #{entry.item.number}</span>
        <input value={value} onChange={(event) => setValue(event.target.value)} placeholder="YYYY-Qn" pattern="[0-9]{4}-Q[1-4]" size={8} />
      </label>
      <button type="submit" className="button roadmap-small">
        Set<span className="visually-hidden"> the target quarter of #{entry.item.number}</span>
      </button>
    </form>
  );
}

/** Puts an open backlog item that is not on the board yet into a horizon. */
function AddToRoadmap({ productId, placed, onPlace }: { productId: string; placed: Set<string>; onPlace: (itemId: string, version: number, horizon: Horizon) => void }) {
  const items = useQuery({ queryKey: ['backlog', productId, 'roadmap-candidates'], queryFn: ({ signal }) => api.call('GET /api/products/{id}/backlog', { path: { id: productId }, query: { limit: 100, sort: 'rank' } }, { signal }) });
  const [itemId, setItemId] = useState('');
  const [horizon, setHorizon] = useState<Horizon>('next');
  const candidates = (items.data?.items ?? []).filter((item) => !placed.has(item.id) && item.duplicateOfId === null && item.state !== 'declined');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (itemId === '') return;
    // The item may already have an entry (in a release or a quarter without a horizon): send its version.
    const entry = await api.call('GET /api/backlog-items/{id}/roadmap', { path: { id: itemId } });
    onPlace(itemId, entry.version, horizon);
    setItemId('');
  };
  return (
    <form className="card roadmap-add" aria-label="Add an item to the roadmap" onSubmit={(event) => void submit(event)}>
      <label className="roadmap-field">
        Backlog item
        <select value={itemId} onChange={(event) => setItemId(event.target.value)} required>
          <option value="">{candidates.length === 0 ? 'Every open item is on the board' : 'Choose an item (by rank)'}</option>
          {candidates.map((item) => (
            <option key={item.id} value={item.id}>
              #{item.number} {item.title}
            </option>
          ))}
        </select>
      </label>
      <label className="roadmap-field">
        Horizon
        <select value={horizon} onChange={(event) => setHorizon(event.target.value as Horizon)}>
          {horizons.map((value) => (
            <option key={value} value={value}>
              {horizonLabels[value]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-primary" disabled={itemId === ''}>
        Add to the roadmap
      </button>
    </form>
  );
}
