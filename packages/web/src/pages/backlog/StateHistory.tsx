import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { stateName } from './labels';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The states a backlog item entered, oldest first, with who moved it and when (recorded since migration 0013). */
export function StateHistory({ itemId }: { itemId: string }) {
  const history = useQuery({ queryKey: ['backlog-item', itemId, 'history'], queryFn: ({ signal }) => api.call('GET /api/backlog-items/{id}/history', { path: { id: itemId } }, { signal }) });
  return (
    <section className="panel-section" aria-labelledby="history-heading">
      <h3 id="history-heading">State history</h3>
      {history.isError && <ErrorState error={history.error} />}
      {history.data !== undefined && history.data.items.length === 0 && <p className="small muted">No recorded state changes (the item predates the history).</p>}
      {history.data !== undefined && history.data.items.length > 0 && (
        <ol style={{ margin: 0 }}>
          {history.data.items.map((change, index) => (
            <li key={index}>
              {change.from === null ? <>Filed as <strong>{stateName(change.to)}</strong></> : <>{stateName(change.from)} → <strong>{stateName(change.to)}</strong></>}{' '}
              <span className="muted small">
                by {change.changedBy.label} · <time dateTime={change.changedAt}>{timeFormat.format(new Date(change.changedAt))}</time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
