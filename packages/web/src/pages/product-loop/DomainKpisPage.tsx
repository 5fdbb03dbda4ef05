import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { KpiCard } from './KpiCard';
import { KpiDefineForm } from './KpiDefineForm';

const route = getRouteApi('/authed/domains/$domainId/kpis');

/** A domain's KPIs, computed over all its products, and links to each product's own KPIs. */
export function DomainKpisPage() {
  const { domainId } = route.useParams();
  const queryKey = ['kpis', 'domain', domainId] as const;
  const domain = useQuery({ queryKey: ['domain', domainId], queryFn: ({ signal }) => api.call('GET /api/domains/{id}', { path: { id: domainId } }, { signal }) });
  const kpis = useQuery({ queryKey, queryFn: ({ signal }) => api.call('GET /api/domains/{id}/kpis', { path: { id: domainId } }, { signal }) });
  const products = useQuery({ queryKey: ['products', { domainId }], queryFn: ({ signal }) => api.call('GET /api/products', { query: { domainId, limit: 500 } }, { signal }) });
  useTitle(domain.data === undefined ? 'Domain KPIs' : `${domain.data.name} KPIs`);
  if (domain.isPending) return <Loading label="Loading the domain…" />;
  if (domain.isError) return <ErrorState error={domain.error} onRetry={() => void domain.refetch()} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span>{' '}
        <Link to="/domains/$domainId" params={{ domainId }}>
          {domain.data.name}
        </Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">KPIs</span>
      </nav>
      <h1>{domain.data.name}: KPIs</h1>
      <p className="lead">Computed over every data product of the domain.</p>
      {kpis.isPending ? (
        <Loading label="Computing the KPIs…" />
      ) : kpis.isError ? (
        <ErrorState error={kpis.error} onRetry={() => void kpis.refetch()} />
      ) : kpis.data.items.length === 0 ? (
        <p className="empty">No domain KPIs defined yet.</p>
      ) : (
        <div className="kpi-list">
          {kpis.data.items.map((report) => (
            <KpiCard key={report.kpi.id} report={report} queryKey={queryKey} />
          ))}
        </div>
      )}
      <div className="columns">
        <section aria-labelledby="products-heading" className="card">
          <h2 id="products-heading">KPIs of its products</h2>
          {products.isPending ? (
            <Loading label="Loading products…" />
          ) : products.isError ? (
            <ErrorState error={products.error} />
          ) : products.data.items.length === 0 ? (
            <p className="empty">No products in this domain.</p>
          ) : (
            <ul className="list">
              {products.data.items.map((product) => (
                <li key={product.id}>
                  <Link to="/products/$productId/kpis" params={{ productId: product.id }}>
                    {product.name}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card">
          <KpiDefineForm owner={{ kind: 'domain', id: domainId }} queryKey={queryKey} />
        </section>
      </div>
    </>
  );
}
