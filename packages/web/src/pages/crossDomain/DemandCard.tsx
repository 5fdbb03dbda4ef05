import type { DataDemand } from '@meshboard/client';
import { Link } from '@tanstack/react-router';
import { demandStateLabel } from './crossDomainSearch';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** One demand in a list: title, state, who asked, "me too" count, where it went. */
export function DemandCard({ demand }: { demand: DataDemand }) {
  return (
    <li className="card">
      <h2 className="h3" style={{ margin: 0 }}>
        <Link to="/demands/$demandId" params={{ demandId: demand.id }}>
          {demand.title}
        </Link>
      </h2>
      <p className="demand-meta small">
        <span className={demand.state === 'open' || demand.state === 'assigned' ? 'badge badge-accent' : 'badge'}>{demandStateLabel[demand.state]}</span>
        <span className="muted">
          by {demand.requester.label}
          {demand.requester.teamName !== null && <> ({demand.requester.teamName})</>} · {dateFormat.format(new Date(demand.createdAt))} · {demand.votes} “me too”
        </span>
      </p>
      <DemandWhere demand={demand} />
    </li>
  );
}

/** Where a demand stands: its domain, its backlog item, the decline reason or the demand it was merged into. */
export function DemandWhere({ demand }: { demand: DataDemand }) {
  if (demand.state === 'declined') {
    return (
      <p className="notice">
        <strong>Declined:</strong> {demand.declineReason}
      </p>
    );
  }
  if (demand.state === 'merged' && demand.mergedIntoId !== null) {
    return (
      <p className="small">
        Merged; follow <Link to="/demands/$demandId" params={{ demandId: demand.mergedIntoId }}>the request it joined</Link>.
      </p>
    );
  }
  if (demand.product !== null && demand.backlogItem !== null) {
    return (
      <p className="small">
        In <Link to="/products/$productId/backlog" params={{ productId: demand.product.id }} search={{ item: demand.backlogItem.id }}>{demand.product.name}’s backlog as #{demand.backlogItem.number}</Link> ({demand.backlogItem.state.replace('_', ' ')})
        {demand.domain !== null && <> · {demand.domain.name}</>}
      </p>
    );
  }
  if (demand.domain !== null) return <p className="small">Assigned to the {demand.domain.name} domain; its owners pick a product.</p>;
  return null;
}
