import type { QualityState, SlaState } from '../../store/Database';
import type { FacetCount, SearchHit, SearchResult, SearchSort } from '../SearchService';
import { trigramWords, wordSimilarity, wordTrigrams } from './trigrams';

/** One `search_entries` row as the index takes it (see {@link SearchIndex.add}). */
export interface IndexEntry {
  key: string;
  kind: SearchHit['kind'];
  entityId: string;
  domainId: string;
  title: string;
  context: string;
  status: string;
  owner: string;
  tags: readonly string[];
  /** The row's keywords column (tags, owner, external id): typo-tolerant matching looks at title and keywords. */
  keywords: string;
  qualityState: QualityState;
  slaState: SlaState;
  /** `updated_at` in microseconds since the epoch (PostgreSQL's precision, so ties order as in SQL). */
  updatedMicros: number;
  /** The row's `tsv::text` ("'lexeme':1A,3 …"): the stemmed words and their best weight, exactly as full-text search sees them. */
  tsv: string;
}

/** One word of a query: its text (lower case) and its English stem (null: a stop word, no full-text stem). */
export interface QueryToken {
  text: string;
  stem: string | null;
}

/** A search the index answers: the tokens of `q` (empty: browse) and the filters, resolved by the caller. */
export interface IndexQuery {
  /** The trimmed, lower-cased text (compared with lower(title) for the exact-title bonus). */
  q: string;
  tokens: readonly QueryToken[];
  kind?: SearchHit['kind'];
  /** A domain id or slug. */
  domain?: string;
  status?: string;
  tag?: string;
  owner?: string;
  quality?: QualityState;
  sla?: SlaState;
  sort: SearchSort;
  offset: number;
  limit: number;
  /** Whether the last word also matches as a prefix (as the user types); default true. */
  prefix?: boolean;
}

const kinds: readonly SearchHit['kind'][] = ['product', 'contract', 'property'];
const qualities: readonly QualityState[] = ['passed', 'warning', 'failed', 'error', 'not-run'];
const slas: readonly SlaState[] = ['met', 'breached', 'unknown'];
/** ts_rank's default weights of D, C, B, A (title A, keywords B, body C). */
const weightScores = [0.1, 0.2, 0.4, 1.0] as const;
const titleWeight = 3;
const keywordWeight = 2;
/** The bonus per kind: products before contracts before properties (as the SQL ranking). */
const kindBonus = [0.3, 0.15, 0] as const;
/** pg_trgm word similarity from which a word counts as a typo of a query word (the SQL path's threshold). */
export const typoThreshold = 0.45;
/** A prefix match counts this much of an exact one. */
const prefixFactor = 0.7;
/** At most this many vocabulary words are expanded for a prefix (the shortest first). */
const prefixExpansionLimit = 64;
/** The last word needs this many letters before typos count (prefixes always do). */
const shortestTypo = 4;
const facetLimit = 30;

/** Strings interned to small integers (domains, statuses, owners, tags, entity ids, words). */
class Pool {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/** A growable Int32Array. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(Math.ceil(this.data.length * 1.5));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/**
 * The facet values of entries, interned as combinations: (kind, domain, status, owner, tag set, quality,
 * SLA) → one small id. Entries of one product or contract share all but the kind, so a catalog has far
 * fewer combinations than entries; an entry then carries one id instead of seven columns, a filter is
 * decided once per combination, and facets are counted per combination and expanded afterwards — one
 * random memory access per hit instead of seven.
 */
class FacetTuples {
  private readonly ids = new Map<string, number>();
  readonly kind = new IntList(256);
  readonly domain = new IntList(256);
  readonly status = new IntList(256);
  readonly owner = new IntList(256);
  readonly tagSet = new IntList(256);
  readonly quality = new IntList(256);
  readonly sla = new IntList(256);

  get length(): number {
    return this.kind.length;
  }

  intern(kind: number, domain: number, status: number, owner: number, tagSet: number, quality: number, sla: number): number {
    const key = `${kind},${domain},${status},${owner},${tagSet},${quality},${sla}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.kind.length;
      this.ids.set(key, id);
      this.kind.push(kind);
      this.domain.push(domain);
      this.status.push(status);
      this.owner.push(owner);
      this.tagSet.push(tagSet);
      this.quality.push(quality);
      this.sla.push(sla);
    }
    return id;
  }
}

/**
 * Posting lists term → entries (with the entry's best weight for the term): a compact CSR block built
 * once, plus plain arrays for entries added since (re-indexed documents). Dead entries stay in the lists
 * and are skipped by the caller; a rebuild compacts everything.
 */
class Postings {
  private offsets = new Int32Array(1);
  private entries = new Int32Array(0);
  private weights = new Uint8Array(0);
  private readonly extra = new Map<number, { entries: number[]; weights: number[] }>();
  /** While building: (term << 2 | weight) and entry per posting, in two growable arrays (8 bytes a posting). */
  private building: { terms: IntList; entries: IntList } | null = { terms: new IntList(1 << 16), entries: new IntList(1 << 16) };

  add(term: number, entry: number, weight: number): void {
    if (this.building !== null) {
      this.building.terms.push((term << 2) | weight);
      this.building.entries.push(entry);
      return;
    }
    let list = this.extra.get(term);
    if (list === undefined) this.extra.set(term, (list = { entries: [], weights: [] }));
    list.entries.push(entry);
    list.weights.push(weight);
  }

  /** Turns the collected (term, entry) pairs into the CSR block (a counting sort by term). */
  finish(termCount: number): void {
    const building = this.building;
    if (building === null) return;
    this.building = null;
    const offsets = new Int32Array(termCount + 1);
    const n = building.terms.length;
    const terms = building.terms.data;
    for (let i = 0; i < n; i++) {
      const at = ((terms[i] ?? 0) >> 2) + 1;
      offsets[at] = (offsets[at] ?? 0) + 1;
    }
    for (let t = 0; t < termCount; t++) offsets[t + 1] = (offsets[t + 1] ?? 0) + (offsets[t] ?? 0);
    const fill = offsets.slice(0, termCount);
    const entries = new Int32Array(n);
    const weights = new Uint8Array(n);
    const sourceEntries = building.entries.data;
    for (let i = 0; i < n; i++) {
      const packed = terms[i] ?? 0;
      const term = packed >> 2;
      const at = fill[term] ?? 0;
      fill[term] = at + 1;
      entries[at] = sourceEntries[i] ?? 0;
      weights[at] = packed & 3;
    }
    this.offsets = offsets;
    this.entries = entries;
    this.weights = weights;
  }

  /** How many entries (dead ones included) list the term. */
  size(term: number): number {
    const base = term + 1 < this.offsets.length ? (this.offsets[term + 1] ?? 0) - (this.offsets[term] ?? 0) : 0;
    return base + (this.extra.get(term)?.entries.length ?? 0);
  }

  /** The term's lists for a tight loop: the CSR block with [start, end), and the entries added since (or null). */
  lists(term: number): { entries: Int32Array; weights: Uint8Array; start: number; end: number; extra: { entries: number[]; weights: number[] } | null } {
    const inBase = term + 1 < this.offsets.length;
    return {
      entries: this.entries,
      weights: this.weights,
      start: inBase ? (this.offsets[term] ?? 0) : 0,
      end: inBase ? (this.offsets[term + 1] ?? 0) : 0,
      extra: this.extra.get(term) ?? null,
    };
  }

  forEach(term: number, visit: (entry: number, weight: number) => void): void {
    if (term + 1 < this.offsets.length) {
      const end = this.offsets[term + 1] ?? 0;
      for (let at = this.offsets[term] ?? 0; at < end; at++) visit(this.entries[at] ?? 0, this.weights[at] ?? 0);
    }
    const extra = this.extra.get(term);
    if (extra !== undefined) for (let at = 0; at < extra.entries.length; at++) visit(extra.entries[at] ?? 0, extra.weights[at] ?? 0);
  }

  get bytes(): number {
    return this.offsets.byteLength + this.entries.byteLength + this.weights.byteLength;
  }
}

/** A vocabulary: terms interned to ids, a trigram index over them (typos) and a sorted copy (prefixes). */
class Vocabulary {
  readonly pool = new Pool();
  private readonly trigramWords = new Map<string, number[]>();
  private sorted: string[] = [];
  /** Terms added since the sorted copy was made (searched one by one for prefixes). */
  private unsorted: number[] = [];
  /** Bumped when a term is added, so cached expansions are recomputed. */
  version = 0;
  private withTrigrams: boolean;

  constructor(withTrigrams: boolean) {
    this.withTrigrams = withTrigrams;
  }

  intern(term: string): number {
    const before = this.pool.values.length;
    const id = this.pool.intern(term);
    if (id === before) {
      this.version++;
      if (this.withTrigrams) for (const trigram of new Set(wordTrigrams(term))) {
        let words = this.trigramWords.get(trigram);
        if (words === undefined) this.trigramWords.set(trigram, (words = []));
        words.push(id);
      }
      this.unsorted.push(id);
    }
    return id;
  }

  /** Sorts the vocabulary for prefix look-ups (after the build). */
  finish(): void {
    this.sorted = [...this.pool.values].sort();
    this.unsorted = [];
  }

  /** Terms whose word similarity to `word` reaches the threshold, with that similarity. */
  similar(word: string, threshold: number): { term: number; similarity: number }[] {
    const queryTrigrams = new Set(wordTrigrams(word));
    const shared = new Map<number, number>();
    for (const trigram of queryTrigrams) for (const term of this.trigramWords.get(trigram) ?? []) shared.set(term, (shared.get(term) ?? 0) + 1);
    // shared / |query trigrams| bounds the similarity from above.
    const least = threshold * queryTrigrams.size;
    const found: { term: number; similarity: number }[] = [];
    for (const [term, count] of shared) {
      if (count < least) continue;
      const similarity = wordSimilarity(queryTrigrams, this.pool.values[term] ?? '');
      if (similarity >= threshold) found.push({ term, similarity });
    }
    return found;
  }

  /** Terms starting with `prefix` (longer than it), the shortest first, at most `limit`. */
  withPrefix(prefix: string, limit: number): number[] {
    const found: string[] = [];
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.sorted[middle] ?? '') < prefix) low = middle + 1;
      else high = middle;
    }
    for (let at = low; at < this.sorted.length; at++) {
      const term = this.sorted[at] ?? '';
      if (!term.startsWith(prefix)) break;
      if (term.length > prefix.length) found.push(term);
    }
    for (const id of this.unsorted) {
      const term = this.pool.values[id] ?? '';
      if (term.length > prefix.length && term.startsWith(prefix)) found.push(term);
    }
    found.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    return found.slice(0, limit).map((term) => this.pool.ids.get(term) ?? -1);
  }
}

/** Parses `tsv::text` ("'a':1A,2 'it''s':3B") into lexemes with their best weight (3 = A … 0 = D). */
export function parseTsvector(text: string): { lexeme: string; weight: number }[] {
  const found: { lexeme: string; weight: number }[] = [];
  const pattern = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const positions = match[2] ?? '';
    const weight = positions.includes('A') ? 3 : positions.includes('B') ? 2 : positions.includes('C') ? 1 : 0;
    found.push({ lexeme: (match[1] ?? '').replaceAll("''", "'"), weight });
  }
  return found;
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The in-memory search index: columnar entries (typed arrays, interned strings), inverted indexes over
 * the full-text lexemes (`tsv`) and over the title/keyword words (typos, prefixes), and name/updated
 * ranks for ordering. Built once from `search_entries` ({@link add} … {@link finish}), then kept current
 * with {@link replaceEntity}; answers {@link search} synchronously from memory. Not thread-safe by
 * design: JavaScript runs one query or update at a time.
 */
export class SearchIndex {
  private capacity = 0;
  private count = 0;
  private kind = new Uint8Array(0);
  private alive = new Uint8Array(0);
  private entity = new Int32Array(0);
  /** The entry's facet combination ({@link FacetTuples}). */
  private tuple = new Int32Array(0);
  private updated = new Float64Array(0);
  /** Position in (lower(title), key) order of the built entries; -1 for entries added since. */
  private nameRank = new Int32Array(0);
  /** Position in key order of the built entries (ties of `updated`); -1 for entries added since. */
  private keyRank = new Int32Array(0);
  /** The title's length (capped at 65,535): the ranking's title closeness without touching the string. */
  private titleLength = new Uint16Array(0);
  private titles: string[] = [];
  private contexts: string[] = [];
  private keys: string[] = [];
  /**
   * Scratch space of a query, reused (stamped by generation instead of cleared): four 32-bit cells per
   * entry side by side, so matching touches one cache line per posting instead of one per column:
   * [stamp, flags (words matched | words in the title << 8 | this word in the title << 16), score, this
   * word's score]. `scratchInts` and `scratchFloats` view the same buffer.
   */
  private scratchInts = new Int32Array(0);
  private scratchFloats = new Float32Array(0);
  private generation = 0;

  private readonly entities = new Pool();
  private readonly domains = new Pool();
  private readonly statuses = new Pool();
  private readonly owners = new Pool();
  private readonly tags = new Pool();
  private readonly tagSets = new Pool();
  private tagSetTags: Int32Array[] = [];
  private readonly tuples = new FacetTuples();
  private readonly slugs = new Map<string, string>();
  private readonly domainBySlug = new Map<string, string>();
  /** The live entries of each entity. */
  private readonly entitySlots = new Map<number, number[]>();
  /** Built entries of each kind in name order (browsing), and entries added since the build. */
  private byKind: Int32Array[] = [new Int32Array(0), new Int32Array(0), new Int32Array(0)];
  private readonly added = new IntList(256);
  private dead = 0;

  private readonly lexemes = new Vocabulary(false);
  private readonly words = new Vocabulary(true);
  private readonly lexemePostings = new Postings();
  private readonly wordPostings = new Postings();
  private built = false;
  private readonly similarCache = new Map<string, { version: number; terms: { term: number; similarity: number }[] }>();

  /** How many live entries the index holds. */
  get size(): number {
    return this.count - this.dead;
  }

  /** Entries added or removed since the build: past a share of the size, a rebuild is worth it. */
  get churn(): number {
    return this.added.length + this.dead;
  }

  /** Whether the domain's slug is known. */
  hasDomain(domainId: string): boolean {
    return this.slugs.has(domainId);
  }

  /** Records a domain's slug (the domain facet reports slugs; a filter may name one). */
  setDomainSlug(domainId: string, slug: string): void {
    const previous = this.slugs.get(domainId);
    if (previous !== undefined && this.domainBySlug.get(previous) === domainId) this.domainBySlug.delete(previous);
    this.slugs.set(domainId, slug);
    this.domainBySlug.set(slug, domainId);
  }

  /** Adds an entry while building (call {@link finish} once all are in). */
  add(entry: IndexEntry): void {
    this.insert(entry);
  }

  /** Ends the build: posting lists to compact arrays, vocabularies sorted, name ranks computed. */
  finish(): void {
    this.lexemePostings.finish(this.lexemes.pool.values.length);
    this.wordPostings.finish(this.words.pool.values.length);
    this.lexemes.finish();
    this.words.finish();
    const order = new Int32Array(this.count);
    for (let slot = 0; slot < this.count; slot++) order[slot] = slot;
    const lower = this.titles.map((title) => title.toLowerCase());
    order.sort((a, b) => compareStrings(lower[a] ?? '', lower[b] ?? '') || compareStrings(this.keys[a] ?? '', this.keys[b] ?? ''));
    const byKind: IntList[] = [new IntList(), new IntList(), new IntList()];
    for (let rank = 0; rank < order.length; rank++) {
      const slot = order[rank] ?? 0;
      this.nameRank[slot] = rank;
      if (this.alive[slot] === 1) byKind[this.kind[slot] ?? 0]?.push(slot);
    }
    this.byKind = byKind.map((list) => list.data.slice(0, list.length));
    order.sort((a, b) => compareStrings(this.keys[a] ?? '', this.keys[b] ?? ''));
    for (let rank = 0; rank < order.length; rank++) this.keyRank[order[rank] ?? 0] = rank;
    this.built = true;
  }

  /** Replaces every entry of one product or contract with `entries` (none: it was deleted). */
  replaceEntity(entityId: string, entries: readonly IndexEntry[]): void {
    const id = this.entities.ids.get(entityId);
    if (id !== undefined) {
      for (const slot of this.entitySlots.get(id) ?? []) {
        this.alive[slot] = 0;
        this.dead++;
      }
      this.entitySlots.delete(id);
    }
    for (const entry of entries) this.added.push(this.insert(entry));
  }

  /** Bytes held by typed arrays (strings and maps come on top; the benchmark reports the process RSS). */
  get typedBytes(): number {
    // kind, alive, entity, tuple, updated, nameRank, keyRank, titleLength; the query scratch arrays.
    return this.capacity * (1 + 1 + 4 + 4 + 8 + 4 + 4 + 2 + (4 + 1 + 1 + 1 + 4 + 4)) + this.lexemePostings.bytes + this.wordPostings.bytes;
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const grow8 = (old: Uint8Array) => { const next = new Uint8Array(capacity); next.set(old); return next; };
    const grow32 = (old: Int32Array) => { const next = new Int32Array(capacity); next.set(old); return next; };
    this.kind = grow8(this.kind);
    this.alive = grow8(this.alive);
    this.entity = grow32(this.entity);
    this.tuple = grow32(this.tuple);
    const titleLength = new Uint16Array(capacity);
    titleLength.set(this.titleLength);
    this.titleLength = titleLength;
    const updated = new Float64Array(capacity);
    updated.set(this.updated);
    this.updated = updated;
    const rank = new Int32Array(capacity).fill(-1);
    rank.set(this.nameRank);
    this.nameRank = rank;
    const keyRank = new Int32Array(capacity).fill(-1);
    keyRank.set(this.keyRank);
    this.keyRank = keyRank;
    const scratch = new ArrayBuffer(capacity * 16);
    this.scratchInts = new Int32Array(scratch);
    this.scratchFloats = new Float32Array(scratch);
    this.generation = 0;
    this.capacity = capacity;
  }

  private insert(entry: IndexEntry): number {
    if (this.count === this.capacity) this.grow();
    const slot = this.count++;
    const entity = this.entities.intern(entry.entityId);
    const kind = Math.max(0, kinds.indexOf(entry.kind));
    this.kind[slot] = kind;
    this.alive[slot] = 1;
    this.entity[slot] = entity;
    const tagSetKey = entry.tags.join('\u0000');
    const tagSet = this.tagSets.intern(tagSetKey);
    if (tagSet === this.tagSetTags.length) this.tagSetTags.push(Int32Array.from(new Set(entry.tags), (tag) => this.tags.intern(tag)));
    this.tuple[slot] = this.tuples.intern(
      kind,
      this.domains.intern(entry.domainId),
      this.statuses.intern(entry.status),
      this.owners.intern(entry.owner),
      tagSet,
      Math.max(0, qualities.indexOf(entry.qualityState)),
      Math.max(0, slas.indexOf(entry.slaState)),
    );
    this.updated[slot] = entry.updatedMicros;
    this.titleLength[slot] = Math.min(65_535, entry.title.length);
    this.titles[slot] = entry.title;
    this.contexts[slot] = entry.context;
    this.keys[slot] = entry.key;
    let slots = this.entitySlots.get(entity);
    if (slots === undefined) this.entitySlots.set(entity, (slots = []));
    slots.push(slot);
    for (const { lexeme, weight } of parseTsvector(entry.tsv)) this.lexemePostings.add(this.lexemes.intern(lexeme), slot, weight);
    const words = new Map<string, number>();
    for (const word of trigramWords(entry.keywords)) words.set(word, keywordWeight);
    for (const word of trigramWords(entry.title)) words.set(word, titleWeight);
    for (const [word, weight] of words) this.wordPostings.add(this.words.intern(word), slot, weight);
    return slot;
  }

  private similarWords(word: string): { term: number; similarity: number }[] {
    const cached = this.similarCache.get(word);
    if (cached !== undefined && cached.version === this.words.version) return cached.terms;
    const terms = this.words.similar(word, typoThreshold);
    if (this.similarCache.size > 2000) this.similarCache.clear();
    this.similarCache.set(word, { version: this.words.version, terms });
    return terms;
  }

  /** Answers a search from memory (same contract as SearchService.search; the cursor is the offset). */
  search(query: IndexQuery): { items: SearchHit[]; hasMore: boolean; total: number; facets: SearchResult['facets'] } {
    if (!this.built) throw new Error('SearchIndex.search before finish()');
    const browsing = query.tokens.length === 0;
    const kindFilter = query.kind ?? (browsing ? 'product' : undefined);
    const filter = this.filter(query, kindFilter);
    const hits = new IntList(1024);
    if (filter !== null) {
      if (browsing) this.browse(filter, kindFilter === undefined ? -1 : kinds.indexOf(kindFilter), hits);
      else this.match(query, filter, hits);
    }
    const want = query.offset + query.limit + 1;
    const top = this.top(hits, want, query.sort, browsing);
    const page = top.slice(query.offset, query.offset + query.limit);
    const tuples = this.tuples;
    const items = page.map((slot): SearchHit => {
      const tuple = this.tuple[slot] ?? 0;
      const tagSet = this.tagSetTags[tuples.tagSet.data[tuple] ?? 0] ?? new Int32Array(0);
      const domainId = this.domains.values[tuples.domain.data[tuple] ?? 0] ?? '';
      return {
        kind: kinds[this.kind[slot] ?? 0] ?? 'product',
        id: this.entities.values[this.entity[slot] ?? 0] ?? '',
        title: this.titles[slot] ?? '',
        context: this.contexts[slot] ?? '',
        domainId,
        status: this.statuses.values[tuples.status.data[tuple] ?? 0] ?? '',
        owner: this.owners.values[tuples.owner.data[tuple] ?? 0] ?? '',
        tags: Array.from(tagSet, (tag) => this.tags.values[tag] ?? ''),
        qualityState: qualities[tuples.quality.data[tuple] ?? 0] ?? 'not-run',
        slaState: slas[tuples.sla.data[tuple] ?? 0] ?? 'unknown',
        updatedAt: new Date(Math.floor((this.updated[slot] ?? 0) / 1000)).toISOString(),
        score: browsing ? 0 : Math.round((this.scratchFloats[slot * 4 + 2] ?? 0) * 1000) / 1000,
      };
    });
    return { items, hasMore: top.length > query.offset + query.limit, total: hits.length, facets: this.facets(hits) };
  }

  /** The filters as interned ids (-1: any); null when a filter names a value no entry has (no hits). */
  private filter(query: IndexQuery, kind: SearchHit['kind'] | undefined): Int32Array | null {
    const lookup = (pool: Pool, value: string | undefined): number | null => (value === undefined ? -1 : (pool.ids.get(value) ?? null));
    const domainId = query.domain === undefined ? undefined : this.slugs.has(query.domain) ? query.domain : this.domainBySlug.get(query.domain);
    if (query.domain !== undefined && domainId === undefined) return null;
    const values = [
      kind === undefined ? -1 : kinds.indexOf(kind),
      lookup(this.domains, domainId),
      lookup(this.statuses, query.status),
      lookup(this.tags, query.tag),
      lookup(this.owners, query.owner),
      query.quality === undefined ? -1 : qualities.indexOf(query.quality),
      query.sla === undefined ? -1 : slas.indexOf(query.sla),
    ];
    if (values.some((value) => value === null)) return null;
    return Int32Array.from(values as number[]);
  }

  /** The facet combinations that pass the filters (1) or not (0); null when no filter is set (all pass). */
  private passing(filter: Int32Array): Uint8Array | null {
    const [kind = -1, domain = -1, status = -1, tag = -1, owner = -1, quality = -1, sla = -1] = filter;
    if (kind < 0 && domain < 0 && status < 0 && tag < 0 && owner < 0 && quality < 0 && sla < 0) return null;
    const { tuples } = this;
    // Which tag sets hold the tag, decided once per set.
    const tagSetHas = tag < 0 ? null : Uint8Array.from(this.tagSetTags, (tags) => (tags.includes(tag) ? 1 : 0));
    const passes = new Uint8Array(tuples.length);
    for (let tuple = 0; tuple < tuples.length; tuple++) {
      passes[tuple] =
        (kind < 0 || tuples.kind.data[tuple] === kind) &&
        (domain < 0 || tuples.domain.data[tuple] === domain) &&
        (status < 0 || tuples.status.data[tuple] === status) &&
        (owner < 0 || tuples.owner.data[tuple] === owner) &&
        (quality < 0 || tuples.quality.data[tuple] === quality) &&
        (sla < 0 || tuples.sla.data[tuple] === sla) &&
        (tagSetHas === null || tagSetHas[tuples.tagSet.data[tuple] ?? 0] === 1)
          ? 1
          : 0;
    }
    return passes;
  }

  private browse(filter: Int32Array, kind: number, hits: IntList): void {
    const passes = this.passing(filter);
    const { alive, tuple } = this;
    const lists = kind >= 0 ? [this.byKind[kind] ?? new Int32Array(0)] : this.byKind;
    for (const list of [...lists, this.added.data.subarray(0, this.added.length)]) {
      for (let at = 0; at < list.length; at++) {
        const slot = list[at] ?? 0;
        if (alive[slot] === 1 && (passes === null || passes[tuple[slot] ?? 0] === 1)) hits.push(slot);
      }
    }
  }

  /**
   * The text match: every word must match (stop words are left out unless all are), each through its
   * English stem in any field (weighted A title, B keywords, C body), a title/keyword word within the
   * typo threshold (weighted by its similarity), or — the last word — as a prefix of a stem or word.
   */
  private match(query: IndexQuery, filter: Int32Array, hits: IntList): void {
    const content = query.tokens.filter((token) => token.stem !== null);
    const tokens = content.length > 0 ? content : query.tokens;
    const last = query.tokens[query.tokens.length - 1];
    type Source = { postings: Postings; term: number; factor: number };
    const terms = tokens.map((token) => {
      const sources: Source[] = [];
      const stem = token.stem === null ? undefined : this.lexemes.pool.ids.get(token.stem);
      if (stem !== undefined) sources.push({ postings: this.lexemePostings, term: stem, factor: 1 });
      const prefix = token === last && (query.prefix ?? true) && token.text.length >= 2;
      // A last word of one to three letters is still being typed: its prefixes stand in for typos, which at
      // that length would match nearly every word sharing two letters ("cus" ~ "cut" 0.5).
      if (!(prefix && token.text.length < shortestTypo)) for (const { term, similarity } of this.similarWords(token.text)) sources.push({ postings: this.wordPostings, term, factor: similarity });
      if (prefix) {
        for (const term of this.lexemes.withPrefix(token.stem ?? token.text, prefixExpansionLimit)) sources.push({ postings: this.lexemePostings, term, factor: prefixFactor });
        for (const term of this.words.withPrefix(token.text, prefixExpansionLimit)) sources.push({ postings: this.wordPostings, term, factor: prefixFactor });
      }
      const size = sources.reduce((sum, source) => sum + source.postings.size(source.term), 0);
      return { sources, size };
    });
    // The rarest word first: its entries are the candidates the others can only narrow.
    terms.sort((a, b) => a.size - b.size);
    if (terms.some((term) => term.size === 0)) return;
    if (this.generation >= 0x3fffffff) {
      this.scratchInts.fill(0);
      this.generation = 0;
    }
    const generation = ++this.generation;
    const ints = this.scratchInts;
    const floats = this.scratchFloats;
    const candidates = new IntList(1024);
    const values = new Float32Array(4);
    for (let index = 0; index < terms.length; index++) {
      const term = terms[index];
      if (term === undefined) continue;
      for (const source of term.sources) {
        for (let weight = 0; weight < 4; weight++) values[weight] = source.factor * (weightScores[weight] ?? 0);
        const lists = source.postings.lists(source.term);
        const extra = lists.extra;
        const baseLength = lists.end - lists.start;
        const total = baseLength + (extra === null ? 0 : extra.entries.length);
        for (let at = 0; at < total; at++) {
          let slot: number;
          let weight: number;
          if (at < baseLength) {
            slot = lists.entries[lists.start + at] ?? 0;
            weight = lists.weights[lists.start + at] ?? 0;
          } else {
            slot = extra?.entries[at - baseLength] ?? 0;
            weight = extra?.weights[at - baseLength] ?? 0;
          }
          const cell = slot << 2;
          if (ints[cell] !== generation) {
            if (index > 0) continue;
            ints[cell] = generation;
            candidates.push(slot);
            ints[cell + 1] = 0;
            floats[cell + 2] = 0;
          }
          const value = values[weight] ?? 0;
          const title = weight === titleWeight ? 1 : 0;
          const flags = ints[cell + 1] ?? 0;
          const done = flags & 0xff;
          if (done === index) {
            // The word's first match: count it, its score and whether it is in the title.
            ints[cell + 1] = (index + 1) | ((((flags >> 8) & 0xff) + title) << 8) | (title << 16);
            floats[cell + 2] = (floats[cell + 2] ?? 0) + value;
            floats[cell + 3] = value;
          } else if (done === index + 1) {
            // Another source of the same word: keep the best score, and note the title once.
            const previous = floats[cell + 3] ?? 0;
            if (value > previous) {
              floats[cell + 2] = (floats[cell + 2] ?? 0) + value - previous;
              floats[cell + 3] = value;
            }
            if (title === 1 && (flags & 0x10000) === 0) ints[cell + 1] = (flags + (1 << 8)) | 0x10000;
          }
        }
      }
    }
    const need = terms.length;
    const queryLength = query.q.length;
    const passes = this.passing(filter);
    const { alive, tuple, kind, titleLength } = this;
    for (let at = 0; at < candidates.length; at++) {
      const slot = candidates.data[at] ?? 0;
      const cell = slot << 2;
      const flags = ints[cell + 1] ?? 0;
      if ((flags & 0xff) !== need || alive[slot] !== 1 || (passes !== null && passes[tuple[slot] ?? 0] !== 1)) continue;
      let value = (floats[cell + 2] ?? 0) / need + (kindBonus[kind[slot] ?? 2] ?? 0);
      if (((flags >> 8) & 0xff) === need) {
        // Every word is in the title: the closer the title is to the query, the better (as trigram similarity to the title).
        const length = titleLength[slot] ?? 0;
        value += Math.min(1, queryLength / Math.max(1, length));
        if (length === queryLength && (this.titles[slot] ?? '').toLowerCase() === query.q) value += 1;
      }
      floats[cell + 2] = value;
      hits.push(slot);
    }
  }

  /** The first `want` hits in the requested order, by a bounded heap (never a sort of every hit). */
  private top(hits: IntList, want: number, sort: SearchSort, browsing: boolean): number[] {
    const { nameRank, keyRank, titles, keys, updated } = this;
    const score = this.scratchFloats;
    const byKey = (a: number, b: number): number => {
      const rankA = keyRank[a] ?? -1;
      const rankB = keyRank[b] ?? -1;
      return rankA >= 0 && rankB >= 0 ? rankA - rankB : compareStrings(keys[a] ?? '', keys[b] ?? '');
    };
    const byName = (a: number, b: number): number => {
      const rankA = nameRank[a] ?? -1;
      const rankB = nameRank[b] ?? -1;
      if (rankA >= 0 && rankB >= 0) return rankA - rankB;
      return compareStrings((titles[a] ?? '').toLowerCase(), (titles[b] ?? '').toLowerCase()) || compareStrings(keys[a] ?? '', keys[b] ?? '');
    };
    const compare =
      sort === 'updated'
        ? (a: number, b: number) => (updated[b] ?? 0) - (updated[a] ?? 0) || byKey(a, b)
        : sort === 'relevance' && !browsing
          ? (a: number, b: number) => (score[b * 4 + 2] ?? 0) - (score[a * 4 + 2] ?? 0) || byName(a, b)
          : byName;
    // A max-heap on `compare` of the best `want` so far: its root is the worst kept hit.
    const heap: number[] = [];
    const up = (index: number) => {
      let at = index;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (compare(heap[at] ?? 0, heap[parent] ?? 0) <= 0) break;
        [heap[at], heap[parent]] = [heap[parent] ?? 0, heap[at] ?? 0];
        at = parent;
      }
    };
    const down = () => {
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        const right = left + 1;
        let largest = at;
        if (left < heap.length && compare(heap[left] ?? 0, heap[largest] ?? 0) > 0) largest = left;
        if (right < heap.length && compare(heap[right] ?? 0, heap[largest] ?? 0) > 0) largest = right;
        if (largest === at) break;
        [heap[at], heap[largest]] = [heap[largest] ?? 0, heap[at] ?? 0];
        at = largest;
      }
    };
    for (let at = 0; at < hits.length; at++) {
      const slot = hits.data[at] ?? 0;
      if (heap.length < want) {
        heap.push(slot);
        up(heap.length - 1);
      } else if (compare(slot, heap[0] ?? 0) < 0) {
        heap[0] = slot;
        down();
      }
    }
    return heap.sort(compare);
  }

  /** Facet counts over every hit: one pass counting facet combinations, then each combination's values; top 30 each. */
  private facets(hits: IntList): SearchResult['facets'] {
    const { tuples, tuple } = this;
    const tupleCounts = new Int32Array(tuples.length);
    const hitData = hits.data;
    for (let at = 0; at < hits.length; at++) {
      const id = tuple[hitData[at] ?? 0] ?? 0;
      tupleCounts[id] = (tupleCounts[id] ?? 0) + 1;
    }
    const kindCounts = new Int32Array(kinds.length);
    const domainCounts = new Int32Array(this.domains.values.length);
    const statusCounts = new Int32Array(this.statuses.values.length);
    const ownerCounts = new Int32Array(this.owners.values.length);
    const qualityCounts = new Int32Array(qualities.length);
    const slaCounts = new Int32Array(slas.length);
    const tagSetCounts = new Int32Array(this.tagSetTags.length);
    const touched = new IntList(256);
    const add = (counts: Int32Array, index: number, count: number) => {
      counts[index] = (counts[index] ?? 0) + count;
    };
    for (let id = 0; id < tupleCounts.length; id++) {
      const count = tupleCounts[id] ?? 0;
      if (count === 0) continue;
      add(kindCounts, tuples.kind.data[id] ?? 0, count);
      add(domainCounts, tuples.domain.data[id] ?? 0, count);
      add(statusCounts, tuples.status.data[id] ?? 0, count);
      add(ownerCounts, tuples.owner.data[id] ?? 0, count);
      add(qualityCounts, tuples.quality.data[id] ?? 0, count);
      add(slaCounts, tuples.sla.data[id] ?? 0, count);
      const tagSet = tuples.tagSet.data[id] ?? 0;
      if (tagSetCounts[tagSet] === 0) touched.push(tagSet);
      add(tagSetCounts, tagSet, count);
    }
    const tagCounts = new Map<number, number>();
    for (let at = 0; at < touched.length; at++) {
      const tagSet = touched.data[at] ?? 0;
      const count = tagSetCounts[tagSet] ?? 0;
      for (const tag of this.tagSetTags[tagSet] ?? []) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + count);
    }
    const list = (counts: ArrayLike<number>, value: (index: number) => string, skipEmpty = false): FacetCount[] => {
      const found: FacetCount[] = [];
      for (let index = 0; index < counts.length; index++) {
        const count = counts[index] ?? 0;
        const text = count > 0 ? value(index) : '';
        if (count > 0 && !(skipEmpty && text === '')) found.push({ value: text, count });
      }
      return found.sort((a, b) => b.count - a.count || compareStrings(a.value, b.value)).slice(0, facetLimit);
    };
    const tagList = [...tagCounts].map(([tag, count]) => ({ value: this.tags.values[tag] ?? '', count }));
    return {
      kind: list(kindCounts, (index) => kinds[index] ?? ''),
      domain: list(domainCounts, (index) => { const id = this.domains.values[index] ?? ''; return this.slugs.get(id) ?? id; }),
      status: list(statusCounts, (index) => this.statuses.values[index] ?? ''),
      tag: tagList.sort((a, b) => b.count - a.count || compareStrings(a.value, b.value)).slice(0, facetLimit),
      owner: list(ownerCounts, (index) => this.owners.values[index] ?? '', true),
      quality: list(qualityCounts, (index) => qualities[index] ?? ''),
      sla: list(slaCounts, (index) => slas[index] ?? ''),
    };
  }
}
