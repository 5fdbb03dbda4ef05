/**
 * The catalog part of the shared store suite: contracts and products published with their version
 * history, ports, search. Run on PGlite by `embeddedStore.test.ts` and on PostgreSQL 15 by
 * `postgresStore.test.ts`; each test works in its own fresh domain so the two files can share a store.
 */
import { describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../auth/Actor';
import { ConflictError, InputError, NotAllowedError, PreconditionFailedError, PreconditionRequiredError } from '../errors/errors';
import { createServices, type Services } from '../services/createServices';
import type { StoreUnderTest } from './store.case';

const admin = systemActor('test');
let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** A valid ODCS v3.1.0 contract in `domain` with two columns (change it per test). */
export function sampleContract(options: { id: string; domain: string; version?: string; name?: string; team?: string; tags?: string[] }) {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: options.id,
    name: options.name ?? 'Customers',
    version: options.version ?? '1.0.0',
    status: 'active',
    domain: options.domain,
    team: { name: options.team ?? 'Sales Analytics' },
    tags: options.tags ?? ['pii'],
    description: { purpose: 'Every customer with a contact address.' },
    schema: [
      {
        name: 'customers',
        logicalType: 'object',
        physicalName: 'customers',
        properties: [
          { name: 'customer_id', logicalType: 'string', required: true },
          { name: 'email', logicalType: 'string', description: 'Contact address' },
        ],
      },
    ],
  };
}

/** A valid ODPS v1.0.0 product in `domain` with one output port bound to `contractId`. */
export function sampleProduct(options: { id: string; domain: string; contractId: string; version?: string; name?: string; tags?: string[] }) {
  return {
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: options.id,
    name: options.name ?? 'Customer 360',
    version: options.version ?? '1.0.0',
    status: 'active',
    domain: options.domain,
    team: { name: 'Sales Analytics' },
    tags: options.tags ?? ['customer'],
    outputPorts: [{ name: 'customers', version: '1.0.0', contractId: options.contractId }],
  };
}

function member(userId: string, domainId: string): Actor {
  return { userId, label: 'producer@test', isAdmin: false, domainRoles: new Map([[domainId, new Set(['producer' as const])]]) };
}

/** Registers the catalog store suite under `name`. */
export function defineCatalogSuite(name: string, subject: StoreUnderTest): void {
  const services = (): Services => createServices(subject.store().db);
  const newDomain = async (): Promise<{ id: string; slug: string }> => services().domains.create(admin, { slug: unique('cat'), name: unique('Catalog') });

  describe(`${name}: contracts`, () => {
    it('publishes, recognises an identical re-publish, and appends new versions to an immutable history', async () => {
      const domain = await newDomain();
      const id = unique('contract');
      const first = await services().contracts.publish(admin, { document: sampleContract({ id, domain: domain.slug }) });
      expect(first).toMatchObject({ outcome: 'created', changeKind: 'initial', item: { externalId: id, currentVersion: '1.0.0', version: 1, domainId: domain.id } });
      const again = await services().contracts.publish(admin, { ref: id, document: sampleContract({ id, domain: domain.slug }), expectedVersion: 1 });
      expect(again.outcome).toBe('unchanged');
      expect(again.item.version).toBe(1);

      const added = sampleContract({ id, domain: domain.slug, version: '1.1.0' });
      added.schema[0]?.properties.push({ name: 'country', logicalType: 'string', description: 'ISO code' });
      const second = await services().contracts.publish(admin, { ref: id, document: added, expectedVersion: 1 });
      expect(second).toMatchObject({ outcome: 'published', changeKind: 'non-breaking', breaking: false, item: { currentVersion: '1.1.0', version: 2 } });

      const history = await services().contracts.versions(id, {});
      expect(history.items.map((v) => [v.version, v.revision, v.changeKind])).toEqual([
        ['1.1.0', 1, 'non-breaking'],
        ['1.0.0', 1, 'initial'],
      ]);
      const old = await services().contracts.version(id, '1.0.0');
      expect(JSON.stringify(old.document)).toBe(JSON.stringify(sampleContract({ id, domain: domain.slug })));
      const diff = await services().contracts.diff(id, '1.0.0', '1.1.0');
      expect(diff.changes.map((change) => change.change)).toContain('property-added');
      expect(diff.breaking).toBe(false);
      const audit = await subject.store().db.selectFrom('audit_events').select('action').where('entity_id', '=', first.item.id).orderBy('seq').execute();
      expect(audit.map((row) => row.action)).toEqual(['contract.create', 'contract.publish']);
    });

    it('refuses a breaking change that keeps the version unless forced, then records a revision', async () => {
      const domain = await newDomain();
      const id = unique('contract');
      await services().contracts.publish(admin, { document: sampleContract({ id, domain: domain.slug }) });
      const removed = sampleContract({ id, domain: domain.slug });
      removed.schema[0]?.properties.pop();
      await expect(services().contracts.publish(admin, { ref: id, document: removed, expectedVersion: 1 })).rejects.toThrow(ConflictError);
      await expect(services().contracts.publish(admin, { ref: id, document: removed, expectedVersion: 1 })).rejects.toThrow(/2\.0\.0/);
      const dry = await services().contracts.publish(admin, { ref: id, document: removed, expectedVersion: 1, force: true, dryRun: true });
      expect(dry).toMatchObject({ outcome: 'revised', changeKind: 'breaking', dryRun: true, item: { version: 1 } });
      expect((await services().contracts.get(id)).version).toBe(1);
      const forced = await services().contracts.publish(admin, { ref: id, document: removed, expectedVersion: 1, force: true });
      expect(forced).toMatchObject({ outcome: 'revised', changeKind: 'breaking', item: { version: 2, currentVersion: '1.0.0' } });
      const history = await services().contracts.versions(id, {});
      expect(history.items.map((v) => [v.version, v.revision])).toEqual([
        ['1.0.0', 2],
        ['1.0.0', 1],
      ]);
      expect((await services().contracts.version(id, '1.0.0', 1)).document).toMatchObject({ schema: [{ properties: [{}, { name: 'email' }] }] });
    });

    it('guards writes: validation pointers, stale or missing If-Match, the URL id, domain roles', async () => {
      const domain = await newDomain();
      const other = await newDomain();
      const id = unique('contract');
      const invalid = { ...sampleContract({ id, domain: domain.slug }), schema: 'not a list' };
      const error = await services().contracts.publish(admin, { document: invalid }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems.map((problem) => problem.pointer)).toContain('/schema');
      await expect(services().contracts.publish(admin, { document: { ...sampleContract({ id, domain: domain.slug }), status: 'shipped' } })).rejects.toThrow(InputError);
      await expect(services().contracts.publish(admin, { document: sampleContract({ id, domain: 'no-such-domain' }) })).rejects.toThrow(/No domain/);
      await expect(services().contracts.publish(member(crypto.randomUUID(), other.id), { document: sampleContract({ id, domain: domain.slug }) })).rejects.toThrow(NotAllowedError);
      const producer = await services().users.create(admin, { email: `${unique('producer')}@example.com`, name: 'Producer', roles: [{ domainId: domain.id, role: 'producer' }] });
      await expect(services().contracts.publish(member(producer.id, domain.id), { document: sampleContract({ id, domain: domain.slug }) })).resolves.toMatchObject({ outcome: 'created' });
      await expect(services().contracts.publish(admin, { document: sampleContract({ id, domain: domain.slug }) })).rejects.toThrow(ConflictError);
      await expect(services().contracts.publish(admin, { ref: id, document: sampleContract({ id, domain: domain.slug, version: '1.0.1' }) })).rejects.toThrow(PreconditionRequiredError);
      await expect(services().contracts.publish(admin, { ref: id, document: sampleContract({ id, domain: domain.slug, version: '1.0.1' }), expectedVersion: 7 })).rejects.toThrow(PreconditionFailedError);
      await expect(services().contracts.publish(admin, { ref: 'another-id', document: sampleContract({ id, domain: domain.slug, version: '1.0.1' }), expectedVersion: 1 })).rejects.toThrow(/differs/);
      // Nothing of the refused publishes reached the history.
      expect((await services().contracts.versions(id, {})).items).toHaveLength(1);
    });

    it('lists contracts by document id with cursor pagination and domain filter', async () => {
      const domain = await newDomain();
      const prefix = unique('list');
      for (const letter of ['c', 'a', 'b']) await services().contracts.publish(admin, { document: sampleContract({ id: `${prefix}-${letter}`, domain: domain.slug }) });
      const first = await services().contracts.list({ domainId: domain.id, limit: 2 });
      expect(first.items.map((item) => item.externalId)).toEqual([`${prefix}-a`, `${prefix}-b`]);
      expect(first.nextCursor).not.toBeNull();
      const second = await services().contracts.list({ domainId: domain.id, limit: 2, cursor: first.nextCursor ?? undefined });
      expect(second.items.map((item) => item.externalId)).toEqual([`${prefix}-c`]);
      expect(second.nextCursor).toBeNull();
    });
  });

  describe(`${name}: products`, () => {
    it('binds output ports to catalog contracts and shows their latest versions', async () => {
      const domain = await newDomain();
      const contractId = unique('contract');
      const productId = unique('product');
      await expect(services().products.publish(admin, { document: sampleProduct({ id: productId, domain: domain.slug, contractId }) })).rejects.toThrow(InputError);
      await services().contracts.publish(admin, { document: sampleContract({ id: contractId, domain: domain.slug }) });
      const created = await services().products.publish(admin, { document: sampleProduct({ id: productId, domain: domain.slug, contractId }) });
      expect(created.outcome).toBe('created');
      expect(created.item.ownerTeamId).not.toBeUndefined();
      const next = sampleContract({ id: contractId, domain: domain.slug, version: '1.1.0' });
      next.schema[0]?.properties.push({ name: 'segment', logicalType: 'string', description: '' });
      await services().contracts.publish(admin, { ref: contractId, document: next, expectedVersion: 1 });
      const product = await services().products.get(productId);
      expect(product.outputPorts).toEqual([{ name: 'customers', contractExternalId: contractId, contract: expect.objectContaining({ externalId: contractId, currentVersion: '1.1.0' }) }]);
      expect(product.status).toBe('active');

      const retired = { ...sampleProduct({ id: productId, domain: domain.slug, contractId, version: '1.0.1' }), status: 'deprecated' };
      const changed = await services().products.publish(admin, { ref: productId, document: retired, expectedVersion: product.version });
      expect(changed).toMatchObject({ outcome: 'published', item: { status: 'deprecated', productVersion: '1.0.1' } });
      const noPorts = { ...retired, outputPorts: [] };
      await expect(services().products.publish(admin, { ref: productId, document: noPorts, expectedVersion: changed.item.version })).rejects.toThrow(ConflictError);
      const history = await services().products.versions(productId, {});
      expect(history.items.map((v) => v.version)).toEqual(['1.0.1', '1.0.0']);
      const diff = await services().products.diff(productId, '1.0.0');
      expect(diff.kind).toBe('product');
    });
  });

  describe(`${name}: search`, () => {
    it('finds through typos, ranks title matches first, counts facets and pages', async () => {
      const domain = await newDomain();
      const word = `zq${Date.now().toString(36)}`;
      await services().contracts.publish(admin, { document: sampleContract({ id: unique('contract'), domain: domain.slug, name: `${word} customer ledger`, tags: ['finance', word] }) });
      const products = [];
      for (let index = 0; index < 3; index += 1) {
        const contractId = unique('contract');
        await services().contracts.publish(admin, { document: { ...sampleContract({ id: contractId, domain: domain.slug, name: `Orders ${index}` }), description: { purpose: `Mentions ${word} once` } } });
        products.push(await services().products.publish(admin, { document: sampleProduct({ id: unique('product'), domain: domain.slug, contractId, name: index === 0 ? `${word}` : `Other ${index}`, tags: ['customer', word] }) }));
      }
      const exact = await services().search.search({ q: word, domainId: domain.id });
      expect(exact.items[0]).toMatchObject({ kind: 'product', title: word });
      expect(exact.total).toBe(exact.items.length);
      expect(exact.facets.domain).toEqual([{ value: domain.slug, count: exact.total }]);
      // The ledger contract, its two properties (which carry its tags) and the three products.
      expect(exact.facets.tag).toContainEqual({ value: word, count: 6 });
      expect(exact.facets.kind).toContainEqual({ value: 'product', count: 3 });
      expect(exact.facets.owner).toEqual([{ value: 'Sales Analytics', count: exact.total }]);

      const typo = await services().search.search({ q: 'custmer', domainId: domain.id });
      expect(typo.items.some((hit) => hit.title.includes('customer'))).toBe(true);
      const column = await services().search.search({ q: 'customer_id', domainId: domain.id, kind: 'property' });
      expect(column.items.length).toBeGreaterThanOrEqual(4);
      expect(column.items[0]).toMatchObject({ kind: 'property', title: 'customer_id' });

      const pages: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await services().search.search({ q: word, domainId: domain.id, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        pages.push(...page.items.map((hit) => `${hit.kind}:${hit.id}:${hit.context}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(pages).toEqual(exact.items.map((hit) => `${hit.kind}:${hit.id}:${hit.context}`));
      expect(new Set(pages).size).toBe(pages.length);
      const filtered = await services().search.search({ q: word, domainId: domain.id, tag: 'finance' });
      expect(filtered.items.map((hit) => hit.kind)).toEqual(['contract', ...filtered.items.slice(1).map(() => 'property')]);
      await expect(services().search.search({ q: '  ...  ' })).rejects.toThrow(InputError);
    });
  });
}
