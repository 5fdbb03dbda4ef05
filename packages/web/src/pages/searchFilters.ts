/** URL state of the search page; kept out of the page so the router can validate it without loading the page. */

/** The filters a search page can carry in its URL; each is also a facet of GET /api/search. */
export interface SearchFilters {
  q: string;
  kind?: 'product' | 'contract' | 'property';
  domainId?: string;
  status?: string;
  tag?: string;
}

/** Reads the search page's URL parameters, dropping anything that is not a valid filter value. */
export function searchFilters(search: Record<string, unknown>): SearchFilters {
  const text = (name: string): string | undefined => (typeof search[name] === 'string' && search[name] !== '' ? (search[name] as string) : undefined);
  const filters: SearchFilters = { q: text('q') ?? '' };
  const kind = text('kind');
  if (kind === 'product' || kind === 'contract' || kind === 'property') filters.kind = kind;
  for (const name of ['domainId', 'status', 'tag'] as const) {
    const value = text(name);
    if (value !== undefined) filters[name] = value;
  }
  return filters;
}
