import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useId } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { stateName } from '../backlog/labels';
import { LinkedItemLink } from './CrossDomainSection';
import { coordinationSearch, type CoordinationSearch } from './crossDomainSearch';
import './crossDomain.css';

const route = getRouteApi('/authed/coordination');

/**
 * The coordination view (issue 6): cross-domain dependencies across the mesh, the longest wait first,
 * each with both ends linked, the child's state and its age; filtered by a domain (either end) and by
 * open or all.
 */
export function CoordinationPage() {
  useTitle('Cross-domain coordination');
  const search = route.useSearch();
  const navigate = useNavigate();
  const id = useId();
  const domains = useQuery({ queryKey: ['domains', 'all'], queryFn: ({ signal }) => api.call('GET /api/domains', { query: { limit: 500 } }, { signal }) });
  const list = useInfiniteQuery({
    queryKey: ['cross-domain-dependencies', search],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.call('GET /api/cross-domain-dependencies', { query: { limit: 50, ...(search.domain === undefined ? {} : { domain: search.domain }), ...(search.state === 'all' ? { state: 'all' as const } : {}), ...(pageParam === undefined ? {} : { cursor: pageParam }) } }, { signal }),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const set = (next: CoordinationSearch) => void navigate({ to: '/coordination', search: coordinationSearch({ ...search, ...next }) });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <h1>Cross-domain coordination</h1>
      <p className="lead">Work one domain asked of another: who waits on whom, for how long. Oldest first.</p>
      <form className="xd-filters" aria-label="Filter dependencies" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor={`${id}-domain`}>
          Domain
          <select id={`${id}-domain`} value={search.domain ?? ''} onChange={(event) => set({ domain: event.target.value || undefined })}>
            <option value="">All domains</option>
            {(domains.data?.items ?? []).map((domain) => (
              <option key={domain.id} value={domain.id}>
                {domain.name}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-state`}>
          Show
          <select id={`${id}-state`} value={search.state ?? 'open'} onChange={(event) => set({ state: event.target.value === 'all' ? 'all' : undefined })}>
            <option value="open">Open dependencies</option>
            <option value="all">All, including finished</option>
          </select>
        </label>
      </form>
      {list.isPending ? (
        <Loading label="Loading dependencies…" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <p className="empty">No {search.state === 'all' ? '' : 'open '}cross-domain dependencies{search.domain === undefined ? '' : ' for this domain'}. Owners file them from a backlog item: “Request from another domain”.</p>
      ) : (
        <table className="table xd-table">
          <caption className="visually-hidden">Cross-domain dependencies</caption>
          <thead>
            <tr>
              <th scope="col">Needed by</th>
              <th scope="col">Asked of</th>
              <th scope="col">State</th>
              <th scope="col">Age</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.child.id}>
                <td>
                  <LinkedItemLink item={row.parent} />
                </td>
                <td>
                  <LinkedItemLink item={row.child} />
                </td>
                <td>
                  <span className={row.open ? 'badge badge-accent' : 'badge'}>{stateName(row.child.state)}</span>
                  {row.child.state === 'declined' && row.child.declineReason !== null && <div className="small">{row.child.declineReason}</div>}
                </td>
                <td>
                  <time dateTime={row.linkedAt} title={new Date(row.linkedAt).toLocaleString()}>
                    {row.ageDays === 0 ? 'today' : `${row.ageDays} day${row.ageDays === 1 ? '' : 's'}`}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <button type="button" className="button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          Show more
        </button>
      )}
    </>
  );
}
