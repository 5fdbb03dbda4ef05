import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { KpiCard } from './KpiCard';
import { KpiDefineForm } from './KpiDefineForm';
import { ProductLoopHeader } from './ProductLoopHeader';

const route = getRouteApi('/authed/products/$productId/kpis');

/** A product's KPIs: each with its series against the target, and a form to define another. */
export function ProductKpisPage() {
  const { productId } = route.useParams();
  const queryKey = ['kpis', 'product', productId] as const;
  const kpis = useQuery({ queryKey, queryFn: ({ signal }) => api.call('GET /api/products/{id}/kpis', { path: { id: productId } }, { signal }) });
  useTitle('KPIs');
  return (
    <>
      <ProductLoopHeader productId={productId} current="kpis" />
      {kpis.isPending ? (
        <Loading label="Computing the KPIs…" />
      ) : kpis.isError ? (
        <ErrorState error={kpis.error} onRetry={() => void kpis.refetch()} />
      ) : (
        <section aria-labelledby="kpis-heading">
          <h2 id="kpis-heading">KPIs</h2>
          {kpis.data.items.length === 0 ? (
            <p className="empty">No KPIs defined yet.</p>
          ) : (
            <div className="kpi-list">
              {kpis.data.items.map((report) => (
                <KpiCard key={report.kpi.id} report={report} queryKey={queryKey} />
              ))}
            </div>
          )}
        </section>
      )}
      <section className="card">
        <KpiDefineForm owner={{ kind: 'product', id: productId }} queryKey={queryKey} />
      </section>
    </>
  );
}
