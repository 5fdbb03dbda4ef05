import type { LatestCheckResult } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { TrendChart } from './TrendChart';
import { ResultChip, TrustBadgeView } from './TrustBadgeView';

const historySize = 30;

/**
 * Quality of one contract: its computed trust badge, the latest result of every check (measured value
 * beside the expectation), and per rule a trend chart of its recent history, opened on demand (the first
 * failing rule starts open).
 */
export function QualityPanel({ contractId, headingLevel = 3 }: { contractId: string; headingLevel?: 2 | 3 }) {
  const latest = useQuery({
    queryKey: ['checks-latest', contractId],
    queryFn: ({ signal }) => api.call('GET /api/contracts/{id}/checks/latest', { path: { id: contractId } }, { signal }),
  });
  const trust = useQuery({
    queryKey: ['trust', contractId],
    queryFn: ({ signal }) => api.call('GET /api/contracts/{id}/trust', { path: { id: contractId } }, { signal }),
  });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className="quality">
      <div className="quality-head">
        <Heading className="inline-heading">Latest check results</Heading>
        {trust.data !== undefined && <TrustBadgeView badge={trust.data} />}
      </div>
      {trust.data !== undefined && <p className="small muted">{trust.data.reason}</p>}
      {latest.isPending ? (
        <Loading label="Loading check results…" />
      ) : latest.isError ? (
        <ErrorState error={latest.error} onRetry={() => void latest.refetch()} />
      ) : latest.data.items.length === 0 ? (
        <p className="empty">No check has run on this contract yet.</p>
      ) : (
        <ResultsTable contractId={contractId} items={latest.data.items} />
      )}
    </div>
  );
}

function ResultsTable({ contractId, items }: { contractId: string; items: readonly LatestCheckResult[] }) {
  const firstFailing = items.find((item) => item.result === 'failed' || item.result === 'warning')?.key;
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(firstFailing === undefined ? [] : [firstFailing]));
  const toggle = (key: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <ul className="check-list">
      {items.map((item) => {
        const expanded = open.has(item.key);
        const panelId = `trend-${contractId}-${item.key}`.replace(/[^a-zA-Z0-9_-]/g, '-');
        return (
          <li key={item.key} className="check-item">
            <div className="check-row">
              <ResultChip result={item.result} />
              <span className="check-name">
                {item.name}
                <span className="muted small"> · {item.category}</span>
              </span>
              <span className="check-measure">
                measured <strong>{item.measured ?? '—'}</strong>
                {item.unit === null ? '' : ` ${item.unit}`}
                {item.unit === 'seconds' && typeof item.measured === 'number' && <span className="muted"> ≈ {humanDuration(item.measured)}</span>}
                {item.expected !== null && <span className="muted"> (expected {item.expected})</span>}
              </span>
              <button type="button" className="button button-small" aria-expanded={expanded} aria-controls={panelId} onClick={() => toggle(item.key)}>
                {expanded ? 'Hide trend' : 'Trend'}
                <span className="visually-hidden"> of {item.name}</span>
              </button>
            </div>
            {item.message !== '' && item.result !== 'passed' && <p className="small muted check-message">{item.message}</p>}
            {expanded && (
              <div id={panelId}>
                <RuleTrend contractId={contractId} checkKey={item.key} name={item.name} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A duration in seconds as the largest fitting unit with one decimal (SLA ages are measured in seconds). */
function humanDuration(seconds: number): string {
  const units: [number, string][] = [[86_400 * 365, 'y'], [86_400, 'd'], [3_600, 'h'], [60, 'min']];
  const [size, label] = units.find(([length]) => Math.abs(seconds) >= length) ?? [1, 's'];
  return `${(seconds / size).toFixed(1).replace(/\.0$/, '')} ${label}`;
}

function RuleTrend({ contractId, checkKey, name }: { contractId: string; checkKey: string; name: string }) {
  const history = useQuery({
    queryKey: ['check-history', contractId, checkKey],
    queryFn: ({ signal }) => api.call('GET /api/contracts/{id}/checks/{checkKey}/history', { path: { id: contractId, checkKey }, query: { limit: historySize } }, { signal }),
  });
  if (history.isPending) return <Loading label="Loading the trend…" />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => void history.refetch()} />;
  return <TrendChart name={name} points={history.data.items} />;
}
