/** Small readers for plain parsed documents (values of unknown shape). */

/** A plain object (not an array, not null). */
export type Json = Record<string, unknown>;

/** Whether `value` is a plain object. */
export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The array at `value`, or an empty one for anything else (absent lists compare as empty). */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The string at `value`, or `undefined`. Numbers are accepted as their text (e.g. `version: 1.0`). */
export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Deep equality for parsed JSON/YAML values; key order does not matter, list order does. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameValue(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/** A copy of `value` without `keys` (for comparing definitions while ignoring some fields). */
export function without(value: Json, keys: readonly string[]): Json {
  const copy: Json = {};
  for (const [key, item] of Object.entries(value)) if (!keys.includes(key) && item !== undefined) copy[key] = item;
  return copy;
}

/** A short, readable rendering of a value for messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One item of a list matched between two versions; either side may be missing. */
export interface Matched<T> {
  before: { item: T; index: number } | undefined;
  after: { item: T; index: number } | undefined;
  /** How the pair was matched: by stable id, by key (e.g. name), or as a rename (identical definition). */
  by: 'id' | 'key' | 'definition' | 'none';
}

/** How list items are identified when matching two versions of a list. */
export interface MatchOptions<T> {
  /** A stable id (e.g. ODCS `id`), tried first. */
  id?: (item: T) => string | undefined;
  /** The natural key (e.g. `name`), tried when either side has no id or the ids differ. */
  key: (item: T) => string | undefined;
  /** Whether an unmatched removed item and an unmatched added one are the same thing renamed. */
  sameDefinition?: (before: T, after: T) => boolean;
}

/**
 * Pairs the items of two versions of a list: first by id, then by key (duplicated keys pair in order),
 * then leftover removed/added pairs with the same definition (renames). Unpaired items come back with one
 * side missing. The result lists old items in old order, then new-only items in new order.
 */
export function matchItems<T>(before: readonly T[], after: readonly T[], options: MatchOptions<T>): Matched<T>[] {
  const pairOf = new Map<number, { index: number; by: Matched<T>['by'] }>();
  const takenAfter = new Set<number>();
  const tryPair = (identify: ((item: T) => string | undefined) | undefined, by: Matched<T>['by']): void => {
    if (identify === undefined) return;
    const free = new Map<string, number[]>();
    after.forEach((item, index) => {
      const id = identify(item);
      if (id === undefined || takenAfter.has(index)) return;
      free.set(id, [...(free.get(id) ?? []), index]);
    });
    before.forEach((item, index) => {
      if (pairOf.has(index)) return;
      const id = identify(item);
      const candidates = id === undefined ? undefined : free.get(id);
      const match = candidates?.shift();
      if (match === undefined) return;
      pairOf.set(index, { index: match, by });
      takenAfter.add(match);
    });
  };
  tryPair(options.id, 'id');
  tryPair(options.key, 'key');
  if (options.sameDefinition !== undefined) {
    const same = options.sameDefinition;
    before.forEach((item, index) => {
      if (pairOf.has(index)) return;
      const match = after.findIndex((candidate, j) => !takenAfter.has(j) && same(item, candidate));
      if (match < 0) return;
      pairOf.set(index, { index: match, by: 'definition' });
      takenAfter.add(match);
    });
  }
  const result: Matched<T>[] = before.map((item, index) => {
    const pair = pairOf.get(index);
    const afterItem = pair === undefined ? undefined : after[pair.index];
    return {
      before: { item, index },
      after: pair === undefined || afterItem === undefined ? undefined : { item: afterItem, index: pair.index },
      by: pair?.by ?? 'none',
    };
  });
  after.forEach((item, index) => {
    if (!takenAfter.has(index)) result.push({ before: undefined, after: { item, index }, by: 'none' });
  });
  return result;
}
