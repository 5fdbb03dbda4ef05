import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { useCanTriage } from '../backlog/useCanTriage';
import './roadmap.css';
import { RoadmapBoardView } from './RoadmapBoardView';
import { RoadmapTimelineView } from './RoadmapTimelineView';

const route = getRouteApi('/authed/products/$productId/roadmap');

/** A product's roadmap: the now / next / later board, or the timeline by release or by quarter. */
export function RoadmapPage() {
  const { productId } = route.useParams();
  const search = route.useSearch();
  const product = useQuery({ queryKey: ['product', productId], queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }) });
  const canPlan = useCanTriage(product.data?.domainId ?? '');
  const view = search.view ?? 'board';
  useTitle(product.data === undefined ? 'Roadmap' : `Roadmap · ${product.data.name}`);
  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.isError) return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  const id = product.data.id;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span> <a href={`/products/${encodeURIComponent(productId)}`}>{product.data.name}</a> <span aria-hidden="true">/</span> <span aria-current="page">Roadmap</span>
      </nav>
      <h1>Roadmap: {product.data.name}</h1>
      <nav aria-label="Roadmap views" className="roadmap-views">
        <Link to="/products/$productId/roadmap" params={{ productId }} search={{}} aria-current={view === 'board' ? 'page' : undefined} activeOptions={{ exact: true, includeSearch: true }}>
          Now / next / later
        </Link>
        <Link to="/products/$productId/roadmap" params={{ productId }} search={{ view: 'timeline' }} aria-current={view === 'timeline' && search.by === undefined ? 'page' : undefined} activeOptions={{ exact: true, includeSearch: true }}>
          Timeline by release
        </Link>
        <Link to="/products/$productId/roadmap" params={{ productId }} search={{ view: 'timeline', by: 'quarter' }} aria-current={view === 'timeline' && search.by === 'quarter' ? 'page' : undefined} activeOptions={{ exact: true, includeSearch: true }}>
          Timeline by quarter
        </Link>
        <Link to="/products/$productId/releases" params={{ productId }}>
          Releases
        </Link>
        <Link to="/products/$productId/backlog" params={{ productId }}>
          Backlog
        </Link>
      </nav>
      {view === 'board' ? <RoadmapBoardView productId={id} canPlan={canPlan} /> : <RoadmapTimelineView productId={id} by={search.by ?? 'release'} />}
    </>
  );
}
