import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { hasDomainRole } from '../../auth/authorize';
import { ConflictError, InputError, NotAllowedError, NotFoundError, type FieldProblem } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import type { Database, DomainRole, FeedbackKind, FeedbackRow, FeedbackState, ProductRow } from '../../store/Database';
import { sqlState } from '../../store/databaseErrors';
import { newId } from '../../store/newId';
import { decodeCursor, encodeCursor, type Page } from '../../store/pagination';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid, listLimit, type ListRequest } from '../listRequest';
import { feedbackTargets, resolveTarget, type FeedbackTargets, type TargetInput } from './feedbackTargets';
import { auditShape, presentFeedback, presentThreads, type FeedbackItemView, type FeedbackThreadView, type InboxThreadView } from './feedbackViews';

/** The roles that make someone an owner of a domain's products: they moderate feedback and see the inbox. */
export const ownerRoles: readonly DomainRole[] = ['data_product_owner', 'data_owner', 'producer'];

/** Limits of free text (also enforced by the HTTP schema). */
export const feedbackLimits = { title: 200, body: 10_000, reason: 2_000 } as const;

/** Body of a new feedback item. Which fields apply depends on `kind` (see {@link FeedbackService.create}). */
export interface FeedbackInput {
  kind: FeedbackKind;
  rating?: number | undefined;
  title?: string | undefined;
  body?: string | undefined;
  /** The team the feedback speaks for; must be one of the author's teams (null: none). */
  teamId?: string | null | undefined;
  /** A reply's parent item (comments only). */
  parentId?: string | undefined;
  /** What an issue is about (issues only). */
  target?: TargetInput | undefined;
}

/** The author's own changes to an item. */
export interface FeedbackPatch {
  rating?: number | undefined;
  title?: string | undefined;
  body?: string | undefined;
  teamId?: string | null | undefined;
}

/** Filters of a product's feedback list. */
export interface FeedbackListRequest extends ListRequest {
  kind?: FeedbackKind | undefined;
  state?: FeedbackState | undefined;
}

/** Filters of the owner inbox. */
export interface InboxRequest extends FeedbackListRequest {
  productId?: string | undefined;
  unread?: boolean | undefined;
}

/**
 * A page of the inbox, with how many threads (matching the filters) the viewer has not seen since their
 * last activity. Counting reads every matching thread, so it is given on the first page only (null on
 * pages after a cursor).
 */
export interface InboxPage extends Page<InboxThreadView> {
  unreadCount: number | null;
}

/** The product-level figures other features (KPIs, backlog evidence) read. */
export interface FeedbackSummary {
  productId: string;
  rating: { average: number | null; count: number; distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  counts: Record<FeedbackKind, number>;
  replies: number;
  states: Record<'issue' | 'feature_request', Record<FeedbackState, number>>;
}

/** What the feedback form offers the viewer on a product. */
export interface FeedbackOptions {
  targets: FeedbackTargets;
  teams: { id: string; name: string }[];
  canModerate: boolean;
  myRating: FeedbackItemView | null;
}

/** Something that happened to feedback, after it committed (for notifications; see feedbackEvents). */
export interface FeedbackEvent {
  type: 'created' | 'replied' | 'updated' | 'state_changed' | 'deleted';
  feedbackId: string;
  actorId: string;
}

/** Allowed state changes: owners acknowledge, resolve or decline open items and may reopen closed ones. */
export const stateTransitions: Readonly<Record<FeedbackState, readonly FeedbackState[]>> = {
  open: ['acknowledged', 'resolved', 'declined'],
  acknowledged: ['resolved', 'declined', 'open'],
  resolved: ['open'],
  declined: ['open'],
};

const emptyStates = (): Record<FeedbackState, number> => ({ open: 0, acknowledged: 0, resolved: 0, declined: 0 });

/** Whether the actor holds an owner-like role in the domain itself (the admin flag does not count as a role). */
function holdsOwnerRole(actor: Actor, domainId: string): boolean {
  const held = actor.domainRoles.get(domainId);
  return held !== undefined && ownerRoles.some((role) => held.has(role));
}

function requireUser(actor: Actor): string {
  if (actor.userId === null) throw new NotAllowedError('Feedback is given by signed-in users only.');
  return actor.userId;
}

function trimmed(value: string | undefined): string {
  return (value ?? '').trim();
}

/**
 * Consumer feedback on data products: ratings (one live rating per user and product), comments with
 * threaded replies, issue reports (optionally on a contract column or check) and feature requests with
 * votes. Anyone signed in reads and writes feedback; only the author changes or deletes their text;
 * only owners (an owner-like role in the product's domain, or admins) change states. Every write and
 * its audit event commit in one transaction; changes of existing items need the version the caller read.
 */
export class FeedbackService {
  constructor(
    private readonly db: Kysely<Database>,
    /** Called after a mutation committed (the notification slice subscribes here). */
    private readonly onEvent: (event: FeedbackEvent) => void = () => undefined,
  ) {}

  /**
   * Tells the listener about a committed change. The write has committed, so a failing listener must not
   * turn it into an error answer (the client would retry a write that happened); its error is dropped.
   */
  private emit(event: FeedbackEvent): void {
    try {
      this.onEvent(event);
    } catch {
      // Deliberately ignored: see above. Listeners report their own failures.
    }
  }

  private async product(db: Kysely<Database>, ref: string): Promise<ProductRow> {
    let query = db.selectFrom('products').selectAll();
    query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No product ${ref}.`);
    return row;
  }

  private async row(db: Kysely<Database>, id: string, lock: boolean): Promise<FeedbackRow> {
    if (!isUuid(id)) throw new NotFoundError(`No feedback ${id}.`);
    let query = db.selectFrom('feedback').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No feedback ${id}.`);
    return row;
  }

  /** One item as `actor` sees it. */
  async get(actor: Actor, id: string): Promise<FeedbackItemView> {
    const [view] = await presentFeedback(this.db, [await this.row(this.db, id, false)], actor.userId);
    if (view === undefined) throw new NotFoundError(`No feedback ${id}.`);
    return view;
  }

  /** The product's threads, newest first (deleted ratings are left out: they no longer count). */
  async list(actor: Actor, productRef: string, request: FeedbackListRequest): Promise<Page<FeedbackThreadView>> {
    const product = await this.product(this.db, productRef);
    const limit = listLimit(request);
    let query = this.db
      .selectFrom('feedback')
      .selectAll()
      .where('product_id', '=', product.id)
      .where('thread_id', 'is', null)
      .where((eb) => eb.or([eb('kind', '!=', 'rating'), eb('deleted_at', 'is', null)]))
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!isUuid(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('id', '<', after);
    }
    if (request.kind !== undefined) query = query.where('kind', '=', request.kind);
    if (request.state !== undefined) query = query.where('state', '=', request.state);
    const rows = await query.execute();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: await presentThreads(this.db, items, actor.userId), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null };
  }

  /** What the feedback form offers `actor` on the product: targets, their teams, moderation right, own rating. */
  async options(actor: Actor, productRef: string): Promise<FeedbackOptions> {
    const product = await this.product(this.db, productRef);
    const teams =
      actor.userId === null
        ? []
        : await this.db.selectFrom('team_members as m').innerJoin('teams as t', 't.id', 'm.team_id').select(['t.id', 't.name']).where('m.user_id', '=', actor.userId).orderBy('t.name').execute();
    const rating =
      actor.userId === null
        ? undefined
        : await this.db.selectFrom('feedback').selectAll().where('product_id', '=', product.id).where('kind', '=', 'rating').where('author_id', '=', actor.userId).where('deleted_at', 'is', null).executeTakeFirst();
    const [myRating] = rating === undefined ? [] : await presentFeedback(this.db, [rating], actor.userId);
    return { targets: await feedbackTargets(this.db, product.id), teams, canModerate: hasDomainRole(actor, product.domain_id, ownerRoles), myRating: myRating ?? null };
  }

  /** Average rating, counts per kind and per state of issues and requests (live items only). */
  async summary(productRef: string): Promise<FeedbackSummary> {
    const product = await this.product(this.db, productRef);
    const groups = await this.db
      .selectFrom('feedback')
      .select((eb) => ['kind', 'state', 'rating', sql<boolean>`thread_id is not null`.as('reply'), eb.fn.countAll<string>().as('count')])
      .where('product_id', '=', product.id)
      .where('deleted_at', 'is', null)
      .groupBy(['kind', 'state', 'rating', sql`thread_id is not null`])
      .execute();
    const summary: FeedbackSummary = {
      productId: product.id,
      rating: { average: null, count: 0, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } },
      counts: { rating: 0, comment: 0, issue: 0, feature_request: 0 },
      replies: 0,
      states: { issue: emptyStates(), feature_request: emptyStates() },
    };
    let total = 0;
    for (const group of groups) {
      const count = Number(group.count);
      if (group.reply) {
        summary.replies += count;
        continue;
      }
      summary.counts[group.kind] += count;
      if (group.kind === 'rating' && group.rating !== null) {
        summary.rating.count += count;
        total += group.rating * count;
        const key = String(group.rating) as '1' | '2' | '3' | '4' | '5';
        summary.rating.distribution[key] += count;
      }
      if ((group.kind === 'issue' || group.kind === 'feature_request') && group.state !== null) summary.states[group.kind][group.state] += count;
    }
    summary.rating.average = summary.rating.count === 0 ? null : Math.round((total / summary.rating.count) * 100) / 100;
    return summary;
  }

  /** The team an item is attributed to: the chosen one (must be the author's), the only one, or none. */
  private async attributeTeam(db: Kysely<Database>, userId: string, teamId: string | null | undefined): Promise<string | null> {
    const teams = await db.selectFrom('team_members as m').innerJoin('teams as t', 't.id', 'm.team_id').select(['t.id', 't.name']).where('m.user_id', '=', userId).orderBy('t.name').execute();
    if (teamId === null) return null;
    if (teamId !== undefined) {
      if (!teams.some((team) => team.id === teamId)) throw new InputError('You are not a member of that team.', [{ pointer: '/teamId', detail: teams.length === 0 ? 'You belong to no team; leave teamId out.' : `Choose one of your teams: ${teams.map((team) => `${team.name} (${team.id})`).join(', ')}.` }]);
      return teamId;
    }
    if (teams.length > 1) throw new InputError('You are in several teams; say which one this feedback speaks for.', [{ pointer: '/teamId', detail: `Choose one of: ${teams.map((team) => `${team.name} (${team.id})`).join(', ')}; or null for none.` }]);
    return teams[0]?.id ?? null;
  }

  /** The fields a kind accepts; anything else is a problem on its pointer. */
  private static validate(input: FeedbackInput): void {
    const problems: FieldProblem[] = [];
    const title = trimmed(input.title);
    const body = trimmed(input.body);
    const forbid = (field: keyof FeedbackInput, why: string) => {
      if (input[field] !== undefined) problems.push({ pointer: `/${field}`, detail: why });
    };
    if (input.kind === 'rating') {
      if (input.rating === undefined || !Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) problems.push({ pointer: '/rating', detail: 'A rating needs 1 to 5 stars (a whole number).' });
    } else forbid('rating', 'Only a rating has stars.');
    if (input.kind === 'issue' || input.kind === 'feature_request') {
      if (title === '') problems.push({ pointer: '/title', detail: `${input.kind === 'issue' ? 'An issue report' : 'A feature request'} needs a title.` });
    } else if (title !== '') problems.push({ pointer: '/title', detail: 'Only issues and feature requests have a title.' });
    if (title.length > feedbackLimits.title) problems.push({ pointer: '/title', detail: `At most ${feedbackLimits.title} characters.` });
    if (input.kind === 'comment' && body === '') problems.push({ pointer: '/body', detail: 'A comment needs text.' });
    if (body.length > feedbackLimits.body) problems.push({ pointer: '/body', detail: `At most ${feedbackLimits.body} characters.` });
    if (input.kind !== 'comment') forbid('parentId', 'Replies are comments: send kind "comment".');
    if (input.kind !== 'issue') forbid('target', 'Only an issue report can name a column or check.');
    if (problems.length > 0) throw new InputError('The feedback is not valid.', problems);
  }

  /**
   * Gives feedback on a product. Ratings: `rating` 1–5 and an optional review in `body`, one live rating
   * per user (a second is a {@link ConflictError}: change the first). Comments: `body`, optionally
   * `parentId` to reply within a thread. Issues: `title`, `body`, optional `target`. Feature requests:
   * `title`, `body`. New issues and requests start `open`.
   */
  async create(actor: Actor, productRef: string, input: FeedbackInput): Promise<FeedbackItemView> {
    const userId = requireUser(actor);
    FeedbackService.validate(input);
    try {
      const row = await inTransaction(this.db, async (trx) => {
        const product = await this.product(trx, productRef);
        const teamId = await this.attributeTeam(trx, userId, input.teamId);
        let parent: FeedbackRow | undefined;
        let threadId: string | null = null;
        if (input.parentId !== undefined) {
          parent = isUuid(input.parentId) ? await trx.selectFrom('feedback').selectAll().where('id', '=', input.parentId).executeTakeFirst() : undefined;
          if (parent === undefined || parent.product_id !== product.id) throw new InputError('The item replied to does not exist on this product.', [{ pointer: '/parentId', detail: `No feedback ${input.parentId} on product ${product.external_id}.` }]);
          if (parent.deleted_at !== null) throw new InputError('The item replied to was deleted.', [{ pointer: '/parentId', detail: 'Reply to another item of the thread.' }]);
          threadId = parent.thread_id ?? parent.id;
          // Lock the thread's root: replies and state changes of one thread are serialised.
          await trx.selectFrom('feedback').select('id').where('id', '=', threadId).forUpdate().execute();
        }
        let target: { contractId: string; ref: string } | null = null;
        if (input.target !== undefined) target = resolveTarget(await feedbackTargets(trx, product.id), input.target);
        const inserted = await trx
          .insertInto('feedback')
          .values({
            id: newId(),
            product_id: product.id,
            kind: input.kind,
            author_id: userId,
            team_id: teamId,
            by_owner: holdsOwnerRole(actor, product.domain_id),
            parent_id: parent?.id ?? null,
            thread_id: threadId,
            rating: input.kind === 'rating' ? (input.rating ?? null) : null,
            title: trimmed(input.title),
            body: trimmed(input.body),
            target_kind: input.target === undefined ? null : input.target.kind,
            target_contract_id: target?.contractId ?? null,
            target_ref: target?.ref ?? null,
            state: input.kind === 'issue' || input.kind === 'feature_request' ? 'open' : null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (threadId !== null) await trx.updateTable('feedback').set({ last_activity_at: sql<Date>`now()` }).where('id', '=', threadId).execute();
        await this.markRead(trx, userId, threadId ?? inserted.id);
        await recordAudit(trx, actor, { action: 'feedback.create', entityType: 'feedback', entityId: inserted.id, before: null, after: auditShape(inserted) });
        return inserted;
      });
      this.emit({ type: row.thread_id === null ? 'created' : 'replied', feedbackId: row.id, actorId: userId });
      return (await presentFeedback(this.db, [row], userId))[0] as FeedbackItemView;
    } catch (error) {
      if (sqlState(error) === '23505' && input.kind === 'rating') {
        const product = await this.product(this.db, productRef);
        const existing = await this.db.selectFrom('feedback').select('id').where('product_id', '=', product.id).where('kind', '=', 'rating').where('author_id', '=', userId).where('deleted_at', 'is', null).executeTakeFirst();
        throw new ConflictError(`You already rated this product${existing === undefined ? '' : ` (feedback ${existing.id}); change that rating with PATCH /api/feedback/${existing.id}`}.`);
      }
      throw error;
    }
  }

  /** Changes the author's own text, stars or team at `expectedVersion`; nobody edits others' text. */
  async update(actor: Actor, options: { id: string; expectedVersion: number; patch: FeedbackPatch }): Promise<FeedbackItemView> {
    const userId = requireUser(actor);
    const { patch } = options;
    const row = await inTransaction(this.db, async (trx) => {
      const before = await this.row(trx, options.id, true);
      if (before.author_id !== userId) throw new NotAllowedError('Only the author may change this feedback.');
      if (before.deleted_at !== null) throw new ConflictError('This feedback was deleted and can no longer be changed.');
      assertVersion('The feedback', before.version, options.expectedVersion);
      const next: FeedbackInput = {
        kind: before.kind,
        rating: patch.rating ?? before.rating ?? undefined,
        title: patch.title ?? before.title,
        body: patch.body ?? before.body,
      };
      if (before.kind !== 'rating' && patch.rating !== undefined) throw new InputError('The feedback is not valid.', [{ pointer: '/rating', detail: 'Only a rating has stars.' }]);
      if (before.kind !== 'rating') delete next.rating;
      if ((before.kind === 'rating' || before.kind === 'comment') && patch.title !== undefined && trimmed(patch.title) !== '') throw new InputError('The feedback is not valid.', [{ pointer: '/title', detail: 'Only issues and feature requests have a title.' }]);
      FeedbackService.validate(next);
      const teamId = patch.teamId === undefined ? before.team_id : await this.attributeTeam(trx, userId, patch.teamId);
      const after = await trx
        .updateTable('feedback')
        .set({
          rating: before.kind === 'rating' ? (next.rating ?? before.rating) : null,
          title: trimmed(next.title),
          body: trimmed(next.body),
          team_id: teamId,
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
          last_activity_at: sql<Date>`now()`,
        })
        .where('id', '=', before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (before.thread_id !== null) await trx.updateTable('feedback').set({ last_activity_at: sql<Date>`now()` }).where('id', '=', before.thread_id).execute();
      await this.markRead(trx, userId, before.thread_id ?? before.id);
      await recordAudit(trx, actor, { action: 'feedback.update', entityType: 'feedback', entityId: before.id, before: auditShape(before), after: auditShape(after) });
      return after;
    });
    this.emit({ type: 'updated', feedbackId: row.id, actorId: userId });
    return (await presentFeedback(this.db, [row], userId))[0] as FeedbackItemView;
  }

  /**
   * Moves an issue or feature request to `state` at `expectedVersion`: owners only (an owner-like role
   * in the product's domain, or admin). Declining needs a `reason`, which the reporter sees.
   */
  async changeState(actor: Actor, options: { id: string; expectedVersion: number; state: FeedbackState; reason?: string | undefined }): Promise<FeedbackItemView> {
    const userId = requireUser(actor);
    const reason = trimmed(options.reason);
    const row = await inTransaction(this.db, async (trx) => {
      const before = await this.row(trx, options.id, true);
      const product = await this.product(trx, before.product_id);
      if (!hasDomainRole(actor, product.domain_id, ownerRoles)) throw new NotAllowedError(`Only the product's owners (${ownerRoles.join(', ')} in its domain) may change the state of feedback.`);
      if (before.state === null) throw new InputError('Only issue reports and feature requests have a state.', [{ pointer: '/state', detail: `This is a ${before.kind}.` }]);
      if (before.deleted_at !== null) throw new ConflictError('This feedback was deleted.');
      assertVersion('The feedback', before.version, options.expectedVersion);
      const allowed = stateTransitions[before.state];
      if (!allowed.includes(options.state)) throw new InputError(`An item that is ${before.state} cannot become ${options.state}.`, [{ pointer: '/state', detail: `From ${before.state} it can become: ${allowed.join(', ')}.` }]);
      if (options.state === 'declined' && reason === '') throw new InputError('Say why you decline it; the reporter sees the reason.', [{ pointer: '/reason', detail: 'A reason is required to decline.' }]);
      if (reason.length > feedbackLimits.reason) throw new InputError('The reason is too long.', [{ pointer: '/reason', detail: `At most ${feedbackLimits.reason} characters.` }]);
      const after = await trx
        .updateTable('feedback')
        .set({
          state: options.state,
          state_reason: reason === '' ? null : reason,
          state_changed_by: userId,
          state_changed_at: sql<Date>`now()`,
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
          last_activity_at: sql<Date>`now()`,
        })
        .where('id', '=', before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.markRead(trx, userId, before.thread_id ?? before.id);
      await recordAudit(trx, actor, { action: 'feedback.state', entityType: 'feedback', entityId: before.id, before: auditShape(before), after: auditShape(after) });
      return after;
    });
    this.emit({ type: 'state_changed', feedbackId: row.id, actorId: userId });
    return (await presentFeedback(this.db, [row], userId))[0] as FeedbackItemView;
  }

  /**
   * Deletes the author's own item at `expectedVersion`. Soft: the row stays (without its text) so the
   * replies under it keep their thread; a deleted rating no longer counts and may be given again.
   */
  async delete(actor: Actor, options: { id: string; expectedVersion: number }): Promise<void> {
    const userId = requireUser(actor);
    await inTransaction(this.db, async (trx) => {
      const before = await this.row(trx, options.id, true);
      if (before.author_id !== userId) throw new NotAllowedError('Only the author may delete this feedback.');
      if (before.deleted_at !== null) throw new NotFoundError(`Feedback ${options.id} was already deleted.`);
      assertVersion('The feedback', before.version, options.expectedVersion);
      const after = await trx
        .updateTable('feedback')
        .set({ deleted_at: sql<Date>`now()`, version: sql<number>`version + 1`, updated_at: sql<Date>`now()`, last_activity_at: sql<Date>`now()` })
        .where('id', '=', before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: 'feedback.delete', entityType: 'feedback', entityId: before.id, before: auditShape(before), after: auditShape(after) });
    });
    this.emit({ type: 'deleted', feedbackId: options.id, actorId: userId });
  }

  /**
   * Adds (`on`) or withdraws the caller's +1 on a feature request. No If-Match: a vote is the caller's
   * own membership in a set, and two votes commute, so nothing can be lost. Audited when it changes.
   */
  async vote(actor: Actor, id: string, on: boolean): Promise<FeedbackItemView> {
    const userId = requireUser(actor);
    await inTransaction(this.db, async (trx) => {
      const item = await this.row(trx, id, false);
      if (item.kind !== 'feature_request') throw new InputError('Only feature requests take votes.', [{ parameter: 'id', detail: `This is a ${item.kind}.` }]);
      if (item.deleted_at !== null) throw new ConflictError('This feature request was deleted.');
      const changed = on
        ? (await trx.insertInto('feedback_votes').values({ feedback_id: id, user_id: userId }).onConflict((oc) => oc.doNothing()).returning('user_id').execute()).length > 0
        : (await trx.deleteFrom('feedback_votes').where('feedback_id', '=', id).where('user_id', '=', userId).returning('user_id').execute()).length > 0;
      if (changed) await recordAudit(trx, actor, { action: on ? 'feedback.vote' : 'feedback.unvote', entityType: 'feedback', entityId: id, before: null, after: { userId } });
    });
    return this.get(actor, id);
  }

  /** Marks a thread read for the caller (the inbox's "new" marker). A personal bookmark: not audited. */
  async read(actor: Actor, id: string): Promise<void> {
    const userId = requireUser(actor);
    const item = await this.row(this.db, id, false);
    await this.markRead(this.db, userId, item.thread_id ?? item.id);
  }

  private async markRead(db: Kysely<Database>, userId: string, threadId: string): Promise<void> {
    await db
      .insertInto('feedback_reads')
      .values({ feedback_id: threadId, user_id: userId, read_at: sql<Date>`now()` })
      .onConflict((oc) => oc.columns(['user_id', 'feedback_id']).doUpdateSet({ read_at: sql<Date>`now()` }))
      .execute();
  }

  /**
   * The owner inbox: threads on the products of every domain where `actor` holds an owner-like role
   * (admins: all), most recent activity first, with unread markers (activity after the viewer last
   * read or wrote in the thread). Keyset on (last activity, id), kept at microsecond precision.
   */
  async inbox(actor: Actor, request: InboxRequest): Promise<InboxPage> {
    const userId = requireUser(actor);
    const domains = [...actor.domainRoles.entries()].filter(([, roles]) => ownerRoles.some((role) => roles.has(role))).map(([domainId]) => domainId);
    if (!actor.isAdmin && domains.length === 0) return { items: [], nextCursor: null, unreadCount: 0 };
    const limit = listLimit(request);
    let base = this.db
      .selectFrom('feedback as f')
      .innerJoin('products as p', 'p.id', 'f.product_id')
      .leftJoin('feedback_reads as r', (join) => join.onRef('r.feedback_id', '=', 'f.id').on('r.user_id', '=', userId))
      .where('f.thread_id', 'is', null)
      .where((eb) => eb.or([eb('f.kind', '!=', 'rating'), eb('f.deleted_at', 'is', null)]));
    if (!actor.isAdmin) base = base.where('p.domain_id', 'in', domains);
    if (request.kind !== undefined) base = base.where('f.kind', '=', request.kind);
    if (request.state !== undefined) base = base.where('f.state', '=', request.state);
    if (request.productId !== undefined) base = isUuid(request.productId) ? base.where('p.id', '=', request.productId) : base.where('p.external_id', '=', request.productId);
    const unreadCondition = sql<boolean>`(r.read_at is null or r.read_at < f.last_activity_at)`;
    const unreadCount = request.cursor !== undefined ? null : Number((await base.select((eb) => eb.fn.countAll<string>().as('n')).where(unreadCondition).executeTakeFirst())?.n ?? 0);
    let query = base
      .selectAll('f')
      .select(['p.external_id as product_external_id', 'p.name as product_name', sql<string>`to_char(f.last_activity_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`.as('activity_key'), unreadCondition.as('unread')])
      .orderBy('f.last_activity_at', 'desc')
      .orderBy('f.id', 'desc')
      .limit(limit + 1);
    if (request.unread === true) query = query.where(unreadCondition);
    if (request.cursor !== undefined) {
      const [at, id] = decodeCursor(request.cursor).split('|');
      if (at === undefined || id === undefined || !isUuid(id) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/.test(at)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where(sql<boolean>`(f.last_activity_at, f.id) < (${at}::timestamp at time zone 'UTC', ${id}::uuid)`);
    }
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    const threads = await presentThreads(
      this.db,
      page.map(({ product_external_id: _e, product_name: _n, activity_key: _k, unread: _u, ...row }) => row),
      userId,
    );
    const last = page[page.length - 1];
    return {
      items: threads.map((thread, index) => {
        const source = page[index];
        return { ...thread, product: { id: thread.productId, externalId: source?.product_external_id ?? '', name: source?.product_name ?? '' }, unread: source?.unread === true };
      }),
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor(`${last.activity_key}|${last.id}`) : null,
      unreadCount,
    };
  }
}
