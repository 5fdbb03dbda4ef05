import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const what = { opened: 'Incident opened', failed: 'Run failed', recovered: 'Recovered' } as const;

/**
 * The incident timeline of a backlog defect Meshboard filed for failing checks (issue 6): each streak
 * with its failing runs, the opening and the recovery, oldest first. Renders nothing for other items.
 */
export function IncidentTimeline({ itemId }: { itemId: string }) {
  const incidents = useQuery({
    queryKey: ['backlog-item', itemId, 'incidents'],
    queryFn: ({ signal }) => api.call('GET /api/backlog-items/{id}/incidents', { path: { id: itemId } }, { signal }),
  });
  const items = incidents.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="panel-section" aria-labelledby="incidents-heading">
      <h3 id="incidents-heading">Incident timeline</h3>
      {[...items].reverse().map((incident) => (
        <div key={incident.id}>
          <p className="small">
            Checks of{' '}
            <Link to="/contracts/$contractId" params={{ contractId: incident.contract.id }}>
              {incident.contract.name}
            </Link>
            : {incident.failures} failing run{incident.failures === 1 ? '' : 's'} · <span className={`badge ${incident.state === 'open' ? 'status-deprecated' : 'status-active'}`}>{incident.state}</span>
          </p>
          <ol className="incident-timeline">
            {incident.timeline.map((entry, index) => (
              <li key={`${entry.runId}-${entry.kind}-${index}`}>
                <strong>{what[entry.kind]}</strong> <span className="muted small">run {entry.status} · {when.format(new Date(entry.at))}</span>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
