import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../app/api';
import { formatDateTime } from '../components/access/accessLabels';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { useTitle } from '../components/useTitle';
import '../components/access/access.css';

/** Splits a notification's app path (`/access/inbox?request=…`) into the router's path and search. */
function appLink(link: string): { to: string; search: Record<string, string> } {
  const url = new URL(link, 'http://app.invalid');
  return { to: url.pathname, search: Object.fromEntries(url.searchParams) };
}

/** The user's notifications, newest first: open one (marks it read), mark one or all read. */
export function NotificationsPage() {
  useTitle('Notifications');
  const queryClient = useQueryClient();
  const notifications = useQuery({ queryKey: ['notifications', 'list'], queryFn: ({ signal }) => api.call('GET /api/notifications', { query: { limit: 100 } }, { signal }) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notifications'] });
  const markRead = useMutation({ mutationFn: (id: string) => api.call('POST /api/notifications/{id}/read', { path: { id } }), onSettled: refresh });
  const markAll = useMutation({ mutationFn: () => api.call('POST /api/notifications/read-all'), onSettled: refresh });
  const unread = notifications.data?.items.filter((item) => !item.read).length ?? 0;
  return (
    <>
      <div className="page-head">
        <h1>Notifications</h1>
        <button type="button" className="button" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
          Mark all read
        </button>
      </div>
      {markAll.isError && <ErrorState error={markAll.error} />}
      {markRead.isError && <ErrorState error={markRead.error} />}
      {notifications.isPending ? (
        <Loading label="Loading notifications…" />
      ) : notifications.isError ? (
        <ErrorState error={notifications.error} onRetry={() => void notifications.refetch()} />
      ) : notifications.data.items.length === 0 ? (
        <p className="empty">No notifications. Decisions on your access requests and reminders show up here.</p>
      ) : (
        <ul className="access-list">
          {notifications.data.items.map((item) => (
            <li key={item.id} className={`card access-item${item.read ? '' : ' notification-unread'}`}>
              <h2 className="h3-size">
                {item.link === null ? (
                  item.title
                ) : (
                  <Link {...appLink(item.link)} onClick={() => !item.read && markRead.mutate(item.id)}>
                    {item.title}
                  </Link>
                )}{' '}
                {!item.read && <span className="badge badge-accent">new</span>}
              </h2>
              {item.body !== '' && <p>{item.body}</p>}
              <div className="form-actions">
                <span className="muted small">{formatDateTime(item.createdAt)}</span>
                {!item.read && (
                  <button type="button" className="button" onClick={() => markRead.mutate(item.id)}>
                    Mark read<span className="visually-hidden">: {item.title}</span>
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
