import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { hasDomainRole, requireDomainRole } from '../../auth/authorize';
import { NotFoundError } from '../../errors/errors';
import { domainRoles, type Database } from '../../store/Database';
import { isUuid } from '../listRequest';

/** The product a sprint, retrospective or decision belongs to. */
export interface ProductRef {
  id: string;
  domain_id: string;
  external_id: string;
}

/** Finds a product by id or external id; `lock` takes its row lock (serialises per-product numbering). */
export async function findProduct(db: Kysely<Database>, ref: string, lock = false): Promise<ProductRef> {
  let query = db.selectFrom('products').select(['id', 'domain_id', 'external_id']);
  query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`No product ${ref}.`);
  return row;
}

/**
 * Sprints, retrospectives and decisions are written by the product's domain (any domain role, as for
 * backlog triage); everyone signed in reads them.
 */
export function requireProductTeam(actor: Actor, product: ProductRef, action: string): void {
  requireDomainRole(actor, { domainId: product.domain_id, roles: domainRoles, action: `${action} of product ${product.external_id}` });
}

/** Whether the actor may write sprints, retrospectives and decisions of the product. */
export function isProductTeam(actor: Actor, product: ProductRef): boolean {
  return hasDomainRole(actor, product.domain_id, domainRoles);
}
