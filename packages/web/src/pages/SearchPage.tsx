import type { SearchResult } from '@meshboard/client';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { api } from '../app/api';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { InstantSearchBox } from '../components/SearchBox';
import { useTitle } from '../components/useTitle';
import { effectiveSort, facetFilterNames, qualityLabels, slaLabels, type FacetFilterName, type QualityState, type SearchFilters, type SearchSort, type SlaState } from './searchFilters';

const route = getRouteApi('/authed/search');

const kindLabels: Record<string, string> = { product: 'Data products', contract: 'Data contracts', property: 'Columns' };
const sortLabels: Record<SearchSort, string> = { relevance: 'Best match', name: 'Name (A–Z)', updated: 'Recently updated' };
const pageSize = 25;
/** How long typing pauses before the results follow: short enough to feel instant, long enough to skip most keystrokes. */
const debounceMs = 150;

type Hit = SearchResult['items'][number];

/**
 * Search and browse: results follow the text as it is typed (debounced; the URL is replaced, not
 * pushed, so Back leaves the page instead of replaying keystrokes), the previous results stay while the
 * next ones load, and a superseded request is aborted. No text browses every data product by name.
 * Facets: type, domain, quality, SLA, status, owner, tag; orders: best match, name, recently updated.
 */
export function SearchPage() {
  const filters: SearchFilters = route.useSearch();
  const navigate = useNavigate({ from: '/search' });
  const { q } = filters;
  const browsing = q.trim() === '';
  const sort = effectiveSort(filters);
  useTitle(browsing ? 'Browse data products' : `Search: ${q}`);

  const input = useRef<HTMLInputElement>(null);
  const resultsList = useRef<HTMLUListElement>(null);
  const [text, setText] = useState(q);
  // The q this page last wrote to the URL: a different q in the URL came from elsewhere (a tag link, Back).
  const written = useRef(q);
  useEffect(() => {
    if (q !== written.current) {
      written.current = q;
      setText(q);
    }
  }, [q]);
  const commit = (value: string) => {
    const next = value.trim();
    if (next === written.current) return;
    written.current = next;
    void navigate({ search: (previous) => ({ ...previous, q: next }), replace: true });
  };
  useEffect(() => {
    const timer = setTimeout(() => commit(text), debounceMs);
    return () => clearTimeout(timer);
    // commit reads only refs and the navigate function; re-arming on text alone is the debounce.
  }, [text]);
  // "/" anywhere on the page (outside a field) jumps to the search box.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target !== null && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      event.preventDefault();
      input.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const domains = useQuery({
    queryKey: ['domains'],
    queryFn: ({ signal }) => api.call('GET /api/domains', { query: { limit: 500 } }, { signal }),
  });
  // Hits carry domain ids, the domain facet carries slugs: both resolve to the domain's name.
  const domainNames = useMemo(() => new Map((domains.data?.items ?? []).flatMap((domain) => [[domain.id, domain.name] as const, [domain.slug, domain.name] as const])), [domains.data]);
  const results = useInfiniteQuery({
    queryKey: ['search', filters],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: SearchResult) => page.nextCursor ?? undefined,
    // The previous results stay on screen while the next ones load; React Query aborts the superseded request (its signal).
    placeholderData: keepPreviousData,
    queryFn: ({ signal, pageParam }) =>
      api.call('GET /api/search', { query: { ...filters, q: q.trim(), sort, limit: pageSize, ...(pageParam === undefined ? {} : { cursor: pageParam }) } }, { signal }),
  });
  const first = results.data?.pages[0];
  // Memoised on the answer, so a keystroke (which re-renders this page) does not re-render the hit list or the facets.
  const hits = useMemo(() => results.data?.pages.flatMap((page) => page.items) ?? [], [results.data]);
  const updating = results.isPlaceholderData || (results.isFetching && !results.isFetchingNextPage && results.data !== undefined);
  const active = facetFilterNames.filter((name) => filters[name] !== undefined);

  /** ArrowDown/ArrowUp move between result links; ArrowUp from the first goes back to the box. */
  const moveInResults = useCallback((event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = [...(resultsList.current?.querySelectorAll<HTMLAnchorElement>('a.hit-link') ?? [])];
    const at = links.findIndex((link) => link === document.activeElement);
    if (at === -1) return;
    event.preventDefault();
    const next = at + (event.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) input.current?.focus();
    else links[Math.min(next, links.length - 1)]?.focus();
  }, []);
  const focusFirstHit = () => resultsList.current?.querySelector<HTMLAnchorElement>('a.hit-link')?.focus();
  const resultsHeading = first === undefined ? 'Results' : browsing ? `${first.total} ${kindLabels[filters.kind ?? 'product']?.toLowerCase() ?? 'entries'}` : `${first.total} ${first.total === 1 ? 'result' : 'results'}`;

  return (
    <>
      <h1>{browsing ? 'Browse data products' : 'Search'}</h1>
      <InstantSearchBox ref={input} value={text} onChange={setText} onSubmit={() => commit(text)} onArrowDown={focusFirstHit} autoFocus />
      <div className="search-toolbar">
        {active.length > 0 && (
          <ul className="chips" aria-label="Active filters">
            {active.map((name) => (
              <li key={name}>
                <Link to="/search" search={{ ...filters, [name]: undefined }} className="chip" aria-label={`Remove filter ${facetLabel(name, filters[name] as string, domainNames)}`}>
                  {facetLabel(name, filters[name] as string, domainNames)} <span aria-hidden="true">×</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        <label className="sort">
          Sort by{' '}
          <select value={sort} onChange={(event) => void navigate({ search: (previous) => ({ ...previous, sort: event.target.value as SearchSort }) })}>
            {(['relevance', 'name', 'updated'] as const)
              .filter((option) => !(browsing && option === 'relevance'))
              .map((option) => (
                <option key={option} value={option}>
                  {sortLabels[option]}
                </option>
              ))}
          </select>
        </label>
      </div>
      <div className="search-layout">
        {first !== undefined && first.total > 0 && (
          <FacetPanel facets={first.facets} filters={filters} domainNames={domainNames} />
        )}
        {/* data-results-for: the text whose answer is on screen (absent while loading or showing the previous answer) — the signal bench/web.bench.ts waits for. */}
        <section
          aria-labelledby="results-heading"
          aria-busy={updating}
          className={`results${updating ? ' results-updating' : ''}`}
          data-results-for={updating || results.isPending ? undefined : q.trim()}
        >
          <h2 id="results-heading" className={first === undefined || first.total === 0 ? 'visually-hidden' : 'results-count'}>
            {resultsHeading}
          </h2>
          <p role="status" className="visually-hidden">
            {updating ? 'Updating results…' : first === undefined ? '' : resultsHeading}
          </p>
          {results.isPending ? (
            <Loading label={browsing ? 'Loading data products…' : 'Searching…'} />
          ) : results.isError && results.data === undefined ? (
            <ErrorState error={results.error} onRetry={() => void results.refetch()} />
          ) : hits.length === 0 ? (
            <p className="empty">
              {browsing
                ? `Nothing to browse${active.length > 0 ? ' with these filters' : ''}.`
                : `No results for “${q}”${active.length > 0 ? ' with these filters' : ''}. Check the spelling or try a broader term.`}{' '}
              {!browsing && (
                <>
                  Still nothing?{' '}
                  <Link to="/demands/new" search={{ title: q }}>
                    Ask for this data
                  </Link>
                  : the data product owners triage every request.
                </>
              )}
            </p>
          ) : (
            <>
              {results.isError && <ErrorState error={results.error} onRetry={() => void results.refetch()} />}
              <HitList hits={hits} domainNames={domainNames} listRef={resultsList} onKeyDown={moveInResults} />
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

/** A facet value's label: type and state names in words, domains by name. */
function facetLabel(name: FacetFilterName, value: string, domainNames: ReadonlyMap<string, string>): string {
  if (name === 'kind') return kindLabels[value] ?? value;
  if (name === 'domainId') return domainNames.get(value) ?? value;
  if (name === 'quality') return qualityLabels[value as QualityState] ?? value;
  if (name === 'sla') return slaLabels[value as SlaState] ?? value;
  return value;
}

/**
 * The facets of an answer. Memoised: its props change only with a new answer, other filters or the
 * domains, never with a keystroke in the box.
 */
const FacetPanel = memo(function FacetPanel({ facets, filters, domainNames }: { facets: SearchResult['facets']; filters: SearchFilters; domainNames: ReadonlyMap<string, string> }) {
  const groups = [
    ['kind', 'Type', facets.kind],
    ['domainId', 'Domain', facets.domain],
    ['quality', 'Data quality', facets.quality],
    ['sla', 'SLA', facets.sla],
    ['status', 'Status', facets.status],
    ['owner', 'Owner', facets.owner],
    ['tag', 'Tag', facets.tag],
  ] as const;
  return (
    <aside aria-label="Filters" className="facets">
      {groups.map(([name, label, counts]) =>
        counts.length === 0 ? null : (
          <section key={name} aria-labelledby={`facet-${name}`}>
            <h2 id={`facet-${name}`}>{label}</h2>
            <ul className="facet-list">
              {counts.map((count) => (
                <li key={count.value}>
                  <Link to="/search" search={{ ...filters, [name]: filters[name] === count.value ? undefined : count.value }} aria-current={filters[name] === count.value ? 'true' : undefined}>
                    <span>
                      {name === 'quality' || name === 'sla' ? <StateIcon kind={name} state={count.value} /> : null}
                      {facetLabel(name, count.value, domainNames)}
                    </span>{' '}
                    <span className="count">{count.count}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ),
      )}
    </aside>
  );
});

/** The hits shown so far (pages appended by "Show more"). Memoised like {@link FacetPanel}. */
const HitList = memo(function HitList({ hits, domainNames, listRef, onKeyDown }: { hits: Hit[]; domainNames: ReadonlyMap<string, string>; listRef: Ref<HTMLUListElement>; onKeyDown: (event: KeyboardEvent<HTMLUListElement>) => void }) {
  return (
    <ul className="list results-list" ref={listRef} onKeyDown={onKeyDown}>
      {hits.map((hit) => (
        <SearchHitCard key={`${hit.kind}:${hit.id}:${hit.context}`} hit={hit} domain={domainNames.get(hit.domainId) ?? hit.domainId} />
      ))}
    </ul>
  );
});

const qualityIcons: Record<QualityState, string> = { passed: '✓', warning: '!', failed: '✕', error: '⚠', 'not-run': '–' };
const slaIcons: Record<SlaState, string> = { met: '✓', breached: '✕', unknown: '?' };

/** A state's symbol, decorative: the text next to it says the state. */
function StateIcon({ kind, state }: { kind: 'quality' | 'sla'; state: string }) {
  const icon = kind === 'quality' ? qualityIcons[state as QualityState] : slaIcons[state as SlaState];
  return (
    <span className={`state-icon state-${state}`} aria-hidden="true">
      {icon ?? '·'}
    </span>
  );
}

/** A quality or SLA state as a badge: symbol, words, and a colour that only repeats what they say. */
function StateBadge({ kind, state }: { kind: 'quality' | 'sla'; state: string }) {
  const label = kind === 'quality' ? qualityLabels[state as QualityState] : slaLabels[state as SlaState];
  return (
    <li className={`badge state state-${state}`}>
      <StateIcon kind={kind} state={state} />
      {label ?? state}
    </li>
  );
}

function SearchHitCard({ hit, domain }: { hit: Hit; domain: string }) {
  return (
    <li className="card">
      <h3>
        {hit.kind === 'product' ? (
          <Link className="hit-link" to="/products/$productId" params={{ productId: hit.id }}>
            {hit.title}
          </Link>
        ) : (
          <Link className="hit-link" to="/contracts/$contractId" params={{ contractId: hit.id }}>
            {hit.title}
          </Link>
        )}
      </h3>
      <p className="meta">
        {[kindLabels[hit.kind]?.replace(/s$/, '').toLowerCase() ?? hit.kind, domain, hit.status, hit.owner === '' ? undefined : `owner ${hit.owner}`]
          .filter((part) => part !== undefined)
          .join(' · ')}
      </p>
      <ul className="states" aria-label="Quality and SLA">
        <StateBadge kind="quality" state={hit.qualityState} />
        <StateBadge kind="sla" state={hit.slaState} />
      </ul>
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
