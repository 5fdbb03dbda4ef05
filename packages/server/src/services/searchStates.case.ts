/**
 * The search states suite, run on both stores (searchStatesEmbedded.test.ts, searchStatesPostgres.test.ts):
 * quality and SLA states derived from real check runs (the engine on CSV files), kept current by runs and
 * publishes, as facets and filters; browse mode and the three sort orders.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../auth/Actor';
import { InputError } from '../errors/errors';
import { sampleContract, sampleProduct } from '../store/catalog.case';
import type { Store } from '../store/createStore';
import { createServices, type Services } from './createServices';
import type { SearchHit } from './SearchService';

/** How a suite file provides its store. */
export interface SearchStatesSubject {
  store: () => Store;
}

const admin = systemActor('test');
const oldOrders = 'id,amount,created_at\n1,10,2026-01-01 00:00:00\n2,20,2026-01-02 00:00:00\n';
const badOrders = 'id,amount,created_at\n1,10,2026-01-01 00:00:00\n1,-20,2026-01-02 00:00:00\n';

/** A contract over `file` in `domain` checking unique ids and non-negative amounts, with one SLA check. */
function ordersContract(options: { id: string; domain: string; name: string; file: string; sla: 'freshness' | 'retention'; word: string }) {
  return {
    ...sampleContract({ id: options.id, domain: options.domain, name: options.name, tags: [options.word] }),
    servers: [{ server: 'files', type: 'local', format: 'csv', path: options.file }],
    schema: [
      {
        name: 'orders',
        logicalType: 'object',
        properties: [
          { name: 'id', logicalType: 'integer', required: true, unique: true },
          { name: 'amount', logicalType: 'number', logicalTypeOptions: { minimum: 0 } },
          { name: 'created_at', logicalType: 'timestamp' },
        ],
      },
    ],
    // Freshness of one day fails on January data; a retention of 100 years is met.
    slaProperties: [options.sla === 'freshness' ? { property: 'freshness', value: 1, unit: 'd', element: 'orders.created_at' } : { property: 'retention', value: 100, unit: 'y', element: 'orders.created_at' }],
  };
}

/** Registers the search states suite under `name`; with `searchIndex`, searches go through the in-memory index. */
export function defineSearchStatesSuite(name: string, subject: SearchStatesSubject, options: { searchIndex?: boolean } = {}): void {
  describe(`${name}: search quality and SLA states`, () => {
    let root = '';
    let services: Services;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'meshboard-search-states-'));
      services = createServices(subject.store().db, { checkRuns: { dataRoot: root, env: {} }, ...(options.searchIndex === true ? { search: { buildOnFirstSearch: true } } : {}) });
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    it('derives states from check runs, keeps them across publishes, filters and counts them', async () => {
      const word = `zs${Date.now().toString(36)}`;
      const domain = await services.domains.create(admin, { slug: `search-${word}`, name: `Search ${word}` });
      await writeFile(join(root, `${word}-good.csv`), oldOrders);
      await writeFile(join(root, `${word}-bad.csv`), badOrders);
      const good = (await services.contracts.publish(admin, { document: ordersContract({ id: `${word}-good`, domain: domain.slug, name: `Good ${word}`, file: `${word}-good.csv`, sla: 'retention', word }) })).item;
      const bad = (await services.contracts.publish(admin, { document: ordersContract({ id: `${word}-bad`, domain: domain.slug, name: `Bad ${word}`, file: `${word}-bad.csv`, sla: 'freshness', word }) })).item;
      await services.contracts.publish(admin, { document: sampleContract({ id: `${word}-never`, domain: domain.slug, name: `Never ${word}`, tags: [word] }) });
      const product = (id: string, productName: string, ports: string[]) => ({
        ...sampleProduct({ id: `${word}-${id}`, domain: domain.slug, contractId: ports[0] ?? '', name: productName, tags: [word] }),
        outputPorts: ports.map((contractId, index) => ({ name: `port${index}`, version: '1.0.0', contractId })),
      });
      const alpha = (await services.products.publish(admin, { document: product('alpha', `Alpha ${word}`, [`${word}-good`]) })).item;
      const beta = (await services.products.publish(admin, { document: product('beta', `Beta ${word}`, [`${word}-good`, `${word}-bad`]) })).item;
      const gamma = (await services.products.publish(admin, { document: product('gamma', `Gamma ${word}`, [`${word}-never`]) })).item;
      const states = async (extra: { kind?: 'product' | 'contract' | 'property' } = {}) => {
        const result = await services.search.search({ q: word, domainId: domain.id, limit: 100, ...extra });
        return Object.fromEntries(result.items.filter((hit) => hit.kind !== 'property').map((hit: SearchHit) => [hit.title.split(' ')[0], `${hit.qualityState}/${hit.slaState}`]));
      };
      expect(await states()).toEqual({ Good: 'not-run/unknown', Bad: 'not-run/unknown', Never: 'not-run/unknown', Alpha: 'not-run/unknown', Beta: 'not-run/unknown', Gamma: 'not-run/unknown' });

      const goodRun = await services.checkRuns.runNow(admin, { contractId: good.id, trigger: 'api' });
      expect(goodRun.status).toBe('passed');
      // Beta's second contract has not run yet: not-run is worse than passed, unknown worse than met.
      expect(await states()).toMatchObject({ Good: 'passed/met', Alpha: 'passed/met', Beta: 'not-run/unknown', Gamma: 'not-run/unknown' });
      const badRun = await services.checkRuns.runNow(admin, { contractId: bad.id, trigger: 'api' });
      expect(badRun.status).toBe('failed');
      expect(await states()).toEqual({ Good: 'passed/met', Bad: 'failed/breached', Never: 'not-run/unknown', Alpha: 'passed/met', Beta: 'failed/breached', Gamma: 'not-run/unknown' });

      // Properties inherit their contract's states.
      const failedColumns = await services.search.search({ q: word, domainId: domain.id, kind: 'property', quality: 'failed', limit: 100 });
      expect(failedColumns.items.map((hit) => hit.context).sort()).toEqual([`Bad ${word} · orders.amount`, `Bad ${word} · orders.created_at`, `Bad ${word} · orders.id`]);

      const all = await services.search.search({ q: word, domainId: domain.id, limit: 100 });
      // Contracts and products: Good+Alpha passed, Bad+Beta failed, Never+Gamma not-run; each contract's 3 or 2 columns too.
      expect(all.facets.quality).toEqual([
        { value: 'passed', count: 2 + 3 },
        { value: 'failed', count: 2 + 3 },
        { value: 'not-run', count: 2 + 2 },
      ].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)));
      expect(all.facets.sla).toContainEqual({ value: 'breached', count: 5 });
      const failedProducts = await services.search.search({ q: word, domainId: domain.id, kind: 'product', quality: 'failed' });
      expect(failedProducts.items.map((hit) => hit.id)).toEqual([beta.id]);
      const metProducts = await services.search.search({ domainId: domain.id, sla: 'met' });
      expect(metProducts.items.map((hit) => hit.id)).toEqual([alpha.id]);

      // Fixing the data and re-running clears Beta's failure in the run's own transaction.
      await writeFile(join(root, `${word}-bad.csv`), oldOrders);
      expect((await services.checkRuns.runNow(admin, { contractId: bad.id, trigger: 'api' })).status).toBe('failed'); // freshness still fails
      expect(await states({ kind: 'product' })).toEqual({ Alpha: 'passed/met', Beta: 'failed/breached', Gamma: 'not-run/unknown' });

      // A re-publish re-indexes the entries but keeps the states derived from the runs.
      const republished = await services.contracts.publish(admin, {
        ref: good.id,
        expectedVersion: good.version,
        document: { ...ordersContract({ id: `${word}-good`, domain: domain.slug, name: `Good ${word}`, file: `${word}-good.csv`, sla: 'retention', word }), description: { purpose: 'Now described.' } },
      });
      expect(republished.outcome).toBe('revised');
      await services.products.publish(admin, { ref: gamma.id, expectedVersion: gamma.version, document: product('gamma', `Gamma ${word}`, [`${word}-never`, `${word}-good`]) });
      expect(await states()).toMatchObject({ Good: 'passed/met', Alpha: 'passed/met', Gamma: 'not-run/unknown' });
    });

    it('browses without a text by name, sorts by name or by update time, and pages stably', async () => {
      const word = `zb${Date.now().toString(36)}`;
      const domain = await services.domains.create(admin, { slug: `browse-${word}`, name: `Browse ${word}` });
      await services.contracts.publish(admin, { document: sampleContract({ id: `${word}-c`, domain: domain.slug, name: `Contract ${word}`, tags: [word] }) });
      const names = ['delta', 'Alpha', 'charlie', 'Bravo'];
      const published = [];
      for (const productName of names) {
        published.push((await services.products.publish(admin, { document: sampleProduct({ id: `${word}-${productName}`, domain: domain.slug, contractId: `${word}-c`, name: `${productName} ${word}`, tags: [word] }) })).item);
      }
      const browse = await services.search.search({ q: '  ', domainId: domain.id });
      // Products only, case-insensitive name order, no score.
      expect(browse.items.map((hit) => hit.title.split(' ')[0])).toEqual(['Alpha', 'Bravo', 'charlie', 'delta']);
      expect(browse.items.every((hit) => hit.kind === 'product' && hit.score === 0)).toBe(true);
      expect(browse.total).toBe(4);
      expect(browse.facets.kind).toEqual([{ value: 'product', count: 4 }]);
      expect((await services.search.search({ domainId: domain.id, kind: 'contract' })).items.map((hit) => hit.kind)).toEqual(['contract']);

      // Re-publishing charlie makes it the most recently updated.
      const charlie = published[2];
      if (charlie === undefined) throw new Error('charlie was not published');
      await services.products.publish(admin, { ref: charlie.id, expectedVersion: charlie.version, document: { ...sampleProduct({ id: `${word}-charlie`, domain: domain.slug, contractId: `${word}-c`, name: `charlie ${word}`, tags: [word] }), description: { purpose: 'Updated.' } } });
      const updated = await services.search.search({ domainId: domain.id, sort: 'updated' });
      expect(updated.items[0]?.title).toBe(`charlie ${word}`);
      expect(Date.parse(updated.items[0]?.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(updated.items[1]?.updatedAt ?? ''));
      const byName = await services.search.search({ q: word, domainId: domain.id, sort: 'name' });
      expect(byName.items.map((hit) => hit.title)).toEqual([...byName.items.map((hit) => hit.title)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()) || (a < b ? -1 : a > b ? 1 : 0)));
      const relevance = await services.search.search({ q: `alpha ${word}`, domainId: domain.id });
      expect(relevance.items[0]?.title).toBe(`Alpha ${word}`);

      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await services.search.search({ domainId: domain.id, sort: 'updated', limit: 3, ...(cursor === undefined ? {} : { cursor }) });
        paged.push(...page.items.map((hit) => hit.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(paged).toEqual(updated.items.map((hit) => hit.id));
      await expect(services.search.search({ q: '?!' })).rejects.toThrow(InputError);
    });
  });
}
