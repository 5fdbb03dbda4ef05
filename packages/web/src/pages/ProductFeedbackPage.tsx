import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api } from '../app/api';
import { ErrorState } from '../components/ErrorState';
import { ProductFeedback } from '../components/feedback/ProductFeedback';
import { Loading } from '../components/Loading';
import { useTitle } from '../components/useTitle';

const route = getRouteApi('/authed/products/$productId/feedback');

/** A product's feedback on a page of its own (the product page embeds the same ProductFeedback section). */
export function ProductFeedbackPage() {
  const { productId } = route.useParams();
  const product = useQuery({ queryKey: ['product', productId], queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }) });
  useTitle(product.data === undefined ? (product.isError ? 'Product not available' : 'Feedback') : `Feedback on ${product.data.name}`);
  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.isError) return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span> <span>{product.data.name}</span> <span aria-hidden="true">/</span> <span aria-current="page">Feedback</span>
      </nav>
      <h1>Feedback on {product.data.name}</h1>
      <p className="lead">Ratings, questions, issue reports and feature requests from the product's consumers, answered by its owners.</p>
      <ProductFeedback productId={product.data.id} />
    </>
  );
}
