import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import type { Database } from '../store/Database';
import { newId } from '../store/newId';

/**
 * Test factory: a user row and the actor holding `roles` per domain id, for suites that test
 * authorisation without signing in. `prefix` starts the unique e-mail.
 */
export async function insertTestPerson(db: Kysely<Database>, roles: Record<string, 'data_product_owner' | 'member'> = {}, prefix = 'person'): Promise<Actor> {
  const id = newId();
  const email = `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
  await db.insertInto('users').values({ id, email, name: '' }).execute();
  return { userId: id, label: email, isAdmin: false, domainRoles: new Map(Object.entries(roles).map(([domain, role]) => [domain, new Set([role])])) };
}

/** What `promise` was rejected with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
