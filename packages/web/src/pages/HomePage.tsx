import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api } from '../app/api';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { SearchBox } from '../components/SearchBox';
import { useTitle } from '../components/useTitle';

/** Query options of the domain list (shared with the domain and me pages, so it is fetched once). */
export const domainsQuery = {
  queryKey: ['domains'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.call('GET /api/domains', { query: { limit: 500 } }, { signal }),
} as const;

/** Query options of the team list. */
export const teamsQuery = {
  queryKey: ['teams'],
  queryFn: ({ signal }: { signal: AbortSignal }) => api.call('GET /api/teams', { query: { limit: 500 } }, { signal }),
} as const;

/** "1 team", "3 teams", or a dash while the teams are loading. */
export function teamCount(count: number | undefined): string {
  return count === undefined ? '–' : count === 1 ? '1 team' : `${count} teams`;
}

/** Home: the search box, the mesh's domains and its teams. */
export function HomePage() {
  useTitle('Home');
  const domains = useQuery(domainsQuery);
  const teams = useQuery(teamsQuery);
  const domainName = new Map(domains.data?.items.map((domain) => [domain.id, domain.name]));
  return (
    <>
      <section className="hero">
        <h1>Find data products you can trust</h1>
        <SearchBox />
        <ul className="quick-links" aria-label="Browse">
          <li>
            <Link to="/search" search={{ q: '' }}>
              Browse all data products
            </Link>
          </li>
          <li>
            <Link to="/search" search={{ q: '', quality: 'failed' }}>
              Products with failing checks
            </Link>
          </li>
          <li>
            <Link to="/search" search={{ q: '', sla: 'breached' }}>
              Products breaching their SLA
            </Link>
          </li>
        </ul>
      </section>
      <section aria-labelledby="domains-heading">
        <h2 id="domains-heading">Domains</h2>
        {domains.isPending ? (
          <Loading label="Loading domains…" />
        ) : domains.isError ? (
          <ErrorState error={domains.error} onRetry={() => void domains.refetch()} />
        ) : domains.data.items.length === 0 ? (
          <p className="empty">No domains yet. An admin creates them (POST /api/domains).</p>
        ) : (
          <ul className="grid">
            {domains.data.items.map((domain) => (
              <li key={domain.id} className="card card-link">
                <Link to="/domains/$domainId" params={{ domainId: domain.id }}>
                  <h3>{domain.name}</h3>
                </Link>
                <p className="muted">{domain.description || 'No description.'}</p>
                <p className="meta">{teamCount(teams.data?.items.filter((team) => team.domainId === domain.id).length)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="teams-heading">
        <h2 id="teams-heading">Teams</h2>
        {teams.isPending ? (
          <Loading label="Loading teams…" />
        ) : teams.isError ? (
          <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />
        ) : teams.data.items.length === 0 ? (
          <p className="empty">No teams yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Domain</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {teams.data.items.map((team) => (
                <tr key={team.id}>
                  <td>{team.name}</td>
                  <td>
                    {team.domainId === null ? (
                      <span className="muted">outside any domain</span>
                    ) : (
                      <Link to="/domains/$domainId" params={{ domainId: team.domainId }}>
                        {domainName.get(team.domainId) ?? 'Domain'}
                      </Link>
                    )}
                  </td>
                  <td className="muted">{team.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
