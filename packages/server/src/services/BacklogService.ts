import {
  backlogSettingsSchema,
  checkInputs,
  compareEvaluations,
  defaultBacklogSettings,
  evaluate,
  mergeEvidence,
  openBacklogStates,
  readBacklogCsv,
  refuseTransition,
  type BacklogDraft,
  type BacklogKind,
  type BacklogSettings,
  type BacklogState,
  type Evaluation,
  type Evidence,
  type FieldProblem,
  type Framework,
} from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { hasDomainRole, requireDomainRole } from '../auth/authorize';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import { domainRoles, type BacklogItemRow, type Database, type JsonValue } from '../store/Database';
import { newId } from '../store/newId';
import { decodeCursor, encodeCursor, type Page } from '../store/pagination';
import { presentBacklogItem, reachOf, readEvidence, readInputs, scoringSubject, type BacklogItemView } from './backlogPresenter';
import { costOfDelayColumns, productBreachHours } from './backlogCostOfDelay';
import { rankOrder, refreshRankKeys } from './backlogRankSql';
import { recordSprintItemChange } from './sprints/sprintEvents';
import { assertVersion } from './concurrency';
import { announceStateChange } from './crossDomain/crossDomainNotifications';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { asJson } from './presenters';

/** Fields of a new item. Scoring inputs, estimate, labels and a state other than new need a role in the product's domain. */
export interface BacklogItemInput {
  kind: BacklogKind;
  title: string;
  description?: string;
  acceptanceCriteria?: string[];
  labels?: string[];
  estimate?: number | null;
  evidence?: Evidence[];
  requesterTeamId?: string | null;
  inputs?: Record<string, number | string | null>;
  state?: BacklogState;
  declineReason?: string | null;
}

/** A change to an item; `inputs` entries set (value) or clear (null) single inputs. */
export type BacklogItemPatch = Partial<Omit<BacklogItemInput, 'requesterTeamId'>> & { requesterTeamId?: string | null };

/** Filters and order of the item list. `sort=rank` orders by the product's framework (in SQL). */
export interface BacklogListRequest extends ListRequest {
  state?: BacklogState;
  kind?: BacklogKind;
  label?: string;
  sort?: 'number' | 'rank';
}

/** A product's settings with their version (0: never saved, the defaults apply). */
export interface BacklogSettingsView {
  productId: string;
  settings: BacklogSettings;
  version: number;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** One ranked item with its place and the explanation of its score. */
export interface RankedItem {
  rank: number;
  item: BacklogItemView;
  evaluation: Evaluation;
}

/** A page of the ranking. `total` counts the open, non-duplicate items ranked. */
export interface BacklogRanking {
  framework: Framework;
  formula: string;
  settingsVersion: number;
  total: number;
  items: RankedItem[];
  nextCursor: string | null;
}

/** What an import asks: CSV text (Meshboard or Jira export) or JSON items; `dryRun` checks only. */
export interface BacklogImportRequest {
  format: 'csv' | 'json';
  content?: string;
  items?: BacklogItemInput[];
  dryRun?: boolean;
}

/** What an import did. */
export interface BacklogImportResult {
  format: 'meshboard-csv' | 'jira-csv' | 'json';
  dryRun: boolean;
  imported: number;
  numbers: number[];
}

/** Everything of a backlog, for JSON export (and re-import of its items). */
export interface BacklogExport {
  productId: string;
  settings: BacklogSettings;
  items: BacklogItemView[];
}

/** One state an item entered: from (null: created in it), to, who, when. */
export interface BacklogStateChangeView {
  from: BacklogState | null;
  to: BacklogState;
  changedBy: { id: string | null; label: string };
  changedAt: string;
}

/**
 * Records states entered, in the caller's transaction (the history exists exactly when the change
 * commits). Every writer of `backlog_items.state` calls this; cycle time is computed from these rows.
 */
async function recordStateChanges(trx: Kysely<Database>, actor: Actor, changes: { itemId: string; productId: string; from: BacklogState | null; to: BacklogState }[]): Promise<void> {
  if (changes.length === 0) return;
  await trx
    .insertInto('backlog_state_changes')
    .values(changes.map((change) => ({ item_id: change.itemId, product_id: change.productId, from_state: change.from, to_state: change.to, changed_by: actor.userId, changed_by_label: actor.label })))
    .execute();
}

/** The most items one import may create (the body limit allows far fewer rows of real text anyway). */
export const maxImportItems = 10_000;

const ownerRoles = domainRoles;

/** The product columns the backlog needs. */
export interface ProductRef {
  id: string;
  domain_id: string;
  external_id: string;
}

/** One item to insert: its fields plus who requested it and, for a cross-domain child, its parent. */
export type BacklogInsert = BacklogItemInput & { requesterId?: string | null; requesterLabel?: string | null; source?: string | null; reportedAt?: string | null; parentId?: string | null };

/** Unwinds a dry run's transaction. */
class DryRun extends Error {
  constructor(readonly result: BacklogImportResult) {
    super('dry run');
  }
}

function auditShape(view: BacklogItemView): JsonValue {
  return asJson(view);
}

function enteredInputs(actor: Actor, current: JsonValue, changes: Record<string, number | string | null>, at: string): JsonValue {
  const next: Record<string, JsonValue> = {};
  const existing = readInputs(current);
  for (const [name, input] of Object.entries(existing)) next[name] = { value: input.value, enteredBy: input.enteredBy.id, enteredByLabel: input.enteredBy.label, enteredAt: input.enteredAt };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete next[name];
    else if (existing[name]?.value !== value) next[name] = { value, enteredBy: actor.userId, enteredByLabel: actor.label, enteredAt: at };
  }
  return next;
}

function inputProblems(inputs: Record<string, unknown> | undefined, pointer: string): FieldProblem[] {
  return checkInputs(inputs ?? {}).map((problem) => ({ pointer: `${pointer}/${problem.name}`, detail: problem.detail }));
}

/**
 * The value-ranked backlog of a product (issue 6). Any signed-in user may read a backlog, file an item
 * and vote; triage, scoring inputs, state changes, merges, settings and imports need a role in the
 * product's domain. Every write locks its rows, checks the If-Match version and records its audit event
 * in one transaction.
 */
export class BacklogService {
  /** `now` stamps sprint-scope events (injectable so tests and the demo can replay past days). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async product(db: Kysely<Database>, ref: string): Promise<ProductRef> {
    let query = db.selectFrom('products').select(['id', 'domain_id', 'external_id']);
    query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No product ${ref}.`);
    return row;
  }

  private async row(db: Kysely<Database>, id: string, lock: boolean): Promise<BacklogItemRow> {
    if (!isUuid(id)) throw new NotFoundError(`No backlog item ${id}.`);
    let query = db.selectFrom('backlog_items').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No backlog item ${id}.`);
    return row;
  }

  private async productOf(db: Kysely<Database>, row: BacklogItemRow): Promise<ProductRef> {
    return this.product(db, row.product_id);
  }

  private static requireOwner(actor: Actor, product: ProductRef, action: string): void {
    requireDomainRole(actor, { domainId: product.domain_id, roles: ownerRoles, action: `${action} of product ${product.external_id}` });
  }

  private static readOnly(row: BacklogItemRow): void {
    if (row.duplicate_of !== null) throw new ConflictError(`Item #${row.number} was merged as a duplicate and is read-only; change the item it was merged into.`);
  }

  private async checkTeams(db: Kysely<Database>, ids: (string | null | undefined)[], pointerOf: (index: number) => string): Promise<void> {
    const wanted = ids.map((id, index) => ({ id, index })).filter((entry): entry is { id: string; index: number } => typeof entry.id === 'string');
    if (wanted.length === 0) return;
    const valid = wanted.filter((entry) => isUuid(entry.id));
    const found = valid.length === 0 ? [] : await db.selectFrom('teams').select('id').where('id', 'in', valid.map((entry) => entry.id)).execute();
    const known = new Set(found.map((row) => row.id));
    const problems = wanted.filter((entry) => !known.has(entry.id)).map((entry) => ({ pointer: pointerOf(entry.index), detail: `No team ${entry.id}.` }));
    if (problems.length > 0) throw new InputError('A team named in the item does not exist.', problems);
  }

  /**
   * Teams feed the reach suggestion, so someone outside the product's domain may speak only for a team
   * they belong to (as requester) and may not attach teams to evidence: otherwise filing one item with
   * many teams would rank it up, which is exactly "who asks loudest".
   */
  private async checkFilerTeams(db: Kysely<Database>, actor: Actor, input: BacklogItemInput): Promise<void> {
    const problems: FieldProblem[] = (input.evidence ?? []).flatMap((entry, index) => (entry.teamId === null ? [] : [{ pointer: `/evidence/${index}/teamId`, detail: 'Only the product’s domain links evidence to teams; leave teamId out.' }]));
    const team = input.requesterTeamId;
    if (typeof team === 'string') {
      const member = actor.userId === null || !isUuid(team) ? undefined : await db.selectFrom('team_members').select('team_id').where('team_id', '=', team).where('user_id', '=', actor.userId).executeTakeFirst();
      if (member === undefined) problems.push({ pointer: '/requesterTeamId', detail: 'You can file for a team you are a member of only.' });
    }
    if (problems.length > 0) throw new InputError('The item names teams you cannot speak for.', problems);
  }

  /** The product's backlog settings (defaults at version 0 when never saved). */
  async settings(productRef: string): Promise<BacklogSettingsView> {
    const product = await this.product(this.db, productRef);
    return this.readSettings(this.db, product.id);
  }

  private async readSettings(db: Kysely<Database>, productId: string): Promise<BacklogSettingsView> {
    const row = await db.selectFrom('backlog_settings').selectAll().where('product_id', '=', productId).executeTakeFirst();
    if (row === undefined) return { productId, settings: defaultBacklogSettings, version: 0, updatedBy: null, updatedAt: null };
    const parsed = backlogSettingsSchema.safeParse(row.settings);
    return { productId, settings: parsed.success ? parsed.data : defaultBacklogSettings, version: row.version, updatedBy: row.updated_by, updatedAt: row.updated_at.toISOString() };
  }

  /** Replaces the settings (If-Match: the version read; 0 before the first save). */
  async updateSettings(actor: Actor, options: { productRef: string; expectedVersion: number | 'any'; settings: unknown }): Promise<BacklogSettingsView> {
    const parsed = backlogSettingsSchema.safeParse(options.settings);
    if (!parsed.success) {
      throw new InputError('The backlog settings are not valid.', parsed.error.issues.map((issue) => ({ pointer: issue.path.length === 0 ? '' : `/${issue.path.map(String).join('/')}`, detail: issue.message })));
    }
    return inTransaction(this.db, async (trx) => {
      const product = await this.product(trx, options.productRef);
      BacklogService.requireOwner(actor, product, 'change the backlog settings');
      // The row may not exist yet: create it at version 0 (rolled back with any failure), then lock it.
      await sql`insert into backlog_settings (product_id, settings, version) values (${product.id}, ${JSON.stringify(defaultBacklogSettings)}::jsonb, 0) on conflict (product_id) do nothing`.execute(trx);
      const current = await trx.selectFrom('backlog_settings').selectAll().where('product_id', '=', product.id).forUpdate().executeTakeFirstOrThrow();
      if (options.expectedVersion !== 'any') assertVersion('The backlog settings', current.version, options.expectedVersion);
      const before = await this.readSettings(trx, product.id);
      await trx.updateTable('backlog_settings').set({ settings: JSON.stringify(parsed.data), version: sql<number>`version + 1`, updated_by: actor.userId, updated_at: sql<Date>`now()` }).where('product_id', '=', product.id).execute();
      await refreshRankKeys(trx, parsed.data, { productId: product.id });
      const after = await this.readSettings(trx, product.id);
      await recordAudit(trx, actor, { action: 'backlog_settings.update', entityType: 'product', entityId: product.id, before: before.version === 0 ? null : asJson(before), after: asJson(after) });
      return after;
    });
  }

  /** One item. */
  async get(id: string): Promise<BacklogItemView> {
    return presentBacklogItem(await this.row(this.db, id, false));
  }

  /** The states the item entered, oldest first (recorded since migration 0013; earlier moves are unknown). */
  async history(id: string): Promise<BacklogStateChangeView[]> {
    const row = await this.row(this.db, id, false);
    const rows = await this.db.selectFrom('backlog_state_changes').selectAll().where('item_id', '=', row.id).orderBy('seq').execute();
    return rows.map((change) => ({ from: change.from_state as BacklogState | null, to: change.to_state as BacklogState, changedBy: { id: change.changed_by, label: change.changed_by_label }, changedAt: change.changed_at.toISOString() }));
  }

  /** Lists a product's items by number (keyset pages) or, with `sort=rank`, by the product's framework (offset pages). */
  async list(productRef: string, request: BacklogListRequest): Promise<Page<BacklogItemView>> {
    const product = await this.product(this.db, productRef);
    const limit = listLimit(request);
    let query = this.db.selectFrom('backlog_items').selectAll().where('product_id', '=', product.id);
    if (request.state !== undefined) query = query.where('state', '=', request.state);
    if (request.kind !== undefined) query = query.where('kind', '=', request.kind);
    if (request.label !== undefined) query = query.where(sql<boolean>`labels @> array[${request.label}]::text[]`);
    if (request.sort === 'rank') {
      const offset = request.cursor === undefined ? 0 : readOffset(request.cursor);
      const { settings } = await this.readSettings(this.db, product.id);
      const rows = await query.orderBy(rankOrder(settings.framework)).offset(offset).limit(limit + 1).execute();
      return { items: rows.slice(0, limit).map(presentBacklogItem), nextCursor: rows.length > limit ? encodeCursor(String(offset + limit)) : null };
    }
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!/^[0-9]{1,9}$/.test(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('number', '>', Number(after));
    }
    const rows = await query.orderBy('number').limit(limit + 1).execute();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(presentBacklogItem), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(String(last.number)) : null };
  }

  /**
   * The open items (not done, declined or merged) ranked by `framework` (default: the product's), best
   * first, each with its score explained. Ordered and paged in SQL; the explanation is the model's.
   */
  async ranking(productRef: string, request: ListRequest & { framework?: Framework }): Promise<BacklogRanking> {
    // Round trips dominate on the embedded store: product and settings come in one query, the page and
    // its total in another (the count is a scalar subquery over the same partial index).
    let productQuery = this.db
      .selectFrom('products as p')
      .leftJoin('backlog_settings as s', 's.product_id', 'p.id')
      .select(['p.id', 's.settings', 's.version']);
    productQuery = isUuid(productRef) ? productQuery.where((eb) => eb.or([eb('p.id', '=', productRef), eb('p.external_id', '=', productRef)])) : productQuery.where('p.external_id', '=', productRef);
    const found = await productQuery.executeTakeFirst();
    if (found === undefined) throw new NotFoundError(`No product ${productRef}.`);
    const parsed = found.settings === null ? undefined : backlogSettingsSchema.safeParse(found.settings);
    const storedSettings = parsed?.success === true ? parsed.data : defaultBacklogSettings;
    const settings: BacklogSettings = { ...storedSettings, framework: request.framework ?? storedSettings.framework };
    if (settings.framework === 'custom' && settings.custom === null) throw new InputError('This product has no custom formula yet.', [{ parameter: 'framework', detail: 'Define a custom formula in the backlog settings first, or pick another framework.' }]);
    const limit = listLimit(request);
    const offset = request.cursor === undefined ? 0 : readOffset(request.cursor);
    const open = this.db.selectFrom('backlog_items').where('product_id', '=', found.id).where('state', 'in', [...openBacklogStates]).where('duplicate_of', 'is', null);
    const states = sql.join([...openBacklogStates].map((state) => sql`${state}`));
    const rows = await open
      .selectAll()
      .select(sql<string>`(select count(*) from backlog_items c where c.product_id = ${found.id} and c.state in (${states}) and c.duplicate_of is null)`.as('total'))
      .orderBy(rankOrder(settings.framework))
      .offset(offset)
      .limit(limit + 1)
      .execute();
    const total = rows[0]?.total ?? (await open.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow()).total;
    const items = rows.slice(0, limit).map((row, index) => {
      const item = presentBacklogItem(row);
      return { rank: offset + index + 1, item, evaluation: evaluate(settings, scoringSubject(item)) };
    });
    return { framework: settings.framework, formula: evaluate(settings, { inputs: {}, votes: 0 }).formula, settingsVersion: found.version ?? 0, total: Number(total), items, nextCursor: rows.length > limit ? encodeCursor(String(offset + limit)) : null };
  }

  /** Files a new item; the actor is its requester. Anyone signed in may file; triage fields need an owner role. */
  async create(actor: Actor, productRef: string, input: BacklogItemInput): Promise<BacklogItemView> {
    const problems = inputProblems(input.inputs, '/inputs');
    const state = input.state ?? 'new';
    // A new item may start in any state (owners file work already under way); declining still needs a reason.
    if (state === 'declined' && (input.declineReason ?? '').trim() === '') problems.push({ pointer: '/declineReason', detail: 'Declining needs a reason; the requester sees it.' });
    if (problems.length > 0) throw new InputError('The item is not valid.', problems);
    return inTransaction(this.db, async (trx) => {
      const product = await this.product(trx, productRef);
      const triage = (input.inputs !== undefined && Object.keys(input.inputs).length > 0) || input.estimate != null || (input.labels?.length ?? 0) > 0 || state !== 'new';
      const owner = hasDomainRole(actor, product.domain_id, ownerRoles);
      if (triage && !owner) throw new NotAllowedError(`Anyone may file an item, but labels, estimates, scoring inputs and states of product ${product.external_id} are set by its domain's team; leave them out.`);
      if (!owner) await this.checkFilerTeams(trx, actor, input);
      await this.checkTeams(trx, [input.requesterTeamId, ...(input.evidence ?? []).map((entry) => entry.teamId)], (index) => (index === 0 ? '/requesterTeamId' : `/evidence/${index - 1}/teamId`));
      const [row] = await this.insert(trx, actor, product, [{ ...input, state }]);
      if (row === undefined) throw new Error('insert returned no row');
      const view = presentBacklogItem(row);
      await recordAudit(trx, actor, { action: 'backlog_item.create', entityType: 'backlog_item', entityId: view.id, before: null, after: auditShape(view) });
      return view;
    });
  }

  /**
   * Inserts items with consecutive numbers under the product's backlog lock, inside the caller's
   * transaction. Public for services that file items as part of their own write (cross-domain requests,
   * accepted demands); they authorise and audit themselves.
   */
  async insert(trx: Kysely<Database>, actor: Actor, product: ProductRef, inputs: BacklogInsert[]): Promise<BacklogItemRow[]> {
    await sql`select pg_advisory_xact_lock(hashtext(${`backlog:${product.id}`}))`.execute(trx);
    const max = await trx.selectFrom('backlog_items').select((eb) => eb.fn.max('number').as('number')).where('product_id', '=', product.id).executeTakeFirst();
    let next = (max?.number ?? 0) + 1;
    const now = new Date().toISOString();
    const breachHours = await productBreachHours(trx, product.id);
    const rows = inputs.map((input) => {
      const evidence = input.evidence ?? [];
      const requesterTeamId = input.requesterTeamId ?? null;
      return {
        id: newId(),
        product_id: product.id,
        number: next++,
        kind: input.kind,
        title: input.title,
        description: input.description ?? '',
        acceptance_criteria: JSON.stringify(input.acceptanceCriteria ?? []),
        state: input.state ?? 'new',
        decline_reason: input.state === 'declined' ? (input.declineReason ?? null) : null,
        requester_id: input.requesterId === undefined ? actor.userId : input.requesterId,
        requester_team_id: requesterTeamId,
        requester_label: input.requesterLabel === undefined ? actor.label : input.requesterLabel,
        labels: [...new Set(input.labels ?? [])],
        estimate: input.estimate ?? null,
        evidence: JSON.stringify(evidence),
        inputs: JSON.stringify(enteredInputs(actor, {}, input.inputs ?? {}, now)),
        suggested_reach: reachOf(requesterTeamId, evidence)?.value ?? null,
        ...costOfDelayColumns(reachOf(requesterTeamId, evidence), breachHours),
        source: input.source ?? null,
        reported_at: input.reportedAt ?? null,
        parent_id: input.parentId ?? null,
        parent_linked_at: input.parentId == null ? null : now,
      };
    });
    const inserted: BacklogItemRow[] = [];
    for (let start = 0; start < rows.length; start += 500) inserted.push(...(await trx.insertInto('backlog_items').values(rows.slice(start, start + 500)).returningAll().execute()));
    for (let start = 0; start < inserted.length; start += 500) {
      await recordStateChanges(trx, actor, inserted.slice(start, start + 500).map((row) => ({ itemId: row.id, productId: row.product_id, from: null, to: row.state })));
    }
    await this.refreshRanks(trx, product.id, inserted.map((row) => row.id));
    return inserted;
  }

  /** Changes an item (If-Match). A state change is checked against the workflow; declining needs a reason. */
  async update(actor: Actor, options: { id: string; expectedVersion: number; patch: BacklogItemPatch }): Promise<BacklogItemView> {
    const { patch } = options;
    const problems = inputProblems(patch.inputs, '/inputs');
    if (problems.length > 0) throw new InputError('The change is not valid.', problems);
    return inTransaction(this.db, async (trx) => {
      const before = await this.row(trx, options.id, true);
      const product = await this.productOf(trx, before);
      BacklogService.requireOwner(actor, product, 'change backlog items');
      assertVersion(`Item #${before.number}`, before.version, options.expectedVersion);
      BacklogService.readOnly(before);
      const state = patch.state ?? before.state;
      const declineReason = state === 'declined' ? (patch.declineReason !== undefined ? patch.declineReason : before.decline_reason) : null;
      const refused = refuseTransition(before.state, state, declineReason);
      if (refused !== null) {
        const onlyReasonMissing = refuseTransition(before.state, state, 'a reason') === null;
        throw new InputError(refused, [{ pointer: onlyReasonMissing ? '/declineReason' : '/state', detail: refused }]);
      }
      const evidence = patch.evidence ?? readEvidence(before.evidence);
      const requesterTeamId = patch.requesterTeamId !== undefined ? patch.requesterTeamId : before.requester_team_id;
      await this.checkTeams(trx, [patch.requesterTeamId, ...(patch.evidence ?? []).map((entry) => entry.teamId)], (index) => (index === 0 ? '/requesterTeamId' : `/evidence/${index - 1}/teamId`));
      const row = await trx
        .updateTable('backlog_items')
        .set({
          ...(patch.kind === undefined ? {} : { kind: patch.kind }),
          ...(patch.title === undefined ? {} : { title: patch.title }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(patch.acceptanceCriteria === undefined ? {} : { acceptance_criteria: JSON.stringify(patch.acceptanceCriteria) }),
          ...(patch.labels === undefined ? {} : { labels: [...new Set(patch.labels)] }),
          ...(patch.estimate === undefined ? {} : { estimate: patch.estimate }),
          ...(patch.inputs === undefined ? {} : { inputs: JSON.stringify(enteredInputs(actor, before.inputs, patch.inputs, new Date().toISOString())) }),
          evidence: JSON.stringify(evidence),
          requester_team_id: requesterTeamId,
          suggested_reach: reachOf(requesterTeamId, evidence)?.value ?? null,
          ...costOfDelayColumns(reachOf(requesterTeamId, evidence), await productBreachHours(trx, before.product_id)),
          state,
          decline_reason: declineReason,
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.refreshRanks(trx, row.product_id, [row.id]);
      if (state !== before.state) await recordStateChanges(trx, actor, [{ itemId: row.id, productId: row.product_id, from: before.state, to: state }]);
      if (row.state !== before.state || row.estimate !== before.estimate) await recordSprintItemChange(trx, row, this.now());
      const view = presentBacklogItem(row);
      const action = state !== before.state ? `backlog_item.${state === 'declined' ? 'decline' : 'transition'}` : 'backlog_item.update';
      await recordAudit(trx, actor, { action, entityType: 'backlog_item', entityId: row.id, before: auditShape(presentBacklogItem(before)), after: auditShape(view) });
      if (state !== before.state) await announceStateChange(trx, actor, row);
      return view;
    });
  }

  /** Deletes an item (If-Match); items merged into it keep their row and lose the link. */
  async remove(actor: Actor, options: { id: string; expectedVersion: number }): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const before = await this.row(trx, options.id, true);
      const product = await this.productOf(trx, before);
      BacklogService.requireOwner(actor, product, 'delete backlog items');
      assertVersion(`Item #${before.number}`, before.version, options.expectedVersion);
      await trx.deleteFrom('backlog_items').where('id', '=', before.id).execute();
      await recordAudit(trx, actor, { action: 'backlog_item.delete', entityType: 'backlog_item', entityId: before.id, before: auditShape(presentBacklogItem(before)), after: null });
    });
  }

  /** Adds (or with `on: false` removes) the actor's vote; idempotent. Votes are shown, never ranked by unless a custom formula names them. */
  async vote(actor: Actor, id: string, on: boolean): Promise<BacklogItemView> {
    if (actor.userId === null) throw new NotAllowedError('Only people vote.');
    const userId = actor.userId;
    return inTransaction(this.db, async (trx) => {
      const before = await this.row(trx, id, true);
      BacklogService.readOnly(before);
      if (on) await trx.insertInto('backlog_votes').values({ item_id: id, user_id: userId }).onConflict((oc) => oc.doNothing()).execute();
      else await trx.deleteFrom('backlog_votes').where('item_id', '=', id).where('user_id', '=', userId).execute();
      const row = await this.recount(trx, id);
      await this.refreshRanks(trx, row.product_id, [id]);
      if (row.votes !== before.votes) await recordAudit(trx, actor, { action: on ? 'backlog_item.vote' : 'backlog_item.unvote', entityType: 'backlog_item', entityId: id, before: { votes: before.votes }, after: { votes: row.votes } });
      return presentBacklogItem(row);
    });
  }

  /** Whether the actor has voted for the item. */
  async hasVoted(actor: Actor, id: string): Promise<boolean> {
    if (actor.userId === null) return false;
    return (await this.db.selectFrom('backlog_votes').select('item_id').where('item_id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst()) !== undefined;
  }

  /** Recomputes the stored rank keys of `ids` with the product's current settings. */
  private async refreshRanks(trx: Kysely<Database>, productId: string, ids: readonly string[]): Promise<void> {
    await refreshRankKeys(trx, (await this.readSettings(trx, productId)).settings, { productId, ids });
  }

  private async recount(trx: Kysely<Database>, id: string): Promise<BacklogItemRow> {
    return trx
      .updateTable('backlog_items')
      .set({ votes: sql<number>`(select count(*)::int from backlog_votes where item_id = ${id})` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Merges `duplicateId` into `id` (If-Match on `id`): the duplicate's evidence (plus a link to it, carrying
   * its requester's team) and votes move to the survivor; the duplicate is kept, read-only, pointing at the
   * survivor. Both rows are locked in id order (no deadlock with a merge the other way), both audited.
   */
  async merge(actor: Actor, options: { id: string; expectedVersion: number; duplicateId: string }): Promise<BacklogItemView> {
    if (options.id === options.duplicateId) throw new InputError('An item cannot be merged into itself.', [{ pointer: '/duplicateId', detail: 'Pick another item of the same backlog.' }]);
    if (!isUuid(options.duplicateId)) throw new InputError('The duplicate is not an item id.', [{ pointer: '/duplicateId', detail: 'Pass the id of an item of the same backlog.' }]);
    return inTransaction(this.db, async (trx) => {
      const ids = [options.id, options.duplicateId].sort();
      const locked = await trx.selectFrom('backlog_items').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
      const target = locked.find((row) => row.id === options.id);
      const duplicate = locked.find((row) => row.id === options.duplicateId);
      if (target === undefined) throw new NotFoundError(`No backlog item ${options.id}.`);
      if (duplicate === undefined) throw new InputError('The duplicate does not exist.', [{ pointer: '/duplicateId', detail: `No backlog item ${options.duplicateId}.` }]);
      const product = await this.productOf(trx, target);
      BacklogService.requireOwner(actor, product, 'merge backlog items');
      assertVersion(`Item #${target.number}`, target.version, options.expectedVersion);
      if (duplicate.product_id !== target.product_id) throw new InputError('Only items of the same backlog can be merged.', [{ pointer: '/duplicateId', detail: `Item #${duplicate.number} belongs to another product.` }]);
      BacklogService.readOnly(target);
      if (duplicate.duplicate_of !== null) throw new ConflictError(`Item #${duplicate.number} is already merged into another item.`);
      const beforeTarget = presentBacklogItem(target);
      const beforeDuplicate = presentBacklogItem(duplicate);
      const link: Evidence = { kind: 'item', ref: duplicate.id, note: `Merged duplicate #${duplicate.number}: ${duplicate.title}`, teamId: duplicate.requester_team_id };
      const evidence = mergeEvidence(readEvidence(target.evidence), [...readEvidence(duplicate.evidence), link]);
      await sql`insert into backlog_votes (item_id, user_id, created_at) select ${target.id}, user_id, created_at from backlog_votes where item_id = ${duplicate.id} on conflict do nothing`.execute(trx);
      await trx.deleteFrom('backlog_votes').where('item_id', '=', duplicate.id).execute();
      await trx
        .updateTable('backlog_items')
        .set({ evidence: JSON.stringify(evidence), suggested_reach: reachOf(target.requester_team_id, evidence)?.value ?? null, ...costOfDelayColumns(reachOf(target.requester_team_id, evidence), await productBreachHours(trx, target.product_id)), version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
        .where('id', '=', target.id)
        .execute();
      await trx.updateTable('backlog_items').set({ duplicate_of: target.id, evidence: '[]', suggested_reach: null, suggested_time_criticality: null, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('id', '=', duplicate.id).execute();
      const afterTarget = presentBacklogItem(await this.recount(trx, target.id));
      const afterDuplicate = presentBacklogItem(await this.recount(trx, duplicate.id));
      await this.refreshRanks(trx, target.product_id, [target.id, duplicate.id]);
      await recordAudit(trx, actor, { action: 'backlog_item.merge', entityType: 'backlog_item', entityId: target.id, before: auditShape(beforeTarget), after: auditShape(afterTarget) });
      await recordAudit(trx, actor, { action: 'backlog_item.mark_duplicate', entityType: 'backlog_item', entityId: duplicate.id, before: auditShape(beforeDuplicate), after: auditShape(afterDuplicate) });
      return afterTarget;
    });
  }

  /** Every item and the settings, for JSON export (the web app turns it into the CSV too). */
  async exportBacklog(productRef: string): Promise<BacklogExport> {
    const product = await this.product(this.db, productRef);
    const [{ settings }, rows] = await Promise.all([this.readSettings(this.db, product.id), this.db.selectFrom('backlog_items').selectAll().where('product_id', '=', product.id).orderBy('number').execute()]);
    return { productId: product.id, settings, items: rows.map(presentBacklogItem) };
  }

  /**
   * Imports items: CSV (the Meshboard export or a Jira export, problems located as row:column) or JSON
   * items. All or nothing: any problem rejects the whole file. Requesters are matched to users by e-mail;
   * others are kept as text. `dryRun` checks and numbers the items without writing.
   */
  async importItems(actor: Actor, productRef: string, request: BacklogImportRequest): Promise<BacklogImportResult> {
    let format: BacklogImportResult['format'];
    let drafts: (BacklogItemInput & { requester?: string | null; source?: string | null; reportedAt?: string | null })[];
    if (request.format === 'csv') {
      if (request.content === undefined) throw new InputError('A CSV import needs the file as content.', [{ pointer: '/content', detail: 'Send the CSV text in "content".' }]);
      const read = readBacklogCsv(request.content);
      if (read.problems.length > 0) {
        throw new InputError(`The CSV has ${read.problems.length} problem${read.problems.length === 1 ? '' : 's'}; nothing was imported.`, read.problems.slice(0, 100).map((problem) => ({ pointer: '/content', detail: `row ${problem.row}, column ${problem.column}${problem.header === '' ? '' : ` (${problem.header})`}: ${problem.detail}` })));
      }
      format = read.format === 'jira' ? 'jira-csv' : 'meshboard-csv';
      drafts = read.drafts.map((draft: BacklogDraft) => ({ ...draft, declineReason: draft.declineReason }));
    } else {
      if (request.items === undefined) throw new InputError('A JSON import needs items.', [{ pointer: '/items', detail: 'Send the items as an array in "items".' }]);
      format = 'json';
      drafts = request.items;
      const problems = drafts.flatMap((item, index) => {
        const own = inputProblems(item.inputs, `/items/${index}/inputs`);
        const refused = item.state !== undefined && item.state !== 'new' && item.state === 'declined' && (item.declineReason ?? '').trim() === '' ? 'a declined item needs a reason' : null;
        return refused === null ? own : [...own, { pointer: `/items/${index}/declineReason`, detail: refused }];
      });
      if (problems.length > 0) throw new InputError('Some items are not valid; nothing was imported.', problems.slice(0, 100));
    }
    if (drafts.length > maxImportItems) throw new InputError(`At most ${maxImportItems} items per import.`, [{ pointer: request.format === 'csv' ? '/content' : '/items', detail: `The file has ${drafts.length} items; split it.` }]);
    try {
      return await inTransaction(this.db, async (trx) => {
        const product = await this.product(trx, productRef);
        BacklogService.requireOwner(actor, product, 'import backlog items');
        const emails = [...new Set(drafts.map((draft) => draft.requester?.toLowerCase()).filter((email): email is string => email !== undefined && email.includes('@')))];
        const users = emails.length === 0 ? [] : await trx.selectFrom('users').select(['id', 'email']).where(sql<string>`lower(email)`, 'in', emails).execute();
        const byEmail = new Map(users.map((user) => [user.email.toLowerCase(), user.id]));
        const rows = await this.insert(
          trx,
          actor,
          product,
          drafts.map((draft) => ({
            ...draft,
            requesterId: draft.requester === undefined ? actor.userId : draft.requester === null ? null : (byEmail.get(draft.requester.toLowerCase()) ?? null),
            requesterLabel: draft.requester === undefined ? actor.label : draft.requester,
          })),
        );
        const result: BacklogImportResult = { format, dryRun: request.dryRun === true, imported: rows.length, numbers: rows.map((row) => row.number) };
        if (request.dryRun === true) throw new DryRun(result);
        await recordAudit(trx, actor, { action: 'backlog_item.import', entityType: 'product', entityId: product.id, before: null, after: { format, imported: rows.length, numbers: rows.length === 0 ? [] : [rows[0]?.number ?? 0, rows[rows.length - 1]?.number ?? 0] } });
        return result;
      });
    } catch (error) {
      if (error instanceof DryRun) return error.result;
      throw error;
    }
  }
}

function readOffset(cursor: string): number {
  const value = decodeCursor(cursor);
  if (!/^[0-9]{1,9}$/.test(value)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
  return Number(value);
}

/** Sorts evaluated items the way the SQL ranking does (for callers ranking in memory, e.g. tests and the CLI). */
export function rankInMemory<T extends { evaluation: Evaluation; number: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareEvaluations(a.evaluation, b.evaluation) || a.number - b.number);
}
