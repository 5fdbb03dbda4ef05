import type { FeedbackCreate, FeedbackOptions, FeedbackSummary } from '@meshboard/client';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { FeedbackThreadCard } from './FeedbackThreadCard';
import { formatAverage, kindLabel } from './feedbackLabels';
import { feedbackKeys, useFeedbackActions } from './useFeedbackActions';
import './feedback.css';

type Kind = FeedbackCreate['kind'];

/** The team picker, shown only when the user is in several teams (one team is implied, none is null). */
function TeamSelect({ options, value, onChange }: { options: FeedbackOptions; value: string; onChange: (value: string) => void }) {
  const id = useId();
  if (options.teams.length < 2) return null;
  return (
    <label htmlFor={id}>
      On behalf of
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} required>
        <option value="">Choose your team…</option>
        {options.teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
        <option value="none">No team (just me)</option>
      </select>
    </label>
  );
}

/** `teamId` for the API from the picker: absent when implied, null for "no team". */
function teamField(options: FeedbackOptions, value: string): { teamId?: string | null } {
  if (options.teams.length < 2) return {};
  return { teamId: value === 'none' || value === '' ? null : value };
}

function Summary({ summary }: { summary: FeedbackSummary }) {
  const openIssues = summary.states.issue.open + summary.states.issue.acknowledged;
  const openRequests = summary.states.feature_request.open + summary.states.feature_request.acknowledged;
  return (
    <div className="feedback-summary">
      <div>
        <div className="feedback-average" aria-label={summary.rating.average === null ? 'Not rated yet' : `Average rating ${formatAverage(summary.rating.average)} of 5`}>
          {formatAverage(summary.rating.average)} <span className="star-display" aria-hidden="true">★</span>
        </div>
        <div className="muted small">
          {summary.rating.count} {summary.rating.count === 1 ? 'rating' : 'ratings'}
        </div>
      </div>
      <dl className="feedback-stats">
        <div>
          <dt>Open issues</dt>
          <dd>{openIssues}</dd>
        </div>
        <div>
          <dt>Open feature requests</dt>
          <dd>{openRequests}</dd>
        </div>
        <div>
          <dt>Comments and replies</dt>
          <dd>{summary.counts.comment + summary.replies}</dd>
        </div>
      </dl>
    </div>
  );
}

/** Your rating: 1–5 stars and an optional review; a second visit changes it (one rating per person). */
function RatingForm({ productId, options }: { productId: string; options: FeedbackOptions }) {
  const { create, update, remove } = useFeedbackActions();
  const mine = options.myRating;
  const [stars, setStars] = useState<number>(mine?.rating ?? 0);
  const [review, setReview] = useState(mine?.body ?? '');
  const [team, setTeam] = useState('');
  const id = useId();
  const pending = create.isPending || update.isPending || remove.isPending;
  const error = create.error ?? update.error ?? remove.error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mine === null) create.mutate({ productId, body: { kind: 'rating', rating: stars, body: review, ...teamField(options, team) } });
    else update.mutate({ item: mine, patch: { rating: stars, body: review } });
  };
  return (
    <form className="form feedback-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{mine === null ? 'Rate this product' : 'Your rating'}</h3>
      <fieldset className="stars">
        <legend>Stars</legend>
        {[1, 2, 3, 4, 5].map((value) => (
          <label key={value}>
            <input type="radio" name={`${id}-stars`} value={value} checked={stars === value} onChange={() => setStars(value)} required />
            {value} {value === 1 ? 'star' : 'stars'}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-review`}>
        Review <span className="muted small">(optional)</span>
        <textarea id={`${id}-review`} value={review} onChange={(event) => setReview(event.target.value)} rows={2} maxLength={10000} />
      </label>
      {mine === null && <TeamSelect options={options} value={team} onChange={setTeam} />}
      {error !== null && <ErrorState error={error} />}
      <div className="feedback-actions">
        <button type="submit" className="button button-primary" disabled={pending || stars === 0}>
          {mine === null ? 'Submit rating' : 'Update rating'}
        </button>
        {mine !== null && (
          <button
            type="button"
            className="button"
            disabled={pending}
            onClick={() =>
              remove.mutate(mine, {
                onSuccess: () => {
                  setStars(0);
                  setReview('');
                },
              })
            }
          >
            Remove rating
          </button>
        )}
      </div>
    </form>
  );
}

/** A comment, an issue report (optionally on a column or check) or a feature request. */
function NewFeedbackForm({ productId, options }: { productId: string; options: FeedbackOptions }) {
  const { create } = useFeedbackActions();
  const [kind, setKind] = useState<Exclude<Kind, 'rating'>>('comment');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [target, setTarget] = useState('');
  const [team, setTeam] = useState('');
  const [sent, setSent] = useState<string | undefined>(undefined);
  const id = useId();
  const hasTitle = kind !== 'comment';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [targetKind, contractId, ref] = target.split('\u0000');
    const request: FeedbackCreate = {
      kind,
      body,
      ...(hasTitle ? { title } : {}),
      ...(kind === 'issue' && (targetKind === 'column' || targetKind === 'check') && contractId !== undefined && ref !== undefined ? { target: { kind: targetKind, contractId, ref } } : {}),
      ...teamField(options, team),
    };
    create.mutate(
      { productId, body: request },
      {
        onSuccess: () => {
          setSent(`Your ${kindLabel[kind].toLowerCase()} was posted.`);
          setTitle('');
          setBody('');
          setTarget('');
        },
      },
    );
  };
  return (
    <form className="form feedback-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Give feedback</h3>
      <label htmlFor={`${id}-kind`}>
        Kind
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(event) => {
            setKind(event.target.value as Exclude<Kind, 'rating'>);
            setSent(undefined);
          }}
        >
          <option value="comment">Comment or question</option>
          <option value="issue">Issue report</option>
          <option value="feature_request">Feature request</option>
        </select>
      </label>
      {hasTitle && (
        <label htmlFor={`${id}-title`}>
          Title
          <input id={`${id}-title`} value={title} onChange={(event) => setTitle(event.target.value)} maxLength={200} required />
        </label>
      )}
      {kind === 'issue' && (
        <label htmlFor={`${id}-target`}>
          About
          <select id={`${id}-target`} value={target} onChange={(event) => setTarget(event.target.value)}>
            <option value="">The product in general</option>
            {options.targets.columns.length > 0 && (
              <optgroup label="A column">
                {options.targets.columns.map((column) => (
                  <option key={`c${column.contractId}${column.ref}`} value={['column', column.contractId, column.ref].join('\u0000')}>
                    {column.ref}
                  </option>
                ))}
              </optgroup>
            )}
            {options.targets.checks.length > 0 && (
              <optgroup label="A check">
                {options.targets.checks.map((check) => (
                  <option key={`k${check.contractId}${check.ref}`} value={['check', check.contractId, check.ref].join('\u0000')}>
                    {check.name !== '' && check.name !== check.ref ? `${check.name} (${check.ref})` : check.ref}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </label>
      )}
      <label htmlFor={`${id}-body`}>
        {kind === 'comment' ? 'Comment' : 'Details'}
        <textarea id={`${id}-body`} value={body} onChange={(event) => setBody(event.target.value)} rows={3} maxLength={10000} required={kind === 'comment'} />
      </label>
      <TeamSelect options={options} value={team} onChange={setTeam} />
      {create.isError && <ErrorState error={create.error} />}
      {sent !== undefined && !create.isError && (
        <p role="status" className="small">
          {sent}
        </p>
      )}
      <div className="feedback-actions">
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Post {kindLabel[kind].toLowerCase()}
        </button>
      </div>
    </form>
  );
}

const filters: { value: '' | Kind; label: string }[] = [
  { value: '', label: 'Everything' },
  { value: 'issue', label: 'Issues' },
  { value: 'feature_request', label: 'Feature requests' },
  { value: 'comment', label: 'Comments' },
  { value: 'rating', label: 'Ratings and reviews' },
];

/**
 * The feedback section of a product: the average rating and open counts, the viewer's rating, a form
 * for comments, issue reports (on a column or check) and feature requests, and the threads, filterable
 * by kind and paged. Owners (canModerate) also get the state actions on each thread.
 */
export function ProductFeedback({ productId }: { productId: string }) {
  const [kind, setKind] = useState<'' | Kind>('');
  const filterId = useId();
  const summary = useQuery({ queryKey: feedbackKeys.summary(productId), queryFn: ({ signal }) => api.call('GET /api/products/{id}/feedback/summary', { path: { id: productId } }, { signal }) });
  const options = useQuery({ queryKey: feedbackKeys.options(productId), queryFn: ({ signal }) => api.call('GET /api/products/{id}/feedback/options', { path: { id: productId } }, { signal }) });
  const threads = useInfiniteQuery({
    queryKey: feedbackKeys.list(productId, kind),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api.call('GET /api/products/{id}/feedback', { path: { id: productId }, query: { limit: 20, ...(kind === '' ? {} : { kind }), ...(pageParam === undefined ? {} : { cursor: pageParam }) } }, { signal }),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = threads.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="feedback-heading" className="card feedback-section">
      <h2 id="feedback-heading">Feedback</h2>
      {summary.isPending ? <Loading label="Loading the rating…" /> : summary.isError ? <ErrorState error={summary.error} /> : <Summary summary={summary.data} />}
      {options.isPending ? (
        <Loading label="Loading the feedback form…" />
      ) : options.isError ? (
        <ErrorState error={options.error} />
      ) : (
        <div className="columns">
          <RatingForm key={options.data.myRating?.id ?? 'new'} productId={productId} options={options.data} />
          <NewFeedbackForm productId={productId} options={options.data} />
        </div>
      )}
      <div className="feedback-filters">
        <label htmlFor={filterId}>
          Show
          <select id={filterId} value={kind} onChange={(event) => setKind(event.target.value as '' | Kind)}>
            {filters.map((filter) => (
              <option key={filter.value} value={filter.value}>
                {filter.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {threads.isPending ? (
        <Loading label="Loading feedback…" />
      ) : threads.isError ? (
        <ErrorState error={threads.error} onRetry={() => void threads.refetch()} />
      ) : items.length === 0 ? (
        <p className="empty">No feedback yet.</p>
      ) : (
        <div aria-label="Feedback threads" role="feed" aria-busy={threads.isFetching}>
          {items.map((thread) => (
            <FeedbackThreadCard key={thread.id} thread={thread} canModerate={options.data?.canModerate ?? false} teamId={options.data !== undefined && options.data.teams.length > 1 ? null : undefined} />
          ))}
        </div>
      )}
      {threads.hasNextPage && (
        <button type="button" className="button" disabled={threads.isFetchingNextPage} onClick={() => void threads.fetchNextPage()}>
          {threads.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      )}
    </section>
  );
}
