import type { Kysely } from 'kysely';
import type { Database, FeedbackKind, FeedbackRow, FeedbackState } from '../../store/Database';

/** Who wrote an item (null when the user was deleted). */
export interface FeedbackPerson {
  id: string;
  name: string;
}

/** What an issue report points at: a column (`object.property`) or a check id of a contract. */
export interface FeedbackTargetView {
  kind: 'column' | 'check';
  contractId: string | null;
  ref: string;
}

/** One feedback item on the wire. Deleted items keep their place in a thread with empty text. */
export interface FeedbackItemView {
  id: string;
  productId: string;
  kind: FeedbackKind;
  parentId: string | null;
  threadId: string | null;
  author: FeedbackPerson | null;
  team: FeedbackPerson | null;
  /** The author held an owner-like role in the product's domain when writing (an owner's reply). */
  byOwner: boolean;
  /** Whether the viewer wrote it (only the author may change or delete it). */
  mine: boolean;
  rating: number | null;
  title: string;
  body: string;
  target: FeedbackTargetView | null;
  state: FeedbackState | null;
  /** Why the owner declined or resolved it (shown to the reporter). */
  stateReason: string | null;
  stateChangedAt: string | null;
  votes: number;
  voted: boolean;
  deleted: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  lastActivityAt: string;
}

/** A root item with every reply of its thread (flat, oldest first; `parentId` gives the tree). */
export interface FeedbackThreadView extends FeedbackItemView {
  replies: FeedbackItemView[];
}

/** A thread in the owner inbox: with its product and whether the viewer has seen its latest activity. */
export interface InboxThreadView extends FeedbackThreadView {
  product: { id: string; externalId: string; name: string };
  unread: boolean;
}

/** The audit shape of a row: every stored field, no joins (written in the mutation's transaction). */
export function auditShape(row: FeedbackRow): { [key: string]: string | number | boolean | null } {
  return {
    id: row.id,
    productId: row.product_id,
    kind: row.kind,
    authorId: row.author_id,
    teamId: row.team_id,
    parentId: row.parent_id,
    rating: row.rating,
    title: row.title,
    body: row.body,
    targetKind: row.target_kind,
    targetContractId: row.target_contract_id,
    targetRef: row.target_ref,
    state: row.state,
    stateReason: row.state_reason,
    deleted: row.deleted_at !== null,
    version: row.version,
  };
}

/**
 * Turns rows into views for `viewerId`: author and team names, vote counts and the viewer's own vote
 * are read in three queries for the whole batch (no query per row).
 */
export async function presentFeedback(db: Kysely<Database>, rows: readonly FeedbackRow[], viewerId: string | null): Promise<FeedbackItemView[]> {
  if (rows.length === 0) return [];
  const userIds = [...new Set(rows.map((row) => row.author_id).filter((id): id is string => id !== null))];
  const teamIds = [...new Set(rows.map((row) => row.team_id).filter((id): id is string => id !== null))];
  const requestIds = rows.filter((row) => row.kind === 'feature_request').map((row) => row.id);
  const [users, teams, votes] = await Promise.all([
    userIds.length === 0 ? [] : db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute(),
    teamIds.length === 0 ? [] : db.selectFrom('teams').select(['id', 'name']).where('id', 'in', teamIds).execute(),
    requestIds.length === 0
      ? []
      : db
          .selectFrom('feedback_votes')
          .select((eb) => ['feedback_id', eb.fn.countAll<string>().as('count'), eb.fn.max(eb.case().when('user_id', '=', viewerId ?? '00000000-0000-0000-0000-000000000000').then(1).else(0).end()).as('mine')])
          .where('feedback_id', 'in', requestIds)
          .groupBy('feedback_id')
          .execute(),
  ]);
  const userNames = new Map(users.map((user) => [user.id, user.name]));
  const teamNames = new Map(teams.map((team) => [team.id, team.name]));
  const voteCounts = new Map(votes.map((vote) => [vote.feedback_id, { count: Number(vote.count), mine: Number(vote.mine) === 1 }]));
  return rows.map((row) => {
    const deleted = row.deleted_at !== null;
    const vote = voteCounts.get(row.id);
    return {
      id: row.id,
      productId: row.product_id,
      kind: row.kind,
      parentId: row.parent_id,
      threadId: row.thread_id,
      author: row.author_id === null ? null : { id: row.author_id, name: userNames.get(row.author_id) ?? 'Unknown user' },
      team: row.team_id === null ? null : { id: row.team_id, name: teamNames.get(row.team_id) ?? 'Unknown team' },
      byOwner: row.by_owner,
      mine: viewerId !== null && row.author_id === viewerId,
      rating: deleted ? null : row.rating,
      title: deleted ? '' : row.title,
      body: deleted ? '' : row.body,
      target: row.target_kind === null || row.target_ref === null ? null : { kind: row.target_kind, contractId: row.target_contract_id, ref: row.target_ref },
      state: row.state,
      stateReason: row.state_reason,
      stateChangedAt: row.state_changed_at?.toISOString() ?? null,
      votes: vote?.count ?? 0,
      voted: vote?.mine ?? false,
      deleted,
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      lastActivityAt: row.last_activity_at.toISOString(),
    };
  });
}

/** Attaches to each root the replies of its thread (one query for the whole page). */
export async function presentThreads(db: Kysely<Database>, roots: readonly FeedbackRow[], viewerId: string | null): Promise<FeedbackThreadView[]> {
  if (roots.length === 0) return [];
  const replyRows = await db
    .selectFrom('feedback')
    .selectAll()
    .where(
      'thread_id',
      'in',
      roots.map((root) => root.id),
    )
    .orderBy('id')
    .execute();
  const views = await presentFeedback(db, [...roots, ...replyRows], viewerId);
  const rootViews = views.slice(0, roots.length);
  const replies = views.slice(roots.length);
  return rootViews.map((root) => ({ ...root, replies: replies.filter((reply) => reply.threadId === root.id) }));
}
