import type { FeedbackItem, FeedbackThread } from '@meshboard/client';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorState } from '../ErrorState';
import { AddToBacklog } from './AddToBacklog';
import { formatWhen, kindLabel, nextStates, stateAction, stateLabel } from './feedbackLabels';
import { useFeedbackActions } from './useFeedbackActions';

function Stars({ rating }: { rating: number }) {
  return (
    <span className="star-display" role="img" aria-label={`${rating} of 5 stars`}>
      {'★'.repeat(rating)}
      {'☆'.repeat(5 - rating)}
    </span>
  );
}

function Byline({ item }: { item: FeedbackItem }) {
  return (
    <span className="muted small">
      {item.author?.name ?? 'A former user'}
      {item.team !== null && <> · {item.team.name}</>} · <time dateTime={item.createdAt}>{formatWhen(item.createdAt)}</time>
      {/* A state change also bumps updatedAt (same transaction time as stateChangedAt): only text edits count. */}
      {item.updatedAt !== item.createdAt && item.updatedAt !== item.stateChangedAt && !item.deleted && item.kind !== 'rating' && ' · edited'}
    </span>
  );
}

/** The author's inline editor of their own text (title for issues and requests, body for all). */
function EditForm({ item, onDone }: { item: FeedbackItem; onDone: () => void }) {
  const { update } = useFeedbackActions();
  const [title, setTitle] = useState(item.title);
  const [body, setBody] = useState(item.body);
  const id = useId();
  const hasTitle = item.kind === 'issue' || item.kind === 'feature_request';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ item, patch: hasTitle ? { title, body } : { body } }, { onSuccess: onDone });
  };
  return (
    <form className="form feedback-form" onSubmit={submit} aria-label="Edit your feedback">
      {hasTitle && (
        <label htmlFor={`${id}-title`}>
          Title
          <input id={`${id}-title`} value={title} onChange={(event) => setTitle(event.target.value)} maxLength={200} required />
        </label>
      )}
      <label htmlFor={`${id}-body`}>
        Text
        <textarea id={`${id}-body`} value={body} onChange={(event) => setBody(event.target.value)} rows={3} maxLength={10000} />
      </label>
      {update.isError && <ErrorState error={update.error} />}
      <div className="feedback-actions">
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          Save
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Replying in a thread: the reply is a comment whose parent is `parent`. */
function ReplyForm({ parent, teamId, onDone }: { parent: FeedbackItem; teamId: string | null | undefined; onDone: () => void }) {
  const { create } = useFeedbackActions();
  const [body, setBody] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ productId: parent.productId, body: { kind: 'comment', body, parentId: parent.id, ...(teamId === undefined ? {} : { teamId }) } }, { onSuccess: onDone });
  };
  return (
    <form className="form feedback-form" onSubmit={submit} aria-label={`Reply to ${parent.author?.name ?? 'this item'}`}>
      <label htmlFor={`${id}-reply`}>
        Your reply
        <textarea id={`${id}-reply`} value={body} onChange={(event) => setBody(event.target.value)} rows={3} maxLength={10000} required />
      </label>
      {create.isError && <ErrorState error={create.error} />}
      <div className="feedback-actions">
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Post reply
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The owner's state change: a reason field (required to decline) and one button per allowed next state. */
function StateActions({ item }: { item: FeedbackItem }) {
  const { changeState } = useFeedbackActions();
  const [reason, setReason] = useState('');
  const id = useId();
  if (item.state === null) return null;
  return (
    <div className="form feedback-form feedback-moderation" role="group" aria-label={`Change the state of “${item.title}”`}>
      <label htmlFor={`${id}-reason`}>
        Reason shown to the reporter <span className="muted small">(required to decline)</span>
        <input id={`${id}-reason`} value={reason} onChange={(event) => setReason(event.target.value)} maxLength={2000} />
      </label>
      <div className="feedback-actions">
        {nextStates[item.state].map((state) => (
          <button key={state} type="button" className={state === 'resolved' ? 'button button-primary' : 'button'} disabled={changeState.isPending} onClick={() => changeState.mutate({ item, state, reason }, { onSuccess: () => setReason('') })}>
            {stateAction[state]}
          </button>
        ))}
      </div>
      {changeState.isError && <ErrorState error={changeState.error} />}
    </div>
  );
}

/** One item's text, with the author's edit/delete and everyone's reply buttons. */
function ItemActions({ item, teamId, extra }: { item: FeedbackItem; teamId: string | null | undefined; extra?: ReactNode }) {
  const { remove } = useFeedbackActions();
  const [mode, setMode] = useState<'view' | 'edit' | 'reply'>('view');
  if (mode === 'edit') return <EditForm item={item} onDone={() => setMode('view')} />;
  if (mode === 'reply') return <ReplyForm parent={item} teamId={teamId} onDone={() => setMode('view')} />;
  return (
    <>
      <div className="feedback-actions">
        {extra}
        {!item.deleted && item.kind !== 'rating' && (
          <button type="button" className="button" onClick={() => setMode('reply')}>
            Reply
          </button>
        )}
        {item.mine && !item.deleted && item.kind !== 'rating' && (
          <button type="button" className="button" onClick={() => setMode('edit')}>
            Edit
          </button>
        )}
        {item.mine && !item.deleted && item.kind === 'comment' && (
          <button type="button" className="button" disabled={remove.isPending} onClick={() => remove.mutate(item)}>
            Delete
          </button>
        )}
      </div>
      {remove.isError && <ErrorState error={remove.error} />}
    </>
  );
}

/**
 * One thread: the root item (kind, state, target, stars, text, author and team, the owner's reason),
 * votes on feature requests, replies with owners' replies marked, and the actions the viewer may take.
 * `canModerate` shows the owner's state actions; `unread` marks threads with unseen activity.
 */
export function FeedbackThreadCard({ thread, canModerate, unread = false, teamId, context }: { thread: FeedbackThread; canModerate: boolean; unread?: boolean; teamId?: string | null | undefined; context?: ReactNode }) {
  const { vote, markRead } = useFeedbackActions();
  const headingId = useId();
  const title = thread.deleted ? `${kindLabel[thread.kind]} (deleted)` : thread.title !== '' ? thread.title : thread.kind === 'rating' ? `Rated ${thread.rating ?? '?'} of 5` : kindLabel[thread.kind];
  return (
    <article className={unread ? 'feedback-thread unread' : 'feedback-thread'} aria-labelledby={headingId}>
      <div className="feedback-head">
        <span className="badge">{kindLabel[thread.kind]}</span>
        {thread.state !== null && <span className={thread.state === 'open' ? 'badge badge-accent' : 'badge'}>{stateLabel[thread.state]}</span>}
        {unread && <span className="feedback-new">New</span>}
        <h3 id={headingId}>{title}</h3>
        {thread.rating !== null && <Stars rating={thread.rating} />}
      </div>
      {context}
      <Byline item={thread} />
      {thread.target !== null && (
        <p className="small">
          About {thread.target.kind} <code>{thread.target.ref}</code>
        </p>
      )}
      {thread.deleted ? <p className="muted feedback-body">This item was deleted.</p> : thread.body !== '' && <p className="feedback-body">{thread.body}</p>}
      {thread.stateReason !== null && thread.state !== null && (
        <p className="feedback-reason small">
          <strong>{stateLabel[thread.state]} by the owner:</strong> {thread.stateReason}
        </p>
      )}
      <ItemActions
        item={thread}
        teamId={teamId}
        extra={
          <>
            {thread.kind === 'feature_request' && !thread.deleted && (
              <button type="button" className="button" aria-pressed={thread.voted} disabled={vote.isPending} onClick={() => vote.mutate(thread)}>
                +1 <span className="visually-hidden">vote for “{thread.title}”</span> · {thread.votes} {thread.votes === 1 ? 'vote' : 'votes'}
              </button>
            )}
            {unread && (
              <button type="button" className="button" disabled={markRead.isPending} onClick={() => markRead.mutate(thread)}>
                Mark read
              </button>
            )}
          </>
        }
      />
      {vote.isError && <ErrorState error={vote.error} />}
      {canModerate && thread.state !== null && !thread.deleted && <StateActions item={thread} />}
      {canModerate && (thread.kind === 'issue' || thread.kind === 'feature_request') && !thread.deleted && <AddToBacklog thread={thread} />}
      {thread.replies.length > 0 && (
        <ol className="feedback-replies" aria-label="Replies">
          {thread.replies.map((reply) => (
            <li key={reply.id} className={reply.byOwner ? 'feedback-reply-owner' : undefined}>
              <div className="feedback-head">
                {reply.byOwner && <span className="badge badge-accent">Owner</span>}
                <Byline item={reply} />
              </div>
              {reply.parentId !== thread.id && <span className="muted small">in reply to {thread.replies.find((other) => other.id === reply.parentId)?.author?.name ?? 'a reply'}</span>}
              {reply.deleted ? <p className="muted feedback-body">This comment was deleted.</p> : <p className="feedback-body">{reply.body}</p>}
              <ItemActions item={reply} teamId={teamId} />
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
