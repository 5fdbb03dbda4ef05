import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, JsonValue } from '../store/Database';
import { newId } from '../store/newId';

/** A contract row inserted for a test, with its domain. */
export interface TestContract {
  id: string;
  domainId: string;
}

/**
 * Test factory: inserts a domain (unless given), a contract row and its `contract_versions` row directly
 * through the store, because contracts are written by the catalog slice's services, not by the run slice.
 */
export async function insertTestContract(db: Kysely<Database>, options: { document: Record<string, JsonValue>; domainId?: string }): Promise<TestContract> {
  let domainId = options.domainId;
  if (domainId === undefined) {
    domainId = newId();
    await db.insertInto('domains').values({ id: domainId, slug: `runs-${randomUUID().slice(0, 13)}`, name: 'Runs test domain', description: '' }).execute();
  }
  const id = newId();
  const version = typeof options.document.version === 'string' ? options.document.version : '1.0.0';
  const document = JSON.stringify({ apiVersion: 'v3.1.0', kind: 'DataContract', status: 'active', ...options.document, version, id: options.document.id ?? `urn:test:${id}` });
  await db
    .insertInto('contracts')
    .values({ id, domain_id: domainId, external_id: `urn:test:${id}`, name: 'Test contract', status: 'active', current_version: version, document })
    .execute();
  await db.insertInto('contract_versions').values({ contract_id: id, contract_version: version, document, change_kind: 'initial', published_by: null }).execute();
  return { id, domainId };
}
