/**
 * Orchestrated deprecation on both stores (lifecycleEmbedded.test.ts, lifecyclePostgres.test.ts): lifecycle
 * moves enforced on publish, deprecation with a sunset date and a replacement, notifications and the one
 * reminder, refused access requests, the deprecation panel's usage figures, retirement with an audited
 * override, and If-Match on the lifecycle record.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConflictError, InputError, NotAllowedError, PreconditionFailedError } from '@meshboard/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/createStore';
import type { SubscriptionStatus } from '../store/Database';
import { newId } from '../store/newId';
import { insertTestUser, type TestUser } from '../testing/accessFixtures';
import { PostgresGrantExecutor } from '../access/GrantExecutor';
import { AccessRequestService } from './AccessRequestService';
import { CheckRunService } from './CheckRunService';
import { recordCheckIncidents } from './checkIncidents';
import { ContractService } from './ContractService';
import { LifecycleService } from './LifecycleService';
import { ProductService } from './ProductService';
import { UsageEventService } from './productLoop/UsageEventService';
import { SubscriptionService } from './SubscriptionService';

/** How a suite file provides its store. */
export interface LifecycleSubject {
  store: () => Store;
}

interface Mesh {
  slug: string;
  domainId: string;
  owner: TestUser;
  member: TestUser;
  consumer: TestUser;
  newcomer: TestUser;
  productExternalId: string;
  productId: string;
  contractId: string;
  successorId: string;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Registers the suite under `name`. */
export function defineLifecycleSuite(name: string, subject: LifecycleSubject): void {
  const db = () => subject.store().db;

  function productDocument(m: { slug: string; productExternalId: string }, status: string, extra: Record<string, unknown> = {}) {
    return { apiVersion: 'v1.0.0', kind: 'DataProduct', id: m.productExternalId, name: 'Invoices', version: '1.0.0', status, domain: m.slug, outputPorts: [{ name: 'invoices', version: '1.0.0', contractId: `${m.slug}.invoices-contract` }], ...extra };
  }

  async function subscribe(m: Pick<Mesh, 'productId' | 'domainId' | 'contractId'>, user: TestUser, status: SubscriptionStatus = 'active'): Promise<void> {
    const requestId = newId();
    await db()
      .insertInto('access_requests')
      .values({ id: requestId, product_id: m.productId, domain_id: m.domainId, port_name: 'invoices', contract_id: m.contractId, requester_id: user.id, purpose: 'billing', status: 'approved', approver_source: 'domain' })
      .execute();
    await db()
      .insertInto('subscriptions')
      .values({ id: newId(), request_id: requestId, product_id: m.productId, domain_id: m.domainId, port_name: 'invoices', consumer_id: user.id, status, starts_at: new Date(), grant_status: 'not_applicable' })
      .execute();
  }

  /** A domain with an owner, a plain member, a subscribed consumer and a newcomer; an active product with a successor. */
  async function mesh(): Promise<Mesh> {
    const slug = `inv-${randomUUID().slice(0, 8)}`;
    const domainId = newId();
    await db().insertInto('domains').values({ id: domainId, slug, name: `Invoices ${slug}`, description: '' }).execute();
    const owner = await insertTestUser(db(), { name: 'Owner', roles: [{ domainId, role: 'data_product_owner' }] });
    const member = await insertTestUser(db(), { name: 'Member', roles: [{ domainId, role: 'member' }] });
    const consumer = await insertTestUser(db(), { name: 'Consumer' });
    const newcomer = await insertTestUser(db(), { name: 'Newcomer' });
    const contract = await new ContractService(db()).publish(owner.actor, {
      document: { apiVersion: 'v3.1.0', kind: 'DataContract', id: `${slug}.invoices-contract`, name: 'Invoices contract', version: '1.0.0', status: 'active', domain: slug, schema: [{ name: 'invoices', properties: [{ name: 'id' }] }] },
    });
    const ids = { slug, productExternalId: `${slug}.invoices` };
    const products = new ProductService(db());
    const product = await products.publish(owner.actor, { document: productDocument(ids, 'active') });
    const successor = await products.publish(owner.actor, { document: { ...productDocument({ slug, productExternalId: `${slug}.invoices-v2` }, 'active'), name: 'Invoices v2' } });
    const m: Mesh = { ...ids, domainId, owner, member, consumer, newcomer, productId: product.item.id, contractId: contract.item.id, successorId: successor.item.id };
    await subscribe(m, consumer);
    return m;
  }

  const inbox = (user: TestUser) => db().selectFrom('notifications').select(['kind', 'title', 'body', 'link']).where('user_id', '=', user.id).orderBy('id').execute();
  const audit = (entityId: string) => db().selectFrom('audit_events').select(['action', 'actor_label', 'after']).where('entity_id', '=', entityId).orderBy('seq').execute();
  const failure = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

  describe(`${name}: lifecycle moves on publish`, () => {
    it('refuses a jump from draft to retired with a pointer to /status, and allows draft → active → deprecated', async () => {
      const m = await mesh();
      const products = new ProductService(db());
      const draft = { slug: m.slug, productExternalId: `${m.slug}.draft` };
      await products.publish(m.owner.actor, { document: productDocument(draft, 'draft') });
      const error = await failure(products.publish(m.owner.actor, { ref: draft.productExternalId, document: productDocument(draft, 'retired'), expectedVersion: 'any' }));
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems).toEqual([{ pointer: '/status', detail: expect.stringMatching(/^The status cannot move from draft to retired; from draft it can go to proposed, active\. Deprecate it first/) }]);
      expect((await products.publish(m.owner.actor, { ref: draft.productExternalId, document: productDocument(draft, 'active'), expectedVersion: 'any' })).item.status).toBe('active');
      expect((await products.publish(m.owner.actor, { ref: draft.productExternalId, document: productDocument(draft, 'deprecated'), expectedVersion: 'any' })).item.status).toBe('deprecated');
    });

    it('refuses retiring through a publish while consumers subscribe, pointing to the override', async () => {
      const m = await mesh();
      const products = new ProductService(db());
      await products.publish(m.owner.actor, { ref: m.productExternalId, document: productDocument(m, 'deprecated'), expectedVersion: 'any' });
      const error = await failure(products.publish(m.owner.actor, { ref: m.productExternalId, document: productDocument(m, 'retired'), expectedVersion: 'any' }));
      expect((error as InputError).problems).toEqual([{ pointer: '/status', detail: `1 consumer still subscribes; wait until they have moved away, or retire with an override and a reason. An override goes through POST /api/products/${m.productId}/lifecycle/retire.` }]);
      expect((await db().selectFrom('products').select('status').where('id', '=', m.productId).executeTakeFirstOrThrow()).status).toBe('deprecated');
    });
  });

  describe(`${name}: orchestrated deprecation`, () => {
    it('deprecates with a sunset date and a replacement: document, history, notification, audit and panel agree', async () => {
      const m = await mesh();
      const lifecycle = new LifecycleService(db());
      const sunset = day(30);
      const view = await lifecycle.deprecate(m.owner.actor, { productRef: m.productExternalId, expectedVersion: 0, plan: { sunsetDate: sunset, replacementProductId: m.successorId, note: 'v2 adds tax lines.' } });
      expect(view).toMatchObject({ status: 'deprecated', allowedMoves: ['active', 'retired'], version: 1, plan: { sunsetDate: sunset, daysLeft: 30, replacement: { id: m.successorId, name: 'Invoices v2' }, note: 'v2 adds tax lines.', deprecatedBy: m.owner.id, remindedFor: null } });
      const row = await db().selectFrom('products').select(['status', 'document', 'version']).where('id', '=', m.productId).executeTakeFirstOrThrow();
      expect(row.status).toBe('deprecated');
      expect((row.document as { status: string }).status).toBe('deprecated');
      const history = await db().selectFrom('product_versions').select(['revision', 'change_kind']).where('product_id', '=', m.productId).orderBy('revision').execute();
      expect(history).toEqual([{ revision: 1, change_kind: 'initial' }, { revision: 2, change_kind: 'non-breaking' }]);
      expect(await inbox(m.consumer)).toEqual([
        { kind: 'product.deprecated', title: 'Invoices is deprecated', body: `The owners plan to retire this product. Sunset on ${sunset}. Move to Invoices v2 (/products/${m.successorId}). v2 adds tax lines.`, link: `/products/${m.productId}` },
      ]);
      expect(await inbox(m.owner)).toEqual([]);
      const events = await audit(m.productId);
      expect(events.map((event) => event.action)).toEqual(['product.create', 'product.deprecate']);
      expect(events[1]?.after).toMatchObject({ status: 'deprecated', plan: { sunsetDate: sunset } });
      // Consumers see the plan without the usage figures.
      expect(await lifecycle.get(m.consumer.actor, m.productId)).toMatchObject({ status: 'deprecated', plan: { sunsetDate: sunset }, usage: null });
    });

    it('refuses a past sunset date, a self-replacement, a non-owner and a stale If-Match', async () => {
      const m = await mesh();
      const lifecycle = new LifecycleService(db());
      const past = await failure(lifecycle.deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 0, plan: { sunsetDate: day(-1) } }));
      expect((past as InputError).problems).toEqual([{ pointer: '/sunsetDate', detail: expect.stringMatching(/has passed/) }]);
      const self = await failure(lifecycle.deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 0, plan: { sunsetDate: day(10), replacementProductId: m.productExternalId } }));
      expect((self as InputError).problems).toEqual([{ pointer: '/replacementProductId', detail: 'Name the product consumers should move to.' }]);
      expect(await failure(lifecycle.deprecate(m.member.actor, { productRef: m.productId, expectedVersion: 0, plan: { sunsetDate: day(10) } }))).toBeInstanceOf(NotAllowedError);
      expect(await failure(lifecycle.deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 3, plan: { sunsetDate: day(10) } }))).toBeInstanceOf(PreconditionFailedError);
      expect((await lifecycle.get(m.owner.actor, m.productId)).status).toBe('active');
    });

    it('lets two owners holding the same version deprecate once: one wins, one gets 412', async () => {
      const m = await mesh();
      const lifecycle = new LifecycleService(db());
      const results = await Promise.allSettled([0, 1].map((index) => lifecycle.deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 0, plan: { sunsetDate: day(20 + index) } })));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((result) => result.status === 'rejected');
      expect(rejected?.status === 'rejected' ? rejected.reason : undefined).toBeInstanceOf(PreconditionFailedError);
      expect((await inbox(m.consumer)).filter((row) => row.kind === 'product.deprecated')).toHaveLength(1);
    });

    it('refuses new access requests for a deprecated product, naming the sunset date and the replacement', async () => {
      const m = await mesh();
      const sunset = day(14);
      await new LifecycleService(db()).deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 0, plan: { sunsetDate: sunset, replacementProductId: m.successorId } });
      const access = { grants: new PostgresGrantExecutor([]) };
      const requests = new AccessRequestService(db(), new SubscriptionService(db(), access), access);
      const error = await failure(requests.create(m.newcomer.actor, { productId: m.productId, port: 'invoices', purpose: 'month-end close' }));
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toBe(`Invoices is deprecated; it takes no new access requests. Sunset on ${sunset}. Move to Invoices v2 (/products/${m.successorId}).`);
    });

    it('reminds subscribers once a week before the sunset, and again only when the date moves', async () => {
      const m = await mesh();
      const sunset = day(10);
      await new LifecycleService(db()).deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 0, plan: { sunsetDate: sunset } });
      const reminders = async () => (await inbox(m.consumer)).filter((row) => row.kind === 'product.sunset-reminder').map((row) => row.title);
      // Today the sunset is 10 days away: not due.
      await new LifecycleService(db()).remindSunsets();
      expect(await reminders()).toEqual([]);
      const inFourDays = new LifecycleService(db(), { now: () => new Date(Date.now() + 4 * 86_400_000) });
      await inFourDays.remindSunsets();
      await inFourDays.remindSunsets();
      expect(await reminders()).toEqual(['Invoices retires in 6 days']);
      const view = await inFourDays.get(m.owner.actor, m.productId);
      expect(view.plan?.remindedFor).toBe(sunset);
      // The reminder is bookkeeping: the owner's version still holds.
      expect(view.version).toBe(1);
      const moved = day(9);
      await inFourDays.deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 1, plan: { sunsetDate: moved } });
      expect((await inbox(m.consumer)).at(-1)).toMatchObject({ kind: 'product.sunset-changed', body: `Sunset on ${moved}.` });
      await inFourDays.remindSunsets();
      expect(await reminders()).toEqual(['Invoices retires in 6 days', 'Invoices retires in 5 days']);
    });

    it('shows owners what still depends on the product: subscriptions, pending requests, consumers still reading', async () => {
      const m = await mesh();
      const lifecycle = new LifecycleService(db());
      const usage = new UsageEventService(db());
      const now = Date.now();
      await usage.ingest(m.owner.actor, {
        events: [
          { product: m.productId, consumerTeam: 'finance', kind: 'query', occurredAt: new Date(now - 3_600_000).toISOString() },
          { product: m.productId, consumerTeam: 'finance', kind: 'read', occurredAt: new Date(now - 2 * 86_400_000).toISOString() },
          { product: m.productId, consumerTeam: 'audit', kind: 'query', occurredAt: new Date(now - 20 * 86_400_000).toISOString() },
        ],
      });
      const view = await lifecycle.deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 0, plan: { sunsetDate: day(30) } });
      expect(view.usage).toMatchObject({ liveSubscriptions: 1, pendingRequests: 0, eventsLast30Days: 3, consumersStillReading: [{ consumer: 'finance', events: 2 }] });
      expect(view.usage?.subscribers).toEqual([expect.objectContaining({ consumerId: m.consumer.id, consumerName: 'Consumer', port: 'invoices', status: 'active' })]);
      expect(view.usage?.daily.reduce((sum, entry) => sum + entry.events, 0)).toBe(3);
    });
  });

  describe(`${name}: retirement and withdrawal`, () => {
    it('refuses retiring with live subscribers, then retires with an audited override reason', async () => {
      const m = await mesh();
      const lifecycle = new LifecycleService(db());
      expect(await failure(lifecycle.retire(m.owner.actor, { productRef: m.productId, expectedVersion: 0 }))).toBeInstanceOf(ConflictError);
      await lifecycle.deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 0, plan: { sunsetDate: day(1) } });
      const refused = await failure(lifecycle.retire(m.owner.actor, { productRef: m.productId, expectedVersion: 1, override: { reason: ' ' } }));
      expect((refused as Error).message).toBe('Invoices: 1 consumer still subscribes; wait until they have moved away, or retire with an override and a reason.');
      const retired = await lifecycle.retire(m.owner.actor, { productRef: m.productId, expectedVersion: 1, override: { reason: 'The billing system is switched off.' } });
      expect(retired).toMatchObject({ status: 'retired', allowedMoves: [], version: 2, retirement: { retiredBy: m.owner.id, overrideReason: 'The billing system is switched off.' } });
      const last = (await audit(m.productId)).at(-1);
      expect(last).toMatchObject({ action: 'product.retire_override', after: { liveSubscriptions: 1, overrideReason: 'The billing system is switched off.' } });
      expect((await inbox(m.consumer)).map((row) => row.kind)).toEqual(['product.deprecated', 'product.retired']);
      // Retired is final, also through a publish.
      const error = await failure(new ProductService(db()).publish(m.owner.actor, { ref: m.productExternalId, document: productDocument(m, 'active'), expectedVersion: 'any' }));
      expect((error as InputError).problems[0]).toMatchObject({ pointer: '/status', detail: expect.stringMatching(/stays retired/) });
    });

    it('retires without an override once nobody subscribes, and a withdrawn deprecation takes requests again', async () => {
      const m = await mesh();
      const lifecycle = new LifecycleService(db());
      await lifecycle.deprecate(m.owner.actor, { productRef: m.successorId, expectedVersion: 0, plan: { sunsetDate: day(5) } });
      const withdrawn = await lifecycle.withdraw(m.owner.actor, { productRef: m.successorId, expectedVersion: 1 });
      expect(withdrawn).toMatchObject({ status: 'active', plan: null, version: 2 });
      await lifecycle.deprecate(m.owner.actor, { productRef: m.successorId, expectedVersion: 2, plan: { sunsetDate: day(5) } });
      const retired = await lifecycle.retire(m.owner.actor, { productRef: m.successorId, expectedVersion: 3 });
      expect(retired.retirement?.overrideReason).toBeNull();
      expect((await audit(m.successorId)).map((event) => event.action)).toEqual(['product.create', 'product.deprecate', 'product.undeprecate', 'product.deprecate', 'product.retire']);
    });

    it('withdraws the plan when a publish takes a deprecated product back to active', async () => {
      const m = await mesh();
      const lifecycle = new LifecycleService(db());
      await lifecycle.deprecate(m.owner.actor, { productRef: m.productId, expectedVersion: 0, plan: { sunsetDate: day(9), replacementProductId: m.successorId } });
      const products = new ProductService(db());
      await products.publish(m.owner.actor, { ref: m.productExternalId, document: productDocument(m, 'active'), expectedVersion: 'any' });
      expect(await lifecycle.get(m.owner.actor, m.productId)).toMatchObject({ status: 'active', plan: null, version: 2 });
      await products.publish(m.owner.actor, { ref: m.productExternalId, document: productDocument(m, 'deprecated'), expectedVersion: 'any' });
      // The second announcement carries no stale date.
      expect((await inbox(m.consumer)).at(-1)).toMatchObject({ kind: 'product.deprecated', body: 'The owners plan to retire this product. Look for its successor.' });
    });

    it('keeps an incident threshold per product, validated and versioned', async () => {
      const m = await mesh();
      const lifecycle = new LifecycleService(db());
      expect((await lifecycle.get(m.owner.actor, m.productId)).incidentThreshold).toBe(2);
      const bad = await failure(lifecycle.updateSettings(m.owner.actor, { productRef: m.productId, expectedVersion: 0, incidentThreshold: 0 }));
      expect((bad as InputError).problems).toEqual([{ pointer: '/incidentThreshold', detail: 'A whole number of failing runs in a row, from 1 to 100.' }]);
      expect(await lifecycle.updateSettings(m.owner.actor, { productRef: m.productId, expectedVersion: 0, incidentThreshold: 3 })).toMatchObject({ incidentThreshold: 3, version: 1 });
      expect(await failure(lifecycle.updateSettings(m.owner.actor, { productRef: m.productId, expectedVersion: 0, incidentThreshold: 4 }))).toBeInstanceOf(PreconditionFailedError);
    });
  });

  describe(`${name}: incidents to backlog`, () => {
    let root = '';
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'meshboard-incidents-'));
    });
    afterAll(() => rm(root, { recursive: true, force: true }));

    /** A product whose one port is bound to a contract checking `file` (ids unique), a subscriber in a team. */
    async function checkedMesh(file: string) {
      const m = await mesh();
      const contractExternalId = `${m.slug}.checked`;
      const contract = await new ContractService(db()).publish(m.owner.actor, {
        document: { apiVersion: 'v3.1.0', kind: 'DataContract', id: contractExternalId, name: 'Ledger contract', version: '1.0.0', status: 'active', domain: m.slug, servers: [{ server: 'files', type: 'local', format: 'csv', path: file }], schema: [{ name: 'ledger', properties: [{ name: 'id', required: true, unique: true }] }] },
      });
      const productExternalId = `${m.slug}.ledger`;
      const product = await new ProductService(db()).publish(m.owner.actor, {
        document: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: productExternalId, name: 'Ledger', version: '1.0.0', status: 'active', domain: m.slug, outputPorts: [{ name: 'invoices', version: '1.0.0', contractId: contractExternalId }] },
      });
      const teamId = newId();
      await db().insertInto('teams').values({ id: teamId, slug: `fin-${randomUUID().slice(0, 8)}`, name: 'Finance', description: '', domain_id: null }).execute();
      await db().insertInto('team_members').values({ team_id: teamId, user_id: m.consumer.id }).execute();
      const target = { productId: product.item.id, domainId: m.domainId, contractId: contract.item.id };
      await subscribe(target, m.consumer);
      return { ...m, ledgerId: product.item.id, ledgerContractId: contract.item.id, teamId };
    }

    const defects = (productId: string) => db().selectFrom('backlog_items').select(['id', 'kind', 'title', 'state', 'labels', 'evidence', 'requester_label']).where('product_id', '=', productId).execute();

    it('opens one defect after two failing runs, adds further failures, notes the recovery and tells the owner', async () => {
      const file = `ledger-${randomUUID().slice(0, 8)}.csv`;
      const m = await checkedMesh(file);
      const runs = new CheckRunService(db(), { dataRoot: root, env: {} });
      const lifecycle = new LifecycleService(db());
      const run = async () => (await runs.runNow(m.owner.actor, { contractId: m.ledgerContractId, trigger: 'manual' })).status;
      await writeFile(join(root, file), 'id\n1\n1\n');
      expect(await run()).toBe('failed');
      // One failure is below the default threshold of 2.
      expect(await defects(m.ledgerId)).toEqual([]);
      expect(await run()).toBe('failed');
      const [defect, ...others] = await defects(m.ledgerId);
      expect(others).toEqual([]);
      expect(defect).toMatchObject({ kind: 'defect', title: 'Checks of Ledger contract are failing', state: 'new', labels: ['incident'], requester_label: 'system:incidents' });
      const evidence = defect?.evidence as { kind: string; note: string; teamId: string | null }[];
      expect(evidence.filter((entry) => entry.kind === 'url').map((entry) => entry.note)).toEqual([expect.stringMatching(/^Failing: run failed/), expect.stringMatching(/^Failing: run failed/)]);
      expect(evidence.filter((entry) => entry.kind === 'access-request')).toEqual([expect.objectContaining({ teamId: m.teamId, note: 'Affected subscriber: Consumer (Finance) reads port invoices' })]);
      expect((await inbox(m.owner)).filter((row) => row.kind === 'incident.opened')).toEqual([
        expect.objectContaining({ title: 'Incident: checks of Ledger contract failed 2 runs in a row', link: `/products/${m.ledgerId}/backlog?item=${defect?.id}` }),
      ]);

      expect(await run()).toBe('failed');
      expect(await defects(m.ledgerId)).toHaveLength(1);
      let [incident] = await lifecycle.incidents({ backlogItemId: defect?.id ?? '' });
      expect(incident).toMatchObject({ state: 'open', failures: 3, contract: { id: m.ledgerContractId, name: 'Ledger contract' } });
      expect(incident?.timeline.map((entry) => entry.kind)).toEqual(['failed', 'failed', 'opened', 'failed']);

      await writeFile(join(root, file), 'id\n1\n2\n');
      expect(await run()).toBe('passed');
      [incident] = await lifecycle.incidents({ productRef: m.ledgerId });
      expect(incident).toMatchObject({ state: 'recovered', failures: 3, recoveredAt: expect.any(String) });
      expect(incident?.timeline.at(-1)?.kind).toBe('recovered');
      const [after] = await defects(m.ledgerId);
      // Decision: recovery is noted, the item stays where people put it.
      expect(after?.state).toBe('new');
      expect((after?.evidence as { note: string }[]).at(-1)?.note).toMatch(/^Recovered: run passed/);
      expect((await inbox(m.owner)).map((row) => row.kind).filter((kind) => kind.startsWith('incident.'))).toEqual(['incident.opened', 'incident.recovered']);

      // A new streak while the defect is still open adds to it instead of filing another.
      await writeFile(join(root, file), 'id\n1\n1\n');
      expect(await run()).toBe('failed');
      expect(await run()).toBe('failed');
      expect(await defects(m.ledgerId)).toHaveLength(1);
      expect(await lifecycle.incidents({ backlogItemId: defect?.id ?? '' })).toHaveLength(2);
    });

    it('honours the product’s own threshold', async () => {
      const file = `ledger-${randomUUID().slice(0, 8)}.csv`;
      const m = await checkedMesh(file);
      await new LifecycleService(db()).updateSettings(m.owner.actor, { productRef: m.ledgerId, expectedVersion: 0, incidentThreshold: 1 });
      const runs = new CheckRunService(db(), { dataRoot: root, env: {} });
      await writeFile(join(root, file), 'id\n1\n1\n');
      expect((await runs.runNow(m.owner.actor, { contractId: m.ledgerContractId, trigger: 'manual' })).status).toBe('failed');
      expect(await defects(m.ledgerId)).toHaveLength(1);
    });

    it('files one defect when failing runs finish concurrently', async () => {
      const m = await checkedMesh('unused.csv');
      const runIds = [newId(), newId(), newId()];
      for (const id of runIds) {
        await db().insertInto('check_runs').values({ id, contract_id: m.ledgerContractId, contract_version: '1.0.0', server: 'files', trigger: 'manual', status: 'failed', requested_by: null, summary: null }).execute();
      }
      const reported: unknown[] = [];
      await Promise.all(runIds.map((id) => db().transaction().execute((trx) => recordCheckIncidents(trx, { id, contractId: m.ledgerContractId, status: 'failed', error: null }, (error) => reported.push(error)))));
      expect(reported).toEqual([]);
      expect(await defects(m.ledgerId)).toHaveLength(1);
      const incidents = await db().selectFrom('check_incidents').select(['state', 'failures']).where('product_id', '=', m.ledgerId).execute();
      expect(incidents).toHaveLength(1);
      // Whatever order they committed in, the streak counts every failing run once it reaches 2.
      expect(incidents[0]?.failures).toBeGreaterThanOrEqual(2);
    });
  });
}
