import { openBacklogStates, rollUpChildren, type BacklogKind, type BacklogState, type RollUp } from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { requireDomainRole } from '../../auth/authorize';
import { ConflictError, InputError, NotFoundError } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import { domainRoles, type Database } from '../../store/Database';
import { decodeCursor, encodeCursor, type Page } from '../../store/pagination';
import { presentBacklogItem, type BacklogItemView } from '../backlogPresenter';
import type { BacklogService } from '../BacklogService';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid, listLimit, type ListRequest } from '../listRequest';
import { asJson } from '../presenters';
import { notify } from '../NotificationService';
import { domainOwners, itemLink } from './crossDomainNotifications';

/** One end of a cross-domain link, with where it lives. */
export interface LinkedItemView {
  id: string;
  number: number;
  title: string;
  state: BacklogState;
  declineReason: string | null;
  duplicateOfId: string | null;
  product: { id: string; name: string };
  domain: { id: string; name: string };
}

/** An item's cross-domain links: the parent it was requested for (if any) and its own children rolled up. */
export interface ItemLinksView {
  itemId: string;
  parent: LinkedItemView | null;
  children: LinkedItemView[];
  rollUp: RollUp;
}

/** What a cross-domain request files in the other domain's product backlog (defaults: the parent's text). */
export interface CrossDomainRequestInput {
  productId: string;
  kind?: BacklogKind;
  title?: string;
  description?: string;
}

/** The result of a cross-domain request: the parent (its version moved) and the new child. */
export interface CrossDomainRequestResult {
  parent: BacklogItemView;
  child: BacklogItemView;
  rollUp: RollUp;
}

/** One open (or, with state=all, any) dependency of the coordination view, with its age in days. */
export interface DependencyView {
  parent: LinkedItemView;
  child: LinkedItemView;
  linkedAt: string;
  ageDays: number;
  open: boolean;
}

/** Filters of the coordination view: a domain on either end, open (default) or all links. */
export interface DependencyListRequest extends ListRequest {
  domain?: string;
  state?: 'open' | 'all';
}

interface LinkedRow {
  id: string;
  number: number;
  title: string;
  state: BacklogState;
  decline_reason: string | null;
  duplicate_of: string | null;
  product_id: string;
  product_name: string;
  domain_id: string;
  domain_name: string;
}

function presentLinked(row: LinkedRow): LinkedItemView {
  return { id: row.id, number: row.number, title: row.title, state: row.state, declineReason: row.decline_reason, duplicateOfId: row.duplicate_of, product: { id: row.product_id, name: row.product_name }, domain: { id: row.domain_id, name: row.domain_name } };
}

/**
 * Cross-domain requests of issue 6: an owner of an item's domain files a linked child item in another
 * domain's product backlog; the parent rolls up its children; both domains' owners are notified; the
 * coordination view lists the links across the mesh. Children are ordinary backlog items of their own
 * product (triaged, ranked and closed there); only the link and the notifications are added here.
 */
export class CrossDomainService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly backlog: BacklogService,
  ) {}

  private linked(db: Kysely<Database>) {
    return db
      .selectFrom('backlog_items as b')
      .innerJoin('products as p', 'p.id', 'b.product_id')
      .innerJoin('domains as d', 'd.id', 'p.domain_id')
      .select(['b.id', 'b.number', 'b.title', 'b.state', 'b.decline_reason', 'b.duplicate_of', 'p.id as product_id', 'p.name as product_name', 'd.id as domain_id', 'd.name as domain_name']);
  }

  /**
   * Files a child of `parentId` in another domain's product (If-Match: the parent's version, which this
   * bumps: the parent's roll-up changed). Needs a role in the parent's domain; the product must belong to
   * another domain; the parent must be open and not a merged duplicate.
   */
  async request(actor: Actor, options: { parentId: string; expectedVersion: number; input: CrossDomainRequestInput }): Promise<CrossDomainRequestResult> {
    const { input } = options;
    if (!isUuid(options.parentId)) throw new NotFoundError(`No backlog item ${options.parentId}.`);
    return inTransaction(this.db, async (trx) => {
      const parent = await trx.selectFrom('backlog_items').selectAll().where('id', '=', options.parentId).forUpdate().executeTakeFirst();
      if (parent === undefined) throw new NotFoundError(`No backlog item ${options.parentId}.`);
      const parentProduct = await trx.selectFrom('products as p').innerJoin('domains as d', 'd.id', 'p.domain_id').select(['p.id', 'p.domain_id', 'p.external_id', 'p.name', 'd.name as domain_name']).where('p.id', '=', parent.product_id).executeTakeFirstOrThrow();
      requireDomainRole(actor, { domainId: parentProduct.domain_id, roles: domainRoles, action: `request work from another domain for product ${parentProduct.external_id}` });
      assertVersion(`Item #${parent.number}`, parent.version, options.expectedVersion);
      if (parent.duplicate_of !== null) throw new ConflictError(`Item #${parent.number} was merged as a duplicate; request from the item it was merged into.`);
      if (!openBacklogStates.includes(parent.state)) throw new ConflictError(`Item #${parent.number} is ${parent.state}; reopen it before requesting work from another domain.`);
      let productQuery = trx.selectFrom('products as p').innerJoin('domains as d', 'd.id', 'p.domain_id').select(['p.id', 'p.domain_id', 'p.external_id', 'p.name', 'd.name as domain_name']);
      productQuery = isUuid(input.productId) ? productQuery.where((eb) => eb.or([eb('p.id', '=', input.productId), eb('p.external_id', '=', input.productId)])) : productQuery.where('p.external_id', '=', input.productId);
      const target = await productQuery.executeTakeFirst();
      if (target === undefined) throw new InputError('The product to ask does not exist.', [{ pointer: '/productId', detail: `No product ${input.productId}.` }]);
      if (target.domain_id === parentProduct.domain_id) throw new InputError('A cross-domain request goes to another domain’s product.', [{ pointer: '/productId', detail: `${target.name} is in your own domain (${target.domain_name}); file an item in its backlog directly.` }]);
      const [childRow] = await this.backlog.insert(trx, actor, target, [
        {
          kind: input.kind ?? 'request',
          title: input.title ?? parent.title,
          description: input.description ?? parent.description,
          evidence: [{ kind: 'item', ref: parent.id, note: `Needed by ${parentProduct.domain_name} (${parentProduct.name} #${parent.number}: ${parent.title})`, teamId: null }],
          parentId: parent.id,
        },
      ]);
      if (childRow === undefined) throw new Error('insert returned no row');
      const beforeParent = presentBacklogItem(parent);
      const parentRow = await trx.updateTable('backlog_items').set({ version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', parent.id).returningAll().executeTakeFirstOrThrow();
      const child = presentBacklogItem(childRow);
      const after = presentBacklogItem(parentRow);
      await recordAudit(trx, actor, { action: 'backlog_item.create', entityType: 'backlog_item', entityId: child.id, before: null, after: asJson({ ...child, parentId: parent.id }) });
      await recordAudit(trx, actor, { action: 'backlog_item.request_cross_domain', entityType: 'backlog_item', entityId: parent.id, before: asJson(beforeParent), after: asJson({ ...after, childId: child.id, childProductId: target.id }) });
      const rollUp = await this.rollUp(trx, parent.id);
      const toTarget = (await domainOwners(trx, target.domain_id, actor.userId)).map((userId) => ({
        userId,
        kind: 'backlog.cross-domain-request',
        title: `${parentProduct.domain_name} asks ${target.name} for “${child.title}” (#${child.number})`,
        body: `Needed by ${parentProduct.name} #${parent.number}. Filed by ${actor.label}.`,
        link: itemLink(target.id, child.id),
        entityType: 'backlog_item',
        entityId: child.id,
      }));
      const toParent = (await domainOwners(trx, parentProduct.domain_id, actor.userId)).map((userId) => ({
        userId,
        kind: 'backlog.cross-domain-linked',
        title: `#${parent.number} now waits on ${target.domain_name} (${target.name} #${child.number})`,
        body: rollUp.summary,
        link: itemLink(parentProduct.id, parent.id),
        entityType: 'backlog_item',
        entityId: parent.id,
      }));
      await notify(trx, [...toTarget, ...toParent]);
      return { parent: after, child, rollUp };
    });
  }

  private async rollUp(db: Kysely<Database>, parentId: string): Promise<RollUp> {
    const children = await db.selectFrom('backlog_items').select(['state', 'duplicate_of']).where('parent_id', '=', parentId).execute();
    return rollUpChildren(children.map((child) => ({ state: child.state, merged: child.duplicate_of !== null })));
  }

  /** The item's parent (when it was requested for another domain's item) and its children with their roll-up. */
  async links(itemId: string): Promise<ItemLinksView> {
    if (!isUuid(itemId)) throw new NotFoundError(`No backlog item ${itemId}.`);
    const item = await this.db.selectFrom('backlog_items').select(['id', 'parent_id']).where('id', '=', itemId).executeTakeFirst();
    if (item === undefined) throw new NotFoundError(`No backlog item ${itemId}.`);
    const parent = item.parent_id === null ? undefined : await this.linked(this.db).where('b.id', '=', item.parent_id).executeTakeFirst();
    const children = (await this.linked(this.db).where('b.parent_id', '=', itemId).orderBy('b.parent_linked_at').orderBy('b.id').execute()).map(presentLinked);
    return { itemId, parent: parent === undefined ? null : presentLinked(parent), children, rollUp: rollUpChildren(children.map((child) => ({ state: child.state, merged: child.duplicateOfId !== null }))) };
  }

  /**
   * The coordination view: cross-domain links across the mesh, oldest first (the longest wait on top).
   * Open: the child is still open and not merged. `domain` (id or slug) matches either end.
   */
  async dependencies(request: DependencyListRequest): Promise<Page<DependencyView>> {
    const limit = listLimit(request);
    let offset = 0;
    if (request.cursor !== undefined) {
      const value = decodeCursor(request.cursor);
      if (!/^[0-9]{1,9}$/.test(value)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      offset = Number(value);
    }
    let query = this.db
      .selectFrom('backlog_items as c')
      .innerJoin('products as cp', 'cp.id', 'c.product_id')
      .innerJoin('domains as cd', 'cd.id', 'cp.domain_id')
      .innerJoin('backlog_items as pa', 'pa.id', 'c.parent_id')
      .innerJoin('products as pp', 'pp.id', 'pa.product_id')
      .innerJoin('domains as pd', 'pd.id', 'pp.domain_id')
      .select([
        'c.id as c_id', 'c.number as c_number', 'c.title as c_title', 'c.state as c_state', 'c.decline_reason as c_decline_reason', 'c.duplicate_of as c_duplicate_of', 'cp.id as c_product_id', 'cp.name as c_product_name', 'cd.id as c_domain_id', 'cd.name as c_domain_name',
        'pa.id as p_id', 'pa.number as p_number', 'pa.title as p_title', 'pa.state as p_state', 'pa.decline_reason as p_decline_reason', 'pa.duplicate_of as p_duplicate_of', 'pp.id as p_product_id', 'pp.name as p_product_name', 'pd.id as p_domain_id', 'pd.name as p_domain_name',
        'c.parent_linked_at', 'c.created_at',
      ]);
    if (request.state !== 'all') query = query.where('c.state', 'in', [...openBacklogStates]).where('c.duplicate_of', 'is', null);
    if (request.domain !== undefined) {
      const ref = request.domain;
      const domain = await this.db.selectFrom('domains').select('id').where((eb) => (isUuid(ref) ? eb.or([eb('id', '=', ref), eb('slug', '=', ref)]) : eb('slug', '=', ref))).executeTakeFirst();
      if (domain === undefined) throw new InputError('No such domain.', [{ parameter: 'domain', detail: `No domain ${ref}.` }]);
      query = query.where((eb) => eb.or([eb('cd.id', '=', domain.id), eb('pd.id', '=', domain.id)]));
    }
    const rows = await query.orderBy('c.parent_linked_at').orderBy('c.id').offset(offset).limit(limit + 1).execute();
    const now = Date.now();
    const items = rows.slice(0, limit).map((row): DependencyView => {
      const linkedAt = row.parent_linked_at ?? row.created_at;
      const pick = (prefix: 'c' | 'p'): LinkedRow => ({
        id: row[`${prefix}_id`], number: row[`${prefix}_number`], title: row[`${prefix}_title`], state: row[`${prefix}_state`], decline_reason: row[`${prefix}_decline_reason`], duplicate_of: row[`${prefix}_duplicate_of`],
        product_id: row[`${prefix}_product_id`], product_name: row[`${prefix}_product_name`], domain_id: row[`${prefix}_domain_id`], domain_name: row[`${prefix}_domain_name`],
      });
      const child = presentLinked(pick('c'));
      return { parent: presentLinked(pick('p')), child, linkedAt: linkedAt.toISOString(), ageDays: Math.max(0, Math.floor((now - linkedAt.getTime()) / 86_400_000)), open: openBacklogStates.includes(child.state) && child.duplicateOfId === null };
    });
    return { items, nextCursor: rows.length > limit ? encodeCursor(String(offset + limit)) : null };
  }
}
