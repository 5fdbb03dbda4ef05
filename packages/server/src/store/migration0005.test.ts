/**
 * Migration 0005 on a PostgreSQL 15 store that already has catalog entries and check runs (an upgrade):
 * the backfill derives quality and SLA states and update times the way the services maintain them.
 */
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, postgresAvailable, type TemporaryDatabase } from '../../../../test-support/services';
import type { Database } from './Database';
import { migrations } from './migrations';
import { newId } from './newId';
import { migrateToLatest } from './createStore';

const available = await postgresAvailable();

describe.skipIf(!available)('migration 0005 (search states) on an existing PostgreSQL store', () => {
  let database: TemporaryDatabase | undefined;
  let db: Kysely<Database> | undefined;
  beforeAll(async () => {
    database = await createTemporaryDatabase();
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('backfills states from the latest runs and update times from the documents', async () => {
    if (db === undefined) throw new Error('no database');
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '0005'));
    const upTo4 = await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(upTo4.error).toBeUndefined();
    const domainId = newId();
    await sql`insert into domains (id, slug, name) values (${domainId}::uuid, 'upgrade', 'Upgrade')`.execute(db);
    const contract = async (name: string) => {
      const id = newId();
      await sql`insert into contracts (id, domain_id, external_id, name, status, current_version, document, updated_at) values (${id}::uuid, ${domainId}::uuid, ${name}, ${name}, 'active', '1.0.0', '{}', '2026-01-02T00:00:00Z')`.execute(db!);
      await sql`insert into search_entries (key, kind, entity_id, domain_id, title, status) values (${`contract:${id}`}, 'contract', ${id}::uuid, ${domainId}::uuid, ${name}, 'active'), (${`property:${id}:x`}, 'property', ${id}::uuid, ${domainId}::uuid, 'x', 'active')`.execute(db!);
      return id;
    };
    const run = async (contractId: string, status: string, sla: string | null) => {
      const id = newId();
      await sql`insert into check_runs (id, contract_id, contract_version, server, trigger, status, finished_at) values (${id}::uuid, ${contractId}::uuid, '1.0.0', 's', 'api', ${status}, now())`.execute(db!);
      if (sla !== null) await sql`insert into check_results (run_id, check_key, status, category) values (${id}::uuid, 'sla.freshness', ${sla}, 'sla')`.execute(db!);
    };
    const healed = await contract('healed');
    await run(healed, 'failed', 'failed');
    await run(healed, 'passed', 'passed'); // the latest run counts
    const broken = await contract('broken');
    await run(broken, 'passed', 'passed');
    await run(broken, 'error', null); // no SLA result in the latest run: the previous verdict stands
    await contract('idle');
    const productId = newId();
    await sql`insert into products (id, domain_id, external_id, name, status, product_version, document, updated_at) values (${productId}::uuid, ${domainId}::uuid, 'p', 'P', 'active', '1.0.0', '{}', '2026-03-04T00:00:00Z')`.execute(db);
    await sql`insert into product_output_ports (product_id, port_name, contract_id) values (${productId}::uuid, 'a', ${healed}::uuid), (${productId}::uuid, 'b', ${broken}::uuid)`.execute(db);
    await sql`insert into search_entries (key, kind, entity_id, domain_id, title, status) values (${`product:${productId}`}, 'product', ${productId}::uuid, ${domainId}::uuid, 'P', 'active')`.execute(db);

    await migrateToLatest(db);
    const rows = await db.selectFrom('search_entries').select(['title', 'kind', 'quality_state', 'sla_state', 'updated_at']).orderBy('key').execute();
    const state = (title: string, kind: string) => rows.find((row) => row.title === title && row.kind === kind);
    expect(state('healed', 'contract')).toMatchObject({ quality_state: 'passed', sla_state: 'met' });
    expect(state('broken', 'contract')).toMatchObject({ quality_state: 'error', sla_state: 'met' });
    expect(state('idle', 'contract')).toMatchObject({ quality_state: 'not-run', sla_state: 'unknown' });
    expect(rows.filter((row) => row.kind === 'property').map((row) => row.quality_state).sort()).toEqual(['error', 'not-run', 'passed']);
    // The product: the worst of its two contracts.
    expect(state('P', 'product')).toMatchObject({ quality_state: 'error', sla_state: 'met' });
    expect(state('P', 'product')?.updated_at.toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(state('idle', 'contract')?.updated_at.toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });
});
