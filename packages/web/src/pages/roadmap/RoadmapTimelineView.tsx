import type { RoadmapEntry } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { stateName } from '../backlog/labels';
import { horizonLabels } from './horizons';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** The timeline: one lane per release (by target date) or per quarter, then the unscheduled items. */
export function RoadmapTimelineView({ productId, by }: { productId: string; by: 'release' | 'quarter' }) {
  const timeline = useQuery({ queryKey: ['roadmap', productId, 'timeline', by], queryFn: ({ signal }) => api.call('GET /api/products/{id}/roadmap/timeline', { path: { id: productId }, query: { by } }, { signal }) });
  if (timeline.isPending) return <Loading label="Loading the timeline…" />;
  if (timeline.isError) return <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />;
  const { lanes, unscheduled } = timeline.data;
  return (
    <div className="roadmap-timeline">
      {lanes.length === 0 && <p className="muted">{by === 'release' ? 'No releases planned yet.' : 'No item has a target quarter or a dated release yet.'}</p>}
      {lanes.map((lane) => (
        <section key={lane.key} className="roadmap-lane" aria-labelledby={`lane-${lane.key}`}>
          <h2 id={`lane-${lane.key}`}>
            {lane.release === null ? (
              lane.label
            ) : (
              <Link to="/releases/$releaseId" params={{ releaseId: lane.release.id }}>
                {lane.label}
              </Link>
            )}
          </h2>
          {lane.release !== null && (
            <p className="meta">
              <span className={`badge${lane.release.state === 'released' ? ' badge-accent' : ''}`}>{lane.release.state}</span> {lane.release.targetDate === null ? 'no target date' : `target ${dateFormat.format(new Date(`${lane.release.targetDate}T00:00:00Z`))}`}
            </p>
          )}
          <Items productId={productId} entries={lane.items} />
        </section>
      ))}
      {unscheduled.length > 0 && (
        <section className="roadmap-lane" aria-labelledby="lane-unscheduled">
          <h2 id="lane-unscheduled">{by === 'release' ? 'In no release' : 'No quarter'}</h2>
          <Items productId={productId} entries={unscheduled} />
        </section>
      )}
    </div>
  );
}

function Items({ productId, entries }: { productId: string; entries: RoadmapEntry[] }) {
  if (entries.length === 0) return <p className="small muted">No items.</p>;
  return (
    <ol className="roadmap-cards">
      {entries.map((entry) => (
        <li key={entry.itemId} className="roadmap-card">
          <Link to="/products/$productId/backlog" params={{ productId }} search={{ item: entry.itemId }}>
            #{entry.item.number} {entry.item.title}
          </Link>
          <p className="roadmap-card-meta">
            <span className="badge">{stateName(entry.item.state)}</span>
            {entry.horizon !== null && <span className="badge">{horizonLabels[entry.horizon]}</span>}
            {entry.targetQuarter !== null && <span className="badge">{entry.targetQuarter.replace('-', ' ')}</span>}
          </p>
        </li>
      ))}
    </ol>
  );
}
