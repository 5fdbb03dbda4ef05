import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { hasDomainRole } from '../../auth/authorize';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import type { Database, DataDemandRow, DemandState, JsonValue } from '../../store/Database';
import { newId } from '../../store/newId';
import { decodeCursor, encodeCursor, type Page } from '../../store/pagination';
import type { BacklogService } from '../BacklogService';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid, listLimit, type ListRequest } from '../listRequest';
import { asJson } from '../presenters';
import { notify, type NotificationInput } from '../NotificationService';
import { coordinatorRoles, domainOwners } from './crossDomainNotifications';

/** What a consumer asks for when no product offers the data. */
export interface DemandInput {
  title: string;
  description?: string;
  useCase: string;
  desiredFields?: string[];
  freshness?: string;
  requesterTeamId?: string | null;
}

/** A demand as the API shows it. */
export interface DemandView {
  id: string;
  title: string;
  description: string;
  useCase: string;
  desiredFields: string[];
  freshness: string;
  requester: { userId: string | null; label: string; teamId: string | null; teamName: string | null };
  state: DemandState;
  /** The domain it was triaged to (assigned or accepted). */
  domain: { id: string; name: string } | null;
  /** The product whose backlog took it, and the item it became (accepted). */
  product: { id: string; name: string } | null;
  backlogItem: { id: string; number: number; state: string } | null;
  /** Why it was declined; shown to the requester. */
  declineReason: string | null;
  mergedIntoId: string | null;
  /** "Me too" votes of other consumers (evidence of demand); the requester is not counted. */
  votes: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Filters of the demand list. The whole inbox needs an owner role somewhere (or admin); `mine` works for everyone. */
export interface DemandListRequest extends ListRequest {
  state?: DemandState;
  domain?: string;
  mine?: boolean;
  /** Words (any of them) in the title or use case. With `q`, anyone may list the open and assigned demands (to say "me too" instead of asking again). */
  q?: string;
}

const openStates: readonly DemandState[] = ['open', 'assigned'];

/** Whether the actor may see the mesh-level inbox: an administrator or an owner of any domain. */
export function seesDemandInbox(actor: Actor): boolean {
  if (actor.isAdmin) return true;
  for (const roles of actor.domainRoles.values()) if (coordinatorRoles.some((role) => roles.has(role))) return true;
  return false;
}

function readFields(value: JsonValue): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/**
 * Demand for data that does not exist yet (issue 6). Any signed-in user asks; the request lands in the
 * mesh-level inbox (admins and domain owners), which assigns it to a domain, accepts it into one of that
 * domain's products as a backlog item with the demand as evidence, declines it with a reason the
 * requester sees, or merges a duplicate into it (its requester and voters count as "me too"). There is no
 * domain-level backlog: a demand becomes an item of a chosen product. The requester is notified at
 * every step, in the same transaction.
 */
export class DemandService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly backlog: BacklogService,
  ) {}

  private query(db: Kysely<Database>) {
    return db
      .selectFrom('data_demands as m')
      .leftJoin('teams as t', 't.id', 'm.requester_team_id')
      .leftJoin('domains as d', 'd.id', 'm.domain_id')
      .leftJoin('products as p', 'p.id', 'm.product_id')
      .leftJoin('backlog_items as b', 'b.id', 'm.backlog_item_id')
      .selectAll('m')
      .select(['t.name as team_name', 'd.name as domain_name', 'p.name as product_name', 'b.number as item_number', 'b.state as item_state']);
  }

  private present(row: DataDemandRow & { team_name: string | null; domain_name: string | null; product_name: string | null; item_number: number | null; item_state: string | null }): DemandView {
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      useCase: row.use_case,
      desiredFields: readFields(row.desired_fields),
      freshness: row.freshness,
      requester: { userId: row.requester_id, label: row.requester_label, teamId: row.requester_team_id, teamName: row.team_name },
      state: row.state,
      domain: row.domain_id === null ? null : { id: row.domain_id, name: row.domain_name ?? '' },
      product: row.product_id === null ? null : { id: row.product_id, name: row.product_name ?? '' },
      backlogItem: row.backlog_item_id === null || row.item_number === null ? null : { id: row.backlog_item_id, number: row.item_number, state: row.item_state ?? '' },
      declineReason: row.decline_reason,
      mergedIntoId: row.merged_into,
      votes: row.votes,
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  private async view(db: Kysely<Database>, id: string): Promise<DemandView> {
    if (!isUuid(id)) throw new NotFoundError(`No demand ${id}.`);
    const row = await this.query(db).where('m.id', '=', id).executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No demand ${id}.`);
    return this.present(row);
  }

  private async lock(trx: Kysely<Database>, id: string, expectedVersion: number): Promise<DataDemandRow> {
    if (!isUuid(id)) throw new NotFoundError(`No demand ${id}.`);
    const row = await trx.selectFrom('data_demands').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No demand ${id}.`);
    assertVersion('The demand', row.version, expectedVersion);
    return row;
  }

  /** The requester and voters of a demand (never the actor), for notifications. */
  private async followers(trx: Kysely<Database>, row: DataDemandRow, actor: Actor): Promise<string[]> {
    const voters = await trx.selectFrom('data_demand_votes').select('user_id').where('demand_id', '=', row.id).orderBy('user_id').execute();
    return [...new Set([row.requester_id, ...voters.map((vote) => vote.user_id)])].filter((id): id is string => id !== null && id !== actor.userId);
  }

  /** One demand: readable by any signed-in user (so others can say "me too"). */
  async get(id: string): Promise<DemandView> {
    return this.view(this.db, id);
  }

  /**
   * Files a demand; the actor is its requester and may name a team they belong to. Admins are notified.
   * An internal actor (demo seeding) files on behalf of `onBehalfOf`; people always file as themselves.
   */
  async create(actor: Actor, input: DemandInput, onBehalfOf?: { userId: string; label: string }): Promise<DemandView> {
    const requester = actor.userId === null ? onBehalfOf : { userId: actor.userId, label: actor.label };
    if (requester === undefined) throw new NotAllowedError('Only people ask for data.');
    const userId = requester.userId;
    return inTransaction(this.db, async (trx) => {
      const team = input.requesterTeamId ?? null;
      if (team !== null) {
        const member = isUuid(team) ? await trx.selectFrom('team_members').select('team_id').where('team_id', '=', team).where('user_id', '=', userId).executeTakeFirst() : undefined;
        if (member === undefined) throw new InputError('You can ask for a team you are a member of only.', [{ pointer: '/requesterTeamId', detail: 'Pick one of your teams, or leave it out.' }]);
      }
      const id = newId();
      await trx
        .insertInto('data_demands')
        .values({ id, title: input.title, description: input.description ?? '', use_case: input.useCase, desired_fields: JSON.stringify([...new Set(input.desiredFields ?? [])]), freshness: input.freshness ?? '', requester_id: userId, requester_label: requester.label, requester_team_id: team })
        .execute();
      const view = await this.view(trx, id);
      await recordAudit(trx, actor, { action: 'data_demand.create', entityType: 'data_demand', entityId: id, before: null, after: asJson(view) });
      const admins = await trx.selectFrom('users').select('id').where('is_admin', '=', true).where('disabled', '=', false).where('id', '<>', userId).execute();
      await notify(trx, admins.map((admin) => ({ userId: admin.id, kind: 'demand.created', title: `New request for data: ${view.title}`, body: view.useCase, link: '/demands', entityType: 'data_demand', entityId: id })));
      return view;
    });
  }

  /**
   * Lists demands, newest first. With `mine`, the actor's own requests (anyone); otherwise the inbox,
   * which needs an owner role in some domain or admin. `domain` (id or slug) filters by triaged domain.
   */
  async list(actor: Actor, request: DemandListRequest): Promise<Page<DemandView>> {
    const words = request.q?.trim() ?? '';
    const lookup = words !== '' && request.mine !== true && !seesDemandInbox(actor);
    if (request.mine !== true && !lookup && !seesDemandInbox(actor)) throw new NotAllowedError('The demand inbox is for administrators and domain owners; your own requests are at mine=true.');
    const limit = listLimit(request);
    let query = this.query(this.db);
    if (lookup) query = query.where('m.state', 'in', [...openStates]);
    if (words !== '') {
      // Any word of three letters or more (else the whole text) in the title or use case: "footfall
      // heatmap" should find "Store footfall per hour". LIKE wildcards in the words are escaped.
      const terms = words.split(/\s+/).filter((word) => word.length >= 3).slice(0, 8);
      const patterns = (terms.length === 0 ? [words] : terms).map((term) => `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
      query = query.where((eb) => eb.or(patterns.flatMap((pattern) => [eb('m.title', 'ilike', pattern), eb('m.use_case', 'ilike', pattern)])));
    }
    if (request.mine === true) query = query.where('m.requester_id', '=', actor.userId ?? '00000000-0000-0000-0000-000000000000');
    if (request.state !== undefined) query = query.where('m.state', '=', request.state);
    if (request.domain !== undefined) {
      const ref = request.domain;
      const domain = await this.db.selectFrom('domains').select('id').where((eb) => (isUuid(ref) ? eb.or([eb('id', '=', ref), eb('slug', '=', ref)]) : eb('slug', '=', ref))).executeTakeFirst();
      if (domain === undefined) throw new InputError('No such domain.', [{ parameter: 'domain', detail: `No domain ${ref}.` }]);
      query = query.where('m.domain_id', '=', domain.id);
    }
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!isUuid(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('m.id', '<', after);
    }
    const rows = await query.orderBy('m.id', 'desc').limit(limit + 1).execute();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map((row) => this.present(row)), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null };
  }

  /** Adds (or with `on: false` withdraws) the actor's "me too"; idempotent; only while the demand is open or assigned. */
  async vote(actor: Actor, id: string, on: boolean): Promise<DemandView> {
    if (actor.userId === null) throw new NotAllowedError('Only people vote.');
    const userId = actor.userId;
    if (!isUuid(id)) throw new NotFoundError(`No demand ${id}.`);
    return inTransaction(this.db, async (trx) => {
      const row = await trx.selectFrom('data_demands').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (row === undefined) throw new NotFoundError(`No demand ${id}.`);
      if (!openStates.includes(row.state)) throw new ConflictError(`The demand is ${row.state}; votes count while it is open or assigned.`);
      if (row.requester_id === userId) throw new ConflictError('You asked for this data; your request already counts.');
      if (on) await trx.insertInto('data_demand_votes').values({ demand_id: id, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
      else await trx.deleteFrom('data_demand_votes').where('demand_id', '=', id).where('user_id', '=', userId).execute();
      const after = await this.recount(trx, id);
      if (after.votes !== row.votes) await recordAudit(trx, actor, { action: on ? 'data_demand.vote' : 'data_demand.unvote', entityType: 'data_demand', entityId: id, before: { votes: row.votes }, after: { votes: after.votes } });
      return this.view(trx, id);
    });
  }

  /** Whether the actor said "me too". */
  async hasVoted(actor: Actor, id: string): Promise<boolean> {
    if (actor.userId === null || !isUuid(id)) return false;
    return (await this.db.selectFrom('data_demand_votes').select('demand_id').where('demand_id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst()) !== undefined;
  }

  private async recount(trx: Kysely<Database>, id: string): Promise<DataDemandRow> {
    return trx.updateTable('data_demands').set({ votes: sql<number>`(select count(*)::int from data_demand_votes where demand_id = ${id})` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  }

  /**
   * Triages an open or assigned demand (If-Match). Without `productId`: assigns it to `domainId` (an
   * inbox reader may do this; the domain's owners are notified). With `productId`: accepts it into that
   * product's backlog as a request carrying the demand as evidence (needs a role in the product's
   * domain; `domainId`, when given, must be that domain). The requester and voters are notified.
   */
  async triage(actor: Actor, options: { id: string; expectedVersion: number; domainId?: string | undefined; productId?: string | undefined }): Promise<DemandView> {
    if (options.domainId === undefined && options.productId === undefined) throw new InputError('Triage names a domain or a product.', [{ pointer: '/domainId', detail: 'Pass domainId to assign, or productId to accept into that product’s backlog.' }]);
    return inTransaction(this.db, async (trx) => {
      const row = await this.lock(trx, options.id, options.expectedVersion);
      if (!openStates.includes(row.state)) throw new ConflictError(`The demand is already ${row.state}.`);
      const before = await this.view(trx, row.id);
      let domain: { id: string; name: string } | undefined;
      if (options.domainId !== undefined) {
        const ref = options.domainId;
        domain = isUuid(ref) ? await trx.selectFrom('domains').select(['id', 'name']).where((eb) => eb.or([eb('id', '=', ref), eb('slug', '=', ref)])).executeTakeFirst() : await trx.selectFrom('domains').select(['id', 'name']).where('slug', '=', ref).executeTakeFirst();
        if (domain === undefined) throw new InputError('The domain does not exist.', [{ pointer: '/domainId', detail: `No domain ${ref}.` }]);
      }
      const followers = await this.followers(trx, row, actor);
      const messages: NotificationInput[] = [];
      if (options.productId === undefined) {
        if (domain === undefined) throw new Error('unreachable: domain checked above');
        if (!seesDemandInbox(actor)) throw new NotAllowedError('Assigning demands needs an owner role in some domain, or admin.');
        await trx.updateTable('data_demands').set({ state: 'assigned', domain_id: domain.id, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', row.id).execute();
        for (const userId of followers) messages.push({ userId, kind: 'demand.assigned', title: `Your request “${row.title}” was passed to the ${domain.name} domain`, link: `/demands/${row.id}`, entityType: 'data_demand', entityId: row.id });
        for (const userId of await domainOwners(trx, domain.id, actor.userId)) messages.push({ userId, kind: 'demand.assigned-to-domain', title: `A request for data was assigned to ${domain.name}: ${row.title}`, body: row.use_case, link: '/demands', entityType: 'data_demand', entityId: row.id });
      } else {
        const ref = options.productId;
        const product = isUuid(ref)
          ? await trx.selectFrom('products').select(['id', 'domain_id', 'external_id', 'name']).where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])).executeTakeFirst()
          : await trx.selectFrom('products').select(['id', 'domain_id', 'external_id', 'name']).where('external_id', '=', ref).executeTakeFirst();
        if (product === undefined) throw new InputError('The product does not exist.', [{ pointer: '/productId', detail: `No product ${ref}.` }]);
        if (domain !== undefined && domain.id !== product.domain_id) throw new InputError('The product is not in the chosen domain.', [{ pointer: '/productId', detail: `${product.name} belongs to another domain.` }]);
        if (!hasDomainRole(actor, product.domain_id, coordinatorRoles)) throw new NotAllowedError(`Accepting a demand into ${product.name}’s backlog needs an owner role in its domain.`);
        const fields = readFields(row.desired_fields);
        const description = [row.description, `Use case: ${row.use_case}`, fields.length === 0 ? '' : `Desired fields: ${fields.join(', ')}`, row.freshness === '' ? '' : `Freshness: ${row.freshness}`].filter((part) => part !== '').join('\n\n');
        const [item] = await this.backlog.insert(trx, actor, product, [
          {
            kind: 'request',
            title: row.title,
            description,
            evidence: [{ kind: 'url', ref: `/demands/${row.id}`, note: `Request for data by ${row.requester_label}; ${row.votes} other consumer${row.votes === 1 ? '' : 's'} said “me too”`, teamId: row.requester_team_id }],
            requesterTeamId: row.requester_team_id,
            requesterId: row.requester_id,
            requesterLabel: row.requester_label,
          },
        ]);
        if (item === undefined) throw new Error('insert returned no row');
        await trx.updateTable('data_demands').set({ state: 'accepted', domain_id: product.domain_id, product_id: product.id, backlog_item_id: item.id, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', row.id).execute();
        await recordAudit(trx, actor, { action: 'backlog_item.create', entityType: 'backlog_item', entityId: item.id, before: null, after: { demandId: row.id, productId: product.id, number: item.number, title: item.title } });
        for (const userId of followers) messages.push({ userId, kind: 'demand.accepted', title: `Your request “${row.title}” is in ${product.name}’s backlog as #${item.number}`, link: `/demands/${row.id}`, entityType: 'data_demand', entityId: row.id });
      }
      const after = await this.view(trx, row.id);
      await recordAudit(trx, actor, { action: after.state === 'accepted' ? 'data_demand.accept' : 'data_demand.assign', entityType: 'data_demand', entityId: row.id, before: asJson(before), after: asJson(after) });
      await notify(trx, messages);
      return after;
    });
  }

  /** Declines an open or assigned demand with a reason the requester and voters see (If-Match). */
  async decline(actor: Actor, options: { id: string; expectedVersion: number; reason: string }): Promise<DemandView> {
    const reason = options.reason.trim();
    if (reason === '') throw new InputError('Declining needs a reason; the requester sees it.', [{ pointer: '/reason', detail: 'Say why, and where else to look if you can.' }]);
    return inTransaction(this.db, async (trx) => {
      const row = await this.lock(trx, options.id, options.expectedVersion);
      if (!openStates.includes(row.state)) throw new ConflictError(`The demand is already ${row.state}.`);
      const allowed = row.domain_id === null ? seesDemandInbox(actor) : hasDomainRole(actor, row.domain_id, coordinatorRoles);
      if (!allowed) throw new NotAllowedError(row.domain_id === null ? 'Declining demands needs an owner role in some domain, or admin.' : 'This demand was assigned to a domain; its owners (or an admin) decide.');
      const before = await this.view(trx, row.id);
      await trx.updateTable('data_demands').set({ state: 'declined', decline_reason: reason, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', row.id).execute();
      const after = await this.view(trx, row.id);
      await recordAudit(trx, actor, { action: 'data_demand.decline', entityType: 'data_demand', entityId: row.id, before: asJson(before), after: asJson(after) });
      await notify(trx, (await this.followers(trx, row, actor)).map((userId) => ({ userId, kind: 'demand.declined', title: `Your request “${row.title}” was declined`, body: reason, link: `/demands/${row.id}`, entityType: 'data_demand', entityId: row.id })));
      return after;
    });
  }

  /**
   * Merges `duplicateId` into `id` (If-Match on `id`): the duplicate's requester and voters become "me
   * too" votes of the survivor; the duplicate is kept as merged, pointing at it. Both rows are locked in
   * id order; both audited; the duplicate's followers are told where to follow it now.
   */
  async merge(actor: Actor, options: { id: string; expectedVersion: number; duplicateId: string }): Promise<DemandView> {
    if (options.id === options.duplicateId) throw new InputError('A demand cannot be merged into itself.', [{ pointer: '/duplicateId', detail: 'Pick another demand.' }]);
    if (!isUuid(options.duplicateId)) throw new InputError('The duplicate is not a demand id.', [{ pointer: '/duplicateId', detail: 'Pass the id of another demand.' }]);
    if (!seesDemandInbox(actor)) throw new NotAllowedError('Merging demands needs an owner role in some domain, or admin.');
    if (!isUuid(options.id)) throw new NotFoundError(`No demand ${options.id}.`);
    return inTransaction(this.db, async (trx) => {
      const locked = await trx.selectFrom('data_demands').selectAll().where('id', 'in', [options.id, options.duplicateId].sort()).orderBy('id').forUpdate().execute();
      const target = locked.find((row) => row.id === options.id);
      const duplicate = locked.find((row) => row.id === options.duplicateId);
      if (target === undefined) throw new NotFoundError(`No demand ${options.id}.`);
      if (duplicate === undefined) throw new InputError('The duplicate does not exist.', [{ pointer: '/duplicateId', detail: `No demand ${options.duplicateId}.` }]);
      assertVersion('The demand', target.version, options.expectedVersion);
      if (!openStates.includes(target.state)) throw new ConflictError(`The demand is ${target.state}; merge into an open one.`);
      if (!openStates.includes(duplicate.state)) throw new InputError('Only open or assigned demands can be merged.', [{ pointer: '/duplicateId', detail: `That demand is ${duplicate.state}.` }]);
      const [beforeTarget, beforeDuplicate] = [await this.view(trx, target.id), await this.view(trx, duplicate.id)];
      const followers = await this.followers(trx, duplicate, actor);
      const movers = [duplicate.requester_id, ...(await trx.selectFrom('data_demand_votes').select('user_id').where('demand_id', '=', duplicate.id).execute()).map((vote) => vote.user_id)].filter((id): id is string => id !== null && id !== target.requester_id);
      if (movers.length > 0) await trx.insertInto('data_demand_votes').values(movers.map((userId) => ({ demand_id: target.id, user_id: userId }))).onConflict((oc) => oc.doNothing()).execute();
      await trx.deleteFrom('data_demand_votes').where('demand_id', '=', duplicate.id).execute();
      await trx.updateTable('data_demands').set({ state: 'merged', merged_into: target.id, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', duplicate.id).execute();
      await this.recount(trx, duplicate.id);
      await trx.updateTable('data_demands').set({ version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', target.id).execute();
      await this.recount(trx, target.id);
      const [afterTarget, afterDuplicate] = [await this.view(trx, target.id), await this.view(trx, duplicate.id)];
      await recordAudit(trx, actor, { action: 'data_demand.merge', entityType: 'data_demand', entityId: target.id, before: asJson(beforeTarget), after: asJson(afterTarget) });
      await recordAudit(trx, actor, { action: 'data_demand.mark_duplicate', entityType: 'data_demand', entityId: duplicate.id, before: asJson(beforeDuplicate), after: asJson(afterDuplicate) });
      await notify(trx, followers.map((userId) => ({ userId, kind: 'demand.merged', title: `Your request “${duplicate.title}” was merged into “${target.title}”`, body: 'Your request now counts as a “me too” there; follow it for news.', link: `/demands/${target.id}`, entityType: 'data_demand', entityId: target.id })));
      return afterTarget;
    });
  }
}
