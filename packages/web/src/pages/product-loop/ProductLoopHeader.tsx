import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';

/**
 * The head of the product-loop pages: breadcrumb (home, domain, product, page) and the links between
 * the product's page, vision and KPIs. The product page itself is another slice's; it is linked by URL.
 */
export function ProductLoopHeader({ productId, current }: { productId: string; current: 'vision' | 'kpis' }) {
  const product = useQuery({
    queryKey: ['product', productId],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }),
  });
  const domainId = product.data?.domainId;
  const domain = useQuery({
    queryKey: ['domain', domainId],
    enabled: domainId !== undefined,
    queryFn: ({ signal }) => api.call('GET /api/domains/{id}', { path: { id: domainId ?? '' } }, { signal }),
  });
  const name = product.data?.name ?? 'Product';
  const pageName = current === 'vision' ? 'Vision' : 'KPIs';
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span>{' '}
        {domainId !== undefined && (
          <>
            <Link to="/domains/$domainId" params={{ domainId }}>
              {domain.data?.name ?? 'Domain'}
            </Link>{' '}
            <span aria-hidden="true">/</span>{' '}
          </>
        )}
        <a href={`/products/${encodeURIComponent(productId)}`}>{name}</a> <span aria-hidden="true">/</span> <span aria-current="page">{pageName}</span>
      </nav>
      <h1>
        {name}: {pageName === 'KPIs' ? 'KPIs' : 'vision'}
      </h1>
      <nav aria-label="Product sections" className="tabs">
        <a href={`/products/${encodeURIComponent(productId)}`}>Overview</a>
        <Link to="/products/$productId/vision" params={{ productId }} aria-current={current === 'vision' ? 'page' : undefined}>
          Vision
        </Link>
        <Link to="/products/$productId/kpis" params={{ productId }} aria-current={current === 'kpis' ? 'page' : undefined}>
          KPIs
        </Link>
      </nav>
    </>
  );
}
