/**
 * The product-page read models on both stores (productInsightEmbedded.test.ts, productInsightPostgres.test.ts):
 * lineage from the demo mesh's ODPS input ports, sources for contracts no product offers, depth, and trust
 * badges from stored check runs.
 */
import { describe, expect, it } from 'vitest';
import { systemActor } from '../auth/Actor';
import { NotFoundError } from '../errors/errors';
import type { Store } from '../store/createStore';
import { newId } from '../store/newId';
import { createServices } from './createServices';
import { ProductInsightService } from './ProductInsightService';
import { refreshSearchStates } from './searchIndex';
import { insertTestUser } from '../testing/accessFixtures';
import { seedDemo } from './seedDemo';

/** How a suite file provides its store (an empty one: the suite seeds the demo mesh). */
export interface ProductInsightSubject {
  store: () => Store;
}

/** Registers the suite under `name`. */
export function defineProductInsightSuite(name: string, subject: ProductInsightSubject): void {
  describe(`${name}: product insights`, () => {
    const names = (nodes: { name: string; level: number }[], level: number) => nodes.filter((node) => node.level === level).map((node) => node.name).sort();

    it('computes lineage from the demo mesh: upstream products, downstream consumers, with depth', async () => {
      expect(await seedDemo(subject.store().db)).toBe(true);
      const service = new ProductInsightService(subject.store().db);
      const revenue = await service.lineage('finance.revenue-daily', 1);
      expect(names(revenue.nodes, -1)).toEqual(['Exchange Rates', 'Invoices', 'Orders']);
      expect(names(revenue.nodes, 1)).toEqual([]);
      expect(revenue.edges).toContainEqual({ from: revenue.nodes.find((node) => node.name === 'Orders')?.id, to: revenue.rootId, contractExternalId: 'sales.orders-contract', inputPort: 'orders' });

      const orders = await service.lineage('sales.orders', 1);
      expect(names(orders.nodes, 1)).toEqual(['Customer Segments', 'Daily Revenue', 'Invoices', 'Order Lines', 'Shipments']);
      const deeper = await service.lineage('sales.orders', 2);
      // Two steps down: Invoices feeds Payments and Ledger Entries; Shipments feeds Parcel Events and Delivery Times.
      expect(names(deeper.nodes, 2)).toEqual(expect.arrayContaining(['Delivery Times', 'Ledger Entries', 'Parcel Events', 'Payments', 'Returns']));
      // Invoices → Daily Revenue is an edge between two downstream nodes; nodes appear once at their nearest level.
      const invoices = deeper.nodes.find((node) => node.name === 'Invoices');
      expect(invoices?.level).toBe(1);
      expect(deeper.edges.some((edge) => edge.from === invoices?.id && edge.to === deeper.nodes.find((node) => node.name === 'Daily Revenue')?.id)).toBe(true);
      expect(new Set(deeper.nodes.map((node) => node.id)).size).toBe(deeper.nodes.length);
      expect(deeper.truncated).toBe(false);
    });

    it('shows an input contract no catalog product offers as a source, linked when the contract is in the catalog', async () => {
      const services = createServices(subject.store().db);
      const actor = systemActor('test');
      await services.contracts.publish(actor, {
        document: { apiVersion: 'v3.1.0', kind: 'DataContract', id: 'finance.erp-export-contract', name: 'ERP export', version: '1.0.0', status: 'active', domain: 'finance', schema: [{ name: 'erp', properties: [{ name: 'id', logicalType: 'string' }] }] },
      });
      await services.products.publish(actor, {
        document: {
          apiVersion: 'v1.0.0',
          kind: 'DataProduct',
          id: 'finance.cost-centres',
          name: 'Cost Centres',
          version: '1.0.0',
          status: 'draft',
          domain: 'finance',
          inputPorts: [
            { name: 'erp', version: '1.0.0', contractId: 'finance.erp-export-contract' },
            { name: 'hr', version: '1.0.0', contractId: 'urn:external:hr-feed' },
            { name: 'ledger', version: '1.0.0', contractId: 'finance.ledger-entries-contract' },
          ],
        },
      });
      const lineage = await new ProductInsightService(subject.store().db).lineage('finance.cost-centres', 3);
      const sources = lineage.nodes.filter((node) => node.kind === 'source');
      expect(sources.map((node) => [node.name, node.contractId === null])).toEqual([
        ['ERP export', false],
        ['urn:external:hr-feed', true],
      ]);
      // Three steps up through Ledger Entries ← Invoices/Payments ← Orders.
      expect(names(lineage.nodes, -3)).toContain('Orders');
      await expect(new ProductInsightService(subject.store().db).lineage('no.such-product', 1)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('computes trust badges from stored runs and a domain health page with the worst badge per product', async () => {
      const db = subject.store().db;
      const now = new Date('2026-11-23T12:00:00Z');
      const service = new ProductInsightService(db, () => now);
      const customers = await createServices(db).contracts.get('sales.customers-contract');
      expect(await service.contractTrust(customers.id)).toMatchObject({ level: 'unknown', runs: 0 });
      const finishedAt = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
      for (const [hours, passed, failed] of [[1, 9, 1], [5, 10, 0], [400, 0, 10]] as const) {
        await db
          .insertInto('check_runs')
          .values({ id: newId(), contract_id: customers.id, contract_version: '1.0.0', server: 'demo', trigger: 'api', status: failed > 0 ? 'failed' : 'passed', requested_by: null, queued_at: finishedAt(hours), started_at: finishedAt(hours), finished_at: finishedAt(hours), summary: JSON.stringify({ result: 'x', total: 10, passed, warning: 0, failed, error: 0, skipped: 0 }), error: null })
          .execute();
      }
      await db.insertInto('check_runs').values({ id: newId(), contract_id: customers.id, contract_version: '1.0.0', server: 'demo', trigger: 'api', status: 'queued', requested_by: null, summary: null, error: null }).execute();
      const badge = await service.contractTrust('sales.customers-contract');
      expect(badge).toMatchObject({ level: 'low', runs: 3, passedChecks: 19, evaluatedChecks: 30, score: 63.33, ageHours: 1, lastRunStatus: 'failed' });

      const page = await service.domainHealth('sales', { limit: 3 });
      expect(page.items.map((item) => item.externalId)).toEqual(['sales.articles', 'sales.campaign-performance', 'sales.customer-segments']);
      expect(page.nextCursor).not.toBeNull();
      const rest = await service.domainHealth('sales', { limit: 50, cursor: page.nextCursor ?? '' });
      expect(rest.items.find((item) => item.externalId === 'sales.customers')?.trust).toMatchObject({ level: 'low', score: 63.33 });
      expect(rest.items.find((item) => item.externalId === 'sales.orders')?.trust.level).toBe('unknown');
      await expect(service.domainHealth('nowhere', {})).rejects.toBeInstanceOf(NotFoundError);
    });

    it('shows quality, SLA state and adoption per product and a summary over the whole domain', async () => {
      const db = subject.store().db;
      const service = new ProductInsightService(db);
      const services = createServices(db);
      const before = await service.domainHealthSummary('sales');
      const payments = await services.contracts.get('sales.orders-contract');
      // A finished run of the Orders contract with a failed SLA check: quality failed, SLA breached.
      const runId = newId();
      await db
        .insertInto('check_runs')
        .values({ id: runId, contract_id: payments.id, contract_version: payments.currentVersion, server: 'demo', trigger: 'api', status: 'failed', requested_by: null, queued_at: new Date(), started_at: new Date(), finished_at: new Date(), summary: JSON.stringify({ result: 'failed', total: 2, passed: 1, warning: 0, failed: 1, error: 0, skipped: 0 }), error: null })
        .execute();
      await db
        .insertInto('check_results')
        .values([
          { run_id: runId, check_key: 'orders.row_count', status: 'passed', position: 0, name: 'Row count', category: 'quality', measured: 3, measured_text: null, expected: '> 0', unit: null, details: null },
          { run_id: runId, check_key: 'sla.freshness', status: 'failed', position: 1, name: 'Freshness', category: 'sla', measured: 90, measured_text: null, expected: '<= 1 d', unit: 'd', details: null },
        ])
        .execute();
      await refreshSearchStates(db, { contractIds: [payments.id] });
      const orders = await services.products.get('sales.orders');
      const ada = await insertTestUser(db, { name: 'Ada' });
      const bob = await insertTestUser(db, { name: 'Bob' });
      const subscribe = async (user: { id: string }, port: string, status: 'active' | 'revoked') => {
        const requestId = newId();
        await db.insertInto('access_requests').values({ id: requestId, product_id: orders.id, domain_id: orders.domainId, port_name: port, contract_id: payments.id, requester_id: user.id, purpose: 'reporting', status: 'approved', approver_source: 'domain' }).execute();
        await db.insertInto('subscriptions').values({ id: newId(), request_id: requestId, product_id: orders.id, domain_id: orders.domainId, port_name: port, consumer_id: user.id, status, starts_at: new Date(), grant_status: 'not_applicable' }).execute();
      };
      await subscribe(ada, 'orders', 'active');
      await subscribe(ada, 'orders-archive', 'active');
      await subscribe(bob, 'orders', 'active');
      await subscribe(bob, 'orders-old', 'revoked');

      const page = await service.domainHealth('sales', { limit: 100 });
      expect(page.items.find((item) => item.externalId === 'sales.orders')).toMatchObject({ qualityState: 'failed', slaState: 'breached', activeSubscriptions: 3, consumers: 2 });
      expect(page.items.find((item) => item.externalId === 'sales.articles')).toMatchObject({ activeSubscriptions: 0, consumers: 0 });
      const after = await service.domainHealthSummary('sales');
      expect(after.products).toBe(page.items.length);
      expect(after.products).toBe(before.products);
      expect(after.activeSubscriptions - before.activeSubscriptions).toBe(3);
      expect(after.consumers - before.consumers).toBe(2);
      expect(after.breachingSla).toBe(page.items.filter((item) => item.slaState === 'breached').length);
      expect(after.breachingSla).toBeGreaterThanOrEqual(1);
      expect(after.failingChecks).toBe(page.items.filter((item) => item.qualityState === 'failed' || item.qualityState === 'error').length);
      expect(after.passingChecks).toBe(page.items.filter((item) => item.qualityState === 'passed').length);
      await expect(service.domainHealthSummary('nowhere')).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
