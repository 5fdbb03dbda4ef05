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

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Strings kept as UTF-8 in one growable byte buffer with an offset per entry, appended in entry order
 * and decoded on demand (the page's hits, the rare string comparisons): about one byte a character
 * instead of a heap string with its header and pointer per entry, a third of the index's memory at 1.2 M
 * entries with three strings each.
 */
class StringColumn {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  private offsets = new Int32Array(1025);
  private count = 0;

  /** Appends the next entry's string (entries are numbered in call order). */
  push(value: string): void {
    // UTF-8 needs at most three bytes per UTF-16 unit.
    if (this.used + value.length * 3 > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + value.length * 3));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    if (this.count + 2 > this.offsets.length) {
      const grown = new Int32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.used += utf8Encoder.encodeInto(value, this.bytes.subarray(this.used)).written;
    this.offsets[++this.count] = this.used;
  }

  /** Drops the spare capacity (after the build: growth by doubling leaves up to half unused). */
  trim(): void {
    this.bytes = this.bytes.slice(0, this.used);
    this.offsets = this.offsets.slice(0, this.count + 1);
  }

  get(index: number): string {
    return utf8Decoder.decode(this.bytes.subarray(this.offsets[index] ?? 0, this.offsets[index + 1] ?? 0));
  }

  /**
   * Compares two entries' strings as `<` compares the decoded strings (UTF-16 code units), without
   * decoding them. UTF-8 bytes order as code points, which is the same order except between a character
   * above U+FFFF and one in U+E000–U+FFFF (lead bytes 0xF0–0xF4 and 0xEE–0xEF): where a differing byte is
   * one of those, the two strings are decoded and compared.
   */
  compare(a: number, b: number): number {
    const bytes = this.bytes;
    let i = this.offsets[a] ?? 0;
    let j = this.offsets[b] ?? 0;
    const endA = this.offsets[a + 1] ?? 0;
    const endB = this.offsets[b + 1] ?? 0;
    for (; i < endA && j < endB; i++, j++) {
      const x = bytes[i] ?? 0;
      const y = bytes[j] ?? 0;
      if (x === y) continue;
      if (x >= 0xee || y >= 0xee) return compareStrings(this.get(a), this.get(b));
      return x < y ? -1 : 1;
    }
    return endA - i - (endB - j);
  }

  get byteLength(): number {
    return this.bytes.byteLength + this.offsets.byteLength;
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
  /**
   * While building: (term << 2 | weight) per posting (4 bytes a posting), and the entry once per run of
   * postings of the same entry (an entry's postings are added together), with where the run starts. An
   * entry per posting (8 bytes a posting in all) was 108 MiB more at 1.2 M entries (27 M postings), held
   * through the build and while `finish` allocates the compact block.
   */
  private building: { terms: IntList; runEntries: IntList; runStarts: IntList } | null = { terms: new IntList(1 << 16), runEntries: new IntList(1 << 10), runStarts: new IntList(1 << 10) };

  add(term: number, entry: number, weight: number): void {
    const building = this.building;
    if (building !== null) {
      if (building.runEntries.length === 0 || building.runEntries.data[building.runEntries.length - 1] !== entry) {
        building.runEntries.push(entry);
        building.runStarts.push(building.terms.length);
      }
      building.terms.push((term << 2) | weight);
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
    // Postings are scattered in the order they were added, so each term's list keeps the entry order.
    const runs = building.runEntries.length;
    const runEntries = building.runEntries.data;
    const runStarts = building.runStarts.data;
    for (let run = 0; run < runs; run++) {
      const entry = runEntries[run] ?? 0;
      const end = run + 1 < runs ? (runStarts[run + 1] ?? n) : n;
      for (let i = runStarts[run] ?? 0; i < end; i++) {
        const packed = terms[i] ?? 0;
        const term = packed >> 2;
        const at = fill[term] ?? 0;
        fill[term] = at + 1;
        entries[at] = entry;
        weights[at] = packed & 3;
      }
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
 * The layout of an entry's record (three 32-bit cells; 12 bytes, so that the consecutive entries of one
 * contract share cache lines): its facet combination ({@link FacetTuples}); meta = alive (bit 0) | kind
 * (bits 1–2) | title length capped at 65,535 (bits 8–23); its position in (lower(title), key) order among
 * the built entries (-1 for entries added since). What only some searches need (update time, key rank)
 * and what only the page needs (entity) live in columns of their own.
 */
const field = { tuple: 0, meta: 1, nameRank: 2 } as const;
const recordCells = 3;
const aliveBit = 1;

/**
 * A search's hits, collected in one pass over their records: slots, each hit's score (text matches only),
 * its place in the requested order as (primary, secondary) — smaller first; primary is the negated score
 * or update time (0 by name), secondary the name or key rank (-1: the strings decide) — and the hits per
 * facet combination.
 */
class Hits {
  readonly slots: Int32Array;
  readonly scores: Float32Array | null;
  readonly primary: Float64Array;
  readonly secondary: Int32Array;
  readonly tupleCounts: Int32Array;
  length = 0;

  /** Hits for at most `capacity` entries, in `buffers` (positions are written before they are read). */
  constructor(buffers: HitBuffers, capacity: number, tupleCount: number, withScores: boolean) {
    buffers.reserve(capacity, tupleCount);
    this.slots = buffers.slots;
    this.scores = withScores ? buffers.scores : null;
    this.primary = buffers.primary;
    this.secondary = buffers.secondary;
    this.tupleCounts = buffers.tupleCounts.subarray(0, tupleCount);
    this.tupleCounts.fill(0);
  }
}

/**
 * The arrays behind one search's {@link Hits}, kept by the index and grown when a search needs more:
 * searches run one at a time and synchronously, and allocating (and zeroing) megabytes per search
 * cost as much as filling them.
 */
class HitBuffers {
  slots = new Int32Array(0);
  scores = new Float32Array(0);
  primary = new Float64Array(0);
  secondary = new Int32Array(0);
  tupleCounts = new Int32Array(0);

  reserve(capacity: number, tupleCount: number): void {
    if (capacity > this.slots.length) {
      const size = Math.max(capacity, Math.ceil(this.slots.length * 1.5));
      this.slots = new Int32Array(size);
      this.scores = new Float32Array(size);
      this.primary = new Float64Array(size);
      this.secondary = new Int32Array(size);
    }
    if (tupleCount > this.tupleCounts.length) this.tupleCounts = new Int32Array(Math.max(tupleCount, Math.ceil(this.tupleCounts.length * 1.5)));
  }
}

/** How hits are ordered: which rank breaks ties, and what the primary key is. */
interface Order {
  byUpdated: boolean;
  byScore: boolean;
}

/**
 * Entries matched so far, in slot order: per entry the summed best score of the words matched and how
 * many of those words it has in its title (for one word's run: that word's best score, and 1 or 0).
 */
interface Run {
  slots: Int32Array;
  values: Float32Array;
  titles: Uint8Array;
  length: number;
}

/** One source's postings as a run: each posting's score is the source's factor times its weight's score. */
function sourceRun(lists: ReturnType<Postings['lists']>, factor: number): Run {
  const baseLength = lists.end - lists.start;
  const extra = lists.extra;
  const length = baseLength + (extra === null ? 0 : extra.entries.length);
  const run: Run = { slots: new Int32Array(length), values: new Float32Array(length), titles: new Uint8Array(length), length };
  const byWeight = Float64Array.from(weightScores, (score) => factor * score);
  run.slots.set(lists.entries.subarray(lists.start, lists.end));
  for (let at = 0; at < baseLength; at++) {
    const weight = lists.weights[lists.start + at] ?? 0;
    run.values[at] = byWeight[weight] ?? 0;
    run.titles[at] = weight === titleWeight ? 1 : 0;
  }
  // Entries added after the build have higher slots than every built one, so the run stays in slot order.
  if (extra !== null) {
    for (let at = 0; at < extra.entries.length; at++) {
      const weight = extra.weights[at] ?? 0;
      run.slots[baseLength + at] = extra.entries[at] ?? 0;
      run.values[baseLength + at] = byWeight[weight] ?? 0;
      run.titles[baseLength + at] = weight === titleWeight ? 1 : 0;
    }
  }
  return run;
}

/** The union of two runs of the same word: an entry in both keeps its better score, and is in the title if either says so. */
function union(a: Run, b: Run): Run {
  const out: Run = { slots: new Int32Array(a.length + b.length), values: new Float32Array(a.length + b.length), titles: new Uint8Array(a.length + b.length), length: 0 };
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const slotA = a.slots[i] ?? 0;
    const slotB = b.slots[j] ?? 0;
    if (slotA < slotB) {
      out.slots[n] = slotA;
      out.values[n] = a.values[i] ?? 0;
      out.titles[n++] = a.titles[i++] ?? 0;
    } else if (slotB < slotA) {
      out.slots[n] = slotB;
      out.values[n] = b.values[j] ?? 0;
      out.titles[n++] = b.titles[j++] ?? 0;
    } else {
      out.slots[n] = slotA;
      out.values[n] = Math.max(a.values[i] ?? 0, b.values[j] ?? 0);
      out.titles[n++] = (a.titles[i++] ?? 0) | (b.titles[j++] ?? 0);
    }
  }
  for (; i < a.length; i++, n++) {
    out.slots[n] = a.slots[i] ?? 0;
    out.values[n] = a.values[i] ?? 0;
    out.titles[n] = a.titles[i] ?? 0;
  }
  for (; j < b.length; j++, n++) {
    out.slots[n] = b.slots[j] ?? 0;
    out.values[n] = b.values[j] ?? 0;
    out.titles[n] = b.titles[j] ?? 0;
  }
  out.length = n;
  return out;
}

/** A position in one posting list segment (slots ascending), with the score of each weight for its source. */
interface Cursor {
  entries: ArrayLike<number>;
  weights: ArrayLike<number>;
  at: number;
  end: number;
  byWeight: Float64Array;
}

/** Up to this many cursors are merged in one pass (a scan of the cursors per entry); more go pairwise. */
const directMergeLimit = 12;

/**
 * The union of a word's sources, in slot order: per entry its best score over the sources and whether
 * any source has it in the title. A few sources are merged in one pass straight from their lists;
 * many (prefix expansions) are copied into runs and merged pairwise.
 */
function mergeSources(sources: readonly { lists: ReturnType<Postings['lists']>; factor: number }[]): Run {
  const cursors: Cursor[] = [];
  for (const { lists, factor } of sources) {
    const byWeight = Float64Array.from(weightScores, (score) => factor * score);
    if (lists.end > lists.start) cursors.push({ entries: lists.entries, weights: lists.weights, at: lists.start, end: lists.end, byWeight });
    // Entries added after the build have higher slots than every built one: their segment is a list of its own.
    if (lists.extra !== null && lists.extra.entries.length > 0) cursors.push({ entries: lists.extra.entries, weights: lists.extra.weights, at: 0, end: lists.extra.entries.length, byWeight });
  }
  if (cursors.length > directMergeLimit) return unionAll(sources.map((source) => sourceRun(source.lists, source.factor)));
  const total = cursors.reduce((sum, cursor) => sum + cursor.end - cursor.at, 0);
  const out: Run = { slots: new Int32Array(total), values: new Float32Array(total), titles: new Uint8Array(total), length: 0 };
  let n = 0;
  for (;;) {
    let next = 0x7fffffff;
    for (const cursor of cursors) if (cursor.at < cursor.end && (cursor.entries[cursor.at] ?? 0) < next) next = cursor.entries[cursor.at] ?? 0;
    if (next === 0x7fffffff) break;
    let best = 0;
    let title = 0;
    for (const cursor of cursors) {
      if (cursor.at < cursor.end && cursor.entries[cursor.at] === next) {
        const weight = cursor.weights[cursor.at++] ?? 0;
        const value = cursor.byWeight[weight] ?? 0;
        if (value > best) best = value;
        if (weight === titleWeight) title = 1;
      }
    }
    out.slots[n] = next;
    out.values[n] = best;
    out.titles[n++] = title;
  }
  out.length = n;
  return out;
}

/** The union of a word's runs, merged pairwise (each posting is copied about log2(runs) times). */
function unionAll(runs: Run[]): Run {
  let level = runs;
  if (level.length === 0) return { slots: new Int32Array(0), values: new Float32Array(0), titles: new Uint8Array(0), length: 0 };
  while (level.length > 1) {
    const next: Run[] = [];
    for (let at = 0; at < level.length; at += 2) {
      const a = level[at];
      const b = level[at + 1];
      if (a !== undefined) next.push(b === undefined ? a : union(a, b));
    }
    level = next;
  }
  return level[0] as Run;
}

/** The first position in `list[from, to)` holding a value ≥ `value` (exponential then binary search from `from`). */
function gallop(list: ArrayLike<number>, from: number, to: number, value: number): number {
  let step = 1;
  let low = from;
  let high = from;
  while (high < to && (list[high] ?? 0) < value) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > to) high = to;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((list[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The candidates that the next word also matches, through any of its sources: each keeps its score plus
 * the word's best score, and counts the word as in its title if a source says so.
 */
function narrow(candidates: Run, sources: { lists: ReturnType<Postings['lists']>; factor: number }[]): Run {
  const best = new Float32Array(candidates.length).fill(-1);
  const title = new Uint8Array(candidates.length);
  const visit = (entries: ArrayLike<number>, weights: ArrayLike<number>, start: number, end: number, factor: number) => {
    let at = start;
    for (let index = 0; index < candidates.length && at < end; index++) {
      const slot = candidates.slots[index] ?? 0;
      at = gallop(entries, at, end, slot);
      if (at < end && entries[at] === slot) {
        const weight = weights[at] ?? 0;
        const value = factor * (weightScores[weight] ?? 0);
        if (value > (best[index] ?? -1)) best[index] = value;
        if (weight === titleWeight) title[index] = 1;
      }
    }
  };
  for (const { lists, factor } of sources) {
    visit(lists.entries, lists.weights, lists.start, lists.end, factor);
    if (lists.extra !== null) visit(lists.extra.entries, lists.extra.weights, 0, lists.extra.entries.length, factor);
  }
  const out: Run = { slots: new Int32Array(candidates.length), values: new Float32Array(candidates.length), titles: new Uint8Array(candidates.length), length: 0 };
  for (let index = 0; index < candidates.length; index++) {
    const value = best[index] ?? -1;
    if (value < 0) continue;
    out.slots[out.length] = candidates.slots[index] ?? 0;
    out.values[out.length] = (candidates.values[index] ?? 0) + value;
    out.titles[out.length++] = (candidates.titles[index] ?? 0) + (title[index] ?? 0);
  }
  return out;
}

/** The `k`-th smallest value (0-based) of `values` (reordered in place), by quickselect. */
function select(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1] ?? 0;
    let i = low;
    let j = high;
    while (i <= j) {
      while ((values[i] ?? 0) < pivot) i++;
      while ((values[j] ?? 0) > pivot) j--;
      if (i <= j) {
        const swap = values[i] ?? 0;
        values[i++] = values[j] ?? 0;
        values[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return values[k] ?? 0;
  }
  return values[k] ?? 0;
}

/**
 * The in-memory search index: per-entry records and columns (typed arrays; facet values interned as
 * combinations; strings as UTF-8 columns), inverted indexes over the full-text lexemes (`tsv`) and over
 * the title/keyword words (typos, prefixes), and name/key ranks for ordering. Built once from `search_entries` ({@link add} … {@link finish}), then kept current
 * with {@link replaceEntity}; answers {@link search} synchronously from memory. Not thread-safe by
 * design: JavaScript runs one query or update at a time.
 */
export class SearchIndex {
  private capacity = 0;
  private count = 0;
  /**
   * The fields of each entry that matching, ranking and facet counting read, in one 32-byte record per
   * entry (see `field`), so that a hit costs one cache line rather than one per column: at 1.2 M entries
   * and tens of thousands of hits per query, memory latency, not arithmetic, is the cost of a search.
   */
  private records = new Int32Array(0);
  /** `updated_at` in microseconds since the epoch. */
  private updated = new Float64Array(0);
  /** Position in key order among the built entries (ties of `updated`); -1 for entries added since. */
  private keyRank = new Int32Array(0);
  private entity = new Int32Array(0);
  private readonly titles = new StringColumn();
  private readonly contexts = new StringColumn();
  private readonly keys = new StringColumn();

  private readonly entities = new Pool();
  private readonly domains = new Pool();
  private readonly statuses = new Pool();
  private readonly owners = new Pool();
  private readonly tags = new Pool();
  private readonly tagSets = new Pool();
  private tagSetTags: Int32Array[] = [];
  private readonly tuples = new FacetTuples();
  private readonly hitBuffers = new HitBuffers();
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
    this.titles.trim();
    this.contexts.trim();
    this.keys.trim();
    this.resize(this.count);
    const count = this.count;
    // Key order, compared on the stored UTF-8 (no string per entry). The build reads rows in key order,
    // so it usually is the slot order already (one pass to check) and needs no sort.
    const byKey = new Int32Array(count);
    for (let slot = 0; slot < count; slot++) byKey[slot] = slot;
    let keySorted = true;
    for (let slot = 1; slot < count && keySorted; slot++) keySorted = this.keys.compare(slot - 1, slot) < 0;
    if (!keySorted) byKey.sort((a, b) => this.keys.compare(a, b));
    for (let rank = 0; rank < count; rank++) this.keyRank[byKey[rank] ?? 0] = rank;
    // Name order (lower(title), then key): each distinct lower-cased title is kept once and ranked (far
    // fewer than the entries: column names repeat), then the entries are sorted by one number, title rank
    // × count + key rank (exact in a double below 94 M entries), natively. The earlier way held two
    // strings per entry while sorting (~190 MiB at 1.2 M entries: the peak of the server's memory).
    const titleIds = new Map<string, number>();
    const titleOf = new Int32Array(count);
    for (let slot = 0; slot < count; slot++) {
      const lower = this.titles.get(slot).toLowerCase();
      let id = titleIds.get(lower);
      if (id === undefined) titleIds.set(lower, (id = titleIds.size));
      titleOf[slot] = id;
    }
    const titleRank = new Int32Array(titleIds.size);
    [...titleIds.keys()].sort(compareStrings).forEach((title, rank) => (titleRank[titleIds.get(title) ?? 0] = rank));
    titleIds.clear();
    const nameKeys = new Float64Array(count);
    for (let slot = 0; slot < count; slot++) nameKeys[slot] = (titleRank[titleOf[slot] ?? 0] ?? 0) * count + (this.keyRank[slot] ?? 0);
    nameKeys.sort();
    const byKind: IntList[] = [new IntList(), new IntList(), new IntList()];
    const records = this.records;
    for (let rank = 0; rank < count; rank++) {
      const slot = byKey[(nameKeys[rank] ?? 0) % count] ?? 0;
      const meta = records[slot * recordCells + field.meta] ?? 0;
      records[slot * recordCells + field.nameRank] = rank;
      if ((meta & aliveBit) !== 0) byKind[(meta >> 1) & 3]?.push(slot);
    }
    this.byKind = byKind.map((list) => list.data.slice(0, list.length));
    this.built = true;
  }

  /** Replaces every entry of one product or contract with `entries` (none: it was deleted). */
  replaceEntity(entityId: string, entries: readonly IndexEntry[]): void {
    const id = this.entities.ids.get(entityId);
    if (id !== undefined) {
      for (const slot of this.entitySlots.get(id) ?? []) {
        this.records[slot * recordCells + field.meta] = (this.records[slot * recordCells + field.meta] ?? 0) & ~aliveBit;
        this.dead++;
      }
      this.entitySlots.delete(id);
    }
    for (const entry of entries) this.added.push(this.insert(entry));
  }

  /** Bytes held by typed arrays (strings and maps come on top; the benchmark reports the process RSS). */
  get typedBytes(): number {
    const strings = this.titles.byteLength + this.contexts.byteLength + this.keys.byteLength;
    return this.records.byteLength + this.updated.byteLength + this.keyRank.byteLength + this.entity.byteLength + strings + this.lexemePostings.bytes + this.wordPostings.bytes;
  }

  private grow(): void {
    this.resize(Math.max(1024, this.capacity * 2));
  }

  /** Sets the capacity of the per-entry columns (at least the entries held). */
  private resize(capacity: number): void {
    const records = new Int32Array(capacity * recordCells);
    records.set(this.records.subarray(0, Math.min(this.records.length, records.length)));
    this.records = records;
    const updated = new Float64Array(capacity);
    updated.set(this.updated.subarray(0, Math.min(this.updated.length, capacity)));
    this.updated = updated;
    const keyRank = new Int32Array(capacity);
    keyRank.set(this.keyRank.subarray(0, Math.min(this.keyRank.length, capacity)));
    this.keyRank = keyRank;
    const entity = new Int32Array(capacity);
    entity.set(this.entity.subarray(0, Math.min(this.entity.length, capacity)));
    this.entity = entity;
    this.capacity = capacity;
  }

  private insert(entry: IndexEntry): number {
    if (this.count === this.capacity) this.grow();
    const slot = this.count++;
    const entity = this.entities.intern(entry.entityId);
    const kind = Math.max(0, kinds.indexOf(entry.kind));
    const record = slot * recordCells;
    this.records[record + field.meta] = aliveBit | (kind << 1) | (Math.min(65_535, entry.title.length) << 8);
    this.records[record + field.nameRank] = -1;
    this.entity[slot] = entity;
    this.keyRank[slot] = -1;
    const tagSetKey = entry.tags.join('\u0000');
    const tagSet = this.tagSets.intern(tagSetKey);
    if (tagSet === this.tagSetTags.length) this.tagSetTags.push(Int32Array.from(new Set(entry.tags), (tag) => this.tags.intern(tag)));
    this.records[record + field.tuple] = this.tuples.intern(
      kind,
      this.domains.intern(entry.domainId),
      this.statuses.intern(entry.status),
      this.owners.intern(entry.owner),
      tagSet,
      Math.max(0, qualities.indexOf(entry.qualityState)),
      Math.max(0, slas.indexOf(entry.slaState)),
    );
    this.updated[slot] = entry.updatedMicros;
    this.titles.push(entry.title);
    this.contexts.push(entry.context);
    this.keys.push(entry.key);
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
    const order: Order = { byUpdated: query.sort === 'updated', byScore: query.sort === 'relevance' && !browsing };
    let hits = new Hits(this.hitBuffers, 0, this.tuples.length, false);
    if (filter !== null) {
      if (browsing) hits = this.browse(filter, kindFilter === undefined ? -1 : kinds.indexOf(kindFilter), order);
      else hits = this.match(query, filter, order);
    }
    const want = query.offset + query.limit + 1;
    const top = this.top(hits, want, order);
    const page = top.slice(query.offset, query.offset + query.limit);
    const tuples = this.tuples;
    const items = page.map((at): SearchHit => {
      const slot = hits.slots[at] ?? 0;
      const record = slot * recordCells;
      const tuple = this.records[record + field.tuple] ?? 0;
      const tagSet = this.tagSetTags[tuples.tagSet.data[tuple] ?? 0] ?? new Int32Array(0);
      const domainId = this.domains.values[tuples.domain.data[tuple] ?? 0] ?? '';
      return {
        kind: kinds[((this.records[record + field.meta] ?? 0) >> 1) & 3] ?? 'product',
        id: this.entities.values[this.entity[slot] ?? 0] ?? '',
        title: this.titles.get(slot),
        context: this.contexts.get(slot),
        domainId,
        status: this.statuses.values[tuples.status.data[tuple] ?? 0] ?? '',
        owner: this.owners.values[tuples.owner.data[tuple] ?? 0] ?? '',
        tags: Array.from(tagSet, (tag) => this.tags.values[tag] ?? ''),
        qualityState: qualities[tuples.quality.data[tuple] ?? 0] ?? 'not-run',
        slaState: slas[tuples.sla.data[tuple] ?? 0] ?? 'unknown',
        updatedAt: new Date(Math.floor((this.updated[slot] ?? 0) / 1000)).toISOString(),
        score: hits.scores === null ? 0 : Math.round((hits.scores[at] ?? 0) * 1000) / 1000,
      };
    });
    return { items, hasMore: top.length > query.offset + query.limit, total: hits.length, facets: this.facets(hits.tupleCounts) };
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

  private browse(filter: Int32Array, kind: number, order: Order): Hits {
    const passes = this.passing(filter);
    const lists = [...(kind >= 0 ? [this.byKind[kind] ?? new Int32Array(0)] : this.byKind), this.added.data.subarray(0, this.added.length)];
    const hits = new Hits(this.hitBuffers, lists.reduce((sum, list) => sum + list.length, 0), this.tuples.length, false);
    for (const list of lists) for (let at = 0; at < list.length; at++) this.collect(hits, list[at] ?? 0, passes, order, 0, -1);
    return hits;
  }

  /**
   * Adds `slot` to the hits if it is alive and passes the filters, reading its record once: its order
   * keys, its facet combination's count and, for a text match (`words` > 0), its final score from the
   * words' summed `value` (every word in the title: the closer the title's length to the query's, the
   * better, and the exact title wins). Answers whether it was added.
   */
  private collect(hits: Hits, slot: number, passes: Uint8Array | null, order: Order, value: number, words: number, titleWords = 0, query = ''): boolean {
    const { records } = this;
    const record = slot * recordCells;
    const meta = records[record + field.meta] ?? 0;
    if ((meta & aliveBit) === 0) return false;
    const tuple = records[record + field.tuple] ?? 0;
    if (passes !== null && passes[tuple] !== 1) return false;
    const at = hits.length++;
    hits.slots[at] = slot;
    hits.tupleCounts[tuple] = (hits.tupleCounts[tuple] ?? 0) + 1;
    let score = 0;
    if (words > 0 && hits.scores !== null) {
      score = value / words + (kindBonus[(meta >> 1) & 3] ?? 0);
      if (titleWords === words) {
        const titleChars = meta >>> 8;
        score += Math.min(1, query.length / Math.max(1, titleChars));
        if (titleChars === query.length && this.titles.get(slot).toLowerCase() === query) score += 1;
      }
      // Stored as float32 first, so that ties compare as the stored scores do.
      hits.scores[at] = score;
      score = hits.scores[at] ?? 0;
    }
    if (order.byUpdated) {
      hits.primary[at] = -(this.updated[slot] ?? 0);
      hits.secondary[at] = this.keyRank[slot] ?? -1;
    } else {
      hits.primary[at] = order.byScore ? -score : 0;
      hits.secondary[at] = records[record + field.nameRank] ?? -1;
    }
    return true;
  }

  /**
   * The text match: every word must match (stop words are left out unless all are), each through its
   * English stem in any field (weighted A title, B keywords, C body), a title/keyword word within the
   * typo threshold (weighted by its similarity), or — the last word — as a prefix of a stem or word.
   */
  private match(query: IndexQuery, filter: Int32Array, order: Order): Hits {
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
    const none = new Hits(this.hitBuffers, 0, this.tuples.length, true);
    if (terms.some((term) => term.size === 0)) return none;
    // Every list is in entry order, so words combine by merging: memory is read in order, never per entry at random.
    // The rarest word's sources are merged into the candidates; each further word only looks its entries
    // up in its own (longer) lists by galloping, so a common second word costs about the candidates' number.
    const [rarest, ...others] = terms;
    if (rarest === undefined) return none;
    let candidates = mergeSources(rarest.sources.map((source) => ({ lists: source.postings.lists(source.term), factor: source.factor })));
    for (const term of others) {
      candidates = narrow(candidates, term.sources.map((source) => ({ lists: source.postings.lists(source.term), factor: source.factor })));
      if (candidates.length === 0) return none;
    }
    const passes = this.passing(filter);
    const hits = new Hits(this.hitBuffers, candidates.length, this.tuples.length, true);
    for (let at = 0; at < candidates.length; at++) {
      this.collect(hits, candidates.slots[at] ?? 0, passes, order, candidates.values[at] ?? 0, terms.length, candidates.titles[at] ?? 0, query.q);
    }
    return hits;
  }

  /** The positions (in `hits`) of the first `want` hits in the requested order, by a bounded heap (never a sort of every hit). */
  private top(hits: Hits, want: number, order: Order): number[] {
    const { titles, keys } = this;
    const { slots, primary, secondary, length } = hits;
    const byUpdated = order.byUpdated;
    const byStrings = (a: number, b: number): number => {
      const slotA = slots[a] ?? 0;
      const slotB = slots[b] ?? 0;
      if (byUpdated) return compareStrings(keys.get(slotA), keys.get(slotB));
      return compareStrings(titles.get(slotA).toLowerCase(), titles.get(slotB).toLowerCase()) || compareStrings(keys.get(slotA), keys.get(slotB));
    };
    const compare = (a: number, b: number): number => {
      const first = (primary[a] ?? 0) - (primary[b] ?? 0);
      if (first !== 0) return first;
      const rankA = secondary[a] ?? -1;
      const rankB = secondary[b] ?? -1;
      return rankA >= 0 && rankB >= 0 ? rankA - rankB : byStrings(a, b);
    };
    // Hits whose primary key is beyond the want-th smallest can never be kept: one comparison each rejects
    // them, so hits arriving best-last (e.g. in update order) do not churn the heap.
    // By name every primary key is 0: nothing to cut.
    const cutoff = length > 4 * want && (order.byUpdated || order.byScore) ? select(primary.slice(0, length), want - 1) : Number.POSITIVE_INFINITY;
    // A max-heap on `compare` of the best `want` so far: its root is the worst kept hit.
    const heap = new Int32Array(Math.min(want, length));
    let size = 0;
    for (let at = 0; at < length; at++) {
      if ((primary[at] ?? 0) > cutoff) continue;
      if (size < heap.length) {
        let child = size++;
        while (child > 0) {
          const parent = (child - 1) >> 1;
          if (compare(at, heap[parent] ?? 0) <= 0) break;
          heap[child] = heap[parent] ?? 0;
          child = parent;
        }
        heap[child] = at;
      } else if (compare(at, heap[0] ?? 0) < 0) {
        let parent = 0;
        for (;;) {
          const left = 2 * parent + 1;
          if (left >= size) break;
          const right = left + 1;
          const larger = right < size && compare(heap[right] ?? 0, heap[left] ?? 0) > 0 ? right : left;
          if (compare(heap[larger] ?? 0, at) <= 0) break;
          heap[parent] = heap[larger] ?? 0;
          parent = larger;
        }
        heap[parent] = at;
      }
    }
    return Array.from(heap.subarray(0, size)).sort(compare);
  }

  /** Facet counts over every hit: one pass counting facet combinations, then each combination's values; top 30 each. */
  private facets(tupleCounts: Int32Array): SearchResult['facets'] {
    const { tuples } = this;
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
