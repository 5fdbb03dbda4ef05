import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/Database';
import { newId } from '../store/newId';

/** A product row inserted for a test, with its domain and a team in it. */
export interface TestProduct {
  id: string;
  externalId: string;
  domainId: string;
  teamId: string;
}

/**
 * Test factory: a domain, a team and a product row inserted directly through the store, for suites (the
 * backlog) that need a product but test nothing of publishing.
 */
export async function insertTestProduct(db: Kysely<Database>): Promise<TestProduct> {
  const suffix = randomUUID().slice(0, 13);
  const domainId = newId();
  const teamId = newId();
  const id = newId();
  const externalId = `urn:test:product:${suffix}`;
  await db.insertInto('domains').values({ id: domainId, slug: `backlog-${suffix}`, name: 'Backlog test domain', description: '' }).execute();
  await db.insertInto('teams').values({ id: teamId, slug: `team-${suffix}`, name: 'Backlog test team', description: '', domain_id: domainId }).execute();
  const document = JSON.stringify({ apiVersion: 'v1.0.0', kind: 'DataProduct', id: externalId, name: 'Test product', status: 'active' });
  await db.insertInto('products').values({ id, domain_id: domainId, external_id: externalId, name: 'Test product', status: 'active', product_version: '1.0.0', owner_team_id: teamId, document, source: document }).execute();
  return { id, externalId, domainId, teamId };
}
