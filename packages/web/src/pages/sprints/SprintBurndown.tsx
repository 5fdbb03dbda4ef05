import type { Sprint } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';

const width = 640;
const height = 260;
const pad = { left: 44, right: 16, top: 16, bottom: 36 };

/**
 * The burndown as a small SVG chart (no chart library, no animation): the dashed ideal line from the
 * starting scope to 0, and the remaining estimate at the end of each day so far. The same numbers as a
 * table for screen readers and keyboard users.
 */
export function SprintBurndown({ sprint }: { sprint: Sprint }) {
  const id = useId();
  const burndown = useQuery({ queryKey: ['burndown', sprint.id], queryFn: ({ signal }) => api.call('GET /api/sprints/{id}/burndown', { path: { id: sprint.id } }, { signal }) });
  if (burndown.isPending) return <Loading label="Loading the burndown…" />;
  if (burndown.isError) return <ErrorState error={burndown.error} onRetry={() => void burndown.refetch()} />;
  const { days, startScope, unit } = burndown.data;
  const max = Math.max(startScope, ...days.map((day) => day.remaining ?? 0), 1);
  const x = (index: number) => pad.left + (days.length <= 1 ? 0 : (index * (width - pad.left - pad.right)) / (days.length - 1));
  const y = (value: number) => pad.top + (1 - value / max) * (height - pad.top - pad.bottom);
  const ideal = days.map((day, index) => `${x(index).toFixed(1)},${y(day.ideal).toFixed(1)}`).join(' ');
  const actual = days.flatMap((day, index) => (day.remaining === null ? [] : [`${x(index).toFixed(1)},${y(day.remaining).toFixed(1)}`])).join(' ');
  const last = [...days].reverse().find((day) => day.remaining !== null);
  const summary = last === undefined ? `Burndown of ${sprint.name}: the sprint has not started yet; ${startScope} ${unit} planned.` : `Burndown of ${sprint.name}: ${last.remaining ?? 0} ${unit} remaining on ${last.date} (ideal ${last.ideal}), from ${startScope} at the start.`;
  return (
    <section className="card" aria-labelledby="burndown-heading">
      <h2 id="burndown-heading">Burndown</h2>
      <figure>
        <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} className="burndown-svg">
          <title id={`${id}-title`}>{summary}</title>
          <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="burndown-axis" />
          <line x1={pad.left} x2={pad.left} y1={y(max)} y2={y(0)} className="burndown-axis" />
          <text x={pad.left - 6} y={y(max) + 4} textAnchor="end" className="burndown-label">
            {max}
          </text>
          <text x={pad.left - 6} y={y(0) + 4} textAnchor="end" className="burndown-label">
            0
          </text>
          <polyline points={ideal} className="burndown-ideal" fill="none" />
          {actual !== '' && <polyline points={actual} className="burndown-actual" fill="none" />}
          {days.map((day, index) => (day.remaining === null ? null : <circle key={day.date} cx={x(index)} cy={y(day.remaining)} r={4} className="burndown-point" />))}
          <text x={pad.left} y={height - 12} className="burndown-label">
            {days[0]?.date}
          </text>
          <text x={width - pad.right} y={height - 12} textAnchor="end" className="burndown-label">
            {days[days.length - 1]?.date}
          </text>
        </svg>
        <figcaption className="small muted">
          {summary} Solid: remaining {unit} at the end of each day, from the items’ real state changes. Dashed: the ideal line.
        </figcaption>
      </figure>
      <details>
        <summary>Show the values as a table</summary>
        <table className="table">
          <caption className="visually-hidden">Remaining and ideal per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Remaining</th>
              <th scope="col">Ideal</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.date}>
                <td>{day.date}</td>
                <td>{day.remaining ?? '—'}</td>
                <td>{day.ideal}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
