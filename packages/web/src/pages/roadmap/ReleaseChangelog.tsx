import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { ReleaseNotesView } from './ReleaseNotesView';
import './roadmap.css';

/** The product's released releases, newest first, each with its generated notes (for the product page's changelog). */
export function ReleaseChangelog({ productId }: { productId: string }) {
  const released = useQuery({ queryKey: ['releases', productId, 'released'], queryFn: ({ signal }) => api.call('GET /api/products/{id}/releases', { path: { id: productId }, query: { state: 'released' } }, { signal }) });
  if (released.isError) return <ErrorState error={released.error} />;
  const items = [...(released.data?.items ?? [])].sort((a, b) => (b.releasedAt ?? '').localeCompare(a.releasedAt ?? ''));
  if (items.length === 0) return null;
  return (
    <>
      <h3>Releases</h3>
      <ol className="changelog">
        {items.map((release) => (
          <li key={release.id} className="changelog-entry">
            <h4>
              <Link to="/releases/$releaseId" params={{ releaseId: release.id }}>
                {release.name} {release.productVersion}
              </Link>{' '}
              {release.notes?.breaking === true && <span className="badge change-breaking">breaking</span>}
            </h4>
            {release.releasedAt !== null && (
              <p className="meta">
                Released <time dateTime={release.releasedAt}>{release.releasedAt.slice(0, 10)}</time>
              </p>
            )}
            {release.notes !== null && (
              <details>
                <summary>Release notes</summary>
                <ReleaseNotesView notes={release.notes} productId={productId} headingLevel={5} />
              </details>
            )}
          </li>
        ))}
      </ol>
      <h3>Versions</h3>
    </>
  );
}
