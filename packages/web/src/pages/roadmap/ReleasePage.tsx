import type { Release, ReleasePatch } from '@meshboard/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { kindLabels, stateName } from '../backlog/labels';
import { useCanTriage } from '../backlog/useCanTriage';
import { ReleaseForm } from './ReleaseForm';
import { ReleaseNotesView } from './ReleaseNotesView';
import './roadmap.css';
import { useRoadmapPlacement } from './useRoadmapPlacement';

const route = getRouteApi('/authed/releases/$releaseId');
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/**
 * One release: its items and, once released, its generated notes. The product team edits a planned
 * release, adds or removes items, and releases it (which freezes the notes and notifies subscribers and
 * requesters); every write sends the version read (If-Match) and a conflict is shown, not overwritten.
 */
export function ReleasePage() {
  const { releaseId } = route.useParams();
  const queryClient = useQueryClient();
  const release = useQuery({ queryKey: ['releases', 'one', releaseId], queryFn: ({ signal }) => api.call('GET /api/releases/{id}', { path: { id: releaseId } }, { signal }) });
  const productId = release.data?.productId ?? '';
  const product = useQuery({ queryKey: ['product', productId], enabled: productId !== '', queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }) });
  const canPlan = useCanTriage(product.data?.domainId ?? '');
  const refresh = async (updated?: Release) => {
    if (updated !== undefined) queryClient.setQueryData(['releases', 'one', releaseId], updated);
    await queryClient.invalidateQueries({ queryKey: ['releases'] });
    await queryClient.invalidateQueries({ queryKey: ['roadmap', productId] });
  };
  const edit = useMutation({
    mutationFn: ({ body, version }: { body: ReleasePatch; version: number }) => api.call('PATCH /api/releases/{id}', { path: { id: releaseId }, body }, { ifMatch: `"v${version}"` }),
    onSuccess: refresh,
  });
  const ship = useMutation({
    mutationFn: (version: number) => api.call('POST /api/releases/{id}/release', { path: { id: releaseId } }, { ifMatch: `"v${version}"` }),
    onSuccess: refresh,
  });
  const [confirming, setConfirming] = useState(false);
  useTitle(release.data === undefined ? 'Release' : `${release.data.name} ${release.data.productVersion}`);
  if (release.isPending) return <Loading label="Loading the release…" />;
  if (release.isError) return <ErrorState error={release.error} onRetry={() => void release.refetch()} />;
  const current = release.data;
  const planned = current.state === 'planned';
  const done = current.items.filter((item) => item.state === 'done').length;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span> <a href={`/products/${encodeURIComponent(productId)}`}>{product.data?.name ?? 'Product'}</a> <span aria-hidden="true">/</span>{' '}
        <Link to="/products/$productId/releases" params={{ productId }}>
          Releases
        </Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">{current.productVersion}</span>
      </nav>
      <h1>
        {current.name} <span className="muted">{current.productVersion}</span>
      </h1>
      <p className="meta">
        <span className={`badge${planned ? '' : ' badge-accent'}`}>{current.state}</span> {current.targetDate === null ? 'No target date' : `Target ${dateFormat.format(new Date(`${current.targetDate}T00:00:00Z`))}`}
        {current.releasedAt !== null && <> · released <time dateTime={current.releasedAt}>{current.releasedAt.slice(0, 10)}</time></>}
      </p>
      {current.description !== '' && <p>{current.description}</p>}

      {current.notes !== null && (
        <section className="card roadmap-section" aria-labelledby="notes-heading">
          <h2 id="notes-heading">Release notes</h2>
          <ReleaseNotesView notes={current.notes} productId={productId} headingLevel={3} />
          <details>
            <summary>As Markdown</summary>
            <pre className="small">{current.notes.markdown}</pre>
          </details>
        </section>
      )}

      <section className="card roadmap-section" aria-labelledby="items-heading">
        <h2 id="items-heading">Items ({current.items.length})</h2>
        {current.items.length === 0 && <p className="small muted">No backlog items in this release yet.</p>}
        {current.items.length > 0 && (
          <ul>
            {current.items.map((item) => (
              <li key={item.id}>
                <Link to="/products/$productId/backlog" params={{ productId }} search={{ item: item.id }}>
                  #{item.number} {item.title}
                </Link>{' '}
                <span className="badge">{kindLabels[item.kind]}</span> <span className="badge">{stateName(item.state)}</span>
                {canPlan && planned && <RemoveItem productId={productId} itemId={item.id} label={`#${item.number}`} />}
              </li>
            ))}
          </ul>
        )}
        {canPlan && planned && <AddItem productId={productId} release={current} />}
      </section>

      {canPlan && planned && (
        <>
          <section className="card roadmap-section" aria-labelledby="release-heading">
            <h2 id="release-heading">Release it</h2>
            <p>
              Releasing generates the notes from the contract changes since the previous release and the {done} done item{done === 1 ? '' : 's'}, and notifies the product’s subscribers and everyone whose request it contains. Items not done stay listed here but are not in the notes.
            </p>
            {!confirming ? (
              <button type="button" className="button button-primary" onClick={() => setConfirming(true)}>
                Release {current.productVersion}…
              </button>
            ) : (
              <div className="roadmap-add" role="group" aria-label="Confirm the release">
                <button type="button" className="button button-primary" disabled={ship.isPending} onClick={() => ship.mutate(current.version)}>
                  Release and notify
                </button>
                <button type="button" className="button" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            )}
            {ship.isError && <ErrorState error={ship.error} onRetry={() => void release.refetch().then(() => ship.reset())} />}
          </section>
          <section className="card roadmap-section" aria-labelledby="edit-heading">
            <h2 id="edit-heading">Edit</h2>
            <ReleaseForm
              key={current.version}
              label="Edit the release"
              submitLabel="Save changes"
              initial={{ name: current.name, productVersion: current.productVersion, targetDate: current.targetDate, description: current.description }}
              pending={edit.isPending}
              onSubmit={(body) => edit.mutate({ body, version: current.version })}
            />
            {edit.isError && <ErrorState error={edit.error} onRetry={() => void release.refetch().then(() => edit.reset())} />}
          </section>
        </>
      )}
    </>
  );
}

/** Takes an item out of the release (its entry's version is read first, then sent as If-Match). */
function RemoveItem({ productId, itemId, label }: { productId: string; itemId: string; label: string }) {
  const place = useRoadmapPlacement(productId);
  const remove = async () => {
    const entry = await api.call('GET /api/backlog-items/{id}/roadmap', { path: { id: itemId } });
    place.mutate({ itemId, version: entry.version, placement: { releaseId: null } });
  };
  return (
    <button type="button" className="button roadmap-small" onClick={() => void remove()} disabled={place.isPending}>
      Remove<span className="visually-hidden"> {label} from the release</span>
    </button>
  );
}

/** Adds an open backlog item of the product to the release. */
function AddItem({ productId, release }: { productId: string; release: Release }) {
  const items = useQuery({ queryKey: ['backlog', productId, 'release-candidates'], queryFn: ({ signal }) => api.call('GET /api/products/{id}/backlog', { path: { id: productId }, query: { limit: 100, sort: 'rank' } }, { signal }) });
  const place = useRoadmapPlacement(productId);
  const [itemId, setItemId] = useState('');
  const inRelease = new Set(release.items.map((item) => item.id));
  const candidates = (items.data?.items ?? []).filter((item) => !inRelease.has(item.id) && item.duplicateOfId === null && item.state !== 'declined');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (itemId === '') return;
    const entry = await api.call('GET /api/backlog-items/{id}/roadmap', { path: { id: itemId } });
    place.mutate({ itemId, version: entry.version, placement: { releaseId: release.id } }, { onSuccess: () => setItemId('') });
  };
  return (
    <form className="roadmap-add" aria-label="Add an item to the release" onSubmit={(event) => void submit(event)}>
      <label className="roadmap-field">
        Backlog item
        <select value={itemId} onChange={(event) => setItemId(event.target.value)} required>
          <option value="">Choose an item (by rank)</option>
          {candidates.map((item) => (
            <option key={item.id} value={item.id}>
              #{item.number} {item.title} ({stateName(item.state)})
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button" disabled={itemId === '' || place.isPending}>
        Add to release
      </button>
      {place.isError && <ErrorState error={place.error} />}
    </form>
  );
}
