import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { requireAdmin, requireDomainRole } from '../auth/authorize';
import { InputError, NotFoundError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import type { Database, TeamRow } from '../store/Database';
import { translateConstraintErrors } from '../store/databaseErrors';
import { newId } from '../store/newId';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { assertVersion } from './concurrency';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { asJson, presentTeam, type TeamView } from './presenters';

/** Fields of a new team; `domainId` null or absent for a consuming team outside any domain. */
export interface TeamInput {
  slug: string;
  name: string;
  description?: string;
  domainId?: string | null;
}

const messages = { unique: 'A team with this slug already exists.', referenced: 'The team is still referenced.' };

/**
 * Teams. A team inside a domain is written by admins and that domain's data product owners (moving it
 * needs the role in both domains); a team outside any domain by admins only.
 */
export class TeamService {
  constructor(private readonly db: Kysely<Database>) {}

  private static authorise(actor: Actor, domainId: string | null, action: string): void {
    if (domainId === null) requireAdmin(actor, `${action} outside any domain`);
    else requireDomainRole(actor, { domainId, roles: ['data_product_owner'], action });
  }

  /** Lists teams ordered by slug, optionally only those of one domain. */
  async list(request: ListRequest & { domainId?: string }): Promise<Page<TeamView>> {
    const limit = listLimit(request);
    if (request.domainId !== undefined && !isUuid(request.domainId)) return { items: [], nextCursor: null };
    let query = this.db.selectFrom('teams').selectAll().orderBy('slug').limit(limit + 1);
    if (request.cursor !== undefined) query = query.where('slug', '>', decodeCursor(request.cursor));
    if (request.domainId !== undefined) query = query.where('domain_id', '=', request.domainId);
    const page = toPage(await query.execute(), limit, (row) => row.slug);
    return { items: page.items.map(presentTeam), nextCursor: page.nextCursor };
  }

  /** One team, or {@link NotFoundError}. */
  async get(id: string): Promise<TeamView> {
    return presentTeam(await this.row(this.db, id, false));
  }

  private async row(db: Kysely<Database>, id: string, lock: boolean): Promise<TeamRow> {
    let query = db.selectFrom('teams').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = isUuid(id) ? await query.executeTakeFirst() : undefined;
    if (row === undefined) throw new NotFoundError(`No team with id ${id}.`);
    return row;
  }

  private static async requireDomain(trx: Kysely<Database>, domainId: string | null): Promise<void> {
    if (domainId === null) return;
    const found = isUuid(domainId) ? await trx.selectFrom('domains').select('id').where('id', '=', domainId).executeTakeFirst() : undefined;
    if (found === undefined) throw new InputError('The domain does not exist.', [{ pointer: '/domainId', detail: `No domain with id ${domainId}.` }]);
  }

  /** Creates a team. */
  async create(actor: Actor, input: TeamInput): Promise<TeamView> {
    const domainId = input.domainId ?? null;
    TeamService.authorise(actor, domainId, 'create a team');
    return translateConstraintErrors(
      () =>
        inTransaction(this.db, async (trx) => {
          await TeamService.requireDomain(trx, domainId);
          const row = await trx
            .insertInto('teams')
            .values({ id: newId(), slug: input.slug, name: input.name, description: input.description ?? '', domain_id: domainId })
            .returningAll()
            .executeTakeFirstOrThrow();
          const view = presentTeam(row);
          await recordAudit(trx, actor, { action: 'team.create', entityType: 'team', entityId: row.id, before: null, after: asJson(view) });
          return view;
        }),
      messages,
    );
  }

  /** Changes a team at `expectedVersion`. */
  async update(actor: Actor, options: { id: string; expectedVersion: number; patch: Partial<TeamInput> }): Promise<TeamView> {
    const { patch } = options;
    return translateConstraintErrors(
      () =>
        inTransaction(this.db, async (trx) => {
          const before = await this.row(trx, options.id, true);
          TeamService.authorise(actor, before.domain_id, 'change this team');
          if (patch.domainId !== undefined && patch.domainId !== before.domain_id) {
            TeamService.authorise(actor, patch.domainId, 'move a team into this domain');
            await TeamService.requireDomain(trx, patch.domainId);
          }
          assertVersion('The team', before.version, options.expectedVersion);
          const row = await trx
            .updateTable('teams')
            .set({
              ...(patch.slug === undefined ? {} : { slug: patch.slug }),
              ...(patch.name === undefined ? {} : { name: patch.name }),
              ...(patch.description === undefined ? {} : { description: patch.description }),
              ...(patch.domainId === undefined ? {} : { domain_id: patch.domainId }),
              version: sql<number>`version + 1`,
              updated_at: sql<Date>`now()`,
            })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          const view = presentTeam(row);
          await recordAudit(trx, actor, { action: 'team.update', entityType: 'team', entityId: row.id, before: asJson(presentTeam(before)), after: asJson(view) });
          return view;
        }),
      messages,
    );
  }

  /** Deletes a team at `expectedVersion` (its memberships go with it). */
  async delete(actor: Actor, options: { id: string; expectedVersion: number }): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const before = await this.row(trx, options.id, true);
      TeamService.authorise(actor, before.domain_id, 'delete this team');
      assertVersion('The team', before.version, options.expectedVersion);
      await trx.deleteFrom('teams').where('id', '=', before.id).execute();
      await recordAudit(trx, actor, { action: 'team.delete', entityType: 'team', entityId: before.id, before: asJson(presentTeam(before)), after: null });
    });
  }
}
