import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import { PostgresGrantExecutor } from '../access/GrantExecutor';
import { parseGrantConnections } from '../access/grantConnections';
import { AccessExpiryJob } from '../jobs/AccessExpiryJob';
import { createStore, type Store } from '../store/createStore';
import { insertTestProduct, insertTestUser, type TestProduct, type TestUser } from '../testing/accessFixtures';
import { defineAccessSuite } from './access.case';
import { createServices, type Services } from './createServices';

const available = await postgresAvailable();

describe.skipIf(!available)('access on PostgreSQL', () => {
  let database: TemporaryDatabase | undefined;
  let warehouse: TemporaryDatabase | undefined;
  let store: Store | undefined;
  let admin: pg.Client | undefined;
  const suffix = randomBytes(4).toString('hex');
  const grantor = `mb_grantor_${suffix}`;
  const consumerRole = `mb_consumer_${suffix}`;
  const grantorPassword = `grantor-secret-${suffix}`;

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    store = await createStore({ kind: 'postgres', url: database.url });
    // The warehouse: a schema owned by a grantor role (which may therefore grant on it), two tables.
    warehouse = await createTemporaryDatabase('meshboard_warehouse');
    admin = new pg.Client({ connectionString: warehouse.url });
    await admin.connect();
    await admin.query(`create role ${grantor} login password '${grantorPassword}'`);
    await admin.query(`create schema finance authorization ${grantor}`);
    await admin.query('create table finance.payments (id integer primary key, amount numeric)');
    await admin.query('create table finance."odd""name" (id integer)');
    await admin.query(`alter table finance.payments owner to ${grantor}`);
    await admin.query(`alter table finance."odd""name" owner to ${grantor}`);
  });
  afterAll(async () => {
    await store?.close();
    await admin?.end();
    await warehouse?.drop();
    await database?.drop();
    // Roles are cluster-wide: drop them after the database that held their privileges.
    const cleanup = new pg.Client({ connectionString: database?.url.replace(/\/[^/]*$/, '/postgres') });
    await cleanup.connect();
    await cleanup.query(`drop role if exists ${consumerRole}`);
    await cleanup.query(`drop role if exists ${grantor}`);
    await cleanup.end();
  });
  const opened = (): Store => {
    if (store === undefined) throw new Error('store not opened');
    return store;
  };
  defineAccessSuite('PostgreSQL', { store: opened });

  describe('real GRANT and REVOKE through a configured connection', () => {
    let services: Services;
    let clock = new Date();
    let product: TestProduct;
    let owner: TestUser;
    let consumer: TestUser;
    const privilege = async (table: string): Promise<boolean> => {
      const result = await admin?.query<{ allowed: boolean }>('select has_table_privilege($1, $2, $3) as allowed', [consumerRole, table, 'SELECT']);
      return result?.rows[0]?.allowed ?? false;
    };

    beforeAll(async () => {
      const url = new URL(warehouse?.url ?? '');
      url.username = grantor;
      url.password = grantorPassword;
      const grants = new PostgresGrantExecutor(parseGrantConnections(url.toString()));
      services = createServices(opened().db, { access: { grants, now: () => clock } });
      product = await insertTestProduct(opened().db, {
        name: 'Warehouse payments',
        contract: {
          servers: [{ server: 'prod', type: 'postgres', host: url.hostname, port: Number(url.port || 5432), database: warehouse?.name ?? '', schema: 'finance' }],
          schema: [{ name: 'payments', properties: [{ name: 'id' }] }, { name: 'odd"name', properties: [{ name: 'id' }] }],
        },
      });
      owner = await insertTestUser(opened().db, { name: 'Warehouse owner', roles: [{ domainId: product.domainId, role: 'data_product_owner' }] });
      consumer = await insertTestUser(opened().db, { name: 'Warehouse consumer' });
    });

    it('fails the GRANT for a missing role, succeeds on retry, revokes on revocation, never showing credentials', async () => {
      const request = await services.accessRequests.create(consumer.actor, { productId: product.id, port: product.port, purpose: 'Payment analytics', dbRole: consumerRole });
      const { subscription } = await services.accessRequests.decide(owner.actor, { id: request.id, expectedVersion: request.version, decision: 'approve' });
      expect(subscription).toMatchObject({ status: 'grant_failed', grant: { status: 'failed' } });
      expect(subscription?.grant.message).toContain(`Role "${consumerRole}" does not exist`);
      if (subscription === null) throw new Error('no subscription');

      await admin?.query(`create role ${consumerRole}`);
      const retried = await services.subscriptions.retry(consumer.actor, { id: subscription.id, expectedVersion: subscription.version });
      expect(retried).toMatchObject({ status: 'active', grant: { status: 'done' } });
      expect(await privilege('finance.payments')).toBe(true);
      expect(await privilege('finance."odd""name"')).toBe(true);

      const revoked = await services.subscriptions.revoke(owner.actor, { id: retried.id, expectedVersion: retried.version, reason: 'Audit finding' });
      expect(revoked).toMatchObject({ status: 'revoked', revoke: { status: 'done' } });
      expect(await privilege('finance.payments')).toBe(false);
      expect(await privilege('finance."odd""name"')).toBe(false);

      const everything = JSON.stringify([
        revoked,
        await services.subscriptions.listForProduct(owner.actor, product.id, {}),
        await opened().db.selectFrom('subscriptions').selectAll().execute(),
        await opened().db.selectFrom('audit_events').selectAll().execute(),
        await opened().db.selectFrom('notifications').selectAll().execute(),
      ]);
      expect(everything).not.toContain(grantorPassword);
      expect(everything).not.toContain(grantor);
    });

    it('ends time-bound access through the pg-boss expiry job and revokes the privilege', async () => {
      const request = await services.accessRequests.create(consumer.actor, { productId: product.id, port: product.port, purpose: 'Two-day look', durationDays: 2, dbRole: consumerRole });
      const { subscription } = await services.accessRequests.decide(owner.actor, { id: request.id, expectedVersion: request.version, decision: 'approve' });
      expect(subscription).toMatchObject({ status: 'active', grant: { status: 'done' } });
      expect(await privilege('finance.payments')).toBe(true);
      const log: string[] = [];
      const job = new AccessExpiryJob({ db: opened().db, subscriptions: services.subscriptions, log: (line) => log.push(line), pollingIntervalSeconds: 1 });
      await job.start();
      try {
        // The start-up pass sent the reminder (2 days left ≤ 7); nothing has expired yet.
        expect((await services.notifications.list(consumer.actor, {})).items[0]).toMatchObject({ kind: 'subscription.expiring' });
        clock = new Date(clock.getTime() + 3 * 86_400_000);
        await job.sendNow();
        const deadline = Date.now() + 15_000;
        // Expiry ends the subscription first and runs the REVOKE right after: wait for both.
        const settled = async () => {
          const current = await services.subscriptions.get(consumer.actor, subscription?.id ?? '');
          return current.status === 'expired' && current.revoke !== null && current.revoke.status !== 'pending';
        };
        while (!(await settled()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
        const ended = await services.subscriptions.get(consumer.actor, subscription?.id ?? '');
        expect(ended).toMatchObject({ status: 'expired', revoke: { status: 'done' } });
        expect(await privilege('finance.payments')).toBe(false);
        expect(log.join('\n')).toMatch(/1 subscription\(s\) expired/);
      } finally {
        await job.stop();
      }
    });
  });
});
