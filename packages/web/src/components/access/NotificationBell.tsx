import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import './access.css';

/** The query of the unread count; the notifications page invalidates it after marking read. */
export const unreadCountQuery = {
  queryKey: ['notifications', 'unread-count'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.call('GET /api/notifications/unread-count', undefined, { signal }),
  refetchInterval: 30_000,
} as const;

/** The header's bell: a link to the notifications page with the unread count (polled every 30 s). */
export function NotificationBell() {
  const unread = useQuery(unreadCountQuery);
  const count = unread.data?.count ?? 0;
  return (
    <Link to="/notifications" className="bell" aria-label={count === 0 ? 'Notifications' : `Notifications, ${count} unread`}>
      <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      {count > 0 && (
        <span className="bell-count" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
