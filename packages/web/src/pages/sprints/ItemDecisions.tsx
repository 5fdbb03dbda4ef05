import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { decisionStatusLabels } from './sprintLabels';

/** The decisions linked to a backlog item, shown in the item panel (nothing while loading or when none). */
export function ItemDecisions({ itemId, productId }: { itemId: string; productId: string }) {
  const decisions = useQuery({ queryKey: ['item-decisions', itemId], queryFn: ({ signal }) => api.call('GET /api/backlog-items/{id}/decisions', { path: { id: itemId } }, { signal }) });
  if (decisions.data === undefined || decisions.data.items.length === 0) return null;
  return (
    <section className="panel-section" aria-labelledby="item-decisions-heading">
      <h3 id="item-decisions-heading">Decisions</h3>
      <ul>
        {decisions.data.items.map((decision) => (
          <li key={decision.id}>
            <Link to="/products/$productId/decisions" params={{ productId }}>
              D{decision.number}: {decision.title}
            </Link>{' '}
            <span className="badge">{decisionStatusLabels[decision.status]}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
