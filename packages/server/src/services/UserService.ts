import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { requireAdmin } from '../auth/authorize';
import { hashPassword } from '../auth/secrets';
import { InputError, NotAllowedError, NotFoundError, type FieldProblem } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import type { Database, DomainRole } from '../store/Database';
import { translateConstraintErrors } from '../store/databaseErrors';
import { newId } from '../store/newId';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { assertVersion } from './concurrency';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { asJson, presentUser, type UserView } from './presenters';

/** Minimum password length (longer is better; no composition rules, following NIST SP 800-63B). */
export const minimumPasswordLength = 10;

/** A role in a domain as given in inputs. */
export interface RoleGrant {
  domainId: string;
  role: DomainRole;
}

/** Fields of a new user. Without a password the user can only use API tokens. */
export interface UserInput {
  email: string;
  name: string;
  password?: string;
  isAdmin?: boolean;
  roles?: RoleGrant[];
  teamIds?: string[];
}

/** A change to a user; `roles` and `teamIds`, when given, replace the whole set. */
export interface UserPatch {
  email?: string;
  name?: string;
  password?: string;
  isAdmin?: boolean;
  disabled?: boolean;
  roles?: RoleGrant[];
  teamIds?: string[];
}

const messages = { unique: 'A user with this e-mail address already exists.' };

/**
 * Users, their domain roles and team memberships. Admins manage everyone; a user may change their own
 * name and password (and nothing else about themselves).
 */
export class UserService {
  constructor(private readonly db: Kysely<Database>) {}

  private static async views(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, UserView>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
    const grants = await db.selectFrom('domain_roles').select(['user_id', 'domain_id', 'role']).where('user_id', 'in', ids).execute();
    const teams = await db.selectFrom('team_members').select(['user_id', 'team_id']).where('user_id', 'in', ids).execute();
    return new Map(
      rows.map((row) => [
        row.id,
        presentUser(row, {
          roles: grants.filter((grant) => grant.user_id === row.id),
          teamIds: teams.filter((member) => member.user_id === row.id).map((member) => member.team_id),
        }),
      ]),
    );
  }

  private static async view(db: Kysely<Database>, id: string): Promise<UserView> {
    const found = isUuid(id) ? (await UserService.views(db, [id])).get(id) : undefined;
    if (found === undefined) throw new NotFoundError(`No user with id ${id}.`);
    return found;
  }

  /** Lists users in creation order. */
  async list(request: ListRequest): Promise<Page<UserView>> {
    const limit = listLimit(request);
    let query = this.db.selectFrom('users').select('id').orderBy('id').limit(limit + 1);
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!isUuid(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('id', '>', after);
    }
    const page = toPage(await query.execute(), limit, (row) => row.id);
    const views = await UserService.views(this.db, page.items.map((row) => row.id));
    return { items: page.items.flatMap((row) => views.get(row.id) ?? []), nextCursor: page.nextCursor };
  }

  /** One user, or {@link NotFoundError}. */
  get(id: string): Promise<UserView> {
    return UserService.view(this.db, id);
  }

  private static checkPassword(password: string | undefined): void {
    if (password !== undefined && [...password].length < minimumPasswordLength) {
      throw new InputError('The password is too short.', [{ pointer: '/password', detail: `Use at least ${minimumPasswordLength} characters.` }]);
    }
  }

  /** Checks that every referenced domain and team exists, with a pointer per missing one. */
  private static async checkReferences(trx: Kysely<Database>, input: { roles?: RoleGrant[]; teamIds?: string[] }): Promise<void> {
    const problems: FieldProblem[] = [];
    const known = async (table: 'domains' | 'teams', ids: string[]): Promise<Set<string>> => {
      const valid = [...new Set(ids.filter(isUuid))];
      if (valid.length === 0) return new Set();
      return new Set((await trx.selectFrom(table).select('id').where('id', 'in', valid).execute()).map((row) => row.id));
    };
    const domains = await known('domains', (input.roles ?? []).map((grant) => grant.domainId));
    (input.roles ?? []).forEach((grant, index) => {
      if (!domains.has(grant.domainId)) problems.push({ pointer: `/roles/${index}/domainId`, detail: `No domain with id ${grant.domainId}.` });
    });
    const teams = await known('teams', input.teamIds ?? []);
    (input.teamIds ?? []).forEach((teamId, index) => {
      if (!teams.has(teamId)) problems.push({ pointer: `/teamIds/${index}`, detail: `No team with id ${teamId}.` });
    });
    if (problems.length > 0) throw new InputError('The user refers to domains or teams that do not exist.', problems);
  }

  private static async writeRelations(trx: Kysely<Database>, userId: string, input: { roles?: RoleGrant[]; teamIds?: string[] }): Promise<void> {
    if (input.roles !== undefined) {
      await trx.deleteFrom('domain_roles').where('user_id', '=', userId).execute();
      const unique = [...new Map(input.roles.map((grant) => [`${grant.domainId}/${grant.role}`, grant])).values()];
      if (unique.length > 0) {
        await trx.insertInto('domain_roles').values(unique.map((grant) => ({ user_id: userId, domain_id: grant.domainId, role: grant.role }))).execute();
      }
    }
    if (input.teamIds !== undefined) {
      await trx.deleteFrom('team_members').where('user_id', '=', userId).execute();
      const unique = [...new Set(input.teamIds)];
      if (unique.length > 0) await trx.insertInto('team_members').values(unique.map((teamId) => ({ user_id: userId, team_id: teamId }))).execute();
    }
  }

  /** Creates a user (admin only); a second account with the same e-mail (any case) is a conflict. */
  async create(actor: Actor, input: UserInput): Promise<UserView> {
    requireAdmin(actor, 'create users');
    UserService.checkPassword(input.password);
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    return translateConstraintErrors(
      () =>
        inTransaction(this.db, async (trx) => {
          const id = newId();
          await trx.insertInto('users').values({ id, email: input.email, name: input.name, password_hash: passwordHash, is_admin: input.isAdmin ?? false }).execute();
          await UserService.checkReferences(trx, input);
          await UserService.writeRelations(trx, id, input);
          const view = await UserService.view(trx, id);
          await recordAudit(trx, actor, { action: 'user.create', entityType: 'user', entityId: id, before: null, after: asJson(view) });
          return view;
        }),
      messages,
    );
  }

  /** Changes a user at `expectedVersion`; a new password or disabling ends the user's sessions. */
  async update(actor: Actor, options: { id: string; expectedVersion: number; patch: UserPatch }): Promise<UserView> {
    const { patch } = options;
    if (!actor.isAdmin) {
      if (actor.userId !== options.id) throw new NotAllowedError('Only administrators may change other users.');
      const adminOnly = (['email', 'isAdmin', 'disabled', 'roles', 'teamIds'] as const).filter((key) => patch[key] !== undefined);
      if (adminOnly.length > 0) throw new NotAllowedError(`Only administrators may change ${adminOnly.join(', ')}.`);
    }
    if (actor.userId === options.id && (patch.isAdmin === false || patch.disabled === true)) {
      throw new InputError('You cannot remove your own admin rights or disable yourself.', [
        { pointer: patch.isAdmin === false ? '/isAdmin' : '/disabled', detail: 'Not on your own account.' },
      ]);
    }
    UserService.checkPassword(patch.password);
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    return translateConstraintErrors(
      () =>
        inTransaction(this.db, async (trx) => {
          const current = isUuid(options.id) ? await trx.selectFrom('users').select(['id', 'version']).where('id', '=', options.id).forUpdate().executeTakeFirst() : undefined;
          if (current === undefined) throw new NotFoundError(`No user with id ${options.id}.`);
          assertVersion('The user', current.version, options.expectedVersion);
          await UserService.checkReferences(trx, patch);
          const before = await UserService.view(trx, current.id);
          await trx
            .updateTable('users')
            .set({
              ...(patch.email === undefined ? {} : { email: patch.email }),
              ...(patch.name === undefined ? {} : { name: patch.name }),
              ...(passwordHash === undefined ? {} : { password_hash: passwordHash }),
              ...(patch.isAdmin === undefined ? {} : { is_admin: patch.isAdmin }),
              ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }),
              version: sql<number>`version + 1`,
              updated_at: sql<Date>`now()`,
            })
            .where('id', '=', current.id)
            .execute();
          await UserService.writeRelations(trx, current.id, patch);
          if (passwordHash !== undefined || patch.disabled === true) {
            await trx.updateTable('api_tokens').set({ revoked_at: sql<Date>`now()` }).where('user_id', '=', current.id).where('kind', '=', 'session').where('revoked_at', 'is', null).execute();
          }
          const after = await UserService.view(trx, current.id);
          await recordAudit(trx, actor, { action: 'user.update', entityType: 'user', entityId: current.id, before: asJson(before), after: asJson(after) });
          return after;
        }),
      messages,
    );
  }

  /** Deletes a user at `expectedVersion` (admin only, never yourself); their tokens go with them. */
  async delete(actor: Actor, options: { id: string; expectedVersion: number }): Promise<void> {
    requireAdmin(actor, 'delete users');
    if (actor.userId === options.id) throw new InputError('You cannot delete your own account.');
    await inTransaction(this.db, async (trx) => {
      const current = isUuid(options.id) ? await trx.selectFrom('users').select(['id', 'version']).where('id', '=', options.id).forUpdate().executeTakeFirst() : undefined;
      if (current === undefined) throw new NotFoundError(`No user with id ${options.id}.`);
      assertVersion('The user', current.version, options.expectedVersion);
      const before = await UserService.view(trx, current.id);
      await trx.deleteFrom('users').where('id', '=', current.id).execute();
      await recordAudit(trx, actor, { action: 'user.delete', entityType: 'user', entityId: current.id, before: asJson(before), after: null });
    });
  }
}
