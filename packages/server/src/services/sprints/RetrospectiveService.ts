import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { InputError, NotFoundError } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import type { Database, JsonValue } from '../../store/Database';
import { newId } from '../../store/newId';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid } from '../listRequest';
import { asJson } from '../presenters';
import { findProduct, requireProductTeam } from './productOf';

/** An action agreed in a retrospective: open until marked done, shown in every later retrospective meanwhile. */
export interface RetroActionView {
  id: string;
  sprintId: string;
  /** The number of the sprint whose retrospective agreed it. */
  sprintNumber: number;
  title: string;
  owner: { userId: string | null; label: string };
  dueDate: string | null;
  done: boolean;
  doneAt: string | null;
  version: number;
  createdAt: string;
}

/** A sprint's retrospective; version 0: not held yet. `carriedActions`: open actions of earlier sprints. */
export interface RetrospectiveView {
  sprintId: string;
  wentWell: string[];
  toImprove: string[];
  version: number;
  updatedAt: string | null;
  actions: RetroActionView[];
  carriedActions: RetroActionView[];
}

/** A new action; `ownerUserId` names a user (their e-mail becomes the label unless `ownerLabel` is given). */
export interface RetroActionInput {
  title: string;
  ownerUserId?: string | null;
  ownerLabel?: string;
  dueDate?: string | null;
}

/** A change to an action; `done` marks it done (or reopens it). */
export type RetroActionPatch = Partial<RetroActionInput> & { done?: boolean };

function readTexts(value: JsonValue): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

const isoDay = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/**
 * Retrospectives per sprint (issue 6): what went well, what to improve, and actions with owners and due
 * dates. Open actions of earlier sprints of the product are carried forward: every later retrospective
 * shows them until someone marks them done. The product's domain writes; everyone signed in reads.
 */
export class RetrospectiveService {
  constructor(private readonly db: Kysely<Database>) {}

  private async sprint(db: Kysely<Database>, id: string): Promise<{ id: string; product_id: string; number: number }> {
    const row = isUuid(id) ? await db.selectFrom('sprints').select(['id', 'product_id', 'number']).where('id', '=', id).executeTakeFirst() : undefined;
    if (row === undefined) throw new NotFoundError(`No sprint ${id}.`);
    return row;
  }

  private static actions(db: Kysely<Database>) {
    return db
      .selectFrom('retro_actions as a')
      .innerJoin('sprints as s', 's.id', 'a.sprint_id')
      .select(['a.id', 'a.sprint_id', 's.number', 'a.title', 'a.owner_user_id', 'a.owner_label', 'a.done_at', 'a.version', 'a.created_at'])
      .select(sql<string | null>`to_char(a.due_date, 'YYYY-MM-DD')`.as('due_date'));
  }

  private static present(row: { id: string; sprint_id: string; number: number; title: string; owner_user_id: string | null; owner_label: string; due_date: string | null; done_at: Date | null; version: number; created_at: Date }): RetroActionView {
    return { id: row.id, sprintId: row.sprint_id, sprintNumber: row.number, title: row.title, owner: { userId: row.owner_user_id, label: row.owner_label }, dueDate: row.due_date, done: row.done_at !== null, doneAt: row.done_at?.toISOString() ?? null, version: row.version, createdAt: row.created_at.toISOString() };
  }

  /** The retrospective of a sprint with its own actions and the open actions carried from earlier sprints. */
  async get(sprintId: string): Promise<RetrospectiveView> {
    return this.read(this.db, sprintId);
  }

  private async read(db: Kysely<Database>, sprintId: string): Promise<RetrospectiveView> {
    const sprint = await this.sprint(db, sprintId);
    const [retro, own, carried] = await Promise.all([
      db.selectFrom('sprint_retrospectives').selectAll().where('sprint_id', '=', sprint.id).executeTakeFirst(),
      RetrospectiveService.actions(db).where('a.sprint_id', '=', sprint.id).orderBy('a.created_at').orderBy('a.id').execute(),
      RetrospectiveService.actions(db).where('a.product_id', '=', sprint.product_id).where('s.number', '<', sprint.number).where('a.done_at', 'is', null).orderBy('s.number').orderBy('a.created_at').execute(),
    ]);
    return {
      sprintId: sprint.id,
      wentWell: retro === undefined ? [] : readTexts(retro.went_well),
      toImprove: retro === undefined ? [] : readTexts(retro.to_improve),
      version: retro?.version ?? 0,
      updatedAt: retro?.updated_at.toISOString() ?? null,
      actions: own.map(RetrospectiveService.present),
      carriedActions: carried.map(RetrospectiveService.present),
    };
  }

  /** Saves what went well and what to improve (If-Match: the version read; 0 before the first save). */
  async save(actor: Actor, options: { sprintId: string; expectedVersion: number; wentWell: string[]; toImprove: string[] }): Promise<RetrospectiveView> {
    return inTransaction(this.db, async (trx) => {
      const sprint = await this.sprint(trx, options.sprintId);
      requireProductTeam(actor, await findProduct(trx, sprint.product_id), 'hold retrospectives');
      // Created at version 0 (rolled back with any failure), then locked: two first saves race on the lock.
      await sql`insert into sprint_retrospectives (sprint_id, version) values (${sprint.id}, 0) on conflict (sprint_id) do nothing`.execute(trx);
      const current = await trx.selectFrom('sprint_retrospectives').select('version').where('sprint_id', '=', sprint.id).forUpdate().executeTakeFirstOrThrow();
      assertVersion(`The retrospective of sprint ${sprint.number}`, current.version, options.expectedVersion);
      const before = await this.read(trx, sprint.id);
      await trx.updateTable('sprint_retrospectives').set({ went_well: JSON.stringify(options.wentWell), to_improve: JSON.stringify(options.toImprove), version: sql<number>`version + 1`, updated_by: actor.userId, updated_at: sql<Date>`now()` }).where('sprint_id', '=', sprint.id).execute();
      const after = await this.read(trx, sprint.id);
      await recordAudit(trx, actor, { action: 'retrospective.update', entityType: 'sprint', entityId: sprint.id, before: before.version === 0 ? null : asJson({ wentWell: before.wentWell, toImprove: before.toImprove, version: before.version }), after: asJson({ wentWell: after.wentWell, toImprove: after.toImprove, version: after.version }) });
      return after;
    });
  }

  private async owner(db: Kysely<Database>, input: Pick<RetroActionInput, 'ownerUserId' | 'ownerLabel'>, pointerPrefix = ''): Promise<{ owner_user_id: string | null; owner_label: string } | undefined> {
    if (input.ownerUserId === undefined && input.ownerLabel === undefined) return undefined;
    if (input.ownerUserId === null || input.ownerUserId === undefined) return { owner_user_id: null, owner_label: (input.ownerLabel ?? '').trim() };
    const user = isUuid(input.ownerUserId) ? await db.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', input.ownerUserId).executeTakeFirst() : undefined;
    if (user === undefined) throw new InputError('The owner is not a user.', [{ pointer: `${pointerPrefix}/ownerUserId`, detail: `No user ${input.ownerUserId}.` }]);
    return { owner_user_id: user.id, owner_label: input.ownerLabel ?? (user.name === '' ? user.email : user.name) };
  }

  private static checkDue(dueDate: string | null | undefined): void {
    if (dueDate === undefined || dueDate === null) return;
    if (!isoDay.test(dueDate) || Number.isNaN(Date.parse(`${dueDate}T00:00:00Z`))) throw new InputError('The due date is not a day.', [{ pointer: '/dueDate', detail: 'Use a calendar day as YYYY-MM-DD.' }]);
  }

  /** Adds an action to a sprint's retrospective; it needs an owner (a user or a name). */
  async addAction(actor: Actor, sprintId: string, input: RetroActionInput): Promise<RetroActionView> {
    RetrospectiveService.checkDue(input.dueDate);
    return inTransaction(this.db, async (trx) => {
      const sprint = await this.sprint(trx, sprintId);
      requireProductTeam(actor, await findProduct(trx, sprint.product_id), 'agree retrospective actions');
      const owner = await this.owner(trx, input);
      if (owner === undefined || owner.owner_label === '') throw new InputError('An action needs an owner.', [{ pointer: '/ownerUserId', detail: 'Name a user (ownerUserId) or a person (ownerLabel).' }]);
      const id = newId();
      await trx.insertInto('retro_actions').values({ id, sprint_id: sprint.id, product_id: sprint.product_id, title: input.title, ...owner, due_date: input.dueDate ?? null }).execute();
      const view = RetrospectiveService.present(await RetrospectiveService.actions(trx).where('a.id', '=', id).executeTakeFirstOrThrow());
      await recordAudit(trx, actor, { action: 'retro_action.create', entityType: 'retro_action', entityId: id, before: null, after: asJson(view) });
      return view;
    });
  }

  /** One action. */
  async getAction(id: string): Promise<RetroActionView> {
    const row = isUuid(id) ? await RetrospectiveService.actions(this.db).where('a.id', '=', id).executeTakeFirst() : undefined;
    if (row === undefined) throw new NotFoundError(`No retrospective action ${id}.`);
    return RetrospectiveService.present(row);
  }

  /** Changes an action or marks it done/open again (If-Match). */
  async updateAction(actor: Actor, options: { id: string; expectedVersion: number; patch: RetroActionPatch }): Promise<RetroActionView> {
    const { patch } = options;
    RetrospectiveService.checkDue(patch.dueDate);
    return inTransaction(this.db, async (trx) => {
      const current = isUuid(options.id) ? await trx.selectFrom('retro_actions').select(['id', 'product_id', 'version', 'done_at']).where('id', '=', options.id).forUpdate().executeTakeFirst() : undefined;
      if (current === undefined) throw new NotFoundError(`No retrospective action ${options.id}.`);
      requireProductTeam(actor, await findProduct(trx, current.product_id), 'change retrospective actions');
      assertVersion('The action', current.version, options.expectedVersion);
      const before = await this.getActionIn(trx, current.id);
      const owner = await this.owner(trx, patch);
      if (owner !== undefined && owner.owner_label === '') throw new InputError('An action needs an owner.', [{ pointer: '/ownerLabel', detail: 'Name the person who owns it.' }]);
      await trx
        .updateTable('retro_actions')
        .set({
          ...(patch.title === undefined ? {} : { title: patch.title }),
          ...(owner ?? {}),
          ...(patch.dueDate === undefined ? {} : { due_date: patch.dueDate }),
          ...(patch.done === undefined || patch.done === (current.done_at !== null) ? {} : { done_at: patch.done ? sql<Date>`now()` : null }),
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', current.id)
        .execute();
      const after = await this.getActionIn(trx, current.id);
      await recordAudit(trx, actor, { action: patch.done === true && !before.done ? 'retro_action.done' : 'retro_action.update', entityType: 'retro_action', entityId: current.id, before: asJson(before), after: asJson(after) });
      return after;
    });
  }

  private async getActionIn(db: Kysely<Database>, id: string): Promise<RetroActionView> {
    return RetrospectiveService.present(await RetrospectiveService.actions(db).where('a.id', '=', id).executeTakeFirstOrThrow());
  }
}
