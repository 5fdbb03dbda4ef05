import type { Change, Diff } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';

const groups = [
  ['breaking', 'Breaking'],
  ['non-breaking', 'Non-breaking'],
  ['informational', 'Informational'],
] as const;

interface VersionEntry {
  version: string;
  revision: number;
  changeKind: 'initial' | 'breaking' | 'non-breaking';
  publishedAt: string;
}

/**
 * The published versions of a product or contract, newest first, each with the classified changes from
 * the version before it (GET …/diff), grouped Breaking / Non-breaking / Informational.
 */
export function Changelog({ kind, id }: { kind: 'product' | 'contract'; id: string }) {
  const versions = useQuery({
    queryKey: ['versions', kind, id],
    queryFn: ({ signal }): Promise<{ items: VersionEntry[]; nextCursor: string | null }> =>
      kind === 'product'
        ? api.call('GET /api/products/{id}/versions', { path: { id }, query: { limit: 20 } }, { signal })
        : api.call('GET /api/contracts/{id}/versions', { path: { id }, query: { limit: 20 } }, { signal }),
  });
  if (versions.isPending) return <Loading label="Loading versions…" />;
  if (versions.isError) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  const items: VersionEntry[] = versions.data.items;
  return (
    <ol className="changelog">
      {items.map((entry, index) => {
        const previous = items[index + 1];
        return (
          <li key={`${entry.version}-${entry.revision}`} className="changelog-entry">
            <h3>
              Version {entry.version}
              {entry.revision > 1 && <span className="muted small"> revision {entry.revision}</span>}{' '}
              <span className={`badge change-${entry.changeKind}`}>{entry.changeKind}</span>
            </h3>
            <p className="meta">
              Published <time dateTime={entry.publishedAt}>{entry.publishedAt.slice(0, 16).replace('T', ' ')} UTC</time>
            </p>
            {previous === undefined ? (
              <p className="small muted">{entry.changeKind === 'initial' ? 'First published version.' : 'Older versions are not shown.'}</p>
            ) : previous.version === entry.version ? (
              <p className="small muted">A revision of version {entry.version} (republished under the same version).</p>
            ) : (
              <VersionDiff kind={kind} id={id} from={previous.version} to={entry.version} />
            )}
          </li>
        );
      })}
      {versions.data.nextCursor !== null && <li className="small muted">Showing the newest 20 versions.</li>}
    </ol>
  );
}

function VersionDiff({ kind, id, from, to }: { kind: 'product' | 'contract'; id: string; from: string; to: string }) {
  const diff = useQuery({
    queryKey: ['diff', kind, id, from, to],
    queryFn: ({ signal }): Promise<Diff> =>
      kind === 'product'
        ? api.call('GET /api/products/{id}/diff', { path: { id }, query: { from, to } }, { signal })
        : api.call('GET /api/contracts/{id}/diff', { path: { id }, query: { from, to } }, { signal }),
  });
  if (diff.isPending) return <Loading label={`Comparing ${from} with ${to}…`} />;
  if (diff.isError) return <ErrorState error={diff.error} />;
  if (diff.data.changes.length === 0) return <p className="small muted">No changes from {from}.</p>;
  return (
    <div className="diff-groups">
      <p className="small">
        Changes from {from}
        {diff.data.suggestedVersion !== undefined && diff.data.suggestedVersion !== to && <span className="muted"> (suggested version {diff.data.suggestedVersion})</span>}:
      </p>
      {groups.map(([severity, label]) => {
        const changes: Change[] = diff.data.changes.filter((change) => change.severity === severity);
        if (changes.length === 0) return null;
        return (
          <div key={severity} className={`diff-group diff-${severity}`}>
            <h4>
              {label} <span className="count">{changes.length}</span>
            </h4>
            <ul>
              {changes.map((change, index) => (
                <li key={`${change.path}-${index}`}>
                  {change.message} <code className="small">{change.path}</code>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
