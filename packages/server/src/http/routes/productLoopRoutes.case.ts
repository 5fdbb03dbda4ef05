/**
 * The product-loop HTTP suite, run on both stores (productLoopRoutesEmbedded.test.ts,
 * productLoopRoutesPostgres.test.ts): status codes, ETags, If-Match and problem pointers of the vision,
 * usage-event and KPI routes, in-process through `app.request()`.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdminEmail } from '../../services/AuthService';
import { createServices } from '../../services/createServices';
import { publishFixtureProduct, type FixtureProduct } from '../../services/productLoop/productLoopFixtures';
import type { Store } from '../../store/createStore';
import type { App } from '../AppEnv';
import { createApp } from '../createApp';

/** How a suite file provides its store. */
export interface ProductLoopRoutesSubject {
  store: () => Store;
}

interface Problem {
  code: string;
  problems?: { pointer?: string; detail: string }[];
}

/** Registers the HTTP suite under `name`. */
export function defineProductLoopRoutesSuite(name: string, subject: ProductLoopRoutesSubject): void {
  describe(`${name}: product-loop HTTP API`, () => {
    let app: App;
    let token = '';
    let product: FixtureProduct;
    beforeAll(async () => {
      const db = subject.store().db;
      const services = createServices(db);
      token = `loop-routes-${randomUUID()}`;
      await services.auth.ensureBootstrapAdmin({ adminToken: token });
      app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(db)) });
      product = await publishFixtureProduct(db);
    });

    const send = async (method: string, path: string, options: { body?: unknown; ifMatch?: string } = {}): Promise<Response> =>
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...(options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch }) },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });

    it('versions the vision canvas behind If-Match and exports it with the product', async () => {
      const path = `/api/products/${encodeURIComponent(product.externalId)}/vision`;
      const empty = await send('GET', path);
      expect(empty.status).toBe(200);
      expect(empty.headers.get('etag')).toBe('"v0"');
      expect((await send('PUT', path, { body: { purpose: 'x' } })).status).toBe(428);
      const saved = await send('PUT', path, { body: { purpose: 'Revenue truth', targetConsumers: ['Controlling'] }, ifMatch: '"v0"' });
      expect(saved.status).toBe(200);
      expect(saved.headers.get('etag')).toBe('"v1"');
      const stale = await send('PUT', path, { body: { purpose: 'Lost?' }, ifMatch: '"v0"' });
      expect(stale.status).toBe(412);
      expect(((await stale.json()) as Problem).code).toBe('precondition-failed');
      const invalid = await send('PUT', path, { body: { purpose: 'x', targetConsumers: [''], colour: 'red' }, ifMatch: '"v1"' });
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as Problem).problems?.map((problem) => problem.pointer).sort()).toEqual(['', '/targetConsumers/0']);
      expect((await send('PUT', path, { body: { purpose: 'Revenue truth, daily' }, ifMatch: '*' })).headers.get('etag')).toBe('"v2"');
      const history = (await (await send('GET', `${path}/versions?limit=5`)).json()) as { items: { version: number }[] };
      expect(history.items.map((item) => item.version)).toEqual([2, 1]);
      expect(((await (await send('GET', `${path}/versions/1`)).json()) as { canvas: { purpose: string } }).canvas.purpose).toBe('Revenue truth');
      const read = (await (await send('GET', `/api/products/${product.id}`)).json()) as { document: { customProperties: { property: string; value: { purpose: string } }[] } };
      expect(read.document.customProperties).toMatchObject([{ property: 'meshboardVision', value: { purpose: 'Revenue truth, daily' } }]);
    });

    it('ingests usage batches all or none with a pointer per bad event', async () => {
      const event = { id: `http-${product.id}`, product: product.externalId, outputPort: product.port, kind: 'query', occurredAt: '2026-06-01T10:00:00Z', rows: 3 };
      const bad = await send('POST', '/api/usage-events', { body: { events: [event, { ...event, id: 'b', kind: 'peek' }, { ...event, id: 'c', product: 'nope' }] } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Problem).problems?.map((problem) => problem.pointer)).toEqual(['/events/1/kind']);
      const unknown = await send('POST', '/api/usage-events', { body: { events: [event, { ...event, id: 'c', product: 'nope' }] } });
      expect(((await unknown.json()) as Problem).problems?.map((problem) => problem.pointer)).toEqual(['/events/1/product']);
      const ok = await send('POST', '/api/usage-events', { body: { events: [event] } });
      expect(await ok.json()).toEqual({ received: 1, inserted: 1, duplicates: 0 });
      expect(await (await send('POST', '/api/usage-events', { body: { events: [event] } })).json()).toEqual({ received: 1, inserted: 0, duplicates: 1 });
      const tooMany = await send('POST', '/api/usage-events', { body: { events: Array.from({ length: 10_001 }, () => event) } });
      expect(tooMany.status).toBe(400);
    });

    it('defines, reads, changes and deletes KPIs with ETags; manual values say who entered them', async () => {
      const sources = (await (await send('GET', '/api/kpi-sources')).json()) as { items: { key: string }[] };
      expect(sources.items.map((source) => source.key)).toContain('checks.passRate');
      const created = await send('POST', `/api/products/${product.id}/kpis`, { body: { name: 'Satisfaction', source: 'manual', target: 4, period: 'month', window: 3 } });
      expect(created.status).toBe(201);
      const report = (await created.json()) as { kpi: { id: string }; series: unknown[] };
      expect(report.series).toHaveLength(3);
      const kpiPath = `/api/kpis/${report.kpi.id}`;
      expect(created.headers.get('location')).toBe(kpiPath);
      const thisMonth = `${new Date().toISOString().slice(0, 7)}-01`;
      const entered = (await (await send('POST', `${kpiPath}/values`, { body: { periodStart: thisMonth, value: 4.5 } })).json()) as { latest: { value: number; enteredBy: string } };
      expect(entered.latest).toMatchObject({ value: 4.5, enteredBy: bootstrapAdminEmail });
      const wrongDay = await send('POST', `${kpiPath}/values`, { body: { periodStart: '2026-02-30', value: 1 } });
      expect(((await wrongDay.json()) as Problem).problems?.[0]?.pointer).toBe('/periodStart');
      expect((await send('PATCH', kpiPath, { body: { target: 5 } })).status).toBe(428);
      expect((await send('PATCH', kpiPath, { body: { target: 5 }, ifMatch: '"v7"' })).status).toBe(412);
      const changed = await send('PATCH', kpiPath, { body: { target: 5 }, ifMatch: '"v1"' });
      expect(changed.headers.get('etag')).toBe('"v2"');
      const badSource = await send('POST', `/api/domains/${product.domainId}/kpis`, { body: { name: 'x', source: 'stars' } });
      expect(((await badSource.json()) as Problem).problems?.[0]?.pointer).toBe('/source');
      expect((await send('POST', `/api/domains/${product.domainSlug}/kpis`, { body: { name: 'Domain use', source: 'usage.events' } })).status).toBe(201);
      const domainKpis = (await (await send('GET', `/api/domains/${product.domainId}/kpis`)).json()) as { items: { kpi: { name: string; scope: string } }[] };
      expect(domainKpis.items.map((item) => [item.kpi.name, item.kpi.scope])).toEqual([['Domain use', 'domain']]);
      expect((await send('DELETE', kpiPath, { ifMatch: '"v2"' })).status).toBe(204);
      expect((await send('GET', kpiPath)).status).toBe(404);
    });
  });
}
