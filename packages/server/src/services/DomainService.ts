import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { requireAdmin, requireDomainRole } from '../auth/authorize';
import { NotFoundError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import type { Database, DomainRow } from '../store/Database';
import { translateConstraintErrors } from '../store/databaseErrors';
import { newId } from '../store/newId';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { assertVersion } from './concurrency';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { asJson, presentDomain, type DomainView } from './presenters';

/** Fields of a new domain. */
export interface DomainInput {
  slug: string;
  name: string;
  description?: string;
}

const messages = {
  unique: 'A domain with this slug already exists.',
  referenced: 'The domain still has teams (or other things) in it; move or delete them first.',
};

/** Domains: business areas. Admins create and delete them; a domain's data product owners edit it. */
export class DomainService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Lists domains ordered by slug. */
  async list(request: ListRequest): Promise<Page<DomainView>> {
    const limit = listLimit(request);
    let query = this.db.selectFrom('domains').selectAll().orderBy('slug').limit(limit + 1);
    if (request.cursor !== undefined) query = query.where('slug', '>', decodeCursor(request.cursor));
    const page = toPage(await query.execute(), limit, (row) => row.slug);
    return { items: page.items.map(presentDomain), nextCursor: page.nextCursor };
  }

  /** One domain, or {@link NotFoundError}. */
  async get(id: string): Promise<DomainView> {
    return presentDomain(await this.row(this.db, id, false));
  }

  private async row(db: Kysely<Database>, id: string, lock: boolean): Promise<DomainRow> {
    let query = db.selectFrom('domains').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = isUuid(id) ? await query.executeTakeFirst() : undefined;
    if (row === undefined) throw new NotFoundError(`No domain with id ${id}.`);
    return row;
  }

  /** Creates a domain (admin only). A duplicate slug is a conflict. */
  async create(actor: Actor, input: DomainInput): Promise<DomainView> {
    requireAdmin(actor, 'create a domain');
    return translateConstraintErrors(
      () =>
        inTransaction(this.db, async (trx) => {
          const row = await trx
            .insertInto('domains')
            .values({ id: newId(), slug: input.slug, name: input.name, description: input.description ?? '' })
            .returningAll()
            .executeTakeFirstOrThrow();
          const view = presentDomain(row);
          await recordAudit(trx, actor, { action: 'domain.create', entityType: 'domain', entityId: row.id, before: null, after: asJson(view) });
          return view;
        }),
      messages,
    );
  }

  /** Changes a domain at `expectedVersion` (admin or the domain's data product owner). */
  async update(actor: Actor, options: { id: string; expectedVersion: number; patch: Partial<DomainInput> }): Promise<DomainView> {
    const { patch } = options;
    return translateConstraintErrors(
      () =>
        inTransaction(this.db, async (trx) => {
          const before = await this.row(trx, options.id, true);
          requireDomainRole(actor, { domainId: before.id, roles: ['data_product_owner'], action: 'change this domain' });
          assertVersion('The domain', before.version, options.expectedVersion);
          const row = await trx
            .updateTable('domains')
            .set({
              ...(patch.slug === undefined ? {} : { slug: patch.slug }),
              ...(patch.name === undefined ? {} : { name: patch.name }),
              ...(patch.description === undefined ? {} : { description: patch.description }),
              version: sql<number>`version + 1`,
              updated_at: sql<Date>`now()`,
            })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          const view = presentDomain(row);
          await recordAudit(trx, actor, { action: 'domain.update', entityType: 'domain', entityId: row.id, before: asJson(presentDomain(before)), after: asJson(view) });
          return view;
        }),
      messages,
    );
  }

  /** Deletes a domain at `expectedVersion` (admin only); a domain that still has teams is a conflict. */
  async delete(actor: Actor, options: { id: string; expectedVersion: number }): Promise<void> {
    requireAdmin(actor, 'delete a domain');
    await translateConstraintErrors(
      () =>
        inTransaction(this.db, async (trx) => {
          const before = await this.row(trx, options.id, true);
          assertVersion('The domain', before.version, options.expectedVersion);
          await trx.deleteFrom('domains').where('id', '=', before.id).execute();
          await recordAudit(trx, actor, { action: 'domain.delete', entityType: 'domain', entityId: before.id, before: asJson(presentDomain(before)), after: null });
        }),
      messages,
    );
  }
}
