/**
 * Where Meshboard may run GRANT/REVOKE itself: PostgreSQL connections configured by the operator in
 * `MESHBOARD_GRANT_CONNECTIONS` (connection URLs separated by commas or white space, e.g.
 * `postgres://grantor:secret@db.internal:5432/warehouse`). A contract's `postgres` server is granted
 * through the connection with the same host, port and database; without one, access to that server is
 * "not applicable" (granted by people outside Meshboard). URLs hold credentials: they stay in memory,
 * only {@link GrantConnection.key} is ever stored or shown.
 */
export interface GrantConnection {
  /** `host:port/database`, lower-case host: what a contract server is matched by. */
  key: string;
  url: string;
}

/** The environment variable holding the grant connections. */
export const grantConnectionsVariable = 'MESHBOARD_GRANT_CONNECTIONS';

/** The matching key of a server address (port defaults to 5432). */
export function connectionKey(host: string, port: number | undefined, database: string): string {
  return `${host.trim().toLowerCase()}:${port ?? 5432}/${database}`;
}

/**
 * Parses {@link grantConnectionsVariable}. A malformed entry throws naming its position and what is
 * wrong, never echoing the entry (it may hold a password).
 */
export function parseGrantConnections(value: string | undefined): GrantConnection[] {
  if (value === undefined || value.trim() === '') return [];
  return value
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .map((entry, index) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new Error(`${grantConnectionsVariable}: entry ${index + 1} is not a URL (expected postgres://user:password@host:port/database).`);
      }
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error(`${grantConnectionsVariable}: entry ${index + 1} must be a postgres:// URL.`);
      const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
      if (url.hostname === '' || database === '') throw new Error(`${grantConnectionsVariable}: entry ${index + 1} needs a host and a database.`);
      return { key: connectionKey(url.hostname.replace(/^\[|\]$/g, ''), url.port === '' ? undefined : Number(url.port), database), url: entry };
    });
}
