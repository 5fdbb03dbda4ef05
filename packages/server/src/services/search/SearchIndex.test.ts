import { describe, expect, it } from 'vitest';
import { SearchIndex, type IndexEntry, type IndexQuery } from './SearchIndex';
import { trigramWords } from './trigrams';

// The index's incremental paths (entries added after the build: posting lists beyond the compact block,
// no name/key ranks, so strings order them; entries removed: dead records) must answer exactly as an
// index built at once from the same entries. The SQL-equivalence suite (searchIndex.case.ts) pins the
// built path to the SQL search; this pins the incremental path to the built one.

const vocabulary = ['order', 'orders', 'customer', 'invoice', 'shipment', 'ledger', 'payment', 'refund', 'stock', 'supplier', 'forecast', 'churn', 'branch', 'brand', 'pallet', 'sensor'];
const domains = ['d-1', 'd-2', 'd-3'];
const statuses = ['active', 'draft', 'deprecated'];
const qualities = ['passed', 'warning', 'failed', 'error', 'not-run'] as const;
const slas = ['met', 'breached', 'unknown'] as const;

/** A deterministic pseudo-random sequence (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stem = (word: string) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);

/** The entries of one entity (a contract and its properties, or a product), as `search_entries` rows would be. */
function entityEntries(next: () => number, entity: number, version: number): IndexEntry[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const entityId = `00000000-0000-7000-8000-${entity.toString(16).padStart(12, '0')}`;
  const kind = entity % 4 === 0 ? 'product' : 'contract';
  const shared = {
    entityId,
    domainId: pick(domains),
    status: pick(statuses),
    owner: `team-${Math.floor(next() * 5)}`,
    tags: next() < 0.5 ? [pick(vocabulary)] : [],
    qualityState: pick(qualities),
    slaState: pick(slas),
    updatedMicros: 1_700_000_000_000_000 + Math.floor(next() * 50) * 1_000_000 + version,
  };
  const entry = (key: string, entryKind: IndexEntry['kind'], title: string, body: string): IndexEntry => {
    const keywords = [...shared.tags, shared.owner].join(' ');
    const best = new Map<string, string>();
    for (const [text, weight] of [[body, 'C'], [keywords, 'B'], [title, 'A']] as const) for (const word of trigramWords(text)) best.set(stem(word), weight);
    const tsv = [...best].map(([lexeme, weight]) => `'${lexeme}':1${weight}`).join(' ');
    return { ...shared, key, kind: entryKind, title, context: key, keywords, tsv };
  };
  const title = `${pick(vocabulary)} ${pick(vocabulary)}${next() < 0.3 ? ` ${pick(vocabulary)}` : ''}`;
  const entries = [entry(`${kind}:${entityId}`, kind, next() < 0.1 ? 'Order' : title, `${pick(vocabulary)} ${pick(vocabulary)} v${version}`)];
  if (kind === 'contract') {
    const properties = 1 + Math.floor(next() * 4);
    for (let at = 0; at < properties; at++) entries.push(entry(`property:${entityId}:c${at}`, 'property', `${pick(vocabulary)}_${pick(['id', 'amount', 'date'])}`, pick(vocabulary)));
  }
  return entries;
}

const queries: Omit<IndexQuery, 'tokens' | 'offset' | 'limit'>[] = [];
for (const q of ['order', 'orders', 'customer invoice', 'ledger_id', 'ord', 'supplier fore', 'custmer', 'brand', 'stock payment refund']) {
  for (const sort of ['relevance', 'name', 'updated'] as const) queries.push({ q, sort });
  queries.push({ q, sort: 'relevance', kind: 'property' }, { q, sort: 'relevance', domain: 'slug-2', status: 'active' }, { q, sort: 'name', quality: 'failed' }, { q, sort: 'updated', tag: 'order' });
}
queries.push({ q: '', sort: 'name' }, { q: '', sort: 'updated', kind: 'contract' }, { q: '', sort: 'name', owner: 'team-3', sla: 'breached' });

function ask(index: SearchIndex, query: (typeof queries)[number], offset: number) {
  const tokens = trigramWords(query.q).map((text) => ({ text, stem: stem(text) }));
  return index.search({ ...query, tokens, offset, limit: 20 });
}

describe('SearchIndex', () => {
  it('answers after incremental changes exactly as an index built at once from the same entries', () => {
    const next = random(42);
    const entities = new Map<number, IndexEntry[]>();
    for (let entity = 0; entity < 1_200; entity++) entities.set(entity, entityEntries(next, entity, 0));
    const live = new SearchIndex();
    domains.forEach((id, at) => live.setDomainSlug(id, `slug-${at + 1}`));
    for (const entries of entities.values()) for (const entry of entries) live.add(entry);
    live.finish();
    // Re-index a third, delete a tenth, add new entities: each change goes through replaceEntity.
    for (let entity = 0; entity < 1_200; entity += 3) {
      const entries = entityEntries(next, entity, 1);
      entities.set(entity, entries);
      live.replaceEntity(entries[0]?.entityId ?? '', entries);
    }
    for (let entity = 1; entity < 1_200; entity += 10) {
      const entityId = entities.get(entity)?.[0]?.entityId ?? '';
      entities.delete(entity);
      live.replaceEntity(entityId, []);
    }
    for (let entity = 1_200; entity < 1_500; entity++) {
      const entries = entityEntries(next, entity, 2);
      entities.set(entity, entries);
      live.replaceEntity(entries[0]?.entityId ?? '', entries);
    }
    const built = new SearchIndex();
    domains.forEach((id, at) => built.setDomainSlug(id, `slug-${at + 1}`));
    for (const entries of entities.values()) for (const entry of entries) built.add(entry);
    built.finish();

    expect(live.size).toBe(built.size);
    let nonEmpty = 0;
    for (const query of queries) {
      for (const offset of [0, 20]) {
        const expected = ask(built, query, offset);
        const actual = ask(live, query, offset);
        if (expected.total > 0) nonEmpty++;
        expect({ query, offset, answer: actual }).toEqual({ query, offset, answer: expected });
      }
    }
    // The comparison is only as good as the hits it compares.
    expect(nonEmpty).toBeGreaterThan(queries.length);
  });

  it('ranks an exact title first, then titles holding every word, and orders by update time with the key breaking ties', () => {
    const next = random(7);
    const index = new SearchIndex();
    index.setDomainSlug('d-1', 'sales');
    const entries = [...entityEntries(next, 1, 0), ...entityEntries(next, 2, 0)].map((entry, at) => ({ ...entry, domainId: 'd-1', updatedMicros: 1_000_000 + (at % 2) * 1_000 }));
    entries.push({ ...entries[0]!, key: 'product:exact', entityId: '00000000-0000-7000-8000-0000000000ff', kind: 'product', title: 'Ledger Refund', tsv: "'ledger':1A 'refund':2A", keywords: '', updatedMicros: 500 });
    for (const entry of entries) index.add(entry);
    index.finish();
    const ranked = index.search({ q: 'ledger refund', tokens: [{ text: 'ledger', stem: 'ledger' }, { text: 'refund', stem: 'refund' }], sort: 'relevance', offset: 0, limit: 5 });
    expect(ranked.items[0]?.title).toBe('Ledger Refund');
    const byUpdate = index.search({ q: '', tokens: [], kind: 'property', sort: 'updated', offset: 0, limit: 50 });
    const order = byUpdate.items.map((item) => `${item.updatedAt}|${item.context}`);
    expect(order.length).toBeGreaterThan(1);
    const sorted = [...order].sort((a, b) => {
      const [timeA = '', keyA = ''] = a.split('|');
      const [timeB = '', keyB = ''] = b.split('|');
      return timeA < timeB ? 1 : timeA > timeB ? -1 : keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
    });
    expect(order).toEqual(sorted);
  });

  it('orders names and keys as JavaScript compares the strings, whether the build read its entries in key order or not', () => {
    // Characters above U+FFFF order before U+E000–U+FFFF in UTF-16 but after them in UTF-8 (the index
    // compares its stored UTF-8); duplicated titles in several cases; keys that are prefixes of others.
    const titles = ['Ａlpha', '𝔸lpha', 'alpha', 'ALPHA', 'Zeta', 'zeta', 'émile', 'Émile', 'beta', '\uE000x', '😀', 'b'];
    const keySuffixes = ['a', 'a:1', 'a:10', 'a:2', 'Ａ', '𝔸', '\uE000', '\uFFFF', 'é', 'z', 'A', '😀x'];
    const base = entityEntries(random(3), 4, 0)[0]!;
    const entries = keySuffixes.flatMap((suffix, at) =>
      titles.map((title, t): IndexEntry => ({ ...base, key: `product:${suffix}:${t}`, entityId: `00000000-0000-7000-8000-${(at * 100 + t).toString(16).padStart(12, '0')}`, kind: 'product', title, context: `product:${suffix}:${t}`, updatedMicros: 1_000 })),
    );
    const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const expectedNames = [...entries].sort((a, b) => byKey(a.title.toLowerCase(), b.title.toLowerCase()) || byKey(a.key, b.key)).map((entry) => entry.key);
    const expectedKeys = entries.map((entry) => entry.key).sort(byKey);
    const shuffled = [...entries].sort((a, b) => byKey(a.entityId.split('').reverse().join(''), b.entityId.split('').reverse().join('')));
    for (const order of [[...entries].sort((a, b) => byKey(a.key, b.key)), shuffled]) {
      const index = new SearchIndex();
      index.setDomainSlug(base.domainId, 'sales');
      for (const entry of order) index.add(entry);
      index.finish();
      const page = (sort: IndexQuery['sort']) => index.search({ q: '', tokens: [], kind: 'product', sort, offset: 0, limit: entries.length }).items.map((item) => item.context);
      expect(page('name')).toEqual(expectedNames);
      // Same update time everywhere: the key breaks the ties.
      expect(page('updated')).toEqual(expectedKeys);
    }
  });
});
