import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useId } from 'react';
import { api } from '../app/api';
import { ErrorState } from '../components/ErrorState';
import { FeedbackThreadCard } from '../components/feedback/FeedbackThreadCard';
import { kindLabel, stateLabel } from '../components/feedback/feedbackLabels';
import { feedbackKeys } from '../components/feedback/useFeedbackActions';
import '../components/feedback/feedback.css';
import { Loading } from '../components/Loading';
import { useTitle } from '../components/useTitle';
import { inboxFilters, inboxKinds as kinds, inboxStates as states, type InboxFilters } from './inboxFilters';

const route = getRouteApi('/authed/inbox/feedback');

/**
 * The owners' feedback inbox: every thread on the products of the domains where the user holds an
 * owner-like role, latest activity first, with "new" markers, filters (kind, state, product, unread) and
 * the owner's actions (reply, acknowledge, resolve, decline with a reason, reopen).
 */
export function FeedbackInboxPage() {
  useTitle('Feedback inbox');
  const filters = route.useSearch();
  const navigate = useNavigate();
  const id = useId();
  const inbox = useInfiniteQuery({
    queryKey: feedbackKeys.inbox(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.call(
        'GET /api/inbox/feedback',
        {
          query: {
            limit: 20,
            ...(filters.show === undefined ? {} : { kind: filters.show }),
            ...(filters.state === undefined ? {} : { state: filters.state }),
            ...(filters.productId === undefined ? {} : { productId: filters.productId }),
            ...(filters.unread === true ? { unread: 'true' as const } : {}),
            ...(pageParam === undefined ? {} : { cursor: pageParam }),
          },
        },
        { signal },
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const setFilter = (next: InboxFilters) => void navigate({ to: '/inbox/feedback', search: inboxFilters({ ...filters, ...next }) });
  const items = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  const products = new Map(items.map((item) => [item.product.id, item.product.name]));
  const unreadCount = inbox.data?.pages[0]?.unreadCount;
  return (
    <>
      <h1>Feedback inbox</h1>
      <p className="lead">
        Feedback on the products of the domains you own.{' '}
        {unreadCount !== undefined && unreadCount !== null && (
          <strong>
            {unreadCount} {unreadCount === 1 ? 'thread has' : 'threads have'} new activity.
          </strong>
        )}
      </p>
      <form className="feedback-filters" aria-label="Filter the inbox" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor={`${id}-kind`}>
          Kind
          <select id={`${id}-kind`} value={filters.show ?? ''} onChange={(event) => setFilter({ show: (event.target.value || undefined) as InboxFilters['show'] })}>
            <option value="">All kinds</option>
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabel[kind]}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-state`}>
          State
          <select id={`${id}-state`} value={filters.state ?? ''} onChange={(event) => setFilter({ state: (event.target.value || undefined) as InboxFilters['state'] })}>
            <option value="">Any state</option>
            {states.map((state) => (
              <option key={state} value={state}>
                {stateLabel[state]}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-product`}>
          Product
          <select id={`${id}-product`} value={filters.productId ?? ''} onChange={(event) => setFilter({ productId: event.target.value || undefined })}>
            <option value="">All products</option>
            {[...products].map(([productId, name]) => (
              <option key={productId} value={productId}>
                {name}
              </option>
            ))}
            {filters.productId !== undefined && !products.has(filters.productId) && <option value={filters.productId}>{filters.productId}</option>}
          </select>
        </label>
        <label htmlFor={`${id}-unread`} className="feedback-check">
          <input id={`${id}-unread`} type="checkbox" checked={filters.unread === true} onChange={(event) => setFilter({ unread: event.target.checked || undefined })} /> Only new
        </label>
      </form>
      {inbox.isPending ? (
        <Loading label="Loading the inbox…" />
      ) : inbox.isError ? (
        <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />
      ) : items.length === 0 ? (
        <p className="empty">Nothing here. Feedback on the products of the domains where you are a data product owner, data owner or producer appears in this inbox.</p>
      ) : (
        <div role="feed" aria-label="Feedback threads" aria-busy={inbox.isFetching}>
          {items.map((thread) => (
            <FeedbackThreadCard
              key={thread.id}
              thread={thread}
              canModerate
              unread={thread.unread}
              context={
                <p className="small">
                  on{' '}
                  <Link to="/products/$productId/feedback" params={{ productId: thread.product.id }}>
                    {thread.product.name}
                  </Link>
                </p>
              }
            />
          ))}
        </div>
      )}
      {inbox.hasNextPage && (
        <button type="button" className="button" disabled={inbox.isFetchingNextPage} onClick={() => void inbox.fetchNextPage()}>
          {inbox.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </>
  );
}
