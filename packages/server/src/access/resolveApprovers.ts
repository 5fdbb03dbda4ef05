import type { Kysely } from 'kysely';
import type { Database, JsonValue } from '../store/Database';
import { ownerRoles } from './accessViews';

/** Who decides a request: users named by the contract's roles, else the domain's owners. */
export interface Approvers {
  source: 'contract' | 'domain';
  userIds: string[];
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The names an ODCS contract gives as approvers: `roles[].firstLevelApprovers` and
 * `secondLevelApprovers` (free text; several names separated by `,` or `;`). When a role entry's
 * `role` equals the requested database role, only that entry counts; otherwise every entry does.
 * Both levels count as approvers of the one decision Meshboard records.
 */
export function contractApproverNames(contract: JsonValue | null, dbRole: string | null): string[] {
  if (!isObject(contract) || !Array.isArray(contract['roles'])) return [];
  const roles = contract['roles'].filter(isObject);
  const matching = dbRole === null ? [] : roles.filter((role) => typeof role['role'] === 'string' && role['role'].toLowerCase() === dbRole.toLowerCase());
  return (matching.length > 0 ? matching : roles).flatMap((role) =>
    [role['firstLevelApprovers'], role['secondLevelApprovers']].flatMap((value) => (typeof value === 'string' ? value.split(/[,;]/).map((name) => name.trim()).filter((name) => name !== '') : [])),
  );
}

/**
 * Resolves approvers: names from the contract matched to enabled users by e-mail or by name (ignoring
 * case); when none matches (e.g. the contract names a job title), the enabled data product owners and
 * data owners of the product's domain. Admins may always decide and are not listed.
 */
export async function resolveApprovers(db: Kysely<Database>, options: { contract: JsonValue | null; dbRole: string | null; domainId: string }): Promise<Approvers> {
  const names = [...new Set(contractApproverNames(options.contract, options.dbRole).map((name) => name.toLowerCase()))];
  if (names.length > 0) {
    const named = await db
      .selectFrom('users')
      .select('id')
      .where('disabled', '=', false)
      .where((eb) => eb.or([eb(eb.fn('lower', ['email']), 'in', names), eb(eb.fn('lower', ['name']), 'in', names)]))
      .orderBy('id')
      .execute();
    if (named.length > 0) return { source: 'contract', userIds: named.map((row) => row.id) };
  }
  const owners = await db
    .selectFrom('domain_roles')
    .innerJoin('users', 'users.id', 'domain_roles.user_id')
    .select('users.id')
    .distinct()
    .where('domain_roles.domain_id', '=', options.domainId)
    .where('domain_roles.role', 'in', [...ownerRoles])
    .where('users.disabled', '=', false)
    .orderBy('users.id')
    .execute();
  return { source: 'domain', userIds: owners.map((row) => row.id) };
}
