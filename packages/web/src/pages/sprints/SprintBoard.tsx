import type { Sprint } from '@meshboard/client';
import { boardColumns, type BacklogState } from '@meshboard/model';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { stateName } from '../backlog/labels';

/**
 * The sprint board: one column per item state (planned, in progress, done). A card moves by drag and
 * drop, or with the keyboard (focus it, ← / →). Each move is a state change of the backlog item through
 * its workflow (one step at a time, with the item's If-Match), so the burndown sees it.
 */
export function SprintBoard({ sprint, canWrite }: { sprint: Sprint; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<BacklogState | null>(null);
  const focusAfter = useRef<string | null>(null);
  const board = useRef<HTMLDivElement>(null);
  const open = canWrite && sprint.state !== 'closed';

  const move = useMutation({
    mutationFn: async ({ itemId, to }: { itemId: string; to: BacklogState }) => {
      const entry = sprint.items.find((candidate) => candidate.item.id === itemId);
      if (entry === undefined) return;
      let { state, version } = entry.item;
      // The workflow moves one column at a time: a drag across two columns is two steps.
      while (state !== to) {
        const index = boardColumns.indexOf(state);
        const next = boardColumns[index + (boardColumns.indexOf(to) > index ? 1 : -1)];
        if (index < 0 || next === undefined) break;
        const changed = await api.call('PATCH /api/backlog-items/{id}', { path: { id: itemId }, body: { state: next } }, { ifMatch: `"v${version}"` });
        ({ state, version } = changed);
      }
      setAnnouncement(`Moved #${entry.item.number} ${entry.item.title} to ${stateName(to)}.`);
    },
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['sprint', sprint.id] });
      await queryClient.invalidateQueries({ queryKey: ['burndown', sprint.id] });
    },
  });

  useEffect(() => {
    if (focusAfter.current === null || move.isPending) return;
    board.current?.querySelector<HTMLButtonElement>(`[data-item="${focusAfter.current}"]`)?.focus();
  });

  const onKey = (event: KeyboardEvent, itemId: string, state: BacklogState) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const to = boardColumns[boardColumns.indexOf(state) + step];
    if (step === 0 || to === undefined || !open) return;
    event.preventDefault();
    focusAfter.current = itemId;
    move.mutate({ itemId, to });
  };

  return (
    <section aria-labelledby="board-heading">
      <h2 id="board-heading">Board</h2>
      {open && (
        <p id="board-help" className="small muted">
          Drag a card to another column, or focus it and press ← or → to move it one column.
        </p>
      )}
      {move.isError && <ErrorState error={move.error} />}
      <p role="status" aria-live="polite" className="visually-hidden">
        {announcement}
      </p>
      <div className="board" ref={board}>
        {boardColumns.map((column) => {
          const cards = sprint.items.filter((entry) => (column === 'planned' ? !['in_progress', 'done'].includes(entry.item.state) : entry.item.state === column));
          const headingId = `column-${column}`;
          return (
            <div
              key={column}
              className={`board-column${over === column ? ' drop-target' : ''}`}
              aria-labelledby={headingId}
              role="group"
              onDragOver={(event) => {
                if (dragging === null) return;
                event.preventDefault();
                setOver(column);
              }}
              onDragLeave={() => setOver(null)}
              onDrop={(event) => {
                event.preventDefault();
                setOver(null);
                if (dragging !== null) move.mutate({ itemId: dragging, to: column });
                setDragging(null);
              }}
            >
              <h3 id={headingId}>
                {stateName(column)} <span className="badge">{cards.length}</span>
              </h3>
              <ul>
                {cards.map(({ item }) => (
                  <li key={item.id}>
                    <button
                      type="button"
                      className="board-card"
                      data-item={item.id}
                      draggable={open}
                      aria-describedby={open ? 'board-help' : undefined}
                      onDragStart={(event) => {
                        event.dataTransfer.setData('text/plain', item.id);
                        setDragging(item.id);
                      }}
                      onDragEnd={() => setDragging(null)}
                      onKeyDown={(event) => onKey(event, item.id, item.state)}
                      disabled={move.isPending && move.variables.itemId === item.id}
                    >
                      <strong>#{item.number}</strong> {item.title}
                      <span className="small muted"> · estimate {item.estimate ?? 'none'}</span>
                      <span className="visually-hidden">, {stateName(item.state)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
    </section>
  );
}
