import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import './backlog.css';
import { BacklogItems } from './BacklogItems';
import { BacklogRankingView } from './BacklogRankingView';
import { BacklogSettingsForm } from './BacklogSettingsForm';

const route = getRouteApi('/authed/products/$productId/backlog');

/** A product's backlog: the item list with filters and the item panel, the value ranking, the settings. */
export function BacklogPage() {
  const { productId } = route.useParams();
  const search = route.useSearch();
  const view = search.view ?? 'items';
  const product = useQuery({
    queryKey: ['product', productId],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }),
  });
  const tabName = view === 'items' ? 'Backlog' : view === 'ranking' ? 'Ranking' : 'Backlog settings';
  useTitle(product.data === undefined ? tabName : `${tabName} · ${product.data.name}`);
  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.isError) return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  const tabs = [
    { view: undefined, label: 'Items' },
    { view: 'ranking' as const, label: 'Ranking' },
    { view: 'settings' as const, label: 'Settings' },
  ];
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span> <a href={`/products/${encodeURIComponent(productId)}`}>{product.data.name}</a> <span aria-hidden="true">/</span>{' '}
        <span aria-current="page">Backlog</span>
      </nav>
      <h1>Backlog: {product.data.name}</h1>
      <nav aria-label="Backlog views" className="backlog-tabs">
        {tabs.map((tab) => (
          <Link key={tab.label} to="/products/$productId/backlog" params={{ productId }} search={tab.view === undefined ? {} : { view: tab.view }} aria-current={(tab.view ?? 'items') === view ? 'page' : undefined} className={(tab.view ?? 'items') === view ? 'tab-current' : undefined} activeOptions={{ exact: true, includeSearch: true }}>
            {tab.label}
          </Link>
        ))}
      </nav>
      {view === 'items' && <BacklogItems productId={productId} domainId={product.data.domainId} search={search} />}
      {view === 'ranking' && <BacklogRankingView productId={productId} />}
      {view === 'settings' && <BacklogSettingsForm productId={productId} />}
    </>
  );
}
