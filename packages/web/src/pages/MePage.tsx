import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../app/api';
import { roleLabel } from '../app/roleLabel';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { useTitle } from '../components/useTitle';
import { domainsQuery, teamsQuery } from './HomePage';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The signed-in user: name, e-mail, roles per domain, teams and their own API tokens. */
export function MePage() {
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => api.call('GET /api/me', undefined, { signal }) });
  useTitle(me.data?.name ?? 'Me');
  const domains = useQuery(domainsQuery);
  const teams = useQuery(teamsQuery);
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: ({ signal }) => api.call('GET /api/tokens', { query: { limit: 500 } }, { signal }) });
  if (me.isPending) return <Loading label="Loading your profile…" />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  const domainName = new Map(domains.data?.items.map((domain) => [domain.id, domain.name]));
  const teamName = new Map(teams.data?.items.map((team) => [team.id, team.name]));
  const user = me.data;
  return (
    <>
      <h1>{user.name}</h1>
      <p className="lead">
        {user.email}
        {user.isAdmin && <span className="badge badge-accent">Admin</span>}
      </p>
      <div className="columns">
        <section aria-labelledby="roles-heading" className="card">
          <h2 id="roles-heading">Roles</h2>
          {user.roles.length === 0 ? (
            <p className="empty">No domain roles: you can find and read everything as a consumer.</p>
          ) : (
            <ul className="list">
              {user.roles.map((role) => (
                <li key={`${role.domainId}-${role.role}`}>
                  <Link to="/domains/$domainId" params={{ domainId: role.domainId }}>
                    {domainName.get(role.domainId) ?? 'Domain'}
                  </Link>{' '}
                  <span className="badge">{roleLabel(role.role)}</span>
                </li>
              ))}
            </ul>
          )}
          <h2>Teams</h2>
          {user.teamIds.length === 0 ? (
            <p className="empty">Not in any team.</p>
          ) : (
            <ul className="list">
              {user.teamIds.map((id) => (
                <li key={id}>{teamName.get(id) ?? id}</li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="tokens-heading" className="card">
          <h2 id="tokens-heading">API tokens</h2>
          {tokens.isPending ? (
            <Loading label="Loading tokens…" />
          ) : tokens.isError ? (
            <ErrorState error={tokens.error} />
          ) : (
            <ul className="list">
              {tokens.data.items.map((token) => (
                <li key={token.id}>
                  <strong>{token.name}</strong> <code>{token.prefix}…</code> <span className="badge">{token.kind}</span>
                  <div className="muted small">
                    created {dateFormat.format(new Date(token.createdAt))}
                    {token.expiresAt !== null && <> · expires {dateFormat.format(new Date(token.expiresAt))}</>}
                    {token.revokedAt !== null && <> · revoked</>}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
