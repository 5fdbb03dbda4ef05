/**
 * The product read suite (issue 4), run on both stores (productReadEmbedded.test.ts,
 * productReadPostgres.test.ts): `GET /api/products/{id}` answers the stored JSON text through one
 * prepared statement, and must answer exactly what `ProductService.get` presents — for a plain product,
 * by either id, with a vision canvas, with ports bound or unbound, with an older row without `source` —
 * while ETag, If-None-Match, If-Match and authentication (one prepared token look-up) keep working.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../auth/Actor';
import { AuthService } from '../../services/AuthService';
import { createServices, type Services } from '../../services/createServices';
import { productReadBatchingFor } from '../../services/ProductService';
import { sampleContract, sampleProduct } from '../../store/catalog.case';
import type { SuiteStore } from '../../testing/suiteStores';
import type { App } from '../AppEnv';
import { createApp } from '../createApp';

const admin = systemActor('test');

/** Registers the product read suite under `name`. */
export function defineProductReadSuite(name: string, subject: SuiteStore): void {
  describe(`${name}: product reads`, () => {
    let services: Services;
    let app: App;
    let adminToken = '';

    beforeAll(async () => {
      const db = subject.store().db;
      services = createServices(db);
      adminToken = (await services.auth.ensureBootstrapAdmin({})).generatedToken ?? '';
      app = createApp({ services, checkStore: async () => void (await sql`select 1`.execute(db)) });
    });

    async function get(path: string, headers: Record<string, string> = {}, token: string = adminToken) {
      const response = await app.request(path, { headers: { authorization: `Bearer ${token}`, ...headers } });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
    }

    async function publishMesh(word: string) {
      const domain = await services.domains.create(admin, { slug: `read-${word}`, name: `Read ${word}` });
      await services.contracts.publish(admin, { document: sampleContract({ id: `${word}-customers`, domain: domain.slug }) });
      return domain;
    }

    it('answers the same product as the service presents it, by our id and by document id, with ETag and content type', async () => {
      const domain = await publishMesh('plain');
      // Escapes, non-ASCII text, nested arrays and numbers: the spliced text must parse to the same values.
      const document = { ...sampleProduct({ id: 'plain-product', domain: domain.slug, contractId: 'plain-customers', name: 'Kunden "360" — ü\\n' }), description: { purpose: 'Line one\nline two\t✓ 😀' }, customProperties: [{ property: 'weights', value: [1, 2.5, -3e-7, 1e21, { deep: [null, true] }] }] };
      const published = (await services.products.publish(admin, { document })).item;
      const expected = JSON.parse(JSON.stringify(await services.products.get(published.id))) as Record<string, unknown>;
      for (const ref of [published.id, 'plain-product']) {
        const answer = await get(`/api/products/${ref}`);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('content-type')).toContain('application/json');
        expect(answer.headers.get('etag')).toBe('"v1"');
        expect(answer.body).toEqual(expected);
        expect(Object.keys(answer.body ?? {})).toEqual(Object.keys(expected));
      }
      expect(expected).toMatchObject({ document: { name: 'Kunden "360" — ü\\n' }, outputPorts: [{ name: 'customers', contractExternalId: 'plain-customers', contract: { externalId: 'plain-customers' } }] });
    });

    it('answers a product with a vision canvas, an unbound port, or an older row without source as the service does', async () => {
      const domain = await publishMesh('other');
      const visionary = (await services.products.publish(admin, { document: sampleProduct({ id: 'visionary', domain: domain.slug, contractId: 'other-customers' }) })).item;
      await services.visions.save(admin, { product: visionary.id, canvas: { purpose: 'Why it exists', targetConsumers: ['Finance'], useCases: [], value: '', successKpis: [], sources: [], constraints: [] }, expectedVersion: 0 });
      const unbound = (await services.products.publish(admin, { document: { ...sampleProduct({ id: 'unbound', domain: domain.slug, contractId: 'other-customers' }), outputPorts: [{ name: 'free', version: '1.0.0' }, { name: 'bound', version: '1.0.0', contractId: 'other-customers' }] } })).item;
      const older = (await services.products.publish(admin, { document: sampleProduct({ id: 'older', domain: domain.slug, contractId: 'other-customers' }) })).item;
      await subject.store().db.updateTable('products').set({ source: null }).where('id', '=', older.id).execute();
      for (const item of [visionary, unbound, older]) {
        const expected = JSON.parse(JSON.stringify(await services.products.get(item.id))) as unknown;
        expect((await get(`/api/products/${item.id}`)).body).toEqual(expected);
      }
      const withCanvas = (await get(`/api/products/${visionary.id}`)).body as { document: { customProperties?: { property: string }[] } };
      expect(withCanvas.document.customProperties?.map((entry) => entry.property)).toContain('meshboardVision');
      expect(((await get(`/api/products/${unbound.id}`)).body as { outputPorts: unknown[] }).outputPorts).toEqual([
        { name: 'bound', contractExternalId: 'other-customers', contract: expect.objectContaining({ externalId: 'other-customers' }) as unknown },
        { name: 'free', contractExternalId: null, contract: null },
      ]);
    });

    it('changes the ETag on update, answers 304 only for the current one, and refuses a stale If-Match with 412', async () => {
      const domain = await publishMesh('etag');
      const first = (await services.products.publish(admin, { document: sampleProduct({ id: 'etag-product', domain: domain.slug, contractId: 'etag-customers' }) })).item;
      const path = `/api/products/${first.id}`;
      expect((await get(path, { 'if-none-match': '"v1"' })).status).toBe(304);
      expect((await get(path, { 'if-none-match': 'W/"v1"' })).status).toBe(304);
      const changed = { ...sampleProduct({ id: 'etag-product', domain: domain.slug, contractId: 'etag-customers', name: 'Renamed' }), version: '1.1.0' };
      const put = await app.request(path, { method: 'PUT', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'if-match': '"v1"' }, body: JSON.stringify(changed) });
      expect(put.status).toBe(200);
      expect(put.headers.get('etag')).toBe('"v2"');
      const after = await get(path, { 'if-none-match': '"v1"' });
      expect(after).toMatchObject({ status: 200, body: { name: 'Renamed', version: 2, document: { name: 'Renamed' } } });
      expect(after.headers.get('etag')).toBe('"v2"');
      expect((await get(path, { 'if-none-match': '"v2"' })).status).toBe(304);
      const stale = await app.request(path, { method: 'PUT', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'if-match': '"v1"' }, body: JSON.stringify({ ...changed, name: 'Lost update' }) });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('content-type')).toContain('application/problem+json');
      expect((await get(path)).body).toMatchObject({ name: 'Renamed', version: 2 });
    });

    it('answers 404 problem+json for an unknown product, by uuid and by document id', async () => {
      for (const ref of ['0190c0de-0000-7000-8000-000000000000', 'no-such-product']) {
        const answer = await get(`/api/products/${ref}`);
        expect(answer.status).toBe(404);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
        expect(answer.body).toMatchObject({ status: 404, detail: `No product ${ref}.` });
      }
    });

    it('authenticates with the one-statement look-up: domain roles allow writes, revocation, disabling and role removal act at once', async () => {
      const domain = await publishMesh('auth');
      const owner = await services.users.create(admin, { email: 'owner-read@example.com', name: 'Owner', roles: [{ domainId: domain.id, role: 'data_product_owner' }] });
      const issued = await services.auth.createToken(admin, { name: 'reads', userId: owner.id });
      const actor = await services.auth.authenticate(issued.token);
      expect(actor).toMatchObject({ userId: owner.id, label: 'owner-read@example.com', isAdmin: false });
      expect([...(actor.domainRoles.get(domain.id) ?? [])]).toEqual(['data_product_owner']);
      const document = sampleProduct({ id: 'auth-product', domain: domain.slug, contractId: 'auth-customers' });
      const put = (token: string) => app.request('/api/products/auth-product', { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(document) });
      expect((await put(issued.token)).status).toBe(201);
      expect((await get('/api/products/auth-product', {}, issued.token)).status).toBe(200);

      const withoutRole = await services.users.update(admin, { id: owner.id, expectedVersion: owner.version, patch: { roles: [] } });
      expect((await services.auth.authenticate(issued.token)).domainRoles.size).toBe(0);
      expect((await put(issued.token)).status).toBe(403);
      await services.users.update(admin, { id: owner.id, expectedVersion: withoutRole.version, patch: { disabled: true } });
      expect((await get('/api/products/auth-product', {}, issued.token)).status).toBe(401);

      const reader = await services.users.create(admin, { email: 'reader-read@example.com', name: 'Reader' });
      const readerToken = await services.auth.createToken(admin, { name: 'reads', userId: reader.id });
      expect((await get('/api/products/auth-product', {}, readerToken.token)).status).toBe(200);
      await services.auth.revokeToken(admin, readerToken.info.id);
      const revoked = await get('/api/products/auth-product', {}, readerToken.token);
      expect(revoked.status).toBe(401);
      expect(revoked.headers.get('content-type')).toContain('application/problem+json');
      expect((await get('/api/products/auth-product', {}, 'mbt_unknownunknownunknownunknownunknown00')).status).toBe(401);
    });

    it('authenticates and reads in one statement; a bad token is 401 before an unknown product is 404', async () => {
      const db = subject.store().db;
      const domain = await publishMesh('single');
      await services.products.publish(admin, { document: sampleProduct({ id: 'single-product', domain: domain.slug, contractId: 'single-customers' }) });
      const reader = await services.users.create(admin, { email: 'reader-single@example.com', name: 'Reader' });
      const issued = await services.auth.createToken(admin, { name: 'reads', userId: reader.id });
      // Every statement the app sends, counted below the services (a plugin sees each compiled query).
      const sent: string[] = [];
      const countingDb = db.withPlugin({
        transformQuery: (args) => {
          sent.push(args.queryId.queryId);
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const countingApp = createApp({ services: createServices(countingDb), checkStore: async () => undefined });
      const read = (path: string, token: string) => countingApp.request(path, { headers: { authorization: `Bearer ${token}` } });

      expect((await read('/api/products/single-product', issued.token)).status).toBe(200); // first use: also records last_used_at
      sent.length = 0;
      const answer = await read('/api/products/single-product', issued.token);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual(JSON.parse(JSON.stringify(await services.products.get('single-product'))));
      expect(sent).toHaveLength(1);

      expect((await read('/api/products/no-such-single', issued.token)).status).toBe(404);
      await sql`update api_tokens set expires_at = now() - interval '1 minute' where id = ${issued.info.id}`.execute(db);
      for (const ref of ['single-product', 'no-such-single']) {
        const refused = await read(`/api/products/${ref}`, issued.token);
        expect(refused.status).toBe(401);
        expect(refused.headers.get('content-type')).toContain('application/problem+json');
      }
      expect((await countingApp.request('/api/products/single-product')).status).toBe(401);
      // HEAD takes the GET route (Hono), so the same handler authenticates it.
      expect((await countingApp.request('/api/products/single-product', { method: 'HEAD', headers: { authorization: `Bearer ${issued.token}` } })).status).toBe(401);
      expect((await countingApp.request('/api/products/single-product', { method: 'HEAD', headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);
      expect((await read('/api/products/no-such-single', 'mbt_unknownunknownunknownunknownunknown00')).status).toBe(401);
    });

    /** An app over `db` whose statements are recorded (the raw statements' text, else the query kind). */
    function recordingApp(fail?: (text: string) => boolean) {
      const sent: string[] = [];
      const db = subject.store().db.withPlugin({
        transformQuery: (args) => {
          const text = args.node.kind === 'RawNode' ? args.node.sqlFragments.join('?') : args.node.kind;
          sent.push(text);
          if (fail?.(text) === true) throw new Error('refused by the test');
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      // The store's own batching, as startServer wires it.
      const recordingServices = createServices(db, { productReads: productReadBatchingFor(subject.store().kind) });
      const recording = createApp({ services: recordingServices, checkStore: async () => undefined });
      const read = async (ref: string, token: string) => {
        const response = await recording.request(`/api/products/${ref}`, { headers: { authorization: `Bearer ${token}` } });
        const text = await response.text();
        return { status: response.status, etag: response.headers.get('etag'), body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
      };
      return { sent, read, services: recordingServices };
    }

    /** Products, and tokens of a reader, a user disabled later, and a revoked token, each used once. */
    async function batchFixture(word: string) {
      const domain = await publishMesh(word);
      const first = (await services.products.publish(admin, { document: sampleProduct({ id: `${word}-first`, domain: domain.slug, contractId: `${word}-customers`, name: 'First' }) })).item;
      const second = (await services.products.publish(admin, { document: sampleProduct({ id: `${word}-second`, domain: domain.slug, contractId: `${word}-customers`, name: 'Second' }) })).item;
      const token = async (email: string) => {
        const user = await services.users.create(admin, { email, name: email });
        const issued = await services.auth.createToken(admin, { name: 'reads', userId: user.id });
        expect((await get(`/api/products/${first.id}`, {}, issued.token)).status).toBe(200); // records last_used_at
        return { user, issued };
      };
      const reader = await token(`reader-${word}@example.com`);
      const disabled = await token(`disabled-${word}@example.com`);
      const revoked = await token(`revoked-${word}@example.com`);
      await services.users.update(admin, { id: disabled.user.id, expectedVersion: disabled.user.version, patch: { disabled: true } });
      await services.auth.revokeToken(admin, revoked.issued.info.id);
      const expected = async (id: string) => JSON.parse(JSON.stringify(await services.products.get(id))) as Record<string, unknown>;
      return { first, second, readerId: reader.user.id, reader: reader.issued.token, disabled: disabled.issued.token, revoked: revoked.issued.token, expectFirst: await expected(first.id), expectSecond: await expected(second.id) };
    }

    it('coalesces concurrent reads by different tokens into one statement, each answered as if alone', async () => {
      const f = await batchFixture('batch');
      const { sent, read } = recordingApp();
      const unknown = 'mbt_unknownunknownunknownunknownunknown00';
      const answers = await Promise.all([
        read(f.first.id, adminToken),
        read('batch-second', f.reader),
        read('no-such-batch', f.reader),
        read(f.first.id, f.revoked),
        read('no-such-batch', unknown),
        read(f.second.id, f.disabled),
        read(f.second.id, adminToken),
        read('0190c0de-0000-7000-8000-000000000000', adminToken),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 401, 401, 401, 200, 404]);
      expect(answers[0]?.body).toEqual(f.expectFirst);
      expect(answers[0]?.etag).toBe('"v1"');
      expect(answers[1]?.body).toEqual(f.expectSecond);
      expect(answers[2]?.body).toMatchObject({ status: 404, detail: 'No product no-such-batch.' });
      for (const refused of [answers[3], answers[4], answers[5]]) expect(refused?.body).toMatchObject({ status: 401 });
      expect(answers[6]?.body).toEqual(f.expectSecond);
      // Eight reads, one statement (every token was used within the minute, so no use is recorded).
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain('unnest');
    });

    it('splits more reads than a batch holds into several batches (run at once on PostgreSQL), each read answered as its own', async () => {
      const f = await batchFixture('many');
      const { sent, read } = recordingApp();
      const cases = Array.from({ length: 130 }, (_, index) => {
        const which = index % 4;
        if (which === 0) return { ref: f.first.id, token: adminToken, status: 200, body: f.expectFirst };
        if (which === 1) return { ref: 'many-second', token: f.reader, status: 200, body: f.expectSecond };
        if (which === 2) return { ref: `no-such-many-${index}`, token: f.reader, status: 404, body: { detail: `No product no-such-many-${index}.` } };
        return { ref: f.second.id, token: f.revoked, status: 401, body: { status: 401 } };
      });
      const answers = await Promise.all(cases.map((item) => read(item.ref, item.token)));
      answers.forEach((answer, index) => {
        const expected = cases[index];
        expect(answer.status).toBe(expected?.status);
        if (expected?.status === 200) expect(answer.body).toEqual(expected.body);
        else expect(answer.body).toMatchObject(expected?.body ?? {});
      });
      // 64 reads a batch at most: 130 reads take three statements.
      expect(sent).toHaveLength(3);
      expect(sent.every((text) => text.includes('unnest'))).toBe(true);
    });

    it('decides each batched read on the state at its own time: a token revoked between two batches fails on its next read', async () => {
      const f = await batchFixture('revoke');
      const { read } = recordingApp();
      const token = await services.auth.createToken(admin, { name: 'soon revoked', userId: f.readerId });
      const before = await Promise.all([read(f.first.id, token.token), read(f.second.id, token.token), read(f.first.id, f.reader)]);
      expect(before.map((answer) => answer.status)).toEqual([200, 200, 200]);
      await services.auth.revokeToken(admin, token.info.id);
      const after = await Promise.all([read(f.first.id, token.token), read(f.second.id, token.token), read(f.first.id, f.reader)]);
      expect(after.map((answer) => answer.status)).toEqual([401, 401, 200]);
      expect(after[2]?.body).toEqual(f.expectFirst);
    });

    it('records a token first used by several batched reads once, in one statement beside the batch', async () => {
      const f = await batchFixture('touch');
      const { sent, read } = recordingApp();
      const fresh = await services.auth.createToken(admin, { name: 'fresh', userId: f.readerId });
      const answers = await Promise.all([read(f.first.id, fresh.token), read(f.second.id, fresh.token), read(f.first.id, fresh.token)]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(sent).toEqual([expect.stringContaining('unnest'), 'UpdateQueryNode']);
      const row = await subject.store().db.selectFrom('api_tokens').select('last_used_at').where('id', '=', fresh.info.id).executeTakeFirstOrThrow();
      expect(row.last_used_at).not.toBeNull();
    });

    it('runs the reads of a failed batch statement one by one, so each still gets its own answer', async () => {
      const f = await batchFixture('isolate');
      const { sent, read } = recordingApp((text) => text.includes('unnest'));
      const answers = await Promise.all([read(f.first.id, f.reader), read('no-such-isolate', f.reader), read(f.second.id, f.revoked), read(f.second.id, adminToken)]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 404, 401, 200]);
      expect(answers[0]?.body).toEqual(f.expectFirst);
      expect(answers[3]?.body).toEqual(f.expectSecond);
      expect(sent.filter((text) => text.includes('unnest'))).toHaveLength(1);
      expect(sent).toHaveLength(5);
    });

    it('keeps a reference PostgreSQL refuses from failing the other reads of its batch', async () => {
      const f = await batchFixture('nul');
      const { sent, read, services: recorded } = recordingApp();
      // Over HTTP a NUL never gets this far (400 naming the path, createApp); the service must still keep
      // a reference the database refuses to its own caller. A NUL character cannot be PostgreSQL text: the
      // read fails on its own, and so it must in a batch.
      expect((await read('bad%00ref', f.reader)).status).toBe(400);
      const direct = (ref: string, token: string) =>
        recorded.products.getJsonAs(recorded.auth, token, ref).then(
          (answer) => ({ body: JSON.parse(answer.json) as unknown }),
          (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
        );
      const alone = await direct('bad\0ref', f.reader);
      expect(alone).toEqual({ error: expect.any(String) });
      sent.length = 0;
      const answers = await Promise.all([direct(f.first.id, f.reader), direct('bad\0ref', f.reader), direct('nul-second', adminToken)]);
      expect(answers).toEqual([{ body: f.expectFirst }, alone, { body: f.expectSecond }]);
      // The batch statement failed as a whole, and its three reads ran again one by one.
      expect(sent).toEqual([expect.stringContaining('unnest'), expect.any(String), expect.any(String), expect.any(String)]);
    });

    it('runs the marked hot statements as named prepared statements on the connection', async () => {
      const db = subject.store().db;
      const names = await db.connection().execute(async (connection) => {
        await new AuthService(connection).authenticate(adminToken);
        return (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(connection)).rows;
      });
      expect(names.some((row) => row.name.startsWith('mb_') && row.statement.includes('api_tokens'))).toBe(true);
      // Unmarked statements stay unnamed (nothing but the marked ones is prepared).
      expect(names.every((row) => row.statement.startsWith('/* prepared */'))).toBe(true);
    });
  });
}
