import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useId } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { DemandCard } from './DemandCard';
import { demandInboxSearch, demandStateLabel, demandStates, type DemandInboxSearch } from './crossDomainSearch';
import { useSeesDemandInbox } from './useSeesDemandInbox';
import './crossDomain.css';

const inboxRoute = getRouteApi('/authed/demands');

/** A list of demands, newest first: the mesh inbox or the user's own requests. */
function DemandList({ mine, state }: { mine: boolean; state?: DemandInboxSearch['state'] }) {
  const list = useInfiniteQuery({
    queryKey: ['demands', { mine, state }],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api.call('GET /api/demands', { query: { limit: 20, ...(mine ? { mine: 'true' as const } : {}), ...(state === undefined ? {} : { state }), ...(pageParam === undefined ? {} : { cursor: pageParam }) } }, { signal }),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  if (list.isPending) return <Loading label="Loading requests…" />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <>
      {items.length === 0 ? (
        <p className="empty">{mine ? 'You have not asked for any data yet.' : 'No requests for data here.'}</p>
      ) : (
        <ul className="demand-list" aria-label={mine ? 'My requests for data' : 'Requests for data'}>
          {items.map((demand) => (
            <DemandCard key={demand.id} demand={demand} />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          Show more
        </button>
      )}
    </>
  );
}

/**
 * The mesh-level demand inbox (issue 6): requests for data no product offers, for administrators and
 * domain owners to assign to a domain, accept into a product's backlog, decline with a reason or merge.
 */
export function DemandInboxPage() {
  useTitle('Demand inbox');
  const search = inboxRoute.useSearch();
  const navigate = useNavigate();
  const id = useId();
  return (
    <>
      <div className="xd-row">
        <h1 className="xd-grow">Demand inbox</h1>
        <Link to="/demands/mine" className="button">
          My requests
        </Link>
        <Link to="/demands/new" search={{}} className="button button-primary">
          Ask for data
        </Link>
      </div>
      <p className="lead">Data consumers asked for that no product offers yet. Open a request to triage it.</p>
      <form className="xd-filters" aria-label="Filter requests" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor={`${id}-state`}>
          State
          <select id={`${id}-state`} value={search.state ?? ''} onChange={(event) => void navigate({ to: '/demands', search: demandInboxSearch({ state: event.target.value }) })}>
            <option value="">Any state</option>
            {demandStates.map((state) => (
              <option key={state} value={state}>
                {demandStateLabel[state]}
              </option>
            ))}
          </select>
        </label>
      </form>
      <DemandList mine={false} state={search.state} />
    </>
  );
}

/** "My requests": the signed-in user's own requests for data and where each one stands. */
export function MyDemandsPage() {
  useTitle('My requests for data');
  const triager = useSeesDemandInbox();
  return (
    <>
      <div className="xd-row">
        <h1 className="xd-grow">My requests for data</h1>
        {triager && (
          <Link to="/demands" search={{}} className="button">
            Demand inbox
          </Link>
        )}
        <Link to="/demands/new" search={{}} className="button button-primary">
          Ask for data
        </Link>
      </div>
      <p className="lead">What you asked for, and where it stands. You are notified at every step.</p>
      <DemandList mine />
    </>
  );
}
