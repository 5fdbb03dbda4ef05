/**
 * The one store test suite (STYLE.md habit 5): every repository and service behaviour, run against
 * each store implementation by `embeddedStore.test.ts` (PGlite) and `postgresStore.test.ts`
 * (PostgreSQL 15). Each suite file opens one store and shares it; tests use unique slugs/e-mails.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor, type Actor } from '../auth/Actor';
import { ConflictError, InputError, NotAllowedError, NotAuthenticatedError, NotFoundError, PreconditionFailedError } from '../errors/errors';
import { createServices, type Services } from '../services/createServices';
import { recordAudit } from './auditLog';
import { migrateToLatest, type Store } from './createStore';
import { migrations } from './migrations';

/** How a suite file provides its store: opened once in `beforeAll`, read lazily by the tests. */
export interface StoreUnderTest {
  store: () => Store;
}

let counter = 0;
/** A slug no other test uses. */
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

const admin = systemActor('test');

function actorFor(userId: string, roles: Record<string, ('data_product_owner' | 'data_owner' | 'producer' | 'member')[]> = {}): Actor {
  return {
    userId,
    label: `${userId}@test`,
    isAdmin: false,
    domainRoles: new Map(Object.entries(roles).map(([domain, held]) => [domain, new Set(held)])),
  };
}

/** Registers the shared store suite under `name`. */
export function defineStoreSuite(name: string, subject: StoreUnderTest): void {
  const services = (): Services => createServices(subject.store().db);
  const auditFor = async (entityId: string) =>
    subject.store().db.selectFrom('audit_events').selectAll().where('entity_id', '=', entityId).orderBy('seq').execute();

  describe(`${name}: migrations`, () => {
    it('records every code migration once and re-running is a no-op', async () => {
      const { db } = subject.store();
      await migrateToLatest(db);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations).sort());
    });

    it('creates every table of the slice with a version column on mutable rows', async () => {
      const { db } = subject.store();
      const columns = await sql<{ table_name: string }>`
        select table_name from information_schema.columns
        where table_schema = 'public' and column_name = 'version' order by table_name`.execute(db);
      expect(columns.rows.map((row) => row.table_name)).toEqual(['access_requests', 'backlog_items', 'backlog_settings', 'contracts', 'data_demands', 'decisions', 'domains', 'feedback', 'kpi_definitions', 'product_lifecycles', 'products', 'releases', 'retro_actions', 'roadmap_entries', 'sprint_retrospectives', 'sprints', 'subscriptions', 'teams', 'users']);
    });
    it('keeps the catalog tables consistent: lifecycle checks, immutable versions, cascading runs', async () => {
      const { db } = subject.store();
      const domain = await createServices(db).domains.create(admin, { slug: unique('cat'), name: 'Catalog' });
      const contractId = randomUUID();
      const document = { apiVersion: 'v3.1.0', kind: 'DataContract', id: contractId, version: '1.0.0', status: 'active' };
      await db.insertInto('contracts').values({ id: contractId, domain_id: domain.id, external_id: `urn:${contractId}`, name: 'Orders', status: 'active', current_version: '1.0.0', document: JSON.stringify(document) }).execute();
      await db.insertInto('contract_versions').values({ contract_id: contractId, contract_version: '1.0.0', document: JSON.stringify(document), change_kind: 'initial', published_by: null }).execute();
      await expect(
        db.insertInto('contract_versions').values({ contract_id: contractId, contract_version: '1.0.0', document: '{}', change_kind: 'breaking', published_by: null }).execute(),
      ).rejects.toMatchObject({ code: '23505' });
      await expect(
        db.insertInto('products').values({ id: randomUUID(), domain_id: domain.id, external_id: `urn:p:${contractId}`, name: 'P', status: 'shipped' as 'active', product_version: '1.0.0', owner_team_id: null, document: '{}' }).execute(),
      ).rejects.toMatchObject({ code: '23514' });
      const runId = randomUUID();
      await db.insertInto('check_runs').values({ id: runId, contract_id: contractId, contract_version: '1.0.0', server: 'local', trigger: 'manual', status: 'passed', requested_by: null, summary: null }).execute();
      await db.insertInto('check_results').values({ run_id: runId, check_key: 'orders.row_count', status: 'passed', measured: 42, details: null }).execute();
      const stored = await db.selectFrom('contract_versions').select('document').where('contract_id', '=', contractId).executeTakeFirstOrThrow();
      expect(stored.document).toEqual(document);
      await db.deleteFrom('contracts').where('id', '=', contractId).execute();
      expect(await db.selectFrom('check_results').selectAll().where('run_id', '=', runId).execute()).toEqual([]);
    });
  });

  describe(`${name}: domains`, () => {
    it('creates, reads and lists a domain with version 1 and an audit event holding the after state', async () => {
      const slug = unique('sales');
      const created = await services().domains.create(admin, { slug, name: 'Sales', description: 'Orders and invoices' });
      expect(created).toMatchObject({ slug, name: 'Sales', version: 1 });
      expect(await services().domains.get(created.id)).toEqual(created);
      const events = await auditFor(created.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: 'domain.create', actor_label: 'system:test', before: null, after: created });
    });

    it('rejects a duplicate slug as a conflict and writes nothing', async () => {
      const slug = unique('dup');
      await services().domains.create(admin, { slug, name: 'A' });
      const before = await subject.store().db.selectFrom('audit_events').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
      await expect(services().domains.create(admin, { slug, name: 'B' })).rejects.toThrow(ConflictError);
      const after = await subject.store().db.selectFrom('audit_events').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    });

    it('updates with the current version, bumps it and audits before and after', async () => {
      const domain = await services().domains.create(admin, { slug: unique('upd'), name: 'Old' });
      const updated = await services().domains.update(admin, { id: domain.id, expectedVersion: 1, patch: { name: 'New' } });
      expect(updated).toMatchObject({ name: 'New', version: 2, slug: domain.slug });
      const events = await auditFor(domain.id);
      expect(events.map((e) => e.action)).toEqual(['domain.create', 'domain.update']);
      expect(events[1]).toMatchObject({ before: { name: 'Old', version: 1 }, after: { name: 'New', version: 2 } });
    });

    it('rejects a stale version with PreconditionFailedError and changes nothing', async () => {
      const domain = await services().domains.create(admin, { slug: unique('stale'), name: 'First' });
      await services().domains.update(admin, { id: domain.id, expectedVersion: 1, patch: { name: 'Second' } });
      const stale = services().domains.update(admin, { id: domain.id, expectedVersion: 1, patch: { name: 'Lost' } });
      await expect(stale).rejects.toThrow(PreconditionFailedError);
      expect(await services().domains.get(domain.id)).toMatchObject({ name: 'Second', version: 2 });
      expect(await auditFor(domain.id)).toHaveLength(2);
    });

    it('reports an unknown id as NotFoundError', async () => {
      await expect(services().domains.get(randomUUID())).rejects.toThrow(NotFoundError);
      await expect(services().domains.update(admin, { id: randomUUID(), expectedVersion: 1, patch: {} })).rejects.toThrow(NotFoundError);
    });

    it('paginates by slug with an opaque cursor and no gaps or repeats', async () => {
      const prefix = unique('page');
      for (const n of [3, 1, 4, 2, 5]) await services().domains.create(admin, { slug: `${prefix}-${n}`, name: `P${n}` });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await services().domains.list({ limit: 2, ...(cursor !== undefined ? { cursor } : {}) });
        seen.push(...page.items.map((d) => d.slug).filter((s) => s.startsWith(prefix)));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined && pages < 1000);
      expect(seen).toEqual([1, 2, 3, 4, 5].map((n) => `${prefix}-${n}`));
    });

    it('rejects a forged cursor as an input error on the cursor parameter', async () => {
      const error = await services().domains.list({ limit: 2, cursor: 'not-a-cursor' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]?.parameter).toBe('cursor');
    });

    it('lets a data product owner change their domain but not another, and never create domains', async () => {
      const mine = await services().domains.create(admin, { slug: unique('mine'), name: 'Mine' });
      const other = await services().domains.create(admin, { slug: unique('other'), name: 'Other' });
      const dpo = actorFor(randomUUID(), { [mine.id]: ['data_product_owner'] });
      await expect(services().domains.update(dpo, { id: mine.id, expectedVersion: 1, patch: { name: 'Mine!' } })).resolves.toMatchObject({ version: 2 });
      await expect(services().domains.update(dpo, { id: other.id, expectedVersion: 1, patch: { name: 'x' } })).rejects.toThrow(NotAllowedError);
      await expect(services().domains.create(dpo, { slug: unique('no'), name: 'No' })).rejects.toThrow(NotAllowedError);
      const producer = actorFor(randomUUID(), { [mine.id]: ['producer'] });
      await expect(services().domains.update(producer, { id: mine.id, expectedVersion: 2, patch: { name: 'x' } })).rejects.toThrow(NotAllowedError);
    });

    it('refuses to delete a domain that still has teams, then deletes it once they are gone', async () => {
      const domain = await services().domains.create(admin, { slug: unique('del'), name: 'Del' });
      const team = await services().teams.create(admin, { slug: unique('t'), name: 'T', domainId: domain.id });
      await expect(services().domains.delete(admin, { id: domain.id, expectedVersion: 1 })).rejects.toThrow(ConflictError);
      await services().teams.delete(admin, { id: team.id, expectedVersion: 1 });
      await services().domains.delete(admin, { id: domain.id, expectedVersion: 1 });
      await expect(services().domains.get(domain.id)).rejects.toThrow(NotFoundError);
      expect((await auditFor(domain.id)).map((e) => e.action)).toEqual(['domain.create', 'domain.delete']);
    });
  });

  describe(`${name}: teams`, () => {
    it('rejects a team in an unknown domain with a pointer to /domainId', async () => {
      const error = await services().teams.create(admin, { slug: unique('t'), name: 'T', domainId: randomUUID() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems).toEqual([expect.objectContaining({ pointer: '/domainId' })]);
    });

    it("lets a domain's data product owner manage its teams, and only administrators move teams out", async () => {
      const domain = await services().domains.create(admin, { slug: unique('td'), name: 'TD' });
      const dpo = actorFor(randomUUID(), { [domain.id]: ['data_product_owner'] });
      const team = await services().teams.create(dpo, { slug: unique('team'), name: 'Team', domainId: domain.id });
      expect(team).toMatchObject({ domainId: domain.id, version: 1 });
      await expect(services().teams.update(dpo, { id: team.id, expectedVersion: 1, patch: { domainId: null } })).rejects.toThrow(NotAllowedError);
      await expect(services().teams.create(dpo, { slug: unique('free'), name: 'Free' })).rejects.toThrow(NotAllowedError);
      const list = await services().teams.list({ limit: 10, domainId: domain.id });
      expect(list.items.map((t) => t.id)).toEqual([team.id]);
    });
  });

  describe(`${name}: users`, () => {
    it('creates a user with roles and teams, never exposing the password hash', async () => {
      const domain = await services().domains.create(admin, { slug: unique('ud'), name: 'UD' });
      const team = await services().teams.create(admin, { slug: unique('ut'), name: 'UT', domainId: domain.id });
      const user = await services().users.create(admin, {
        email: `${unique('ann')}@example.com`,
        name: 'Ann',
        password: 'correct horse battery',
        roles: [{ domainId: domain.id, role: 'data_product_owner' }, { domainId: domain.id, role: 'data_product_owner' }],
        teamIds: [team.id],
      });
      expect(user).toMatchObject({ name: 'Ann', hasPassword: true, isAdmin: false, roles: [{ domainId: domain.id, role: 'data_product_owner' }], teamIds: [team.id] });
      expect(JSON.stringify(user)).not.toContain('argon2');
      expect(JSON.stringify(await auditFor(user.id))).not.toContain('argon2');
    });

    it('treats e-mail addresses case-insensitively for uniqueness', async () => {
      const email = `${unique('case')}@example.com`;
      await services().users.create(admin, { email, name: 'A' });
      await expect(services().users.create(admin, { email: email.toUpperCase(), name: 'B' })).rejects.toThrow(ConflictError);
    });

    it('rolls the whole mutation back when a later step fails: no user, no audit event', async () => {
      const email = `${unique('rollback')}@example.com`;
      const error = await services()
        .users.create(admin, { email, name: 'R', roles: [{ domainId: randomUUID(), role: 'member' }] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]?.pointer).toBe('/roles/0/domainId');
      const row = await subject.store().db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
      expect(row).toBeUndefined();
    });

    it('lets users change their own name and password only', async () => {
      const user = await services().users.create(admin, { email: `${unique('self')}@example.com`, name: 'Self' });
      const self = actorFor(user.id);
      await expect(services().users.update(self, { id: user.id, expectedVersion: 1, patch: { name: 'Me' } })).resolves.toMatchObject({ name: 'Me', version: 2 });
      await expect(services().users.update(self, { id: user.id, expectedVersion: 2, patch: { isAdmin: true } })).rejects.toThrow(NotAllowedError);
      const other = await services().users.create(admin, { email: `${unique('other')}@example.com`, name: 'Other' });
      await expect(services().users.update(self, { id: other.id, expectedVersion: 1, patch: { name: 'x' } })).rejects.toThrow(NotAllowedError);
    });
  });

  describe(`${name}: audit atomicity`, () => {
    it('drops an audit event whose transaction fails after writing it', async () => {
      const entityId = randomUUID();
      await expect(
        subject.store().db.transaction().execute(async (trx) => {
          await recordAudit(trx, admin, { action: 'probe', entityType: 'probe', entityId, before: null, after: null });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await auditFor(entityId)).toEqual([]);
    });

    it('lists audit events newest first for administrators only, filtered by entity', async () => {
      const domain = await services().domains.create(admin, { slug: unique('aud'), name: 'A' });
      await services().domains.update(admin, { id: domain.id, expectedVersion: 1, patch: { name: 'B' } });
      const page = await services().audit.list(admin, { limit: 1, entityType: 'domain', entityId: domain.id });
      expect(page.items.map((e) => e.action)).toEqual(['domain.update']);
      expect(page.nextCursor).not.toBeNull();
      const next = await services().audit.list(admin, { limit: 1, entityType: 'domain', entityId: domain.id, cursor: page.nextCursor ?? '' });
      expect(next.items.map((e) => e.action)).toEqual(['domain.create']);
      await expect(services().audit.list(actorFor(randomUUID()), { limit: 1 })).rejects.toThrow(NotAllowedError);
    });
  });

  describe(`${name}: authentication`, () => {
    it('signs in with the right password, refuses a wrong one the same way as an unknown e-mail', async () => {
      const email = `${unique('sign')}@example.com`;
      const user = await services().users.create(admin, { email, name: 'S', password: 'a long enough password' });
      const session = await services().auth.signIn({ email: email.toUpperCase(), password: 'a long enough password' });
      expect(session.token).toMatch(/^mbt_[A-Za-z0-9_-]{43}$/);
      expect(session.info).toMatchObject({ kind: 'session', userId: user.id });
      expect(await services().auth.authenticate(session.token)).toMatchObject({ userId: user.id, label: email });
      await expect(services().auth.signIn({ email, password: 'wrong password!!' })).rejects.toThrow(NotAuthenticatedError);
      await expect(services().auth.signIn({ email: `nobody-${email}`, password: 'x' })).rejects.toThrow(NotAuthenticatedError);
    });

    it('stores only a hash of a token; a revoked token no longer authenticates', async () => {
      const user = await services().users.create(admin, { email: `${unique('tok')}@example.com`, name: 'T' });
      const actor = actorFor(user.id);
      const issued = await services().auth.createToken(actor, { name: 'ci' });
      const stored = await subject.store().db.selectFrom('api_tokens').selectAll().where('id', '=', issued.info.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(issued.token);
      expect((await services().auth.listTokens(actor)).items.map((t) => t.id)).toEqual([issued.info.id]);
      const second = await services().auth.createToken(actor, { name: 'ci-2' });
      const first = await services().auth.listTokens(actor, { limit: 1 });
      expect(first.items.map((t) => t.id)).toEqual([issued.info.id]);
      const next = await services().auth.listTokens(actor, { limit: 1, cursor: first.nextCursor ?? '' });
      expect(next).toEqual({ items: [expect.objectContaining({ id: second.info.id })], nextCursor: null });
      await expect(services().auth.listTokens(actor, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toThrow(InputError);
      await services().auth.revokeToken(actor, second.info.id);
      await expect(services().auth.revokeToken(actorFor(randomUUID()), issued.info.id)).rejects.toThrow(NotFoundError);
      await services().auth.revokeToken(actor, issued.info.id);
      await expect(services().auth.authenticate(issued.token)).rejects.toThrow(NotAuthenticatedError);
    });

    it('rejects expired tokens and tokens of disabled users', async () => {
      const user = await services().users.create(admin, { email: `${unique('exp')}@example.com`, name: 'E' });
      const expired = await services().auth.createToken(actorFor(user.id), { name: 'old', expiresAt: new Date(Date.now() - 1000) });
      await expect(services().auth.authenticate(expired.token)).rejects.toThrow(NotAuthenticatedError);
      const live = await services().auth.createToken(actorFor(user.id), { name: 'live' });
      await services().users.update(admin, { id: user.id, expectedVersion: 1, patch: { disabled: true } });
      await expect(services().auth.authenticate(live.token)).rejects.toThrow(NotAuthenticatedError);
    });

    it('registers MESHBOARD_ADMIN_TOKEN idempotently as an administrator token', async () => {
      const token = `mbt_${randomUUID()}`;
      const first = await services().auth.ensureBootstrapAdmin({ adminToken: token });
      const second = await services().auth.ensureBootstrapAdmin({ adminToken: token });
      expect(first.generatedToken).toBeUndefined();
      expect(second.adminUserId).toBe(first.adminUserId);
      expect(await services().auth.authenticate(token)).toMatchObject({ isAdmin: true, userId: first.adminUserId });
      const count = await subject.store().db.selectFrom('api_tokens').select(sql<string>`count(*)`.as('n')).where('name', '=', 'MESHBOARD_ADMIN_TOKEN').executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
      // An administrator now exists, so a start without the variable generates nothing.
      expect((await services().auth.ensureBootstrapAdmin({})).generatedToken).toBeUndefined();
    });
  });
}

/**
 * Races that only a multi-connection store can show (PGlite serialises everything through one
 * connection); registered by the PostgreSQL suite only.
 */
export function defineConcurrencySuite(name: string, subject: StoreUnderTest): void {
  const services = (): Services => createServices(subject.store().db);
  describe(`${name}: concurrency`, () => {
    it('gives two concurrent writers holding the same version one success and one precondition failure', async () => {
      for (let round = 0; round < 10; round += 1) {
        const domain = await services().domains.create(admin, { slug: unique('race'), name: 'Start' });
        const results = await Promise.allSettled(
          ['A', 'B'].map((name) => services().domains.update(admin, { id: domain.id, expectedVersion: 1, patch: { name } })),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(PreconditionFailedError);
        const final = await services().domains.get(domain.id);
        expect(final.version).toBe(2);
        expect(final.name).toBe((won[0] as PromiseFulfilledResult<{ name: string }>).value.name);
      }
    });

    it('loses no update when many writers retry on precondition failures', async () => {
      const domain = await services().domains.create(admin, { slug: unique('counter'), name: '0' });
      const increment = async (): Promise<void> => {
        for (;;) {
          const current = await services().domains.get(domain.id);
          try {
            await services().domains.update(admin, { id: domain.id, expectedVersion: current.version, patch: { name: String(Number(current.name) + 1) } });
            return;
          } catch (error) {
            if (!(error instanceof PreconditionFailedError)) throw error;
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, increment));
      expect(await services().domains.get(domain.id)).toMatchObject({ name: '8', version: 9 });
    });
  });
}
