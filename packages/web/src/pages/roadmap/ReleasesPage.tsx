import type { ReleaseCreate } from '@meshboard/client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { useCanTriage } from '../backlog/useCanTriage';
import { ReleaseForm } from './ReleaseForm';
import './roadmap.css';

const route = getRouteApi('/authed/products/$productId/releases');
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A product's releases (planned and released) by target date; the product team plans new ones here. */
export function ReleasesPage() {
  const { productId } = route.useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const product = useQuery({ queryKey: ['product', productId], queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }) });
  const id = product.data?.id ?? '';
  const releases = useQuery({ queryKey: ['releases', id], enabled: id !== '', queryFn: ({ signal }) => api.call('GET /api/products/{id}/releases', { path: { id } }, { signal }) });
  const canPlan = useCanTriage(product.data?.domainId ?? '');
  const create = useMutation({
    mutationFn: (body: ReleaseCreate) => api.call('POST /api/products/{id}/releases', { path: { id }, body }),
    onSuccess: async (release) => {
      await queryClient.invalidateQueries({ queryKey: ['releases'] });
      await navigate({ to: '/releases/$releaseId', params: { releaseId: release.id } });
    },
  });
  useTitle(product.data === undefined ? 'Releases' : `Releases · ${product.data.name}`);
  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.isError) return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span> <a href={`/products/${encodeURIComponent(productId)}`}>{product.data.name}</a> <span aria-hidden="true">/</span>{' '}
        <Link to="/products/$productId/roadmap" params={{ productId }}>
          Roadmap
        </Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">Releases</span>
      </nav>
      <h1>Releases: {product.data.name}</h1>
      {releases.isPending && <Loading label="Loading the releases…" />}
      {releases.isError && <ErrorState error={releases.error} onRetry={() => void releases.refetch()} />}
      {releases.data !== undefined && releases.data.items.length === 0 && <p className="muted">No releases yet.</p>}
      {releases.data !== undefined && releases.data.items.length > 0 && (
        <table className="table roadmap-section">
          <caption className="visually-hidden">Releases of {product.data.name}</caption>
          <thead>
            <tr>
              <th scope="col">Release</th>
              <th scope="col">Version</th>
              <th scope="col">Target date</th>
              <th scope="col">State</th>
              <th scope="col">Items</th>
            </tr>
          </thead>
          <tbody>
            {releases.data.items.map((release) => (
              <tr key={release.id}>
                <td>
                  <Link to="/releases/$releaseId" params={{ releaseId: release.id }}>
                    {release.name}
                  </Link>
                </td>
                <td>{release.productVersion}</td>
                <td>{release.targetDate === null ? '—' : dateFormat.format(new Date(`${release.targetDate}T00:00:00Z`))}</td>
                <td>
                  <span className={`badge${release.state === 'released' ? ' badge-accent' : ''}`}>{release.state}</span>
                  {release.notes?.breaking === true && <> <span className="badge change-breaking">breaking</span></>}
                </td>
                <td>{release.items.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canPlan && (
        <section className="card roadmap-section" aria-labelledby="plan-heading">
          <h2 id="plan-heading">Plan a release</h2>
          <ReleaseForm label="Plan a release" submitLabel="Plan release" pending={create.isPending} onSubmit={(body) => create.mutate(body)} />
          {create.isError && <ErrorState error={create.error} />}
        </section>
      )}
    </>
  );
}
