import { commitment, computeBurndown, openBacklogStates, type Burndown, type CapacityUnit, type Commitment, type SprintEvent, type SprintMember, type SprintState, type UnfinishedDestination } from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { ConflictError, InputError, NotFoundError, type FieldProblem } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import type { Database } from '../../store/Database';
import { newId } from '../../store/newId';
import { presentBacklogItem, type BacklogItemView } from '../backlogPresenter';
import { BacklogService } from '../BacklogService';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid } from '../listRequest';
import { asJson } from '../presenters';
import { findProduct, requireProductTeam } from './productOf';

/** Fields of a new sprint. Dates are ISO days (UTC); capacity is the members' availability in `capacityUnit`. */
export interface SprintInput {
  name: string;
  goal?: string;
  startDate: string;
  endDate: string;
  capacityUnit: CapacityUnit;
  members?: SprintMember[];
}

/** A change to a sprint's plan (not to its scope or state: those have their own commands). */
export type SprintPatch = Partial<SprintInput>;

/** An item of a sprint's scope; `outcome` is set when the sprint closes. */
export interface SprintItemView {
  position: number;
  outcome: 'done' | 'returned' | 'carried' | null;
  item: BacklogItemView;
}

/** A sprint with its scope and its commitment against capacity. */
export interface SprintView {
  id: string;
  productId: string;
  number: number;
  name: string;
  goal: string;
  startDate: string;
  endDate: string;
  capacityUnit: CapacityUnit;
  members: SprintMember[];
  state: SprintState;
  closedAt: string | null;
  items: SprintItemView[];
  commitment: Commitment;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** How a sprint closes: where its unfinished items go (`next`: into the planned sprint `nextSprintId`). */
export interface SprintClose {
  unfinished: UnfinishedDestination;
  nextSprintId?: string | null;
}

interface SprintRecord {
  id: string;
  product_id: string;
  number: number;
  name: string;
  goal: string;
  start_date: string;
  end_date: string;
  capacity_unit: CapacityUnit;
  members: unknown;
  state: SprintState;
  closed_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const isoDay = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

function readMembers(value: unknown): SprintMember[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { userId, name, available } = entry as Record<string, unknown>;
    return typeof name === 'string' && typeof available === 'number' ? [{ userId: typeof userId === 'string' ? userId : null, name, available }] : [];
  });
}

function checkDates(startDate: string, endDate: string): void {
  const problems: FieldProblem[] = [];
  for (const [pointer, value] of [['/startDate', startDate], ['/endDate', endDate]] as const) {
    if (!isoDay.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) problems.push({ pointer, detail: 'Use a calendar day as YYYY-MM-DD.' });
  }
  if (problems.length === 0 && endDate < startDate) problems.push({ pointer: '/endDate', detail: 'The sprint ends before it starts.' });
  if (problems.length === 0 && (Date.parse(endDate) - Date.parse(startDate)) / 86_400_000 > 366) problems.push({ pointer: '/endDate', detail: 'A sprint lasts at most a year.' });
  if (problems.length > 0) throw new InputError('The sprint dates are not valid.', problems);
}

/**
 * Sprints of a product's backlog (issue 6): plan (capacity from members' availability, ranked items
 * pulled in, a warning past capacity), run (one active sprint per product; cards move through the
 * backlog's own workflow), burndown (replayed from sprint_events), close (unfinished items back to the
 * backlog or into the next sprint). The product's domain writes; everyone signed in reads. Every write
 * locks the sprint, checks If-Match and audits in its transaction.
 */
export class SprintService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private static select(db: Kysely<Database>) {
    return db
      .selectFrom('sprints')
      .select(['id', 'product_id', 'number', 'name', 'goal', 'capacity_unit', 'members', 'state', 'closed_at', 'version', 'created_at', 'updated_at'])
      .select([sql<string>`to_char(start_date, 'YYYY-MM-DD')`.as('start_date'), sql<string>`to_char(end_date, 'YYYY-MM-DD')`.as('end_date')]);
  }

  private async record(db: Kysely<Database>, id: string, lock: boolean): Promise<SprintRecord> {
    if (!isUuid(id)) throw new NotFoundError(`No sprint ${id}.`);
    let query = SprintService.select(db).where('id', '=', id);
    // NO KEY UPDATE: serialises writers of the sprint without blocking the key-share lock that an item's
    // change takes when it records a sprint event (a plain FOR UPDATE could deadlock with it).
    if (lock) query = query.forNoKeyUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No sprint ${id}.`);
    return row as SprintRecord;
  }

  private async present(db: Kysely<Database>, rows: readonly SprintRecord[]): Promise<SprintView[]> {
    const ids = rows.map((row) => row.id);
    const scope = ids.length === 0 ? [] : await db.selectFrom('sprint_items as s').innerJoin('backlog_items as i', 'i.id', 's.item_id').selectAll('i').select(['s.sprint_id', 's.position', 's.outcome']).where('s.sprint_id', 'in', ids).orderBy('s.position').execute();
    return rows.map((row) => {
      const members = readMembers(row.members);
      const items = scope.filter((entry) => entry.sprint_id === row.id).map((entry) => ({ position: entry.position, outcome: entry.outcome, item: presentBacklogItem(entry) }));
      return {
        id: row.id,
        productId: row.product_id,
        number: row.number,
        name: row.name,
        goal: row.goal,
        startDate: row.start_date,
        endDate: row.end_date,
        capacityUnit: row.capacity_unit,
        members,
        state: row.state,
        closedAt: row.closed_at === null ? null : row.closed_at.toISOString(),
        items,
        commitment: commitment({ unit: row.capacity_unit, members, estimates: items.map((entry) => entry.item.estimate) }),
        version: row.version,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      };
    });
  }

  private async view(db: Kysely<Database>, id: string): Promise<SprintView> {
    const [view] = await this.present(db, [await this.record(db, id, false)]);
    if (view === undefined) throw new NotFoundError(`No sprint ${id}.`);
    return view;
  }

  private async checkMembers(db: Kysely<Database>, members: readonly SprintMember[] | undefined): Promise<void> {
    const wanted = (members ?? []).map((member, index) => ({ id: member.userId, index })).filter((entry): entry is { id: string; index: number } => entry.id !== null);
    if (wanted.length === 0) return;
    const valid = wanted.filter((entry) => isUuid(entry.id)).map((entry) => entry.id);
    const found = new Set(valid.length === 0 ? [] : (await db.selectFrom('users').select('id').where('id', 'in', valid).execute()).map((row) => row.id));
    const problems = wanted.filter((entry) => !found.has(entry.id)).map((entry) => ({ pointer: `/members/${entry.index}/userId`, detail: `No user ${entry.id}.` }));
    if (problems.length > 0) throw new InputError('A sprint member is not a user.', problems);
  }

  /** One sprint with its scope. */
  async get(id: string): Promise<SprintView> {
    return this.view(this.db, id);
  }

  /** A product's sprints, newest first, optionally of one state. */
  async list(productRef: string, request: { state?: SprintState } = {}): Promise<SprintView[]> {
    const product = await findProduct(this.db, productRef);
    let query = SprintService.select(this.db).where('product_id', '=', product.id);
    if (request.state !== undefined) query = query.where('state', '=', request.state);
    return this.present(this.db, (await query.orderBy('number', 'desc').limit(200).execute()) as SprintRecord[]);
  }

  /** Plans a new sprint (state planned, numbered per product). */
  async create(actor: Actor, productRef: string, input: SprintInput): Promise<SprintView> {
    checkDates(input.startDate, input.endDate);
    return inTransaction(this.db, async (trx) => {
      const product = await findProduct(trx, productRef, true);
      requireProductTeam(actor, product, 'plan sprints');
      await this.checkMembers(trx, input.members);
      const max = await trx.selectFrom('sprints').select((eb) => eb.fn.max('number').as('number')).where('product_id', '=', product.id).executeTakeFirst();
      const id = newId();
      await trx
        .insertInto('sprints')
        .values({ id, product_id: product.id, number: (max?.number ?? 0) + 1, name: input.name, goal: input.goal ?? '', start_date: input.startDate, end_date: input.endDate, capacity_unit: input.capacityUnit, members: JSON.stringify(input.members ?? []) })
        .execute();
      const view = await this.view(trx, id);
      await recordAudit(trx, actor, { action: 'sprint.create', entityType: 'sprint', entityId: id, before: null, after: asJson(view) });
      return view;
    });
  }

  /**
   * Runs `work` on the locked sprint after authorising and checking If-Match, then bumps the version and
   * audits before and after under `action`.
   */
  private async change(actor: Actor, options: { id: string; expectedVersion: number; action: string; verb: string }, work: (trx: Kysely<Database>, sprint: SprintRecord, before: SprintView) => Promise<void>): Promise<SprintView> {
    return inTransaction(this.db, async (trx) => {
      const sprint = await this.record(trx, options.id, true);
      const product = await findProduct(trx, sprint.product_id);
      requireProductTeam(actor, product, options.verb);
      assertVersion(`Sprint ${sprint.number}`, sprint.version, options.expectedVersion);
      const before = await this.view(trx, sprint.id);
      await work(trx, sprint, before);
      await trx.updateTable('sprints').set({ version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', sprint.id).execute();
      const after = await this.view(trx, sprint.id);
      await recordAudit(trx, actor, { action: options.action, entityType: 'sprint', entityId: sprint.id, before: asJson(before), after: asJson(after) });
      return after;
    });
  }

  private static open(sprint: SprintRecord): void {
    if (sprint.state === 'closed') throw new ConflictError(`Sprint ${sprint.number} is closed; its plan and scope are kept as they ended.`);
  }

  /** Changes name, goal, dates, unit or members of a planned or active sprint (If-Match). */
  async update(actor: Actor, options: { id: string; expectedVersion: number; patch: SprintPatch }): Promise<SprintView> {
    const { patch } = options;
    return this.change(actor, { ...options, action: 'sprint.update', verb: 'change sprints' }, async (trx, sprint) => {
      SprintService.open(sprint);
      checkDates(patch.startDate ?? sprint.start_date, patch.endDate ?? sprint.end_date);
      await this.checkMembers(trx, patch.members);
      await trx
        .updateTable('sprints')
        .set({
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.goal === undefined ? {} : { goal: patch.goal }),
          ...(patch.startDate === undefined ? {} : { start_date: patch.startDate }),
          ...(patch.endDate === undefined ? {} : { end_date: patch.endDate }),
          ...(patch.capacityUnit === undefined ? {} : { capacity_unit: patch.capacityUnit }),
          ...(patch.members === undefined ? {} : { members: JSON.stringify(patch.members) }),
        })
        .where('id', '=', sprint.id)
        .execute();
    });
  }

  /**
   * Pulls a backlog item into the sprint (If-Match of the sprint). The item must be of the same product,
   * open, not merged, triaged at least, and in no other open sprint; a triaged item becomes planned
   * through the backlog's workflow (audited there).
   */
  async addItem(actor: Actor, options: { id: string; expectedVersion: number; itemId: string }): Promise<SprintView> {
    return this.change(actor, { ...options, action: 'sprint.add_item', verb: 'plan sprints' }, async (trx, sprint) => {
      SprintService.open(sprint);
      const pointer = [{ pointer: '/itemId', detail: '' }];
      const item = isUuid(options.itemId) ? await trx.selectFrom('backlog_items').selectAll().where('id', '=', options.itemId).forUpdate().executeTakeFirst() : undefined;
      const refuse = (detail: string): never => {
        throw new InputError(detail, pointer.map((entry) => ({ ...entry, detail })));
      };
      if (item === undefined || item.product_id !== sprint.product_id) return refuse(`No backlog item ${options.itemId} in this product.`);
      if (item.duplicate_of !== null) return refuse(`Item #${item.number} was merged as a duplicate; plan the item it was merged into.`);
      if (!openBacklogStates.includes(item.state)) return refuse(`Item #${item.number} is ${item.state}; only open items are planned.`);
      if (item.state === 'new') return refuse(`Item #${item.number} is new; triage it before planning it.`);
      const elsewhere = await trx.selectFrom('sprint_items as s').innerJoin('sprints as p', 'p.id', 's.sprint_id').select(['p.number', 'p.id']).where('s.item_id', '=', item.id).where('s.outcome', 'is', null).executeTakeFirst();
      if (elsewhere !== undefined) throw new ConflictError(elsewhere.id === sprint.id ? `Item #${item.number} is already in this sprint.` : `Item #${item.number} is already in sprint ${elsewhere.number}.`);
      const planned = item.state === 'triaged' ? await new BacklogService(trx, this.now).update(actor, { id: item.id, expectedVersion: item.version, patch: { state: 'planned' } }) : presentBacklogItem(item);
      const last = await trx.selectFrom('sprint_items').select((eb) => eb.fn.max('position').as('position')).where('sprint_id', '=', sprint.id).executeTakeFirst();
      await trx.insertInto('sprint_items').values({ sprint_id: sprint.id, item_id: item.id, position: (last?.position ?? 0) + 1, outcome: null }).execute();
      await trx.insertInto('sprint_events').values({ sprint_id: sprint.id, item_id: item.id, kind: 'added', state: planned.state, estimate: planned.estimate, at: this.now() }).execute();
    });
  }

  /** Takes an item out of a planned or active sprint's scope (If-Match of the sprint); the item keeps its state. */
  async removeItem(actor: Actor, options: { id: string; expectedVersion: number; itemId: string }): Promise<SprintView> {
    return this.change(actor, { ...options, action: 'sprint.remove_item', verb: 'plan sprints' }, async (trx, sprint) => {
      SprintService.open(sprint);
      const removed = isUuid(options.itemId) ? await trx.deleteFrom('sprint_items').where('sprint_id', '=', sprint.id).where('item_id', '=', options.itemId).returning('item_id').executeTakeFirst() : undefined;
      if (removed === undefined) throw new NotFoundError(`Item ${options.itemId} is not in sprint ${sprint.number}.`);
      const item = await trx.selectFrom('backlog_items').select(['state', 'estimate']).where('id', '=', options.itemId).executeTakeFirstOrThrow();
      await trx.insertInto('sprint_events').values({ sprint_id: sprint.id, item_id: options.itemId, kind: 'removed', state: item.state, estimate: item.estimate, at: this.now() }).execute();
    });
  }

  /** Starts a planned sprint (If-Match); a product runs one sprint at a time. */
  async start(actor: Actor, options: { id: string; expectedVersion: number }): Promise<SprintView> {
    return this.change(actor, { ...options, action: 'sprint.start', verb: 'start sprints' }, async (trx, sprint) => {
      if (sprint.state !== 'planned') throw new ConflictError(`Sprint ${sprint.number} is ${sprint.state}; only a planned sprint starts.`);
      const running = await trx.selectFrom('sprints').select('number').where('product_id', '=', sprint.product_id).where('state', '=', 'active').executeTakeFirst();
      if (running !== undefined) throw new ConflictError(`Sprint ${running.number} is still running; close it first.`);
      await trx.updateTable('sprints').set({ state: 'active' }).where('id', '=', sprint.id).execute();
    });
  }

  /**
   * Closes an active sprint (If-Match). Done items keep outcome `done`; the others go back to the backlog
   * (outcome `returned`, state unchanged) or into the planned sprint `nextSprintId` (outcome `carried`,
   * recorded there as added today). The closed sprint's burndown ends on the day it closed.
   */
  async close(actor: Actor, options: { id: string; expectedVersion: number } & SprintClose): Promise<SprintView> {
    return this.change(actor, { ...options, action: 'sprint.close', verb: 'close sprints' }, async (trx, sprint) => {
      if (sprint.state !== 'active') throw new ConflictError(`Sprint ${sprint.number} is ${sprint.state}; only a running sprint closes.`);
      let next: SprintRecord | undefined;
      if (options.unfinished === 'next') {
        const nextId = options.nextSprintId ?? '';
        const candidate = isUuid(nextId) ? await this.record(trx, nextId, true).catch(() => undefined) : undefined;
        if (candidate === undefined || candidate.product_id !== sprint.product_id || candidate.state !== 'planned') {
          throw new InputError('The next sprint must be a planned sprint of the same product.', [{ pointer: '/nextSprintId', detail: 'Pick a planned sprint of this product, or send the unfinished items back to the backlog.' }]);
        }
        next = candidate;
      }
      const at = this.now();
      const scope = await trx.selectFrom('sprint_items as s').innerJoin('backlog_items as i', 'i.id', 's.item_id').select(['i.id', 'i.state', 'i.estimate']).where('s.sprint_id', '=', sprint.id).orderBy('s.position').execute();
      const done = scope.filter((item) => item.state === 'done');
      if (done.length > 0) await trx.updateTable('sprint_items').set({ outcome: 'done' }).where('sprint_id', '=', sprint.id).where('item_id', 'in', done.map((item) => item.id)).execute();
      const unfinished = scope.filter((item) => item.state !== 'done');
      if (unfinished.length > 0) {
        await trx.updateTable('sprint_items').set({ outcome: next === undefined ? 'returned' : 'carried' }).where('sprint_id', '=', sprint.id).where('item_id', 'in', unfinished.map((item) => item.id)).execute();
      }
      if (next !== undefined && unfinished.length > 0) {
        const target = next;
        const last = await trx.selectFrom('sprint_items').select((eb) => eb.fn.max('position').as('position')).where('sprint_id', '=', target.id).executeTakeFirst();
        const start = last?.position ?? 0;
        await trx.insertInto('sprint_items').values(unfinished.map((item, index) => ({ sprint_id: target.id, item_id: item.id, position: start + index + 1, outcome: null }))).execute();
        await trx.insertInto('sprint_events').values(unfinished.map((item) => ({ sprint_id: target.id, item_id: item.id, kind: 'added' as const, state: item.state, estimate: item.estimate, at }))).execute();
        await trx.updateTable('sprints').set({ version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', target.id).execute();
      }
      await trx.updateTable('sprints').set({ state: 'closed', closed_at: at }).where('id', '=', sprint.id).execute();
    });
  }

  /** The sprint's burndown: remaining estimate per day, replayed from its events, against the ideal line. */
  async burndown(id: string): Promise<Burndown & { sprintId: string }> {
    const sprint = await this.record(this.db, id, false);
    const rows = await this.db.selectFrom('sprint_events').select(['kind', 'item_id', 'state', 'estimate', 'at']).where('sprint_id', '=', sprint.id).orderBy('at').orderBy('seq').execute();
    const events: SprintEvent[] = rows.map((row) => ({ kind: row.kind, itemId: row.item_id, state: row.state, estimate: row.estimate, at: row.at.toISOString() }));
    const today = this.now().toISOString().slice(0, 10);
    return { sprintId: sprint.id, ...computeBurndown({ unit: sprint.capacity_unit, start: sprint.start_date, end: sprint.end_date, today, closedOn: sprint.closed_at?.toISOString().slice(0, 10) ?? null, events }) };
  }
}
