import type { BacklogKind, BacklogState } from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { requireDomainRole } from '../../auth/authorize';
import { ConflictError, InputError, NotFoundError } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import { domainRoles, type Database, type RoadmapEntryRow } from '../../store/Database';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid } from '../listRequest';

/** The roadmap's horizons, soonest first. */
export const horizons = ['now', 'next', 'later'] as const;
/** One of {@link horizons}. */
export type Horizon = (typeof horizons)[number];

/** `YYYY-Qn`, e.g. `2026-Q3`. */
export const quarterPattern = /^[0-9]{4}-Q[1-4]$/;

/** What the roadmap shows of a backlog item. */
export interface RoadmapItemSummary {
  id: string;
  number: number;
  title: string;
  kind: BacklogKind;
  state: BacklogState;
}

/** Where an item sits on its product's roadmap; version 0: never placed (nothing stored yet). */
export interface RoadmapEntryView {
  itemId: string;
  productId: string;
  item: RoadmapItemSummary;
  horizon: Horizon | null;
  /** 0-based place within the horizon (0 when not on the board). */
  position: number;
  targetQuarter: string | null;
  releaseId: string | null;
  version: number;
  updatedAt: string | null;
}

/** The now / next / later board of a product, each column in its order. */
export interface RoadmapBoard {
  productId: string;
  now: RoadmapEntryView[];
  next: RoadmapEntryView[];
  later: RoadmapEntryView[];
}

/**
 * A change of an item's place. Omitted fields keep their value; `horizon: null` takes the item off the
 * board; `position` is the wanted 0-based index in the (new) horizon, clamped, default: the end when the
 * horizon changes, the current place otherwise.
 */
export interface RoadmapPlacement {
  horizon?: Horizon | null;
  position?: number;
  targetQuarter?: string | null;
  releaseId?: string | null;
}

/** A release as the timeline shows it. */
export interface TimelineRelease {
  id: string;
  name: string;
  productVersion: string;
  targetDate: string | null;
  state: 'planned' | 'released';
}

/** One lane of the timeline: a release, or a quarter. */
export interface TimelineLane {
  key: string;
  label: string;
  release: TimelineRelease | null;
  quarter: string | null;
  items: RoadmapEntryView[];
}

/**
 * The timeline: by release (every release of the product, by target date, with its items) or by quarter
 * (an item's own target quarter, else its release's target date's quarter). `unscheduled`: items on the
 * roadmap with neither.
 */
export interface RoadmapTimeline {
  productId: string;
  by: 'release' | 'quarter';
  lanes: TimelineLane[];
  unscheduled: RoadmapEntryView[];
}

interface ProductRef {
  id: string;
  domain_id: string;
  external_id: string;
}

type EntryWithItem = RoadmapEntryRow & { number: number; title: string; kind: BacklogKind; state: BacklogState };

/** The quarter (`YYYY-Qn`) of a `YYYY-MM-DD` date. */
export function quarterOf(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

function present(row: EntryWithItem): RoadmapEntryView {
  return {
    itemId: row.item_id,
    productId: row.product_id,
    item: { id: row.item_id, number: row.number, title: row.title, kind: row.kind, state: row.state },
    horizon: row.horizon,
    position: row.horizon === null ? 0 : row.position,
    targetQuarter: row.target_quarter,
    releaseId: row.release_id,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Loads the product of `ref` (uuid or external id). */
export async function findProduct(db: Kysely<Database>, ref: string): Promise<ProductRef> {
  let query = db.selectFrom('products').select(['id', 'domain_id', 'external_id']);
  query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
  const row = await query.executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`No product ${ref}.`);
  return row;
}

/** Only the product's domain team writes its roadmap and releases (every signed-in user reads them). */
export function requireRoadmapOwner(actor: Actor, product: ProductRef, action: string): void {
  requireDomainRole(actor, { domainId: product.domain_id, roles: domainRoles, action: `${action} of product ${product.external_id}` });
}

/** Takes the product's roadmap lock for the rest of the transaction (placements renumber whole columns). */
export async function lockRoadmap(trx: Kysely<Database>, productId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`roadmap:${productId}`}))`.execute(trx);
}

function entriesWithItems(db: Kysely<Database>) {
  return db
    .selectFrom('roadmap_entries as r')
    .innerJoin('backlog_items as i', 'i.id', 'r.item_id')
    .selectAll('r')
    .select(['i.number', 'i.title', 'i.kind', 'i.state']);
}

/**
 * The roadmap of a product (issue 6): a now / next / later board and a timeline by release or quarter.
 * The product's domain team places items; everyone signed in reads. A placement locks the product's
 * roadmap, checks the entry's If-Match version (0 before the first placement), renumbers the columns it
 * touches and records its audit event in one transaction.
 */
export class RoadmapService {
  constructor(private readonly db: Kysely<Database>) {}

  /** The board: every item placed in a horizon, in column order. */
  async board(productRef: string): Promise<RoadmapBoard> {
    const product = await findProduct(this.db, productRef);
    const rows = await entriesWithItems(this.db).where('r.product_id', '=', product.id).where('r.horizon', 'is not', null).orderBy('r.position').orderBy('i.number').execute();
    const column = (horizon: Horizon) => rows.filter((row) => row.horizon === horizon).map(present);
    return { productId: product.id, now: column('now'), next: column('next'), later: column('later') };
  }

  /** One item's place (version 0 and nothing set when never placed). */
  async entry(itemId: string): Promise<RoadmapEntryView> {
    return this.readEntry(this.db, itemId);
  }

  private async readEntry(db: Kysely<Database>, itemId: string): Promise<RoadmapEntryView> {
    if (!isUuid(itemId)) throw new NotFoundError(`No backlog item ${itemId}.`);
    const row = await entriesWithItems(db).where('r.item_id', '=', itemId).executeTakeFirst();
    if (row !== undefined) return present(row);
    const item = await db.selectFrom('backlog_items').select(['id', 'product_id', 'number', 'title', 'kind', 'state']).where('id', '=', itemId).executeTakeFirst();
    if (item === undefined) throw new NotFoundError(`No backlog item ${itemId}.`);
    return { itemId: item.id, productId: item.product_id, item: { id: item.id, number: item.number, title: item.title, kind: item.kind, state: item.state }, horizon: null, position: 0, targetQuarter: null, releaseId: null, version: 0, updatedAt: null };
  }

  /** Places (moves, reorders, schedules) an item; If-Match: the entry's version, 0 before the first placement. */
  async place(actor: Actor, options: { itemId: string; expectedVersion: number; placement: RoadmapPlacement }): Promise<RoadmapEntryView> {
    const { placement } = options;
    const problems = [];
    if (placement.horizon !== undefined && placement.horizon !== null && !horizons.includes(placement.horizon)) problems.push({ pointer: '/horizon', detail: 'Use now, next, later or null.' });
    if (placement.position !== undefined && (!Number.isInteger(placement.position) || placement.position < 0)) problems.push({ pointer: '/position', detail: 'A place is a whole number from 0.' });
    if (typeof placement.targetQuarter === 'string' && !quarterPattern.test(placement.targetQuarter)) problems.push({ pointer: '/targetQuarter', detail: 'Write a quarter as YYYY-Qn, e.g. 2026-Q3.' });
    if (typeof placement.releaseId === 'string' && !isUuid(placement.releaseId)) problems.push({ pointer: '/releaseId', detail: 'Pass the id of a planned release of the item’s product.' });
    if (problems.length > 0) throw new InputError('The placement is not valid.', problems);
    if (!isUuid(options.itemId)) throw new NotFoundError(`No backlog item ${options.itemId}.`);
    return inTransaction(this.db, async (trx) => {
      const item = await trx.selectFrom('backlog_items').select(['id', 'product_id', 'number', 'duplicate_of']).where('id', '=', options.itemId).executeTakeFirst();
      if (item === undefined) throw new NotFoundError(`No backlog item ${options.itemId}.`);
      const product = await findProduct(trx, item.product_id);
      requireRoadmapOwner(actor, product, 'plan the roadmap');
      await lockRoadmap(trx, product.id);
      const before = await this.readEntry(trx, item.id);
      assertVersion(`The roadmap place of item #${item.number}`, before.version, options.expectedVersion);
      if (item.duplicate_of !== null) throw new ConflictError(`Item #${item.number} was merged as a duplicate; plan the item it was merged into.`);
      if (typeof placement.releaseId === 'string' && placement.releaseId !== before.releaseId) {
        const release = await trx.selectFrom('releases').select(['product_id', 'state', 'release_version']).where('id', '=', placement.releaseId).executeTakeFirst();
        if (release === undefined || release.product_id !== product.id) throw new InputError('The release is not one of this product.', [{ pointer: '/releaseId', detail: `No release ${placement.releaseId} of product ${product.external_id}.` }]);
        if (release.state === 'released') throw new InputError('The release has shipped.', [{ pointer: '/releaseId', detail: `Release ${release.release_version} is released; plan the item into a planned release.` }]);
      }
      const horizon = placement.horizon !== undefined ? placement.horizon : before.horizon;
      const targetQuarter = placement.targetQuarter !== undefined ? placement.targetQuarter : before.targetQuarter;
      const releaseId = placement.releaseId !== undefined ? placement.releaseId : before.releaseId;
      const unchanged = horizon === before.horizon && targetQuarter === before.targetQuarter && releaseId === before.releaseId && (placement.position === undefined || horizon === null || placement.position === before.position);
      if (unchanged && before.version > 0) return before;
      await trx
        .insertInto('roadmap_entries')
        .values({ item_id: item.id, product_id: product.id, horizon, position: 0, target_quarter: targetQuarter, release_id: releaseId })
        .onConflict((oc) => oc.column('item_id').doUpdateSet({ horizon, target_quarter: targetQuarter, release_id: releaseId, version: sql<number>`roadmap_entries.version + 1`, updated_at: sql<Date>`now()` }))
        .execute();
      // Renumber the columns the move touches: the one left (closing the gap) and the one entered.
      if (before.horizon !== null && before.horizon !== horizon) await this.renumber(trx, product.id, before.horizon, item.id, null);
      if (horizon !== null) {
        const wanted = placement.position ?? (before.horizon === horizon ? before.position : Number.MAX_SAFE_INTEGER);
        await this.renumber(trx, product.id, horizon, item.id, wanted);
      }
      const after = await this.readEntry(trx, item.id);
      await recordAudit(trx, actor, { action: 'roadmap_entry.place', entityType: 'backlog_item', entityId: item.id, before: before.version === 0 ? null : placeAudit(before), after: placeAudit(after) });
      return after;
    });
  }

  /** Rewrites the positions of a column as 0..n-1 in its current order, with `itemId` at `at` (or left out when null). */
  private async renumber(trx: Kysely<Database>, productId: string, horizon: Horizon, itemId: string, at: number | null): Promise<void> {
    const rows = await trx.selectFrom('roadmap_entries as r').innerJoin('backlog_items as i', 'i.id', 'r.item_id').select('r.item_id').where('r.product_id', '=', productId).where('r.horizon', '=', horizon).where('r.item_id', '<>', itemId).orderBy('r.position').orderBy('i.number').execute();
    const ids = rows.map((row) => row.item_id);
    if (at !== null) ids.splice(Math.min(at, ids.length), 0, itemId);
    if (ids.length === 0) return;
    await sql`
      update roadmap_entries r set position = v.position
      from (select id, (ordinality - 1)::int as position from unnest(${ids}::uuid[]) with ordinality as u(id, ordinality)) v
      where r.item_id = v.id and r.position is distinct from v.position`.execute(trx);
  }

  /** The timeline by release or by quarter (see {@link RoadmapTimeline}). */
  async timeline(productRef: string, by: 'release' | 'quarter'): Promise<RoadmapTimeline> {
    const product = await findProduct(this.db, productRef);
    const [rows, releases] = await Promise.all([
      entriesWithItems(this.db).where('r.product_id', '=', product.id).orderBy('i.number').execute(),
      this.db
        .selectFrom('releases')
        .select(['id', 'name', 'release_version', 'state', sql<string | null>`target_date::text`.as('target')])
        .where('product_id', '=', product.id)
        .orderBy(sql`target_date nulls last`)
        .orderBy('created_at')
        .execute(),
    ]);
    const entries = rows.filter((row) => row.horizon !== null || row.target_quarter !== null || row.release_id !== null).map(present);
    const releaseViews = new Map<string, TimelineRelease>(releases.map((release) => [release.id, { id: release.id, name: release.name, productVersion: release.release_version, targetDate: release.target, state: release.state }]));
    if (by === 'release') {
      const lanes: TimelineLane[] = [...releaseViews.values()].map((release) => ({ key: release.id, label: `${release.name} (${release.productVersion})`, release, quarter: release.targetDate === null ? null : quarterOf(release.targetDate), items: entries.filter((entry) => entry.releaseId === release.id) }));
      return { productId: product.id, by, lanes, unscheduled: entries.filter((entry) => entry.releaseId === null) };
    }
    const quarterOfEntry = (entry: RoadmapEntryView): string | null => {
      if (entry.targetQuarter !== null) return entry.targetQuarter;
      const target = entry.releaseId === null ? null : (releaseViews.get(entry.releaseId)?.targetDate ?? null);
      return target === null ? null : quarterOf(target);
    };
    const quarters = [...new Set(entries.map(quarterOfEntry).filter((quarter): quarter is string => quarter !== null))].sort();
    const lanes = quarters.map((quarter) => ({ key: quarter, label: quarter.replace('-', ' '), release: null, quarter, items: entries.filter((entry) => quarterOfEntry(entry) === quarter) }));
    return { productId: product.id, by, lanes, unscheduled: entries.filter((entry) => quarterOfEntry(entry) === null) };
  }
}

function placeAudit(view: RoadmapEntryView): { horizon: Horizon | null; position: number; targetQuarter: string | null; releaseId: string | null; version: number } {
  return { horizon: view.horizon, position: view.position, targetQuarter: view.targetQuarter, releaseId: view.releaseId, version: view.version };
}
