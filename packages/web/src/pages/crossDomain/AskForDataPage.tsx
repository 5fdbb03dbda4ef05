import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useDeferredValue, useId, useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { useTitle } from '../../components/useTitle';
import './crossDomain.css';

const route = getRouteApi('/authed/demands/new');

/**
 * "Ask for data" (issue 6): any signed-in user describes data no product offers — what, what for,
 * which fields, how fresh, for which of their teams. Reached from search when nothing is found (the
 * search words become the first title). The request lands in the demand inbox.
 */
export function AskForDataPage() {
  useTitle('Ask for data');
  const search = route.useSearch();
  const navigate = useNavigate();
  const id = useId();
  const [title, setTitle] = useState(search.title ?? '');
  const [description, setDescription] = useState('');
  const [useCase, setUseCase] = useState('');
  const [fields, setFields] = useState('');
  const [freshness, setFreshness] = useState('');
  const [teamId, setTeamId] = useState('');
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => api.call('GET /api/me', undefined, { signal }) });
  const teams = useQuery({ queryKey: ['teams', 'all'], queryFn: ({ signal }) => api.call('GET /api/teams', { query: { limit: 500 } }, { signal }) });
  const myTeams = (teams.data?.items ?? []).filter((team) => me.data?.teamIds.includes(team.id) === true);
  // Requests others already made with these words: saying "me too" there counts more than a second request.
  const words = useDeferredValue(title.trim());
  const similar = useQuery({ queryKey: ['demands', 'similar', words], queryFn: ({ signal }) => api.call('GET /api/demands', { query: { q: words, limit: 5 } }, { signal }), enabled: words.length >= 3 });
  const alreadyAsked = (similar.data?.items ?? []).filter((demand) => demand.requester.userId !== me.data?.id || demand.state === 'open');
  const create = useMutation({
    mutationFn: () =>
      api.call('POST /api/demands', {
        body: {
          title,
          useCase,
          ...(description === '' ? {} : { description }),
          desiredFields: fields
            .split(/[,\n]/)
            .map((field) => field.trim())
            .filter((field) => field !== ''),
          ...(freshness === '' ? {} : { freshness }),
          ...(teamId === '' ? {} : { requesterTeamId: teamId }),
        },
      }),
    onSuccess: (demand) => void navigate({ to: '/demands/$demandId', params: { demandId: demand.id } }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <>
      <h1>Ask for data</h1>
      <p className="lead">
        Could not find what you need? Describe it: the data product owners of the mesh triage every request into a domain’s backlog, or tell you why not. Follow it under <Link to="/demands/mine">My requests</Link>.
      </p>
      <form className="form card" onSubmit={submit} aria-label="Ask for data" style={{ maxWidth: '44rem' }}>
        <label htmlFor={`${id}-title`}>
          What data do you need?
          <input id={`${id}-title`} required maxLength={300} value={title} onChange={(event) => setTitle(event.target.value)} placeholder="e.g. Store footfall per hour" />
        </label>
        {alreadyAsked.length > 0 && (
          <div className="notice" role="status">
            <p style={{ margin: 0 }}>Already asked — open one and say “me too” if it is what you need:</p>
            <ul className="xd-children">
              {alreadyAsked.map((demand) => (
                <li key={demand.id}>
                  <Link to="/demands/$demandId" params={{ demandId: demand.id }}>
                    {demand.title}
                  </Link>{' '}
                  <span className="muted small">({demand.votes} “me too”)</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <label htmlFor={`${id}-use`}>
          What is it for?
          <textarea id={`${id}-use`} required maxLength={5000} rows={3} value={useCase} onChange={(event) => setUseCase(event.target.value)} placeholder="The decision, report or product it feeds" />
        </label>
        <label htmlFor={`${id}-description`}>
          Details <span className="muted small">(optional)</span>
          <textarea id={`${id}-description`} maxLength={20000} rows={3} value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
        <label htmlFor={`${id}-fields`}>
          Fields you would like <span className="muted small">(comma-separated, optional)</span>
          <input id={`${id}-fields`} value={fields} onChange={(event) => setFields(event.target.value)} placeholder="store_id, hour, visitors" />
        </label>
        <label htmlFor={`${id}-freshness`}>
          How fresh must it be? <span className="muted small">(optional)</span>
          <input id={`${id}-freshness`} maxLength={200} value={freshness} onChange={(event) => setFreshness(event.target.value)} placeholder="hourly, daily by 6am…" />
        </label>
        {myTeams.length > 0 && (
          <label htmlFor={`${id}-team`}>
            Asking for a team <span className="muted small">(optional)</span>
            <select id={`${id}-team`} value={teamId} onChange={(event) => setTeamId(event.target.value)}>
              <option value="">Just me</option>
              {myTeams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {create.isError && <ErrorState error={create.error} />}
        <div>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Sending…' : 'Send request'}
          </button>
        </div>
      </form>
    </>
  );
}
