import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { api } from '../app/api';
import { setSession, useSession } from '../app/session';
import { NotificationBell } from './access/NotificationBell';
import { ThemeSelect } from './ThemeSelect';

/** The signed-in frame: header with brand, navigation, theme and sign-out, then the page. */
export function AppShell() {
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = async () => {
    // Revoke the token on the server; sign out locally even when that fails (offline, already expired).
    await api.call('POST /api/auth/sign-out').catch(() => undefined);
    setSession(undefined);
    queryClient.clear();
    await navigate({ to: '/sign-in', search: {} });
  };
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Meshboard
        </Link>
        <nav aria-label="Main" className="nav">
          <Link to="/" activeOptions={{ exact: true }}>
            Home
          </Link>
          <Link to="/search" search={{ q: '' }}>
            Search
          </Link>
          <Link to="/inbox/feedback" search={{}}>
            Inbox
          </Link>
          <Link to="/me">Me</Link>
          <Link to="/access/requests">Access</Link>
          <Link to="/coordination" search={{}}>
            Coordination
          </Link>
          <Link to="/demands/mine">Requests</Link>
        </nav>
        <div className="topbar-end">
          <NotificationBell />
          <ThemeSelect />
          <span className="muted who" title={session?.email}>
            {session?.email}
          </span>
          <button type="button" className="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
