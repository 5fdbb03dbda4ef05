/**
 * The in-memory search index suite, run on both stores (searchIndexEmbedded.test.ts,
 * searchIndexPostgres.test.ts): the index follows every committed write (publish, re-publish, state
 * refresh, delete, domain rename) and no uncommitted or rolled-back one; typos and prefixes; and, on a
 * generated catalog, the same hits, totals, facets and name/updated orders as the SQL path.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../../bench/loadCatalog';
import { systemActor } from '../auth/Actor';
import { sampleContract, sampleProduct } from '../store/catalog.case';
import type { Store } from '../store/createStore';
import { createServices, type Services } from './createServices';
import { LiveSearchIndex } from './search/LiveSearchIndex';
import type { SearchHit, SearchRequest, SearchResult } from './SearchService';
import { seedDemo } from './seedDemo';

/** How a suite file provides its store. */
export interface SearchIndexSubject {
  store: () => Store;
}

const admin = systemActor('test');
const hitKey = (hit: SearchHit) => `${hit.kind}|${hit.id}|${hit.context}`;

/** Registers the in-memory search index suite under `name`. */
export function defineSearchIndexSuite(name: string, subject: SearchIndexSubject): void {
  describe(`${name}: in-memory search index`, () => {
    let services: Services;
    beforeAll(async () => {
      await seedDemo(subject.store().db);
      const store = subject.store();
      // As the server wires it: the embedded store's commit notifications spare the look before each search.
      services = createServices(store.db, store.searchChanges === undefined ? {} : { search: { changes: store.searchChanges } });
      await services.search.buildIndex();
    });

    it('follows publishes, re-publishes, deletes and domain renames, and never shows a rolled-back write', async () => {
      expect(services.search.indexReady).toBe(true);
      const word = `zi${Date.now().toString(36)}`;
      const domain = await services.domains.create(admin, { slug: `index-${word}`, name: `Index ${word}` });
      const contract = (await services.contracts.publish(admin, { document: sampleContract({ id: `${word}-c`, domain: domain.slug, name: `${word} ledger`, tags: [word] }) })).item;
      const product = (await services.products.publish(admin, { document: sampleProduct({ id: `${word}-p`, domain: domain.slug, contractId: `${word}-c`, name: `${word} hub`, tags: [word] }) })).item;
      const found = await services.search.search({ q: word, domainId: domain.slug, limit: 100 });
      expect(found.items[0]).toMatchObject({ kind: 'product', id: product.id, title: `${word} hub` });
      expect(found.facets.kind).toEqual([
        { value: 'property', count: 2 },
        { value: 'contract', count: 1 },
        { value: 'product', count: 1 },
      ]);
      expect(found.facets.domain).toEqual([{ value: domain.slug, count: 4 }]);

      // A re-publish replaces the product's entry: the old name is gone, the new one found.
      await services.products.publish(admin, { ref: product.id, expectedVersion: product.version, document: sampleProduct({ id: `${word}-p`, domain: domain.slug, contractId: `${word}-c`, name: `${word} atlas`, tags: [word] }) });
      expect((await services.search.search({ q: 'hub', domainId: domain.id })).total).toBe(0);
      expect((await services.search.search({ q: 'atlas', domainId: domain.id })).items.map((hit) => hit.id)).toEqual([product.id]);

      // A domain rename: the facet reports the new slug, and the new slug filters.
      const renamed = await services.domains.update(admin, { id: domain.id, expectedVersion: domain.version, patch: { slug: `renamed-${word}` } });
      const bySlug = await services.search.search({ q: word, domainId: renamed.slug });
      expect(bySlug.total).toBe(4);
      expect(bySlug.facets.domain).toEqual([{ value: renamed.slug, count: 4 }]);
      expect((await services.search.search({ q: word, domainId: domain.slug })).total).toBe(0);

      // A rolled-back write never shows.
      const db = subject.store().db;
      await expect(
        db.transaction().execute(async (trx) => {
          await trx.deleteFrom('search_entries').where('entity_id', '=', contract.id).execute();
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await services.search.search({ q: word, domainId: domain.id })).total).toBe(4);

      // A delete (every entry of the contract) shows at once.
      await db.deleteFrom('search_entries').where('entity_id', '=', contract.id).execute();
      const afterDelete = await services.search.search({ q: word, domainId: domain.id });
      expect(afterDelete.items.map((hit) => hit.kind)).toEqual(['product']);
      expect(afterDelete.total).toBe(1);
    });

    it('looks for changes before a search only when a commit was notified (embedded), before every search otherwise', async () => {
      const store = subject.store();
      const feed = store.searchChanges !== undefined;
      let looks = 0;
      const counted = store.db.withPlugin({
        transformQuery: (args) => {
          if (args.node.kind === 'RawNode' && args.node.sqlFragments.join('?').includes('from search_changes where seq >')) looks++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const index = new LiveSearchIndex(counted, feed ? { changes: store.searchChanges } : {});
      await index.build();
      const word = `zn${Date.now().toString(36)}`;
      const search = async () => (await index.search({ q: word, sort: 'relevance', limit: 10, offset: 0 }))?.total;
      looks = 0;
      expect([await search(), await search(), await search()]).toEqual([0, 0, 0]);
      expect(looks).toBe(feed ? 0 : 3);

      // A committed write (through another handle on the store) is seen by the very next search.
      const domain = await services.domains.create(admin, { slug: `notify-${word}`, name: `Notify ${word}` });
      const contract = (await services.contracts.publish(admin, { document: sampleContract({ id: `${word}-c`, domain: domain.slug, name: `${word} ledger`, tags: [word] }) })).item;
      looks = 0;
      expect(await search()).toBe(3);
      expect(await search()).toBe(3);
      expect(looks).toBe(feed ? 1 : 2);

      // A rolled-back write notifies nothing; a committed delete inside a transaction does.
      looks = 0;
      await expect(
        store.db.transaction().execute(async (trx) => {
          await trx.deleteFrom('search_entries').where('entity_id', '=', contract.id).execute();
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await search()).toBe(3);
      expect(looks).toBe(feed ? 0 : 1);
      await store.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('search_entries').where('entity_id', '=', contract.id).execute();
      });
      expect(await search()).toBe(0);
      index.close();
    });

    it('finds through typos and word prefixes, and ranks exact titles first', async () => {
      const word = `zt${Date.now().toString(36)}`;
      const domain = await services.domains.create(admin, { slug: `typo-${word}`, name: `Typo ${word}` });
      await services.contracts.publish(admin, { document: sampleContract({ id: `${word}-c`, domain: domain.slug, name: 'Orders', tags: [word] }) });
      await services.products.publish(admin, { document: sampleProduct({ id: `${word}-p`, domain: domain.slug, contractId: `${word}-c`, name: 'Customer orders', tags: [word] }) });
      await services.products.publish(admin, { document: sampleProduct({ id: `${word}-q`, domain: domain.slug, contractId: `${word}-c`, name: 'Orders', tags: [word] }) });
      const titles = async (request: SearchRequest) => (await services.search.search({ domainId: domain.id, limit: 100, ...request })).items.map((hit) => `${hit.kind}:${hit.title}`);
      // Typos: one letter missing, one swapped.
      expect(await titles({ q: 'ordrs' })).toEqual(expect.arrayContaining(['product:Orders', 'product:Customer orders', 'contract:Orders']));
      expect(await titles({ q: 'custmer' })).toContain('product:Customer orders');
      expect(await titles({ q: 'invoce', kind: 'property' })).toEqual([]);
      // Prefixes of the last word as typed; earlier words must be whole (or typos).
      expect(await titles({ q: 'cust' })).toContain('product:Customer orders');
      expect((await titles({ q: 'customer ord' }))[0]).toBe('product:Customer orders');
      expect(await titles({ q: 'custo' })).toContain('product:Customer orders');
      // Exact title first, products before contracts with the same title.
      expect((await titles({ q: 'orders' })).slice(0, 2)).toEqual(['product:Orders', 'contract:Orders']);
      expect((await titles({ q: 'customer orders' }))[0]).toBe('product:Customer orders');
      expect(await titles({ q: 'zzqqxx' })).toEqual([]);
    });

    it('answers as the SQL path on a generated catalog: hits, totals, facets, name and update orders', async () => {
      const db = subject.store().db;
      await loadCatalog(db, { count: 240, columns: 6, from: 500_000 });
      // Prefix matching is the index's addition; without it the hit sets must be the SQL path's.
      const index = new LiveSearchIndex(db);
      await index.build();
      const compare = async (request: SearchRequest) => {
        const expected = await services.search.searchSql({ ...request, limit: 500 });
        const q = (request.q ?? '').trim().toLowerCase();
        const actual = await index.search({
          q,
          sort: request.sort ?? (q === '' ? 'name' : 'relevance'),
          limit: 500,
          offset: 0,
          prefix: false,
          ...(request.kind === undefined ? {} : { kind: request.kind }),
          ...(request.domainId === undefined ? {} : { domain: request.domainId }),
          ...(request.status === undefined ? {} : { status: request.status }),
          ...(request.tag === undefined ? {} : { tag: request.tag }),
          ...(request.quality === undefined ? {} : { quality: request.quality }),
        });
        if (actual === null) throw new Error('index not ready');
        const label = JSON.stringify(request);
        expect(actual.total, label).toBe(expected.total);
        expect(actual.facets, label).toEqual(expected.facets);
        if (request.sort === 'name' || request.sort === 'updated' || q === '') {
          // The same hits in the same order (scores are the index's own, see docs/server.md "Search").
          const unscored = (items: SearchHit[]) => items.map((hit) => ({ ...hit, score: 0 }));
          expect(unscored(actual.items), label).toEqual(unscored(expected.items));
        } else if (expected.total <= 500) {
          // Relevance: the same hits (the scores differ: see docs/server.md "Search").
          expect(actual.items.map(hitKey).sort(), label).toEqual(expected.items.map(hitKey).sort());
        }
        return expected;
      };
      const words = ['customer', 'invoices', 'shipment', 'weekly', 'ledger', 'amount', 'email', 'snapshot', 'controlling', 'reference'];
      const typos = ['custmer', 'invoce', 'shipmnet', 'ledgr'];
      let exact = 0;
      for (const q of [...words, ...typos]) {
        // Every SQL hit, and whether it is one word-wise: a stem match, or a title/keyword word within the
        // typo threshold. pg_trgm also lets a run of trigrams span two words ("fulfilment shipping" ~
        // "shipment" 0.78 through "ment" + "ship"); the index compares word by word and leaves those out.
        const rows = await sql<{ kind: SearchHit['kind']; entity_id: string; context: string; word_wise: boolean }>`
          select kind, entity_id, context,
            tsv @@ websearch_to_tsquery('english', ${q}) or (select coalesce(max(word_similarity(${q}, w)), 0) from regexp_split_to_table(search_text, '[^[:alnum:]]+') w) >= 0.45 as word_wise
          from search_entries where tsv @@ websearch_to_tsquery('english', ${q}) or word_similarity(${q}, search_text) >= 0.45`.execute(db);
        const hits = (await index.search({ q, sort: 'relevance', limit: 100_000, offset: 0, prefix: false }))?.items ?? [];
        const expected = rows.rows.filter((row) => row.word_wise).map((row) => `${row.kind}|${row.entity_id}|${row.context}`);
        expect(expected.length, q).toBeGreaterThan(0);
        expect(hits.map(hitKey).sort(), q).toEqual(expected.sort());
        if (expected.length < rows.rows.length) continue;
        // No cross-word run: totals, facets and orders must be the SQL path's, with every filter.
        exact++;
        await compare({ q });
        await compare({ q, kind: 'property' });
        await compare({ q, domainId: 'finance', sort: 'name' });
        await compare({ q, sort: 'updated', status: 'active' });
        await compare({ q, tag: 'customer', quality: 'not-run' });
      }
      expect(exact).toBeGreaterThanOrEqual(5);
      for (const request of [{}, { kind: 'contract' as const }, { domainId: 'logistics', sort: 'updated' as const }, { tag: 'order', kind: 'property' as const, sort: 'name' as const }]) await compare(request);

      // Two words: every entry with both stems (the SQL full-text hits) is a hit of the index too.
      for (const q of ['customer events', 'order_amount', 'weekly summary']) {
        const fullText = await sql<{ kind: SearchHit['kind']; entity_id: string; context: string }>`select kind, entity_id, context from search_entries where tsv @@ websearch_to_tsquery('english', ${q})`.execute(db);
        const hits = (await index.search({ q, sort: 'relevance', limit: 100_000, offset: 0 }))?.items ?? [];
        const keys = new Set(hits.map(hitKey));
        expect(fullText.rows.length, q).toBeGreaterThan(0);
        expect(fullText.rows.filter((row) => !keys.has(`${row.kind}|${row.entity_id}|${row.context}`)), q).toEqual([]);
      }
      index.close();
    });
  });
}

/** Two server processes on one PostgreSQL database: a write through either shows up in the other's search. */
export function defineSharedDatabaseSearchSuite(name: string, stores: { first: () => Store; second: () => Store }): void {
  describe(`${name}: in-memory search index across processes`, () => {
    it('shows a write committed through another process at the next search, and nothing uncommitted', async () => {
      const first = createServices(stores.first().db, { search: { buildOnFirstSearch: true } });
      const second = createServices(stores.second().db, { search: { buildOnFirstSearch: true } });
      const word = `zp${Date.now().toString(36)}`;
      const domain = await second.domains.create(admin, { slug: `shared-${word}`, name: `Shared ${word}` });
      expect((await first.search.search({ q: word })).total).toBe(0);
      expect((await second.search.search({ q: word })).total).toBe(0);
      expect(first.search.indexReady && second.search.indexReady).toBe(true);
      const contract = (await second.contracts.publish(admin, { document: sampleContract({ id: `${word}-c`, domain: domain.slug, name: `${word} ledger`, tags: [word] }) })).item;
      const seen: SearchResult = await first.search.search({ q: word, domainId: domain.slug });
      expect(seen.items.map((hit) => hit.kind)).toEqual(['contract', 'property', 'property']);
      await first.contracts.publish(admin, { ref: contract.id, expectedVersion: contract.version, document: sampleContract({ id: `${word}-c`, domain: domain.slug, name: `${word} journal`, tags: [word] }) });
      expect((await second.search.search({ q: 'journal', domainId: domain.id, kind: 'contract' })).items.map((hit) => hit.id)).toEqual([contract.id]);
      // An open transaction's write is invisible to the other process until it commits.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let written: () => void = () => undefined;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const transaction = stores.second().db.transaction().execute(async (trx) => {
        await trx.deleteFrom('search_entries').where('entity_id', '=', contract.id).execute();
        written();
        await held;
      });
      await wrote;
      expect((await first.search.search({ q: word, domainId: domain.id })).total).toBe(3);
      release();
      await transaction;
      expect((await first.search.search({ q: word, domainId: domain.id })).total).toBe(0);
      first.search.close();
      second.search.close();
    });
  });
}
