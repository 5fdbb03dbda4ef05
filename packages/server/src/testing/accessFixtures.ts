import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import type { Database, DomainRole, JsonValue, LifecycleStatus } from '../store/Database';
import { newId } from '../store/newId';
import { insertTestContract } from './insertTestContract';

/** A user inserted for a test, with the actor that acts as them. */
export interface TestUser {
  id: string;
  email: string;
  actor: Actor;
}

/**
 * Test factory: a user row (no password) and its actor with `roles` in domains. Inserted directly: the
 * access suites test access, not user administration.
 */
export async function insertTestUser(db: Kysely<Database>, options: { name: string; roles?: Array<{ domainId: string; role: DomainRole }>; isAdmin?: boolean }): Promise<TestUser> {
  const id = newId();
  const email = `${options.name.toLowerCase().replaceAll(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 8)}@test.meshboard.local`;
  await db.insertInto('users').values({ id, email, name: options.name, password_hash: null, is_admin: options.isAdmin ?? false }).execute();
  const roles = options.roles ?? [];
  if (roles.length > 0) await db.insertInto('domain_roles').values(roles.map((role) => ({ user_id: id, domain_id: role.domainId, role: role.role }))).execute();
  const domainRoles = new Map<string, Set<DomainRole>>();
  for (const role of roles) domainRoles.set(role.domainId, (domainRoles.get(role.domainId) ?? new Set()).add(role.role));
  return { id, email, actor: { userId: id, label: email, isAdmin: options.isAdmin ?? false, domainRoles } };
}

/** A product inserted for a test: its id, domain and the contract behind its one output port. */
export interface TestProduct {
  id: string;
  domainId: string;
  contractId: string;
  port: string;
}

/**
 * Test factory: a contract (any ODCS document fields), a product in the same domain with one output
 * port `port` bound to it. Rows go in directly, as the catalog services would leave them.
 */
export async function insertTestProduct(db: Kysely<Database>, options: { contract?: Record<string, JsonValue>; domainId?: string; status?: LifecycleStatus; port?: string; name?: string }): Promise<TestProduct> {
  const contract = await insertTestContract(db, { document: options.contract ?? {}, ...(options.domainId === undefined ? {} : { domainId: options.domainId }) });
  const id = newId();
  const port = options.port ?? 'main';
  const document = JSON.stringify({ apiVersion: 'v1.0.0', kind: 'DataProduct', id: `urn:test:product:${id}`, name: options.name ?? 'Test product', status: options.status ?? 'active', outputPorts: [{ name: port, version: '1.0.0', contractId: `urn:test:${contract.id}` }] });
  await db
    .insertInto('products')
    .values({ id, domain_id: contract.domainId, external_id: `urn:test:product:${id}`, name: options.name ?? 'Test product', status: options.status ?? 'active', product_version: '1.0.0', owner_team_id: null, document, source: document })
    .execute();
  await db.insertInto('product_output_ports').values({ product_id: id, port_name: port, contract_id: contract.id }).execute();
  return { id, domainId: contract.domainId, contractId: contract.id, port };
}
