/**
 * Catalog notifications on both stores (catalogNotificationsEmbedded.test.ts, catalogNotificationsPostgres.test.ts):
 * new product versions, deprecations and retirements, new contract versions, failing and recovered checks —
 * to live subscribers and the domain's owners, on transitions only, never to the actor.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/createStore';
import type { SubscriptionStatus } from '../store/Database';
import { newId } from '../store/newId';
import { insertTestUser, type TestUser } from '../testing/accessFixtures';
import { CheckRunService } from './CheckRunService';
import { ContractService } from './ContractService';
import { LifecycleService } from './LifecycleService';
import { ProductService } from './ProductService';

/** How a suite file provides its store. */
export interface CatalogNotificationSubject {
  store: () => Store;
}

interface Mesh {
  slug: string;
  domainId: string;
  owner: TestUser;
  producer: TestUser;
  member: TestUser;
  consumer: TestUser;
  lapsed: TestUser;
  contractExternalId: string;
  productExternalId: string;
  contractId: string;
  productId: string;
}

const goodRows = 'id,amount\n1,10\n2,20\n';
const badRows = 'id,amount\n1,10\n1,20\n';

/** Registers the suite under `name`. */
export function defineCatalogNotificationSuite(name: string, subject: CatalogNotificationSubject): void {
  describe(`${name}: catalog notifications`, () => {
    let root = '';
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'meshboard-notify-'));
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    const db = () => subject.store().db;

    function contractDocument(mesh: { slug: string; contractExternalId: string }, version: string, file: string, properties: string[] = ['id', 'amount']) {
      return {
        apiVersion: 'v3.1.0',
        kind: 'DataContract',
        id: mesh.contractExternalId,
        name: 'Payments contract',
        version,
        status: 'active',
        domain: mesh.slug,
        servers: [{ server: 'files', type: 'local', format: 'csv', path: file }],
        schema: [{ name: 'payments', properties: properties.map((property) => (property === 'id' ? { name: 'id', required: true, unique: true } : { name: property })) }],
      };
    }

    function productDocument(mesh: { slug: string; productExternalId: string; contractExternalId: string }, version: string, status: string) {
      return {
        apiVersion: 'v1.0.0',
        kind: 'DataProduct',
        id: mesh.productExternalId,
        name: 'Payments',
        version,
        status,
        domain: mesh.slug,
        outputPorts: [{ name: 'payments', version: '1.0.0', contractId: mesh.contractExternalId }],
      };
    }

    async function subscribe(mesh: Mesh, user: TestUser, status: SubscriptionStatus): Promise<void> {
      const requestId = newId();
      await db()
        .insertInto('access_requests')
        .values({ id: requestId, product_id: mesh.productId, domain_id: mesh.domainId, port_name: 'payments', contract_id: mesh.contractId, requester_id: user.id, purpose: 'reporting', status: 'approved', approver_source: 'domain' })
        .execute();
      await db()
        .insertInto('subscriptions')
        .values({ id: newId(), request_id: requestId, product_id: mesh.productId, domain_id: mesh.domainId, port_name: 'payments', consumer_id: user.id, status, starts_at: new Date(), grant_status: 'not_applicable' })
        .execute();
    }

    /** A domain with an owner, a producer, a plain member, a live subscriber and a revoked one; a contract and a product bound to it. */
    async function mesh(file: string): Promise<Mesh> {
      const slug = `pay-${randomUUID().slice(0, 8)}`;
      const domainId = newId();
      await db().insertInto('domains').values({ id: domainId, slug, name: `Payments ${slug}`, description: '' }).execute();
      const owner = await insertTestUser(db(), { name: 'Owner', roles: [{ domainId, role: 'data_product_owner' }] });
      const producer = await insertTestUser(db(), { name: 'Producer', roles: [{ domainId, role: 'producer' }] });
      const member = await insertTestUser(db(), { name: 'Member', roles: [{ domainId, role: 'member' }] });
      const consumer = await insertTestUser(db(), { name: 'Consumer' });
      const lapsed = await insertTestUser(db(), { name: 'Lapsed' });
      const ids = { slug, contractExternalId: `${slug}.payments-contract`, productExternalId: `${slug}.payments` };
      const contract = await new ContractService(db()).publish(owner.actor, { document: contractDocument(ids, '1.0.0', file) });
      const product = await new ProductService(db()).publish(owner.actor, { document: productDocument(ids, '1.0.0', 'active') });
      const result: Mesh = { ...ids, domainId, owner, producer, member, consumer, lapsed, contractId: contract.item.id, productId: product.item.id };
      await subscribe(result, consumer, 'active');
      await subscribe(result, lapsed, 'revoked');
      return result;
    }

    async function inbox(user: TestUser) {
      // Incident notifications (a second failing run opens an incident) are lifecycle.case.ts's subject.
      return db().selectFrom('notifications').select(['kind', 'title', 'body', 'link', 'entity_id']).where('user_id', '=', user.id).where('kind', 'not like', 'incident.%').orderBy('id').execute();
    }

    it('tells live subscribers about a new product version with its change classification, not the actor or a revoked subscriber', async () => {
      const m = await mesh('unused.csv');
      const products = new ProductService(db());
      // A revision under the same version is no new version.
      const revised = { ...productDocument(m, '1.0.0', 'active'), description: { purpose: 'Card payments' } };
      await products.publish(m.owner.actor, { ref: m.productExternalId, document: revised, expectedVersion: 'any' });
      expect(await inbox(m.consumer)).toEqual([]);
      await products.publish(m.owner.actor, { ref: m.productExternalId, document: { ...revised, version: '1.1.0' }, expectedVersion: 'any' });
      expect(await inbox(m.consumer)).toEqual([{ kind: 'product.version', title: 'Payments 1.1.0 is published', body: 'Non-breaking change from 1.0.0.', link: `/products/${m.productId}`, entity_id: m.productId }]);
      expect(await inbox(m.lapsed)).toEqual([]);
      expect(await inbox(m.owner)).toEqual([]);
      // Removing the output port is breaking; the consumer publishing (as a co-owner) is not told about their own change.
      const consumerAsOwner = { ...m.consumer.actor, domainRoles: new Map([[m.domainId, new Set(['data_product_owner'] as const)]]) };
      await products.publish(m.owner.actor, { ref: m.productExternalId, document: { ...revised, version: '2.0.0', outputPorts: [] }, expectedVersion: 'any' });
      expect((await inbox(m.consumer)).map((row) => [row.kind, row.body])).toEqual([
        ['product.version', 'Non-breaking change from 1.0.0.'],
        ['product.version', 'Breaking change from 1.1.0.'],
      ]);
      await products.publish(consumerAsOwner, { ref: m.productExternalId, document: { ...revised, version: '2.1.0', outputPorts: [] }, expectedVersion: 'any' });
      expect(await inbox(m.consumer)).toHaveLength(2);
    });

    it('tells subscribers when a product is deprecated and when it is retired, once each', async () => {
      const m = await mesh('unused.csv');
      const products = new ProductService(db());
      await products.publish(m.owner.actor, { ref: m.productExternalId, document: productDocument(m, '1.0.0', 'deprecated'), expectedVersion: 'any', force: true });
      await products.publish(m.owner.actor, { ref: m.productExternalId, document: { ...productDocument(m, '1.0.0', 'deprecated'), tags: ['legacy'] }, expectedVersion: 'any', force: true });
      // Retiring with a live subscriber needs the lifecycle API's override (issue 6); a publish is refused.
      await new LifecycleService(db()).retire(m.owner.actor, { productRef: m.productId, expectedVersion: 'any', override: { reason: 'Replaced by the ledger product.' } });
      expect((await inbox(m.consumer)).map((row) => [row.kind, row.title])).toEqual([
        ['product.deprecated', 'Payments is deprecated'],
        ['product.retired', 'Payments is retired'],
      ]);
      expect(await inbox(m.lapsed)).toEqual([]);
    });

    it('tells the subscribers of the products a contract describes about its new version, saying when it is breaking', async () => {
      const m = await mesh('payments.csv');
      const contracts = new ContractService(db());
      await contracts.publish(m.owner.actor, { ref: m.contractExternalId, document: contractDocument(m, '1.1.0', 'payments.csv', ['id', 'amount', 'currency']), expectedVersion: 'any' });
      await contracts.publish(m.owner.actor, { ref: m.contractExternalId, document: contractDocument(m, '2.0.0', 'payments.csv', ['id']), expectedVersion: 'any' });
      const received = await inbox(m.consumer);
      expect(received.map((row) => [row.kind, row.title, row.link])).toEqual([
        ['contract.version', 'contract Payments contract 1.1.0 is published', `/contracts/${m.contractId}`],
        ['contract.version', 'Breaking change: contract Payments contract 2.0.0 is published', `/contracts/${m.contractId}`],
      ]);
      expect(received[1]?.body).toBe('Breaking change from 1.1.0; it describes Payments.');
      expect(await inbox(m.lapsed)).toEqual([]);
      expect(await inbox(m.owner)).toEqual([]);
    });

    it('notifies subscribers and owners when checks start failing, not on a second failure, and again on recovery; never the requester', async () => {
      const file = `payments-${randomUUID().slice(0, 8)}.csv`;
      const m = await mesh(file);
      const runs = new CheckRunService(db(), { dataRoot: root, env: {} });
      await writeFile(join(root, file), goodRows);
      expect((await runs.runNow(m.owner.actor, { contractId: m.contractId, trigger: 'manual' })).status).toBe('passed');
      expect(await inbox(m.producer)).toEqual([]);

      await writeFile(join(root, file), badRows);
      expect((await runs.runNow(m.owner.actor, { contractId: m.contractId, trigger: 'manual' })).status).toBe('failed');
      for (const user of [m.consumer, m.producer]) {
        const [failed, ...rest] = await inbox(user);
        expect(rest).toEqual([]);
        expect(failed).toMatchObject({ kind: 'check.failed', title: 'Checks of Payments contract are failing', link: `/contracts/${m.contractId}`, entity_id: m.contractId });
        expect(failed?.body).toMatch(/^Failing: .*unique/i);
      }
      // The owner requested the run; a plain member and a revoked subscriber are not told.
      expect(await inbox(m.owner)).toEqual([]);
      expect(await inbox(m.member)).toEqual([]);
      expect(await inbox(m.lapsed)).toEqual([]);

      // A second consecutive failure (requested by the producer this time) tells no one again.
      expect((await runs.runNow(m.producer.actor, { contractId: m.contractId, trigger: 'manual' })).status).toBe('failed');
      expect(await inbox(m.consumer)).toHaveLength(1);
      expect(await inbox(m.owner)).toEqual([]);

      await writeFile(join(root, file), goodRows);
      expect((await runs.runNow(m.producer.actor, { contractId: m.contractId, trigger: 'manual' })).status).toBe('passed');
      expect((await inbox(m.consumer)).map((row) => row.kind)).toEqual(['check.failed', 'check.recovered']);
      expect((await inbox(m.owner)).map((row) => [row.kind, row.title])).toEqual([['check.recovered', 'Checks of Payments contract recovered']]);
      expect((await inbox(m.producer)).map((row) => row.kind)).toEqual(['check.failed']);
      // Passing again is no transition.
      expect((await runs.runNow(m.owner.actor, { contractId: m.contractId, trigger: 'manual' })).status).toBe('passed');
      expect(await inbox(m.consumer)).toHaveLength(2);
    });

    it('takes a first verdict as the baseline and treats a run that could not check the data as failing, naming the reason', async () => {
      const file = `vanishing-${randomUUID().slice(0, 8)}.csv`;
      const m = await mesh(file);
      const runs = new CheckRunService(db(), { dataRoot: root, env: {} });
      await writeFile(join(root, file), badRows);
      expect((await runs.runNow(m.owner.actor, { contractId: m.contractId, trigger: 'manual' })).status).toBe('failed');
      expect(await inbox(m.consumer)).toEqual([]);
      await writeFile(join(root, file), goodRows);
      expect((await runs.runNow(m.owner.actor, { contractId: m.contractId, trigger: 'manual' })).status).toBe('passed');
      expect((await inbox(m.consumer)).map((row) => row.kind)).toEqual(['check.recovered']);
      await rm(join(root, file));
      const run = await runs.runNow(m.owner.actor, { contractId: m.contractId, trigger: 'manual' });
      expect(run.status).toBe('error');
      const [, errored] = await inbox(m.consumer);
      expect(errored).toMatchObject({ kind: 'check.failed', title: 'Checks of Payments contract are in error' });
      expect(errored?.body.length).toBeGreaterThan(10);
    });
  });
}
