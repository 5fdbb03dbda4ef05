/**
 * Query options shared by a route's loader and its page, so both name the same cache entry. The loader
 * starts the fetch (on link hover or focus, through the router's intent preload, and on navigation)
 * without waiting for the page's lazy chunk; the page's `useQuery` then finds the request in flight or
 * its answer in the cache. Kept out of the page chunks: the router imports this module eagerly.
 */
import { queryOptions } from '@tanstack/react-query';
import { api } from './api';

/** `GET /api/products/{id}` under the key every page showing a product uses: `['product', id]`. */
export const productQuery = (productId: string) =>
  queryOptions({
    queryKey: ['product', productId],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: productId } }, { signal }),
  });
