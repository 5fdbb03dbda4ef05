import type { CheckHistoryPoint } from '@meshboard/client';
import { useId } from 'react';
import { ResultChip } from './TrustBadgeView';

const width = 480;
const height = 140;
const pad = { left: 44, right: 12, top: 12, bottom: 24 };

function formatTime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * A small SVG trend chart of one rule's measured values over time (oldest left), each point coloured by
 * its result, with the expected value as the caption; the same data as a table below for screen readers
 * and keyboard users (the chart itself is one image with a summary label). No chart library.
 */
export function TrendChart({ name, points }: { name: string; points: readonly CheckHistoryPoint[] }) {
  const id = useId();
  const ordered = [...points].reverse();
  const numeric = ordered.filter((point): point is CheckHistoryPoint & { measured: number } => typeof point.measured === 'number');
  const values = numeric.map((point) => point.measured);
  const min = Math.min(...values, 0);
  const max = Math.max(...values, min + 1);
  const x = (index: number) => pad.left + (ordered.length <= 1 ? (width - pad.left - pad.right) / 2 : (index * (width - pad.left - pad.right)) / (ordered.length - 1));
  const y = (value: number) => pad.top + (1 - (value - min) / (max - min)) * (height - pad.top - pad.bottom);
  const path = ordered
    .map((point, index) => (typeof point.measured === 'number' ? `${x(index).toFixed(1)},${y(point.measured).toFixed(1)}` : undefined))
    .filter((part) => part !== undefined)
    .join(' ');
  const passed = ordered.filter((point) => point.result === 'passed').length;
  const last = ordered[ordered.length - 1];
  const summary =
    ordered.length === 0
      ? `${name}: no results yet.`
      : `${name}: ${ordered.length} runs, ${passed} passed; latest ${last?.result ?? ''} with ${String(last?.measured ?? 'no value')}${last?.unit === null || last?.unit === undefined ? '' : ` ${last.unit}`} (expected ${last?.expected ?? '—'}).`;
  if (ordered.length === 0) return <p className="empty">No results for this check yet.</p>;
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} className="trend-svg">
        <title id={`${id}-title`}>{summary}</title>
        <line x1={pad.left} x2={width - pad.right} y1={y(min)} y2={y(min)} className="trend-axis" />
        <line x1={pad.left} x2={width - pad.right} y1={y(max)} y2={y(max)} className="trend-grid" />
        <text x={pad.left - 6} y={y(max) + 4} textAnchor="end" className="trend-label">
          {max}
        </text>
        <text x={pad.left - 6} y={y(min) + 4} textAnchor="end" className="trend-label">
          {min}
        </text>
        {path !== '' && <polyline points={path} className="trend-line" fill="none" />}
        {ordered.map((point, index) =>
          typeof point.measured === 'number' ? (
            <circle key={point.runId} cx={x(index)} cy={y(point.measured)} r={4} className={`trend-point trend-${point.result}`} />
          ) : (
            <rect key={point.runId} x={x(index) - 3} y={height - pad.bottom - 6} width={6} height={6} className={`trend-point trend-${point.result}`} />
          ),
        )}
        <text x={pad.left} y={height - 6} className="trend-label">
          {formatTime(ordered[0]?.finishedAt ?? '')}
        </text>
        <text x={width - pad.right} y={height - 6} textAnchor="end" className="trend-label">
          {formatTime(last?.finishedAt ?? '')}
        </text>
      </svg>
      <figcaption className="small muted">
        {summary} Filled markers: <span className="legend legend-passed">passed</span> <span className="legend legend-failed">failed</span> <span className="legend legend-warning">warning</span>
      </figcaption>
      <details className="trend-table">
        <summary>Show the values as a table</summary>
        <table className="table">
          <caption className="visually-hidden">{name}: every result, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Finished (UTC)</th>
              <th scope="col">Result</th>
              <th scope="col">Measured</th>
              <th scope="col">Expected</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.runId}>
                <td>{formatTime(point.finishedAt)}</td>
                <td>
                  <ResultChip result={point.result} />
                </td>
                <td>
                  {point.measured ?? '—'}
                  {point.unit === null ? '' : ` ${point.unit}`}
                </td>
                <td>{point.expected ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
