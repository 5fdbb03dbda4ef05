import { sql, type Kysely } from 'kysely';
import type { SearchChangeFeed } from '../../store/createStore';
import type { Database, QualityState, SlaState } from '../../store/Database';
import type { SearchHit } from '../SearchService';
import { SearchIndex, type IndexEntry, type IndexQuery, type QueryToken } from './SearchIndex';
import { trigramWords } from './trigrams';

/** Options of {@link LiveSearchIndex}; the defaults suit a server. */
export interface LiveSearchIndexOptions {
  /** At most this many rows are read per statement while building (default 5,000). */
  batchSize?: number;
  /**
   * How long one build step (a statement and adding its rows) should take, in ms (default 50): the rows
   * per statement are adapted to it, starting small. Requests arriving during the build wait for the
   * step in progress (PGlite runs in the server's thread, on one connection), so this bounds their
   * wait — a restart's first health check among them — whatever the machine's speed or load.
   */
  buildStepMs?: number;
  /** How often an idle index looks for changes made by other processes (ms). */
  pollMs?: number;
  /** How long a missing change number is waited for before it is taken for a rolled-back write (ms). */
  gapTimeoutMs?: number;
  /** Where build failures are reported. */
  onError?: (error: unknown) => void;
  /**
   * The store's commit notifications (embedded store only): with them a search asks the database for
   * changes only when a commit was notified since the last complete look, instead of before every search.
   */
  changes?: SearchChangeFeed;
}

interface EntryRow {
  key: string;
  kind: SearchHit['kind'];
  entity_id: string;
  domain_id: string;
  title: string;
  context: string;
  status: string;
  owner: string;
  tags: string[];
  keywords: string;
  quality_state: QualityState;
  sla_state: SlaState;
  updated_micros: number | string;
  tsv: string;
}

const entryColumns = sql`e.key, e.kind, e.entity_id, e.domain_id, e.title, e.context, e.status, e.owner, e.tags, e.keywords, e.quality_state, e.sla_state,
  (extract(epoch from e.updated_at) * 1000000)::float8 as updated_micros, e.tsv::text as tsv`;

const toEntry = (row: EntryRow): IndexEntry => ({
  key: row.key,
  kind: row.kind,
  entityId: row.entity_id,
  domainId: row.domain_id,
  title: row.title,
  context: row.context,
  status: row.status,
  owner: row.owner,
  tags: row.tags,
  keywords: row.keywords,
  qualityState: row.quality_state,
  slaState: row.sla_state,
  updatedMicros: Number(row.updated_micros),
  tsv: row.tsv,
});

/**
 * How far below the build's start a change number may belong to a write still in flight (numbers are
 * taken at insert, commits come later): far more than the writers one database serves at once.
 */
const startMargin = 1_000;
/** Changes read per catch-up statement. */
const changeBatch = 5_000;
/** Rows of the build's first statement (then adapted to `buildStepMs`), and the fewest of any. */
const firstBuildBatch = 500;
const leastBuildBatch = 100;

/**
 * The rows for the build's next statement: the last count scaled by how far the last step was from the
 * aimed duration (at most doubled or halved per step, so one slow step, e.g. a garbage collection, does
 * not swing it), between {@link leastBuildBatch} and `most`.
 */
export function nextBuildBatch(last: number, tookMs: number, stepMs: number, most: number): number {
  const scale = Math.min(2, Math.max(0.5, stepMs / Math.max(tookMs, 1)));
  return Math.max(Math.min(leastBuildBatch, most), Math.min(most, Math.round(last * scale)));
}

/**
 * The in-memory {@link SearchIndex} of one server process, kept equal to the committed `search_entries`.
 *
 * Contract:
 * - {@link start} builds it in the background from `search_entries`; until it is ready {@link search}
 *   answers null (the caller falls back to SQL).
 * - Every write to `search_entries` (and every domain update) appends the changed entity ids to
 *   `search_changes` in the writer's transaction (statement triggers, migration 0016), so no writer can
 *   forget it and a rolled-back write leaves nothing. Before each search, and every `pollMs` when idle,
 *   the index reads the changes it has not applied yet and re-reads those entities' committed rows:
 *   a search sees every write committed before it started, in this process or another one on the same
 *   database, and never an uncommitted one.
 * - Change numbers come from a sequence, so a later number can commit before an earlier one; a missing
 *   number is re-asked for until `gapTimeoutMs` has passed (then taken for a rollback). Re-applying a
 *   change is harmless: it re-reads the entity.
 * - Once the changes applied since the build exceed a fifth of the entries, the index is rebuilt in the
 *   background (the old one keeps answering), which also compacts its posting lists.
 * - Given the store's commit notifications (`changes`), a search skips the look when no commit was
 *   notified since the last look that completed on the current index with no gap left open: a commit's
 *   notification arrives before its statement answers, so nothing committed before the search can have
 *   been missed. The idle poll keeps looking regardless.
 */
export class LiveSearchIndex {
  private index: SearchIndex | null = null;
  private building: Promise<void> | null = null;
  private applied = 0;
  private readonly seen = new Set<number>();
  private gapSince: number | null = null;
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly stems = new Map<string, string | null>();
  private closed = false;
  /** Commit notifications received (with `changes`). */
  private notified = 0;
  /** `notified` as it stood when the last look that left nothing unapplied began; -1 when none did on this index. */
  private lookedAt = -1;
  private listening: Promise<void> | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private readonly options: Required<Omit<LiveSearchIndexOptions, 'onError' | 'changes'>> & Pick<LiveSearchIndexOptions, 'onError' | 'changes'>;

  constructor(
    private readonly db: Kysely<Database>,
    options: LiveSearchIndexOptions = {},
  ) {
    this.options = { batchSize: options.batchSize ?? 5_000, buildStepMs: options.buildStepMs ?? 50, pollMs: options.pollMs ?? 2_000, gapTimeoutMs: options.gapTimeoutMs ?? 60_000, onError: options.onError, changes: options.changes };
  }

  /** Whether searches are answered from memory. */
  get ready(): boolean {
    return this.index !== null;
  }

  /** Live entries held (0 before the first build). */
  get size(): number {
    return this.index?.size ?? 0;
  }

  /** Starts the background build (and the idle poll); failures go to `onError` and leave the SQL path in use. */
  start(): void {
    void this.build().catch((error: unknown) => this.options.onError?.(error));
    if (this.timer === null && !this.closed) {
      this.timer = setInterval(() => {
        if (this.index !== null && this.catchingUp === null) this.catchUp().catch((error: unknown) => this.options.onError?.(error));
      }, this.options.pollMs);
      this.timer.unref();
    }
  }

  /** Stops the poll and the notifications; an unfinished build is abandoned. */
  close(): void {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.stopListening?.().catch((error: unknown) => this.options.onError?.(error));
    this.stopListening = null;
  }

  /** Builds (or rebuilds) the index from `search_entries`; resolves when it answers searches. */
  build(): Promise<void> {
    this.building ??= this.load().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async load(): Promise<void> {
    // Listening starts before the build reads anything: every commit after this is notified, every one
    // before it is in the rows read below or in the catch-up after them.
    const feed = this.options.changes;
    if (feed !== undefined) {
      this.listening ??= feed.listen(() => this.notified++).then(
        (stop) => {
          if (this.closed) void stop();
          else this.stopListening = stop;
        },
        (error: unknown) => {
          this.listening = null;
          throw error;
        },
      );
      await this.listening;
    }
    // Old change rows are only needed by a process that has not looked for a day (the poll looks every few seconds).
    await sql`delete from search_changes where changed_at < now() - interval '1 day'`.execute(this.db);
    const start = Number((await sql<{ seq: string | null }>`select max(seq)::text as seq from search_changes`.execute(this.db)).rows[0]?.seq ?? 0);
    // The changes committed so far (near the start) are in the rows read below; a number missing among
    // them belongs to a write still in flight (or rolled back) and is waited for like any gap.
    const committed = (await sql<{ seq: string }>`select seq::text as seq from search_changes where seq > ${start - startMargin} and seq <= ${start}`.execute(this.db)).rows.map((row) => Number(row.seq));
    const index = new SearchIndex();
    for (const row of (await sql<{ id: string; slug: string }>`select id, slug from domains`.execute(this.db)).rows) index.setDomainSlug(row.id, row.slug);
    let after = '';
    let limit = Math.min(this.options.batchSize, firstBuildBatch);
    for (;;) {
      if (this.closed) return;
      const began = performance.now();
      const rows = (await sql<EntryRow>`select ${entryColumns} from search_entries e where e.key > ${after} order by e.key limit ${limit}`.execute(this.db)).rows;
      for (const row of rows) index.add(toEntry(row));
      if (rows.length < limit) break;
      after = rows[rows.length - 1]?.key ?? after;
      limit = nextBuildBatch(limit, performance.now() - began, this.options.buildStepMs, this.options.batchSize);
      // Let requests in between batches (the embedded store runs in this thread).
      await new Promise((resolve) => setImmediate(resolve));
    }
    index.finish();
    // Changes after the start are applied now, and so are those that took an earlier number but committed during the build.
    const previous = { index: this.index, applied: this.applied };
    this.index = index;
    this.lookedAt = -1;
    this.applied = Math.max(0, start - startMargin);
    this.seen.clear();
    for (const seq of committed) this.seen.add(seq);
    this.gapSince = null;
    this.advance();
    try {
      await this.catchUp();
    } catch (error) {
      this.index = previous.index;
      this.applied = previous.applied;
      throw error;
    }
  }

  /**
   * Applies every change committed before the call (one catch-up at a time; a call made while one runs
   * waits for the next, which starts after it).
   */
  catchUp(): Promise<void> {
    if (this.catchingUp === null) {
      this.catchingUp = this.applyChanges().finally(() => {
        this.catchingUp = null;
      });
      return this.catchingUp;
    }
    this.catchUpAgain ??= this.catchingUp
      .catch(() => undefined)
      .then(() => {
        this.catchUpAgain = null;
        return this.catchUp();
      });
    return this.catchUpAgain;
  }

  private async applyChanges(): Promise<void> {
    for (;;) {
      const index = this.index;
      if (index === null) return;
      const notified = this.notified;
      // Runs before a search (usually answering nothing): prepared, so it is planned once per connection.
      const rows = (await sql<{ seq: string; entity_id: string; kind: string }>`/* prepared */ select seq::text as seq, entity_id, kind from search_changes where seq > ${this.applied} order by seq limit ${changeBatch}`.execute(this.db)).rows;
      // A rebuild swapped in meanwhile has its own marks: look again against it.
      if (this.index !== index) continue;
      const entities = new Set<string>();
      const domains = new Set<string>();
      const fresh: number[] = [];
      for (const row of rows) {
        const seq = Number(row.seq);
        if (this.seen.has(seq)) continue;
        fresh.push(seq);
        (row.kind === 'domain' ? domains : entities).add(row.entity_id);
      }
      if (domains.size > 0) {
        for (const row of (await sql<{ id: string; slug: string }>`select id, slug from domains where id = any(${[...domains]}::uuid[])`.execute(this.db)).rows) index.setDomainSlug(row.id, row.slug);
      }
      if (entities.size > 0) {
        const ids = [...entities];
        const grouped = new Map<string, IndexEntry[]>(ids.map((id) => [id, []]));
        for (let at = 0; at < ids.length; at += 500) {
          const batch = ids.slice(at, at + 500);
          const entryRows = (await sql<EntryRow>`select ${entryColumns} from search_entries e where e.entity_id = any(${batch}::uuid[])`.execute(this.db)).rows;
          for (const row of entryRows) grouped.get(row.entity_id)?.push(toEntry(row));
        }
        const newDomains = [...new Set([...grouped.values()].flatMap((entries) => entries.map((entry) => entry.domainId)))].filter((id) => !index.hasDomain(id));
        if (newDomains.length > 0) {
          for (const row of (await sql<{ id: string; slug: string }>`select id, slug from domains where id = any(${newDomains}::uuid[])`.execute(this.db)).rows) index.setDomainSlug(row.id, row.slug);
        }
        // Only now, with every row read, does the index change: a search never sees half an entity.
        if (this.index !== index) continue;
        for (const [id, entries] of grouped) index.replaceEntity(id, entries);
      }
      // Marked seen only once applied: a look cut short by a rebuild's swap leaves them to the next look.
      if (this.index !== index) continue;
      for (const seq of fresh) this.seen.add(seq);
      this.advance();
      if (index.churn > Math.max(50_000, index.size / 5) && this.building === null) this.build().catch((error: unknown) => this.options.onError?.(error));
      if (rows.length < changeBatch) {
        // Everything committed before this look began is applied, unless a gap is still waited for.
        if (this.seen.size === 0) this.lookedAt = notified;
        return;
      }
    }
  }

  /**
   * Moves the applied mark over every contiguous change seen, and over a gap older than the timeout. With
   * the store's notifications a gap is never waited for: that store runs every statement on one session,
   * one at a time, so when a look ran no other transaction was open, and a number missing below one it
   * read belongs to a rolled-back write.
   */
  private advance(): void {
    const gapTimeoutMs = this.options.changes === undefined ? this.options.gapTimeoutMs : 0;
    for (;;) {
      while (this.seen.has(this.applied + 1)) this.seen.delete(++this.applied);
      if (this.seen.size === 0) {
        this.gapSince = null;
        return;
      }
      const now = Date.now();
      this.gapSince ??= now;
      if (now - this.gapSince < gapTimeoutMs) return;
      this.applied++;
      this.gapSince = null;
    }
  }

  /** English stems of query words (the full-text dictionary's own answer, cached): null for a stop word. */
  async tokens(q: string): Promise<QueryToken[]> {
    const words = trigramWords(q);
    const unknown = [...new Set(words.filter((word) => !this.stems.has(word)))];
    if (unknown.length > 0) {
      const rows = (await sql<{ word: string; lexemes: string[] | null }>`select w as word, ts_lexize('english_stem', w) as lexemes from unnest(${unknown}::text[]) as w`.execute(this.db)).rows;
      if (this.stems.size > 50_000) this.stems.clear();
      for (const row of rows) this.stems.set(row.word, row.lexemes?.[0] ?? null);
    }
    return words.map((text) => ({ text, stem: this.stems.get(text) ?? null }));
  }

  /** Answers from memory after applying committed changes; null while no index is ready. */
  async search(query: Omit<IndexQuery, 'tokens'>): Promise<ReturnType<SearchIndex['search']> | null> {
    if (this.index === null) return null;
    const tokens = query.q === '' ? [] : await this.tokens(query.q);
    if (this.options.changes === undefined || this.lookedAt !== this.notified) await this.catchUp();
    const index = this.index;
    if (index === null) return null;
    return index.search({ ...query, tokens });
  }
}
