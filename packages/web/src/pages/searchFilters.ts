/** URL state of the search page; kept out of the page so the router can validate it without loading the page. */

/** Data quality state of a hit, as GET /api/search reports and filters it. */
export type QualityState = 'passed' | 'warning' | 'failed' | 'error' | 'not-run';
/** SLA state of a hit. */
export type SlaState = 'met' | 'breached' | 'unknown';
/** Orders of the hits: best match, name A→Z, most recently published. */
export type SearchSort = 'relevance' | 'name' | 'updated';

/** The quality states, best first (the order the facet lists them in). */
export const qualityStates: readonly QualityState[] = ['passed', 'warning', 'not-run', 'error', 'failed'];
/** The SLA states, best first. */
export const slaStates: readonly SlaState[] = ['met', 'unknown', 'breached'];
const sorts: readonly SearchSort[] = ['relevance', 'name', 'updated'];

/**
 * The filters a search page can carry in its URL; each but `q` and `sort` is also a facet of
 * GET /api/search. An empty `q` browses (every data product, by name).
 */
export interface SearchFilters {
  q: string;
  kind?: 'product' | 'contract' | 'property';
  domainId?: string;
  status?: string;
  tag?: string;
  owner?: string;
  quality?: QualityState;
  sla?: SlaState;
  sort?: SearchSort;
}

/** The facet filters (everything in the URL but the text and the order). */
export const facetFilterNames = ['kind', 'domainId', 'status', 'quality', 'sla', 'owner', 'tag'] as const;
/** One facet filter's name. */
export type FacetFilterName = (typeof facetFilterNames)[number];

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return values.find((candidate) => candidate === value);
}

/** Reads the search page's URL parameters, dropping anything that is not a valid filter value. */
export function searchFilters(search: Record<string, unknown>): SearchFilters {
  const text = (name: string): string | undefined => (typeof search[name] === 'string' && search[name] !== '' ? (search[name] as string) : undefined);
  const filters: SearchFilters = { q: text('q') ?? '' };
  const kind = oneOf(['product', 'contract', 'property'] as const, text('kind'));
  if (kind !== undefined) filters.kind = kind;
  for (const name of ['domainId', 'status', 'tag', 'owner'] as const) {
    const value = text(name);
    if (value !== undefined) filters[name] = value;
  }
  const quality = oneOf(qualityStates, text('quality'));
  if (quality !== undefined) filters.quality = quality;
  const sla = oneOf(slaStates, text('sla'));
  if (sla !== undefined) filters.sla = sla;
  const sort = oneOf(sorts, text('sort'));
  if (sort !== undefined) filters.sort = sort;
  return filters;
}

/** The order the page shows: the chosen one, else relevance for a text and name when browsing. */
export function effectiveSort(filters: SearchFilters): SearchSort {
  const sort = filters.sort ?? (filters.q.trim() === '' ? 'name' : 'relevance');
  // Without a text every score is 0: relevance would be an arbitrary order.
  return sort === 'relevance' && filters.q.trim() === '' ? 'name' : sort;
}

/** Human text of a quality state: badges say it in words, never by colour only. */
export const qualityLabels: Record<QualityState, string> = {
  passed: 'Checks passed',
  warning: 'Checks warn',
  failed: 'Checks failed',
  error: 'Checks errored',
  'not-run': 'Not checked yet',
};

/** Human text of an SLA state. */
export const slaLabels: Record<SlaState, string> = {
  met: 'SLA met',
  breached: 'SLA breached',
  unknown: 'SLA unknown',
};
