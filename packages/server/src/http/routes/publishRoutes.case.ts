/**
 * The batch publish HTTP suite (issue 4), run on both stores (publishRoutesEmbedded.test.ts,
 * publishRoutesPostgres.test.ts): POST /api/publish in-process through `app.request()` — per-document
 * results with located problems, nothing lost around a refused document, idempotent re-publish, breaking
 * same-version changes refused unless forced, authorisation, dry runs, and agreement with the
 * single-document PUT on what is stored.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../services/createServices';
import { insertFinishedRun } from '../../services/productLoop/productLoopFixtures';
import { refreshSearchStates } from '../../services/searchIndex';
import { sampleContract, sampleProduct } from '../../store/catalog.case';
import type { Store } from '../../store/createStore';
import type { App } from '../AppEnv';
import { createApp } from '../createApp';

/** How a suite file provides its store. */
export interface PublishRoutesSubject {
  store: () => Store;
}

interface Outcome {
  index: number;
  kind: 'contract' | 'product';
  externalId: string | null;
  outcome: 'created' | 'published' | 'revised' | 'unchanged' | 'refused';
  changeKind?: string | null;
  changes?: { change: string; severity: string }[];
  item?: { id: string; externalId: string; version: number };
  error?: { code: string; detail: string; problems?: { pointer?: string; detail: string }[]; currentVersion?: number };
}

interface Answer {
  dryRun: boolean;
  results: Outcome[];
  counts: Record<string, number>;
}

type Doc = { kind: 'contract' | 'product'; document: Record<string, unknown>; expectedVersion?: number };

/** Registers the HTTP suite under `name`. */
export function definePublishRoutesSuite(name: string, subject: PublishRoutesSubject): void {
  describe(`${name}: batch publish over HTTP`, () => {
    let app: App;
    let token = '';
    let readerToken = '';
    let domain = '';
    let db: Store['db'];
    beforeAll(async () => {
      db = subject.store().db;
      const services = createServices(db);
      token = `publish-routes-${randomUUID()}`;
      await services.auth.ensureBootstrapAdmin({ adminToken: token });
      app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(db)) });
      domain = `batch-${randomUUID().slice(0, 8)}`;
      expect((await send('POST', '/api/domains', { body: { slug: domain, name: `Batch ${domain}` } })).status).toBe(201);
      const email = `${domain}@example.com`;
      expect((await send('POST', '/api/users', { body: { email, name: 'Reader', password: 'reader-password-1' } })).status).toBe(201);
      readerToken = String(((await (await send('POST', '/api/auth/sign-in', { token: null, body: { email, password: 'reader-password-1' } })).json()) as { token: string }).token);
    });

    const send = async (method: string, path: string, options: { body?: unknown; token?: string | null; ifMatch?: string } = {}): Promise<Response> => {
      const bearer = options.token === undefined ? token : options.token;
      return app.request(path, {
        method,
        headers: {
          ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    };
    const publish = async (documents: Doc[], options: { force?: boolean; dryRun?: boolean; token?: string } = {}): Promise<Answer> => {
      const response = await send('POST', '/api/publish', { body: { documents, ...(options.force === undefined ? {} : { force: options.force }), ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }) }, ...(options.token === undefined ? {} : { token: options.token }) });
      expect(response.status).toBe(200);
      return (await response.json()) as Answer;
    };
    const contract = (id: string, version = '1.0.0') => ({ kind: 'contract' as const, document: sampleContract({ id, domain, version }) as Record<string, unknown> });
    const product = (id: string, contractId: string) => ({ kind: 'product' as const, document: sampleProduct({ id, domain, contractId }) as Record<string, unknown> });
    const ids = (prefix: string) => ({ a: `${domain}.${prefix}-a`, b: `${domain}.${prefix}-b`, c: `${domain}.${prefix}-c` });
    const count = async (table: 'contract_versions' | 'product_versions' | 'audit_events' | 'search_entries', where: { column: string; values: string[] }) =>
      Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(where.column)}::text in (${sql.join(where.values)})`.execute(db)).rows[0]?.n ?? -1);

    it('publishes contracts before products, reports an invalid document with its pointer, and loses none of the others', async () => {
      const id = ids('first');
      const invalid = contract(id.b);
      (invalid.document['schema'] as { properties: Record<string, unknown>[] }[])[0]!.properties[1]!['logicalType'] = 'no-such-type';
      // Products first in the request: the server still publishes the contracts they name first.
      const answer = await publish([product(`${id.a}-product`, id.a), product(`${id.b}-product`, id.b), contract(id.a), invalid, contract(id.c)]);
      expect(answer.results.map((result) => [result.index, result.externalId, result.outcome])).toEqual([
        [0, `${id.a}-product`, 'created'],
        [1, `${id.b}-product`, 'refused'],
        [2, id.a, 'created'],
        [3, id.b, 'refused'],
        [4, id.c, 'created'],
      ]);
      expect(answer.counts).toEqual({ created: 3, published: 0, revised: 0, unchanged: 0, refused: 2 });
      expect(answer.results[3]?.error).toMatchObject({ code: 'invalid-input', problems: [expect.objectContaining({ pointer: '/schema/0/properties/1/logicalType' })] });
      expect(answer.results[1]?.error).toMatchObject({ code: 'invalid-input', problems: [{ pointer: '/outputPorts/0/contractId', detail: expect.stringContaining(id.b) }] });

      expect((await send('GET', `/api/contracts/${id.b}`)).status).toBe(404);
      const stored = (await (await send('GET', `/api/products/${id.a}-product`)).json()) as { version: number; outputPorts: { contract: { externalId: string } | null }[] };
      expect(stored).toMatchObject({ version: 1, outputPorts: [{ contract: { externalId: id.a } }] });
      const created = answer.results.flatMap((result) => (result.item === undefined ? [] : [result.item.id]));
      expect(await count('contract_versions', { column: 'contract_id', values: created })).toBe(2);
      expect(await count('product_versions', { column: 'product_id', values: created })).toBe(1);
      expect(await count('audit_events', { column: 'entity_id', values: created })).toBe(3);
      const hits = (await (await send('GET', `/api/search?q=${encodeURIComponent('customer')}&domainId=${domain}&limit=50`)).json()) as { items: { id: string; kind: string }[] };
      expect(new Set(hits.items.filter((hit) => hit.kind !== 'property').map((hit) => hit.id))).toEqual(new Set(created));
    });

    it('re-publishes an unchanged batch without writing anything', async () => {
      const id = ids('again');
      const batch = [contract(id.a), contract(id.b), product(`${id.a}-product`, id.a)];
      const first = await publish(batch);
      const created = first.results.map((result) => result.item?.id ?? '');
      const audits = await count('audit_events', { column: 'entity_id', values: created });
      const again = await publish(batch);
      expect(again.results.map((result) => result.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
      expect(again.results.map((result) => result.item)).toEqual(first.results.map((result) => result.item));
      expect(await count('contract_versions', { column: 'contract_id', values: created })).toBe(2);
      expect(await count('product_versions', { column: 'product_id', values: created })).toBe(1);
      expect(await count('audit_events', { column: 'entity_id', values: created })).toBe(audits);
    });

    it('refuses a breaking change that keeps its version unless forced, and publishes new versions beside it', async () => {
      const id = ids('breaking');
      await publish([contract(id.a), contract(id.b)]);
      const broken = contract(id.a);
      (broken.document['schema'] as { properties: unknown[] }[])[0]!.properties.pop();
      const newer = contract(id.b, '2.0.0');
      (newer.document['schema'] as { properties: unknown[] }[])[0]!.properties.pop();
      const refused = await publish([broken, newer]);
      expect(refused.results[0]).toMatchObject({ outcome: 'refused', error: { code: 'conflict', detail: expect.stringContaining('breaking change keeps version 1.0.0') } });
      expect(refused.results[1]).toMatchObject({ outcome: 'published', changeKind: 'breaking', item: { version: 2 }, changes: [expect.objectContaining({ change: 'property-removed', severity: 'breaking' })] });
      expect(((await (await send('GET', `/api/contracts/${id.a}`)).json()) as { version: number }).version).toBe(1);
      const forced = await publish([broken, newer], { force: true });
      expect(forced.results.map((result) => result.outcome)).toEqual(['revised', 'unchanged']);
      expect(forced.results[0]).toMatchObject({ changeKind: 'breaking', item: { version: 2 } });
      const versions = (await (await send('GET', `/api/contracts/${id.a}/versions`)).json()) as { items: { version: string; revision: number }[] };
      expect(versions.items.map((item) => [item.version, item.revision])).toEqual([
        ['1.0.0', 2],
        ['1.0.0', 1],
      ]);
    });

    it('checks expected versions, takes the same id twice in order, and refuses documents outside the caller’s domains', async () => {
      const id = ids('versions');
      await publish([contract(id.a)]);
      const stale = await publish([{ ...contract(id.a, '1.1.0'), expectedVersion: 7 }]);
      expect(stale.results[0]).toMatchObject({ outcome: 'refused', error: { code: 'precondition-failed', currentVersion: 1 } });
      const twice = await publish([contract(id.b), { ...contract(id.b, '1.1.0'), document: { ...contract(id.b, '1.1.0').document, description: { purpose: 'Changed.' } } }]);
      expect(twice.results.map((result) => [result.outcome, result.item?.version])).toEqual([
        ['created', 1],
        ['published', 2],
      ]);
      const foreign = await publish([contract(id.c), product(`${id.c}-product`, id.a)], { token: readerToken });
      expect(foreign.results.map((result) => result.error?.code)).toEqual(['not-allowed', 'not-allowed']);
      expect((await send('GET', `/api/contracts/${id.c}`)).status).toBe(404);
      expect((await send('POST', '/api/publish', { token: null, body: { documents: [contract(id.c)] } })).status).toBe(401);
    });

    it('answers a dry run as a publish would, products bound to new contracts included, and writes nothing', async () => {
      const id = ids('dry');
      const answer = await publish([contract(id.a), product(`${id.a}-product`, id.a)], { dryRun: true });
      expect(answer).toMatchObject({ dryRun: true, counts: { created: 2, refused: 0 } });
      expect((await send('GET', `/api/contracts/${id.a}`)).status).toBe(404);
      expect((await send('GET', `/api/products/${id.a}-product`)).status).toBe(404);
    });

    it('stores bulk-created documents exactly as PUT does: rows, ports, history, search entries and states, audit events', async () => {
      const id = ids('same');
      // The documents' owning team exists, so both paths must resolve it.
      expect([201, 409]).toContain((await send('POST', '/api/teams', { body: { slug: 'sales-analytics', name: 'Sales Analytics' } })).status);
      expect((await send('PUT', `/api/contracts/${id.a}`, { body: contract(id.a).document })).status).toBe(201);
      expect((await send('PUT', `/api/products/${id.a}-product`, { body: product(`${id.a}-product`, id.a).document })).status).toBe(201);
      const batch = await publish([contract(id.b), product(`${id.b}-product`, id.b)]);
      expect(batch.results.map((result) => result.outcome)).toEqual(['created', 'created']);
      /** Everything publishing wrote about one contract and its product, with ids and times replaced by placeholders. */
      const written = async (externalId: string) => {
        const contractRow = await db.selectFrom('contracts').selectAll().where('external_id', '=', externalId).executeTakeFirstOrThrow();
        const productRow = await db.selectFrom('products').selectAll().where('external_id', '=', `${externalId}-product`).executeTakeFirstOrThrow();
        const about = async (entityId: string) => ({
          entries: await db.selectFrom('search_entries').select(['kind', 'title', 'context', 'status', 'owner', 'tags', 'keywords', 'body', 'quality_state', 'sla_state']).where('entity_id', '=', entityId).orderBy('key').execute(),
          audit: await db.selectFrom('audit_events').select(['action', 'actor_label', 'before', 'after']).where('entity_id', '=', entityId).execute(),
        });
        expect(productRow.owner_team_id).not.toBeNull();
        const everything = {
          contract: { ...contractRow, created_at: 'T', updated_at: 'T' },
          contractHistory: await db.selectFrom('contract_versions').select(['contract_version', 'revision', 'change_kind', 'published_by', 'document']).where('contract_id', '=', contractRow.id).execute(),
          product: { ...productRow, created_at: 'T', updated_at: 'T' },
          productHistory: await db.selectFrom('product_versions').select(['product_version', 'revision', 'change_kind', 'published_by', 'document']).where('product_id', '=', productRow.id).execute(),
          ports: await db.selectFrom('product_output_ports').select(['port_name', 'contract_id']).where('product_id', '=', productRow.id).execute(),
          contractIndex: await about(contractRow.id),
          productIndex: await about(productRow.id),
        };
        const text = JSON.stringify(everything)
          .replaceAll(productRow.id, 'PRODUCT')
          .replaceAll(contractRow.id, 'CONTRACT')
          .replaceAll(externalId, 'EXT')
          .replace(/"(createdAt|updatedAt)":"[^"]*"/g, '"$1":"T"');
        return JSON.parse(text) as unknown;
      };
      expect(await written(id.b)).toEqual(await written(id.a));
    });

    it('gives a bulk-created product the search states of its port contracts’ check runs, as PUT does', async () => {
      const id = ids('states');
      expect((await send('PUT', `/api/contracts/${id.a}`, { body: contract(id.a).document })).status).toBe(201);
      const contractRow = await db.selectFrom('contracts').select('id').where('external_id', '=', id.a).executeTakeFirstOrThrow();
      // A finished failed run with a failed SLA check, refreshed as CheckRunService.finish refreshes it.
      await insertFinishedRun(db, { contractId: contractRow.id, finishedAt: new Date().toISOString(), results: [{ status: 'failed', category: 'sla' }, { status: 'passed' }] });
      await db.transaction().execute((trx) => refreshSearchStates(trx, { contractIds: [contractRow.id] }));
      expect((await send('PUT', `/api/products/${id.b}`, { body: product(id.b, id.a).document })).status).toBe(201);
      const batch = await publish([product(id.c, id.a)]);
      expect(batch.results.map((result) => result.outcome)).toEqual(['created']);
      const states = async (externalId: string) =>
        db.selectFrom('search_entries as e').innerJoin('products as p', 'p.id', 'e.entity_id').select(['e.quality_state', 'e.sla_state']).where('p.external_id', '=', externalId).where('e.kind', '=', 'product').executeTakeFirstOrThrow();
      expect(await states(id.b)).toEqual({ quality_state: 'failed', sla_state: 'breached' });
      expect(await states(id.c)).toEqual(await states(id.b));
    });

    it('rejects a malformed batch as a whole with pointers', async () => {
      const empty = await send('POST', '/api/publish', { body: { documents: [] } });
      expect(empty.status).toBe(400);
      expect(((await empty.json()) as { problems: { pointer: string }[] }).problems.map((problem) => problem.pointer)).toContain('/documents');
      const unknownKind = await send('POST', '/api/publish', { body: { documents: [{ kind: 'dataset', document: {} }] } });
      expect(unknownKind.status).toBe(400);
      expect(((await unknownKind.json()) as { problems: { pointer: string }[] }).problems.map((problem) => problem.pointer)).toContain('/documents/0/kind');
    });
  });
}
