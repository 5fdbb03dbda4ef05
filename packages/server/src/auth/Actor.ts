import type { DomainRole } from '../store/Database';

/**
 * Who performs an action, as resolved from a credential: services authorise against this and record
 * it in the audit trail. `userId` is null only for internal actors (migrations, demo seeding).
 */
export interface Actor {
  userId: string | null;
  /** Human-readable name recorded in audit events (e-mail or `system:<what>`). */
  label: string;
  isAdmin: boolean;
  /** Roles per domain id. */
  domainRoles: ReadonlyMap<string, ReadonlySet<DomainRole>>;
}

/** An internal actor with every right, for start-up tasks; never derived from a request. */
export function systemActor(what: string): Actor {
  return { userId: null, label: `system:${what}`, isAdmin: true, domainRoles: new Map() };
}
