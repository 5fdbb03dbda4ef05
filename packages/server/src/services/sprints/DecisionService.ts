import type { DecisionStatus } from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { InputError, NotFoundError, type FieldProblem } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import type { Database, JsonValue } from '../../store/Database';
import { newId } from '../../store/newId';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid } from '../listRequest';
import { asJson } from '../presenters';
import { findProduct, requireProductTeam } from './productOf';

/** An option weighed in a decision. */
export interface DecisionOption {
  title: string;
  pros: string;
  cons: string;
}

/** Fields of a decision record; `itemIds` links backlog items of the same product. */
export interface DecisionInput {
  title: string;
  context?: string;
  options?: DecisionOption[];
  decision?: string;
  consequences?: string;
  status?: DecisionStatus;
  decidedOn?: string | null;
  deciders?: string[];
  supersededById?: string | null;
  itemIds?: string[];
}

/** A change to a decision; `itemIds` replaces the links. */
export type DecisionPatch = Partial<DecisionInput>;

/** A decision record with the items it is linked to. */
export interface DecisionView {
  id: string;
  productId: string;
  number: number;
  title: string;
  context: string;
  options: DecisionOption[];
  decision: string;
  consequences: string;
  status: DecisionStatus;
  decidedOn: string | null;
  deciders: string[];
  supersededById: string | null;
  items: { id: string; number: number; title: string; state: string }[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface DecisionRecord {
  id: string;
  product_id: string;
  number: number;
  title: string;
  context: string;
  options: JsonValue;
  decision: string;
  consequences: string;
  status: DecisionStatus;
  decided_on: string | null;
  deciders: JsonValue;
  superseded_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function readOptions(value: JsonValue): DecisionOption[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => (typeof entry === 'object' && entry !== null && !Array.isArray(entry) && typeof entry.title === 'string' ? [{ title: entry.title, pros: typeof entry.pros === 'string' ? entry.pros : '', cons: typeof entry.cons === 'string' ? entry.cons : '' }] : []));
}

/**
 * The decision log of a product (issue 6): trade-off records (context, options with pros and cons, the
 * decision and its consequences, status proposed → accepted → superseded, date, deciders) linked to
 * backlog items many-to-many. A superseded decision names the one that replaced it; an accepted one
 * without a date is dated the day it was accepted. The product's
 * domain writes; everyone signed in reads.
 */
export class DecisionService {
  constructor(private readonly db: Kysely<Database>) {}

  private static select(db: Kysely<Database>) {
    return db
      .selectFrom('decisions')
      .select(['id', 'product_id', 'number', 'title', 'context', 'options', 'decision', 'consequences', 'status', 'deciders', 'superseded_by', 'version', 'created_at', 'updated_at'])
      .select(sql<string | null>`to_char(decided_on, 'YYYY-MM-DD')`.as('decided_on'));
  }

  private async present(db: Kysely<Database>, rows: readonly DecisionRecord[]): Promise<DecisionView[]> {
    const ids = rows.map((row) => row.id);
    const links = ids.length === 0 ? [] : await db.selectFrom('decision_items as d').innerJoin('backlog_items as i', 'i.id', 'd.item_id').select(['d.decision_id', 'i.id', 'i.number', 'i.title', 'i.state']).where('d.decision_id', 'in', ids).orderBy('i.number').execute();
    return rows.map((row) => ({
      id: row.id,
      productId: row.product_id,
      number: row.number,
      title: row.title,
      context: row.context,
      options: readOptions(row.options),
      decision: row.decision,
      consequences: row.consequences,
      status: row.status,
      decidedOn: row.decided_on,
      deciders: Array.isArray(row.deciders) ? row.deciders.filter((entry): entry is string => typeof entry === 'string') : [],
      supersededById: row.superseded_by,
      items: links.filter((link) => link.decision_id === row.id).map((link) => ({ id: link.id, number: link.number, title: link.title, state: link.state })),
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }));
  }

  private async record(db: Kysely<Database>, id: string, lock: boolean): Promise<DecisionRecord> {
    if (!isUuid(id)) throw new NotFoundError(`No decision ${id}.`);
    let query = DecisionService.select(db).where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No decision ${id}.`);
    return row as DecisionRecord;
  }

  private async view(db: Kysely<Database>, id: string): Promise<DecisionView> {
    const [view] = await this.present(db, [await this.record(db, id, false)]);
    if (view === undefined) throw new NotFoundError(`No decision ${id}.`);
    return view;
  }

  /** Checks links, supersession and dates against the product; problems carry their pointers. */
  private async check(db: Kysely<Database>, productId: string, input: DecisionPatch, selfId: string | null): Promise<void> {
    const problems: FieldProblem[] = [];
    if (input.decidedOn !== undefined && input.decidedOn !== null && (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(input.decidedOn) || Number.isNaN(Date.parse(`${input.decidedOn}T00:00:00Z`)))) problems.push({ pointer: '/decidedOn', detail: 'Use a calendar day as YYYY-MM-DD.' });
    const itemIds = input.itemIds ?? [];
    const valid = itemIds.filter(isUuid);
    const found = new Set(valid.length === 0 ? [] : (await db.selectFrom('backlog_items').select('id').where('id', 'in', valid).where('product_id', '=', productId).execute()).map((row) => row.id));
    itemIds.forEach((id, index) => {
      if (!found.has(id)) problems.push({ pointer: `/itemIds/${index}`, detail: `No backlog item ${id} in this product.` });
    });
    const by = input.supersededById;
    if (by !== undefined && by !== null) {
      const other = isUuid(by) ? await db.selectFrom('decisions').select('id').where('id', '=', by).where('product_id', '=', productId).executeTakeFirst() : undefined;
      if (other === undefined || by === selfId) problems.push({ pointer: '/supersededById', detail: by === selfId ? 'A decision cannot supersede itself.' : `No decision ${by} in this product.` });
    }
    if (input.status === 'superseded' && (by === undefined || by === null) && selfId === null) problems.push({ pointer: '/supersededById', detail: 'Name the decision that supersedes this one.' });
    if (problems.length > 0) throw new InputError('The decision is not valid.', problems);
  }

  private static async link(db: Kysely<Database>, id: string, itemIds: readonly string[]): Promise<void> {
    await db.deleteFrom('decision_items').where('decision_id', '=', id).execute();
    const unique = [...new Set(itemIds)];
    if (unique.length > 0) await db.insertInto('decision_items').values(unique.map((itemId) => ({ decision_id: id, item_id: itemId }))).execute();
  }

  /** A product's decisions, newest number first, optionally of one status. */
  async list(productRef: string, request: { status?: DecisionStatus } = {}): Promise<DecisionView[]> {
    const product = await findProduct(this.db, productRef);
    let query = DecisionService.select(this.db).where('product_id', '=', product.id);
    if (request.status !== undefined) query = query.where('status', '=', request.status);
    return this.present(this.db, (await query.orderBy('number', 'desc').limit(500).execute()) as DecisionRecord[]);
  }

  /** One decision. */
  async get(id: string): Promise<DecisionView> {
    return this.view(this.db, id);
  }

  /** The decisions linked to a backlog item (shown on the item). */
  async forItem(itemId: string): Promise<DecisionView[]> {
    if (!isUuid(itemId) || (await this.db.selectFrom('backlog_items').select('id').where('id', '=', itemId).executeTakeFirst()) === undefined) throw new NotFoundError(`No backlog item ${itemId}.`);
    const rows = await DecisionService.select(this.db).where('id', 'in', (eb) => eb.selectFrom('decision_items').select('decision_id').where('item_id', '=', itemId)).orderBy('number', 'desc').execute();
    return this.present(this.db, rows as DecisionRecord[]);
  }

  /** Records a decision (numbered per product). */
  async create(actor: Actor, productRef: string, input: DecisionInput): Promise<DecisionView> {
    return inTransaction(this.db, async (trx) => {
      const product = await findProduct(trx, productRef, true);
      requireProductTeam(actor, product, 'record decisions');
      await this.check(trx, product.id, input, null);
      const max = await trx.selectFrom('decisions').select((eb) => eb.fn.max('number').as('number')).where('product_id', '=', product.id).executeTakeFirst();
      const id = newId();
      await trx
        .insertInto('decisions')
        .values({ id, product_id: product.id, number: (max?.number ?? 0) + 1, title: input.title, context: input.context ?? '', options: JSON.stringify(input.options ?? []), decision: input.decision ?? '', consequences: input.consequences ?? '', status: input.status ?? 'proposed', decided_on: input.decidedOn ?? (input.status === 'accepted' ? sql<string>`current_date` : null), deciders: JSON.stringify(input.deciders ?? []), superseded_by: input.supersededById ?? null })
        .execute();
      await DecisionService.link(trx, id, input.itemIds ?? []);
      const view = await this.view(trx, id);
      await recordAudit(trx, actor, { action: 'decision.create', entityType: 'decision', entityId: id, before: null, after: asJson(view) });
      return view;
    });
  }

  /** Changes a decision (If-Match); `itemIds` replaces its links; superseding needs the successor. */
  async update(actor: Actor, options: { id: string; expectedVersion: number; patch: DecisionPatch }): Promise<DecisionView> {
    const { patch } = options;
    return inTransaction(this.db, async (trx) => {
      const current = await this.record(trx, options.id, true);
      requireProductTeam(actor, await findProduct(trx, current.product_id), 'change decisions');
      assertVersion(`Decision ${current.number}`, current.version, options.expectedVersion);
      await this.check(trx, current.product_id, patch, current.id);
      const status = patch.status ?? current.status;
      const supersededBy = patch.supersededById !== undefined ? patch.supersededById : current.superseded_by;
      if (status === 'superseded' && supersededBy === null) throw new InputError('The decision is not valid.', [{ pointer: '/supersededById', detail: 'Name the decision that supersedes this one.' }]);
      const before = await this.view(trx, current.id);
      await trx
        .updateTable('decisions')
        .set({
          ...(patch.title === undefined ? {} : { title: patch.title }),
          ...(patch.context === undefined ? {} : { context: patch.context }),
          ...(patch.options === undefined ? {} : { options: JSON.stringify(patch.options) }),
          ...(patch.decision === undefined ? {} : { decision: patch.decision }),
          ...(patch.consequences === undefined ? {} : { consequences: patch.consequences }),
          // Accepting an undated decision dates it today (the day it was accepted).
          ...(patch.decidedOn !== undefined ? { decided_on: patch.decidedOn } : status === 'accepted' && current.status !== 'accepted' && current.decided_on === null ? { decided_on: sql<string>`current_date` } : {}),
          ...(patch.deciders === undefined ? {} : { deciders: JSON.stringify(patch.deciders) }),
          status,
          superseded_by: status === 'superseded' ? supersededBy : null,
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', current.id)
        .execute();
      if (patch.itemIds !== undefined) await DecisionService.link(trx, current.id, patch.itemIds);
      const after = await this.view(trx, current.id);
      await recordAudit(trx, actor, { action: 'decision.update', entityType: 'decision', entityId: current.id, before: asJson(before), after: asJson(after) });
      return after;
    });
  }
}
