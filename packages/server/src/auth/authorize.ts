import { NotAllowedError } from '../errors/errors';
import type { DomainRole } from '../store/Database';
import type { Actor } from './Actor';

/** Whether the actor holds one of `roles` in `domainId` (admins hold every role everywhere). */
export function hasDomainRole(actor: Actor, domainId: string, roles: readonly DomainRole[]): boolean {
  if (actor.isAdmin) return true;
  const held = actor.domainRoles.get(domainId);
  return held !== undefined && roles.some((role) => held.has(role));
}

/** Throws {@link NotAllowedError} unless the actor is an administrator. */
export function requireAdmin(actor: Actor, action: string): void {
  if (!actor.isAdmin) throw new NotAllowedError(`Only administrators may ${action}.`);
}

/**
 * Throws {@link NotAllowedError} unless the actor holds one of `roles` in the domain (or is admin).
 * The rule of issue 4: writes to a domain need a role in that domain.
 */
export function requireDomainRole(
  actor: Actor,
  options: { domainId: string; roles: readonly DomainRole[]; action: string },
): void {
  if (!hasDomainRole(actor, options.domainId, options.roles)) {
    throw new NotAllowedError(
      `To ${options.action} you need one of these roles in the domain: ${options.roles.join(', ')}.`,
    );
  }
}
