/**
 * The few catalog calls `pull` makes, over `fetch` (`publish` sends batches through @meshboard/client and
 * uses only `connection` and `CatalogResource` from here). Kept in this one file until pull moves too.
 */

/** Which catalog resource a call is about. */
export type CatalogResource = 'contracts' | 'products';

/** A problem+json answer (or a transport failure) as an error with the server's explanation. */
export class CatalogHttpError extends Error {
  override name = 'CatalogHttpError';
  constructor(
    message: string,
    readonly status: number,
    readonly problems: { pointer?: string; parameter?: string; detail: string }[] = [],
  ) {
    super(message);
  }
}

/** What a publish answered (the server's PublishResult). */
export interface PublishAnswer {
  outcome: 'created' | 'published' | 'revised' | 'unchanged';
  changeKind: 'initial' | 'breaking' | 'non-breaking' | null;
  breaking: boolean;
  changes: { path: string; change: string; severity: string; message: string }[];
  suggestedVersion: string | null;
  dryRun: boolean;
  item: { id: string; externalId: string; version: number };
}

/** A catalog item as listed. */
export interface ListedItem {
  id: string;
  externalId: string;
  name: string;
  domainId: string;
}

/** The HTTP calls of the catalog commands. */
export interface CatalogHttp {
  /** The current row version (ETag) of a document, or undefined when the catalog does not have it. */
  currentVersion: (resource: CatalogResource, id: string) => Promise<string | undefined>;
  publish: (resource: CatalogResource, id: string, document: unknown, options: { ifMatch?: string; force: boolean; dryRun: boolean }) => Promise<PublishAnswer>;
  /** Every item of a list, following cursors. */
  listAll: <T>(path: string) => Promise<T[]>;
  get: <T>(path: string) => Promise<T>;
}

async function problemOf(response: Response): Promise<CatalogHttpError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { detail?: unknown; problems?: CatalogHttpError['problems'] };
    const detail = typeof body.detail === 'string' ? body.detail : text;
    return new CatalogHttpError(detail, response.status, Array.isArray(body.problems) ? body.problems : []);
  } catch {
    return new CatalogHttpError(`HTTP ${response.status}: ${text.slice(0, 200)}`, response.status);
  }
}

/** Builds the catalog calls against `url` (the server's base URL) with a bearer `token`. */
export function createCatalogHttp(options: { url: string; token: string; fetch?: typeof fetch }): CatalogHttp {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    try {
      return await doFetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...(init.headers as Record<string, string> | undefined) } });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new CatalogHttpError(`cannot reach ${base}${cause}`, 0);
    }
  };
  const get = async <T>(path: string): Promise<T> => {
    const response = await request(path);
    if (!response.ok) throw await problemOf(response);
    return (await response.json()) as T;
  };
  return {
    currentVersion: async (resource, id) => {
      const response = await request(`/api/${resource}/${encodeURIComponent(id)}`);
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw await problemOf(response);
      await response.body?.cancel();
      return response.headers.get('etag') ?? undefined;
    },
    publish: async (resource, id, document, publishOptions) => {
      const query = new URLSearchParams();
      if (publishOptions.force) query.set('force', 'true');
      if (publishOptions.dryRun) query.set('dryRun', 'true');
      const suffix = query.size === 0 ? '' : `?${query.toString()}`;
      const response = await request(`/api/${resource}/${encodeURIComponent(id)}${suffix}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...(publishOptions.ifMatch === undefined ? {} : { 'if-match': publishOptions.ifMatch }) },
        body: JSON.stringify(document),
      });
      if (!response.ok) throw await problemOf(response);
      return (await response.json()) as PublishAnswer;
    },
    listAll: async <T>(path: string): Promise<T[]> => {
      const items: T[] = [];
      let cursor: string | null = null;
      do {
        const separator = path.includes('?') ? '&' : '?';
        const page: { items: T[]; nextCursor: string | null } = await get(`${path}${separator}limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      return items;
    },
    get,
  };
}

/** Reads `--url`/`--token`, falling back to MESHBOARD_URL / MESHBOARD_TOKEN. */
export function connection(values: { url?: string; token?: string }, env: Record<string, string | undefined>): { url?: string; token?: string } {
  return { url: values.url ?? env['MESHBOARD_URL'], token: values.token ?? env['MESHBOARD_TOKEN'] };
}
