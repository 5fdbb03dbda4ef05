import type { TrustBadge } from '@meshboard/client';

const labels: Record<TrustBadge['level'], string> = { high: 'High trust', medium: 'Medium trust', low: 'Low trust', unknown: 'Trust unknown' };

/** The computed trust badge: level, score and the server's reason (as a tooltip and for screen readers). */
export function TrustBadgeView({ badge, compact = false }: { badge: TrustBadge; compact?: boolean }) {
  const score = badge.score === null ? '' : ` · ${badge.score} %`;
  return (
    <span className={`trust trust-${badge.level}`} title={badge.reason}>
      <span aria-hidden="true" className="trust-dot" />
      {labels[badge.level]}
      {score}
      {!compact && <span className="visually-hidden"> — {badge.reason}</span>}
    </span>
  );
}

/** Result word → CSS class of the coloured result chip. */
export function ResultChip({ result }: { result: string }) {
  return <span className={`result result-${result}`}>{result}</span>;
}
