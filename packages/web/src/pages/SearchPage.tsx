import type { SearchResult } from '@meshboard/client';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api } from '../app/api';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { SearchBox } from '../components/SearchBox';
import { useTitle } from '../components/useTitle';
import type { SearchFilters } from './searchFilters';

const route = getRouteApi('/authed/search');

const kindLabels: Record<string, string> = { product: 'Data products', contract: 'Data contracts', property: 'Columns' };
const pageSize = 25;

type FacetName = 'kind' | 'domainId' | 'status' | 'tag';
type Hit = SearchResult['items'][number];

/** Search results for `?q=` with facet filters (kind, domain, status, tag) and "show more" paging. */
export function SearchPage() {
  const filters: SearchFilters = route.useSearch();
  const { q } = filters;
  useTitle(q === '' ? 'Search' : `Search: ${q}`);
  const domains = useQuery({
    queryKey: ['domains'],
    queryFn: ({ signal }) => api.call('GET /api/domains', { query: { limit: 500 } }, { signal }),
  });
  // Hits carry domain ids, the domain facet carries slugs: both resolve to the domain's name.
  const domainName = (idOrSlug: string) => domains.data?.items.find((domain) => domain.id === idOrSlug || domain.slug === idOrSlug)?.name ?? idOrSlug;
  const results = useInfiniteQuery({
    queryKey: ['search', filters],
    enabled: q !== '',
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: SearchResult) => page.nextCursor ?? undefined,
    queryFn: ({ signal, pageParam }) =>
      api.call('GET /api/search', { query: { ...filters, limit: pageSize, ...(pageParam === undefined ? {} : { cursor: pageParam }) } }, { signal }),
  });
  const first = results.data?.pages[0];
  const hits = results.data?.pages.flatMap((page) => page.items) ?? [];
  const facetLabel = (name: FacetName, value: string) => (name === 'kind' ? (kindLabels[value] ?? value) : name === 'domainId' ? domainName(value) : value);
  const active = (['kind', 'domainId', 'status', 'tag'] as const).filter((name) => filters[name] !== undefined);
  return (
    <>
      <h1>Search</h1>
      <SearchBox key={q} initial={q} autoFocus={q === ''} keepFilters />
      {active.length > 0 && (
        <ul className="chips" aria-label="Active filters">
          {active.map((name) => (
            <li key={name}>
              <Link to="/search" search={{ ...filters, [name]: undefined }} className="chip" aria-label={`Remove filter ${facetLabel(name, filters[name] as string)}`}>
                {facetLabel(name, filters[name] as string)} <span aria-hidden="true">×</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <div className="search-layout">
        {first !== undefined && first.total > 0 && (
          <aside aria-label="Filters" className="facets">
            {(
              [
                ['kind', 'Type', first.facets.kind],
                ['domainId', 'Domain', first.facets.domain],
                ['status', 'Status', first.facets.status],
                ['tag', 'Tag', first.facets.tag],
              ] as const
            ).map(([name, label, counts]) =>
              counts.length === 0 ? null : (
                <section key={name} aria-labelledby={`facet-${name}`}>
                  <h2 id={`facet-${name}`}>{label}</h2>
                  <ul className="facet-list">
                    {counts.map((count) => (
                      <li key={count.value}>
                        <Link
                          to="/search"
                          search={{ ...filters, [name]: filters[name] === count.value ? undefined : count.value }}
                          aria-current={filters[name] === count.value ? 'true' : undefined}
                        >
                          {facetLabel(name, count.value)} <span className="count">{count.count}</span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                </section>
              ),
            )}
          </aside>
        )}
        <section aria-live="polite" aria-labelledby="results-heading" className="results">
          <h2 id="results-heading" className={first === undefined || first.total === 0 ? 'visually-hidden' : 'results-count'}>
            {first === undefined ? 'Results' : `${first.total} ${first.total === 1 ? 'result' : 'results'}`}
          </h2>
          {q === '' ? (
            <p className="empty">Type what you are looking for: a product, a column, an owner, a tag.</p>
          ) : results.isPending ? (
            <Loading label="Searching…" />
          ) : results.isError ? (
            <ErrorState error={results.error} onRetry={() => void results.refetch()} />
          ) : hits.length === 0 ? (
            <p className="empty">
              No results for “{q}”{active.length > 0 ? ' with these filters' : ''}. Check the spelling or try a broader term.
            </p>
          ) : (
            <>
              <ul className="list results-list">
                {hits.map((hit) => (
                  <SearchHitCard key={`${hit.kind}:${hit.id}:${hit.context}`} hit={hit} domain={domainName(hit.domainId)} />
                ))}
              </ul>
              {results.hasNextPage && (
                <button type="button" className="button" disabled={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>
                  {results.isFetchingNextPage ? 'Loading…' : 'Show more results'}
                </button>
              )}
            </>
          )}
        </section>
      </div>
    </>
  );
}

function SearchHitCard({ hit, domain }: { hit: Hit; domain: string }) {
  return (
    <li className="card">
      <h3>
        {hit.kind === 'product' ? (
          <Link to="/products/$productId" params={{ productId: hit.id }}>
            {hit.title}
          </Link>
        ) : (
          // Contract and column hits both carry the contract's id.
          <Link to="/contracts/$contractId" params={{ contractId: hit.id }}>
            {hit.title}
          </Link>
        )}
      </h3>
      <p className="meta">
        {[kindLabels[hit.kind]?.replace(/s$/, '').toLowerCase() ?? hit.kind, domain, hit.status, hit.owner === '' ? undefined : `owner ${hit.owner}`]
          .filter((part) => part !== undefined)
          .join(' · ')}
      </p>
      {hit.context !== '' && <p className="muted">{hit.context}</p>}
      {hit.tags.length > 0 && (
        <ul className="tags" aria-label="Tags">
          {hit.tags.map((tag) => (
            <li key={tag}>
              <Link to="/search" search={{ q: tag, tag }} className="tag">
                {tag}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
