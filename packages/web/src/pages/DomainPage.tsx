import type { ProductHealthPage } from '@meshboard/client';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api } from '../app/api';
import { roleLabel } from '../app/roleLabel';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { TrustBadgeView } from '../components/product/TrustBadgeView';
import { useTitle } from '../components/useTitle';
import '../components/product/product.css';

const route = getRouteApi('/authed/domains/$domainId');
/** Products per page of the domain's table. */
const productPageSize = 50;

/** A domain: its description, its products with status and quality, its teams and the people holding a role in it. */
export function DomainPage() {
  const { domainId } = route.useParams();
  const domain = useQuery({
    queryKey: ['domain', domainId],
    queryFn: ({ signal }) => api.call('GET /api/domains/{id}', { path: { id: domainId } }, { signal }),
  });
  const teams = useQuery({
    queryKey: ['teams', { domainId }],
    queryFn: ({ signal }) => api.call('GET /api/teams', { query: { domainId, limit: 500 } }, { signal }),
  });
  // Paged: a domain of a large mesh holds tens of thousands of products; the first page renders at once
  // and "Show more products" appends the next (the summary line above the table gives the total).
  const products = useInfiniteQuery({
    queryKey: ['product-health', domainId],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: ProductHealthPage) => page.nextCursor ?? undefined,
    queryFn: ({ signal, pageParam }) =>
      api.call('GET /api/domains/{id}/product-health', { path: { id: domainId }, query: { limit: productPageSize, ...(pageParam === undefined ? {} : { cursor: pageParam }) } }, { signal }),
  });
  const productRows = products.data?.pages.flatMap((page) => page.items) ?? [];
  const summary = useQuery({
    queryKey: ['domain-health-summary', domainId],
    queryFn: ({ signal }) => api.call('GET /api/domains/{id}/health-summary', { path: { id: domainId } }, { signal }),
  });
  const people = useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => api.call('GET /api/users', { query: { limit: 500 } }, { signal }),
  });
  useTitle(domain.data?.name ?? (domain.isError ? 'Domain not available' : 'Domain'));
  if (domain.isPending) return <Loading label="Loading the domain…" />;
  if (domain.isError) return <ErrorState error={domain.error} onRetry={() => void domain.refetch()} />;
  const members = (people.data?.items ?? []).flatMap((user) =>
    user.roles.filter((role) => role.domainId === domainId).map((role) => ({ user, role: role.role })),
  );
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span> <span aria-current="page">{domain.data.name}</span>
      </nav>
      <h1>{domain.data.name}</h1>
      <p className="lead">{domain.data.description || 'No description.'}</p>
      <section aria-labelledby="products-heading" className="card domain-products">
        <h2 id="products-heading">Data products</h2>
        {summary.data !== undefined && summary.data.products > 0 && (
          <p className="health-summary" data-testid="domain-health-summary">
            {plural(summary.data.products, 'product')} · {summary.data.passingChecks} passing checks · {summary.data.failingChecks} failing checks ·{' '}
            {summary.data.breachingSla} breaching SLA · {plural(summary.data.activeSubscriptions, 'active subscription')} ({plural(summary.data.consumers, 'consumer')})
          </p>
        )}
        {products.isPending ? (
          <Loading label="Loading products…" />
        ) : products.isError ? (
          <ErrorState error={products.error} onRetry={() => void products.refetch()} />
        ) : productRows.length === 0 ? (
          <p className="empty">No data products in this domain yet.</p>
        ) : (
          <table className="table health-table">
            <caption className="visually-hidden">Data products of {domain.data.name} with status, quality, SLA and adoption</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Status</th>
                <th scope="col">Version</th>
                <th scope="col">Quality</th>
                <th scope="col">SLA</th>
                <th scope="col">Adoption</th>
              </tr>
            </thead>
            <tbody>
              {productRows.map((product) => (
                <tr key={product.id}>
                  <th scope="row">
                    <Link to="/products/$productId" params={{ productId: product.id }}>
                      {product.name}
                    </Link>
                  </th>
                  <td>
                    <span className={`badge status-${product.status}`}>{product.status}</span>
                  </td>
                  <td>{product.productVersion}</td>
                  <td>
                    <TrustBadgeView badge={product.trust} />
                  </td>
                  <td>
                    <span className={`badge state-${product.slaState}`}>{slaLabels[product.slaState]}</span>
                  </td>
                  <td className="adoption">
                    {plural(product.activeSubscriptions, 'subscription')}
                    <div className="muted small">{plural(product.consumers, 'consumer')}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {products.hasNextPage && (
          <p>
            <button type="button" className="button" disabled={products.isFetchingNextPage} onClick={() => void products.fetchNextPage()}>
              {products.isFetchingNextPage ? 'Loading…' : 'Show more products'}
            </button>{' '}
            <span className="muted small">
              {productRows.length}
              {summary.data === undefined ? '' : ` of ${summary.data.products}`} shown
            </span>
          </p>
        )}
      </section>
      <p>
        <Link to="/domains/$domainId/kpis" params={{ domainId }}>
          Domain KPIs
        </Link>
      </p>
      <div className="columns">
        <section aria-labelledby="teams-heading" className="card">
          <h2 id="teams-heading">Teams</h2>
          {teams.isPending ? (
            <Loading label="Loading teams…" />
          ) : teams.isError ? (
            <ErrorState error={teams.error} />
          ) : teams.data.items.length === 0 ? (
            <p className="empty">No teams in this domain.</p>
          ) : (
            <ul className="list">
              {teams.data.items.map((team) => (
                <li key={team.id}>
                  <strong>{team.name}</strong>
                  {team.description !== '' && <span className="muted"> — {team.description}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="people-heading" className="card">
          <h2 id="people-heading">People</h2>
          {people.isPending ? (
            <Loading label="Loading people…" />
          ) : people.isError ? (
            <ErrorState error={people.error} />
          ) : members.length === 0 ? (
            <p className="empty">Nobody holds a role in this domain.</p>
          ) : (
            <ul className="list">
              {members.map(({ user, role }) => (
                <li key={`${user.id}-${role}`}>
                  <strong>{user.name}</strong> <span className="badge">{roleLabel(role)}</span>
                  <div className="muted small">{user.email}</div>
                </li>
              ))}
            </ul>
          )}
          {people.data?.nextCursor != null && <p className="muted small">Showing the first 500 users only.</p>}
        </section>
      </div>
    </>
  );
}

/** The SLA state in words (the colour of the badge only repeats them). */
const slaLabels: Record<'met' | 'breached' | 'unknown', string> = { met: 'SLA met', breached: 'SLA breached', unknown: 'SLA not measured' };

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
