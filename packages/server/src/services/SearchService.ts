import { sql, type Kysely, type RawBuilder } from 'kysely';
import { InputError } from '../errors/errors';
import type { Database, QualityState, SlaState } from '../store/Database';
import { decodeCursor, encodeCursor } from '../store/pagination';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit } from './listRequest';
import { LiveSearchIndex, type LiveSearchIndexOptions } from './search/LiveSearchIndex';

/** How hits are ordered: best match first, by name (A→Z), or most recently published first. */
export type SearchSort = 'relevance' | 'name' | 'updated';

/** What a search asks: the text, optional filters (each also a facet), the order and the page. */
export interface SearchRequest {
  /** The text; empty (or absent) browses: no text condition, products only unless `kind` says otherwise. */
  q?: string;
  kind?: 'product' | 'contract' | 'property';
  /** A domain id or slug. */
  domainId?: string;
  status?: string;
  tag?: string;
  owner?: string;
  quality?: QualityState;
  sla?: SlaState;
  /** Default: `relevance` with a text, `name` when browsing. */
  sort?: SearchSort;
  limit?: number;
  cursor?: string;
}

/** One hit: a product, a contract, or a property (column) of a contract. */
export interface SearchHit {
  kind: 'product' | 'contract' | 'property';
  /** The product or contract id (for a property: its contract). */
  id: string;
  title: string;
  /** The document id, or for a property "contract name · object.property". */
  context: string;
  domainId: string;
  status: string;
  owner: string;
  tags: string[];
  /** Data quality from the latest check run (a product: the worst of its output ports' contracts). */
  qualityState: QualityState;
  /** SLA state from the SLA checks' latest results (a product: the worst of its contracts). */
  slaState: SlaState;
  /** When the product or contract was last published. */
  updatedAt: string;
  /** 0 when browsing (no text). */
  score: number;
}

/** One facet value and how many hits have it. */
export interface FacetCount {
  value: string;
  count: number;
}

/** A page of hits with the total and facet counts over every hit (not just the page). */
export interface SearchResult {
  items: SearchHit[];
  nextCursor: string | null;
  total: number;
  facets: { kind: FacetCount[]; domain: FacetCount[]; status: FacetCount[]; tag: FacetCount[]; owner: FacetCount[]; quality: FacetCount[]; sla: FacetCount[] };
}

interface FacetRow {
  facet: keyof SearchResult['facets'] | 'total';
  value: string;
  count: number;
}

interface HitRow {
  kind: SearchHit['kind'];
  entity_id: string;
  title: string;
  context: string;
  domain_id: string;
  status: string;
  owner: string;
  tags: string[];
  quality_state: QualityState;
  sla_state: SlaState;
  updated_at: string;
  score: number;
}

/** The pg_trgm word similarity from which a word counts as a typo of the query. */
const wordSimilarityThreshold = 0.45;

/** Facets are capped so a mesh with thousands of tags still answers with a small body. */
const facetLimit = 30;

/** Options of {@link SearchService}: the index's, and whether the first search builds it (tests) instead of {@link SearchService.startIndex}. */
export interface SearchServiceOptions extends LiveSearchIndexOptions {
  buildOnFirstSearch?: boolean;
}

/** The validated text (trimmed, lower case; '' browses), page size and offset of a request. */
function parseRequest(request: SearchRequest): { q: string; limit: number; offset: number } {
  const q = (request.q ?? '').trim().toLowerCase();
  if (q !== '' && !/[\p{L}\p{N}]/u.test(q)) throw new InputError('Search for at least one letter or digit.', [{ parameter: 'q', detail: 'e.g. q=customer, or leave q empty to browse' }]);
  const limit = listLimit(request);
  let offset = 0;
  if (request.cursor !== undefined) {
    const decoded = decodeCursor(request.cursor);
    if (!/^[0-9]{1,9}$/.test(decoded)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
    offset = Number(decoded);
  }
  return { q, limit, offset };
}

/**
 * Catalog search over `search_entries`: full text (`tsvector`, weights title > tags/owner > the rest,
 * GIN index) OR trigram word similarity (`pg_trgm`, GIN index) for typos; ranked by text rank plus
 * similarity, with a bonus for title matches; facet counts over the whole hit set. Reads only.
 *
 * Once {@link startIndex} has built the in-memory index (search/LiveSearchIndex), searches are answered
 * from it with the same contract (see docs/server.md "Search"); before that, and when it is not started
 * (tests, tools), by the SQL statement below.
 */
export class SearchService {
  private readonly index: LiveSearchIndex;
  private readonly buildOnFirstSearch: boolean;

  constructor(
    private readonly db: Kysely<Database>,
    options: SearchServiceOptions = {},
  ) {
    this.index = new LiveSearchIndex(db, options);
    this.buildOnFirstSearch = options.buildOnFirstSearch ?? false;
  }

  /** Builds the in-memory index in the background (the server calls this once it answers health). */
  startIndex(): void {
    this.index.start();
  }

  /** Builds the in-memory index now (tests, benchmarks); searches use it from then on. */
  buildIndex(): Promise<void> {
    return this.index.build();
  }

  /** Whether searches are answered from the in-memory index. */
  get indexReady(): boolean {
    return this.index.ready;
  }

  /** Stops the index's idle poll (server shutdown). */
  close(): void {
    this.index.close();
  }

  /**
   * Runs a search. A non-empty `q` must hold at least one letter or digit; an empty one browses (every
   * product, or every entry of `kind`, by name unless `sort` says otherwise).
   */
  async search(request: SearchRequest): Promise<SearchResult> {
    const { q, limit, offset } = parseRequest(request);
    if (this.buildOnFirstSearch && !this.index.ready) await this.index.build();
    const sort = request.sort ?? (q === '' ? 'name' : 'relevance');
    const answer = await this.index.search({
      q,
      sort,
      limit,
      offset,
      ...(request.kind === undefined ? {} : { kind: request.kind }),
      ...(request.domainId === undefined ? {} : { domain: request.domainId }),
      ...(request.status === undefined ? {} : { status: request.status }),
      ...(request.tag === undefined ? {} : { tag: request.tag }),
      ...(request.owner === undefined ? {} : { owner: request.owner }),
      ...(request.quality === undefined ? {} : { quality: request.quality }),
      ...(request.sla === undefined ? {} : { sla: request.sla }),
    });
    if (answer === null) return this.searchSql(request);
    return { items: answer.items, nextCursor: answer.hasMore ? encodeCursor(String(offset + limit)) : null, total: answer.total, facets: answer.facets };
  }

  /** The SQL path: what answers until the index is ready (and the reference the index is tested against). */
  async searchSql(request: SearchRequest): Promise<SearchResult> {
    const { q, limit, offset } = parseRequest(request);
    const browsing = q === '';
    const filters: RawBuilder<unknown>[] = browsing ? [] : [sql`(e.tsv @@ websearch_to_tsquery('english', ${q}) or ${q} <% e.search_text)`];
    // Browsing lists products: contracts and columns are reachable from them, and a column list without a text is noise.
    const kind = request.kind ?? (browsing ? 'product' : undefined);
    if (kind !== undefined) filters.push(sql`e.kind = ${kind}`);
    // The domain facet reports slugs (readable in a URL); an id works too.
    if (request.domainId !== undefined) filters.push(isUuid(request.domainId) ? sql`e.domain_id = ${request.domainId}::uuid` : sql`e.domain_id = (select id from domains where slug = ${request.domainId})`);
    if (request.status !== undefined) filters.push(sql`e.status = ${request.status}`);
    if (request.tag !== undefined) filters.push(sql`${request.tag} = any(e.tags)`);
    if (request.owner !== undefined) filters.push(sql`e.owner = ${request.owner}`);
    if (request.quality !== undefined) filters.push(sql`e.quality_state = ${request.quality}`);
    if (request.sla !== undefined) filters.push(sql`e.sla_state = ${request.sla}`);
    const where = filters.length === 0 ? sql`true` : sql.join(filters, sql` and `);
    const score = browsing
      ? sql`0::float8`
      : sql`(ts_rank(e.tsv, websearch_to_tsquery('english', ${q}))
          + word_similarity(${q}, e.search_text)
          + similarity(${q}, lower(e.title))
          + case when lower(e.title) = ${q} then 1 else 0 end
          + case e.kind when 'product' then 0.3 when 'contract' then 0.15 else 0 end)::float8`;
    const sort = request.sort ?? (browsing ? 'name' : 'relevance');
    // Every order ends on the unique key, so offset pages never repeat or skip a hit.
    // "name" and "updated" match the (kind, lower(title), key) and (kind, updated_at desc, key) indexes,
    // so a browse page is an index range scan with a limit, not a sort of every entry.
    const orderBy = (alias: 'e' | 'm') =>
      ({
        relevance: sql`${sql.ref(`${alias}.score`)} desc, lower(${sql.ref(`${alias}.title`)}), ${sql.ref(`${alias}.key`)}`,
        name: sql`lower(${sql.ref(`${alias}.title`)}), ${sql.ref(`${alias}.key`)}`,
        updated: sql`${sql.ref(`${alias}.updated_at`)} desc, ${sql.ref(`${alias}.key`)}`,
      })[sort];
    const hitColumns = sql`e.kind, e.entity_id, e.title, e.context, e.domain_id, e.status, e.owner, e.tags, e.quality_state, e.sla_state, e.updated_at`;
    // Browsing: the page is read from the table in index order. With a text, the (expensive) text match runs
    // once: the page is picked from the materialised hits and its rows fetched by key.
    const pageQuery = browsing
      ? sql`select ${hitColumns}, 0::float8 as score from search_entries e where ${where} order by ${orderBy('e')} limit ${limit + 1} offset ${offset}`
      : sql`select ${hitColumns}, m.score from (select * from matched m order by ${orderBy('m')} limit ${limit + 1} offset ${offset}) m join search_entries e on e.key = m.key order by ${orderBy('m')}`;
    // pg_trgm's default word similarity threshold (0.6) misses one-letter slips in 7–8 letter words
    // ("custmer" ~ "customer" is 0.55); 0.45 catches them, and ranking puts closer matches first.
    return inTransaction(this.db, async (trx) => {
    if (!browsing) await sql`set local pg_trgm.word_similarity_threshold = ${sql.raw(String(wordSimilarityThreshold))}`.execute(trx);
    // One statement, one snapshot: the page and the facets, which count a materialised narrow copy of the
    // hit set in one grouping-sets pass plus one for tags.
    // Every facet column is NOT NULL, so in a grouping-sets row the one non-null column names its facet.
    const answer = await sql<{ hits: HitRow[] | null; facets: FacetRow[] | null }>`
      with matched as materialized (
        select e.kind, e.domain_id, e.status, e.owner, e.tags, e.quality_state, e.sla_state${browsing ? sql`` : sql`, e.key, e.title, e.updated_at, ${score} as score`}
        from search_entries e where ${where}
      ),
      grouped as (
        select kind, domain_id, status, owner, quality_state, sla_state, count(*)::int as count
        from matched group by grouping sets ((kind), (domain_id), (status), (owner), (quality_state), (sla_state), ())
      ),
      counted as (
        select
          case when kind is not null then 'kind' when domain_id is not null then 'domain' when status is not null then 'status'
            when owner is not null then 'owner' when quality_state is not null then 'quality' when sla_state is not null then 'sla' else 'total' end as facet,
          coalesce(kind, (select d.slug from domains d where d.id = grouped.domain_id), status, owner, quality_state, sla_state, '') as value,
          count
        from grouped where coalesce(owner, '-') <> ''
        union all select 'tag', tag, count(*)::int from (select unnest(tags) as tag from matched) t group by tag
      )
      select
        (select json_agg(p) from (${pageQuery}) p) as hits,
        (select json_agg(c order by c.facet, c.count desc, c.value) from counted c) as facets`.execute(trx);
    const hitRows = answer.rows[0]?.hits ?? [];
    const facetRows = answer.rows[0]?.facets ?? [];
    const result: SearchResult = { items: [], nextCursor: null, total: 0, facets: { kind: [], domain: [], status: [], tag: [], owner: [], quality: [], sla: [] } };
    for (const row of facetRows) {
      if (row.facet === 'total') result.total = row.count;
      else if (result.facets[row.facet].length < facetLimit) result.facets[row.facet].push({ value: row.value, count: row.count });
    }
    const page = hitRows.slice(0, limit);
    result.items = page.map((row) => ({ kind: row.kind, id: row.entity_id, title: row.title, context: row.context, domainId: row.domain_id, status: row.status, owner: row.owner, tags: row.tags, qualityState: row.quality_state, slaState: row.sla_state, updatedAt: new Date(row.updated_at).toISOString(), score: Math.round(row.score * 1000) / 1000 }));
    result.nextCursor = hitRows.length > limit ? encodeCursor(String(offset + limit)) : null;
    return result;
    });
  }
}
