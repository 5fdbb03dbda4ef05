import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/Actor';
import { SignInThrottle } from '../auth/SignInThrottle';
import { generateToken, hashPassword, hashToken, tokenDisplayPrefix, verifyPassword } from '../auth/secrets';
import { InputError, NotAllowedError, NotAuthenticatedError, NotFoundError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import type { Database, DomainRole } from '../store/Database';
import { newId } from '../store/newId';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { asJson, presentToken, type TokenView } from './presenters';

/** How long a sign-in session lasts. */
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

/** `last_used_at` is written at most this often per token, so reads do not all become writes. */
const lastUsedResolutionMs = 60 * 1000;

/** A token just issued: the secret (shown this once, never stored) and its listing view. */
export interface IssuedToken {
  token: string;
  info: TokenView;
}

/** The e-mail address of the bootstrap admin account. */
export const bootstrapAdminEmail = 'admin@meshboard.local';

/** Name of the token registered from MESHBOARD_ADMIN_TOKEN / generated at first start. */
export const bootstrapTokenName = 'MESHBOARD_ADMIN_TOKEN';

// A real hash of a random password: verified against when the e-mail is unknown, so the response
// time does not reveal which addresses have accounts.
let decoyHash: Promise<string> | undefined;

/** A row of {@link tokenLookup}: the token and its user with their domain roles. */
export interface TokenLookupRow {
  tokenId: string;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
  userId: string;
  email: string;
  is_admin: boolean;
  disabled: boolean;
  roles: [string, DomainRole][];
}

/**
 * The token look-up of a bearer secret as a statement fragment (fixed text, one parameter: the secret's
 * SHA-256), for {@link AuthService.authenticate} and for hot reads that authenticate in their own single
 * statement (`from (${tokenLookup(secret)}) a …`) and pass the row to {@link AuthService.admit}. At most
 * one row (token hashes are unique); roles as a JSON array of `[domainId, role]`.
 */
export function tokenLookup(secret: string): RawBuilder<TokenLookupRow> {
  return tokenLookupByHash(sql`${hashToken(secret)}`);
}

/**
 * {@link tokenLookup} for a token hash given as an SQL expression (a parameter, or a column of a
 * statement that looks up several tokens at once, as `ProductService`'s batched read does).
 */
export function tokenLookupByHash(tokenHash: RawBuilder<unknown>): RawBuilder<TokenLookupRow> {
  return sql<TokenLookupRow>`select t.id as "tokenId", t.expires_at, t.revoked_at, t.last_used_at, u.id as "userId", u.email, u.is_admin, u.disabled,
        coalesce((select json_agg(json_build_array(r.domain_id, r.role)) from domain_roles r where r.user_id = u.id), '[]'::json) as roles
      from api_tokens t join users u on u.id = t.user_id
      where t.token_hash = ${tokenHash}`;
}

/**
 * Authentication: password sign-in (sessions), API tokens (create, list, revoke), turning a bearer
 * secret into an {@link Actor}, and the bootstrap admin.
 */
export class AuthService {
  constructor(
    private readonly db: Kysely<Database>,
    /** Limits password guessing per e-mail address (see {@link SignInThrottle}). */
    private readonly throttle: SignInThrottle = new SignInThrottle(),
  ) {}

  /** The actor for a bearer secret, or {@link NotAuthenticatedError} (unknown, revoked, expired, disabled). */
  async authenticate(secret: string): Promise<Actor> {
    // Every authenticated request runs this (or a read embedding tokenLookup): one prepared statement
    // (token, user and domain roles), planned once per connection (see store/preparedStatements.ts).
    const result = await sql<TokenLookupRow>`/* prepared */ ${tokenLookup(secret)}`.execute(this.db);
    return this.admit(result.rows[0]);
  }

  /**
   * The actor of a {@link tokenLookup} row read in this request, or {@link NotAuthenticatedError} when
   * there is none or the token is revoked or expired or its user disabled. Records the token's use (at
   * most once a minute).
   */
  async admit(row: TokenLookupRow | undefined): Promise<Actor> {
    const [actor] = await this.admitEach([row]);
    if (actor === undefined) throw new Error('admitEach answered no actor');
    if (actor instanceof NotAuthenticatedError) throw actor;
    return actor;
  }

  /**
   * {@link admit} for the rows of several requests read in one statement: each row's actor, or its own
   * {@link NotAuthenticatedError} (in row order). Tokens whose use is to be recorded are written in one
   * statement, each once however many rows share it; when that write fails the call fails (as `admit`).
   */
  async admitEach(rows: readonly (TokenLookupRow | undefined)[]): Promise<(Actor | NotAuthenticatedError)[]> {
    const now = Date.now();
    const touch = new Set<string>();
    const answers = rows.map((row): Actor | NotAuthenticatedError => {
      if (row === undefined || row.revoked_at !== null || row.disabled || (row.expires_at !== null && new Date(row.expires_at).getTime() <= now)) {
        return new NotAuthenticatedError('The token is unknown, expired or revoked.');
      }
      if (row.last_used_at === null || now - new Date(row.last_used_at).getTime() > lastUsedResolutionMs) touch.add(row.tokenId);
      const domainRoles = new Map<string, Set<DomainRole>>();
      for (const [domainId, role] of row.roles) {
        const held = domainRoles.get(domainId) ?? new Set<DomainRole>();
        held.add(role);
        domainRoles.set(domainId, held);
      }
      return { userId: row.userId, label: row.email, isAdmin: row.is_admin, domainRoles };
    });
    if (touch.size > 0) await this.db.updateTable('api_tokens').set({ last_used_at: sql<Date>`now()` }).where('id', 'in', [...touch]).execute();
    return answers;
  }

  /**
 * Checks an e-mail and password and opens a session; the same error for a wrong e-mail or password.
 * Repeated failures for one address lock it for a while (429, see {@link SignInThrottle}).
 */
  async signIn(options: { email: string; password: string }): Promise<IssuedToken> {
    this.throttle.check(options.email);
    const user = await this.db
      .selectFrom('users')
      .select(['id', 'email', 'is_admin', 'password_hash', 'disabled'])
      .where(sql<string>`lower(email)`, '=', options.email.toLowerCase())
      .executeTakeFirst();
    let matches = false;
    if (user?.password_hash != null) matches = await verifyPassword(user.password_hash, options.password);
    else {
      decoyHash ??= hashPassword(generateToken());
      await verifyPassword(await decoyHash, options.password);
    }
    if (user === undefined || !matches || user.disabled) {
      this.throttle.failed(options.email);
      throw new NotAuthenticatedError('The e-mail address or password is wrong.');
    }
    this.throttle.succeeded(options.email);
    const actor: Actor = { userId: user.id, label: user.email, isAdmin: user.is_admin, domainRoles: new Map() };
    return this.issue(this.db, actor, { userId: user.id, name: 'sign-in', kind: 'session', expiresAt: new Date(Date.now() + sessionLifetimeMs) });
  }

  /** Ends the session or revokes the token whose secret is given (sign-out); unknown secrets are ignored. */
  async signOut(actor: Actor, secret: string): Promise<void> {
    const row = await this.db.selectFrom('api_tokens').select('id').where('token_hash', '=', hashToken(secret)).executeTakeFirst();
    if (row !== undefined) await this.revokeToken(actor, row.id);
  }

  /** Creates an API token for the actor (or, for admins, for `userId`). The secret is returned once. */
  async createToken(actor: Actor, options: { name: string; userId?: string; expiresAt?: Date | null }): Promise<IssuedToken> {
    const userId = options.userId ?? actor.userId;
    if (userId === null) throw new InputError('Say which user the token is for.', [{ pointer: '/userId', detail: 'Required for internal actors.' }]);
    if (userId !== actor.userId && !actor.isAdmin) throw new NotAllowedError('Only administrators may create tokens for other users.');
    return inTransaction(this.db, async (trx) => {
      const user = isUuid(userId) ? await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst() : undefined;
      if (user === undefined) throw new InputError('The user does not exist.', [{ pointer: '/userId', detail: `No user with id ${userId}.` }]);
      return this.issue(trx, actor, { userId, name: options.name, kind: 'api', expiresAt: options.expiresAt ?? null });
    });
  }

  private async issue(
    db: Kysely<Database>,
    actor: Actor,
    options: { userId: string; name: string; kind: 'api' | 'session'; expiresAt: Date | null; secret?: string },
  ): Promise<IssuedToken> {
    const secret = options.secret ?? generateToken();
    const write = async (trx: Kysely<Database>): Promise<IssuedToken> => {
      const row = await trx
        .insertInto('api_tokens')
        .values({ id: newId(), user_id: options.userId, name: options.name, kind: options.kind, token_hash: hashToken(secret), prefix: tokenDisplayPrefix(secret), expires_at: options.expiresAt })
        .returningAll()
        .executeTakeFirstOrThrow();
      const info = presentToken(row);
      await recordAudit(trx, actor, { action: options.kind === 'session' ? 'session.create' : 'token.create', entityType: 'token', entityId: row.id, before: null, after: asJson(info) });
      return { token: secret, info };
    };
    return inTransaction(db, write);
  }

  /** A page of the actor's tokens and sessions (admins may ask for another `userId`), oldest first. */
  async listTokens(actor: Actor, options: ListRequest & { userId?: string } = {}): Promise<Page<TokenView>> {
    const userId = options.userId ?? actor.userId;
    if (userId !== actor.userId && !actor.isAdmin) throw new NotAllowedError("Only administrators may list other users' tokens.");
    if (userId === null || !isUuid(userId)) return { items: [], nextCursor: null };
    const limit = listLimit(options);
    let query = this.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').limit(limit + 1);
    // Ids are UUIDv7, so id order is creation order and a stable cursor.
    if (options.cursor !== undefined) {
      const after = decodeCursor(options.cursor);
      if (!isUuid(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('id', '>', after);
    }
    const page = toPage(await query.execute(), limit, (row) => row.id);
    return { items: page.items.map(presentToken), nextCursor: page.nextCursor };
  }

  /** Revokes a token (its owner or an admin). Revoking a revoked token changes nothing and succeeds. */
  async revokeToken(actor: Actor, id: string): Promise<TokenView> {
    if (!isUuid(id)) throw new NotFoundError(`No token with id ${id}.`);
    return inTransaction(this.db, async (trx) => {
      const current = await trx.selectFrom('api_tokens').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      // Someone else's token is reported as absent to non-admins: its existence is not their business.
      if (current === undefined || (current.user_id !== actor.userId && !actor.isAdmin)) throw new NotFoundError(`No token with id ${id}.`);
      if (current.revoked_at !== null) return presentToken(current);
      const row = await trx.updateTable('api_tokens').set({ revoked_at: sql<Date>`now()` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      const view = presentToken(row);
      await recordAudit(trx, actor, { action: 'token.revoke', entityType: 'token', entityId: id, before: asJson(presentToken(current)), after: asJson(view) });
      return view;
    });
  }

  /**
   * Makes sure an administrator can get in. With `adminToken` (MESHBOARD_ADMIN_TOKEN) that secret is
   * registered as a token of the bootstrap admin unless it already is. Without it, and only when no
   * enabled administrator exists, a token is generated and returned for the caller to print once.
   * Serialised by a transaction-scoped advisory lock, so servers starting together create one admin.
   */
  async ensureBootstrapAdmin(options: { adminToken?: string }): Promise<{ adminUserId?: string; generatedToken?: string }> {
    return inTransaction(this.db, async (trx) => {
      await sql`select pg_advisory_xact_lock(7142001)`.execute(trx);
      const system: Actor = { userId: null, label: 'system:bootstrap', isAdmin: true, domainRoles: new Map() };
      if (options.adminToken === undefined) {
        const anyAdmin = await trx.selectFrom('users').select('id').where('is_admin', '=', true).where('disabled', '=', false).executeTakeFirst();
        if (anyAdmin !== undefined) return {};
      }
      let admin = await trx.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', bootstrapAdminEmail).executeTakeFirst();
      if (admin === undefined) {
        const id = newId();
        await trx.insertInto('users').values({ id, email: bootstrapAdminEmail, name: 'Bootstrap administrator', is_admin: true }).execute();
        await recordAudit(trx, system, { action: 'user.create', entityType: 'user', entityId: id, before: null, after: { id, email: bootstrapAdminEmail, isAdmin: true } });
        admin = { id };
      }
      const secret = options.adminToken ?? generateToken();
      const existing = await trx.selectFrom('api_tokens').select('id').where('token_hash', '=', hashToken(secret)).executeTakeFirst();
      if (existing !== undefined) return { adminUserId: admin.id };
      await this.issue(trx, system, { userId: admin.id, name: bootstrapTokenName, kind: 'api', expiresAt: null, secret });
      return options.adminToken === undefined ? { adminUserId: admin.id, generatedToken: secret } : { adminUserId: admin.id };
    });
  }
}
