import { frameworks, type Framework } from '@meshboard/model';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { frameworkLabels, stateName } from './labels';

/** The open items ranked by value, each score explained; another framework can be tried without saving it. */
export function BacklogRankingView({ productId }: { productId: string }) {
  const [framework, setFramework] = useState<Framework | ''>('');
  const ranking = useQuery({
    queryKey: ['backlog', productId, 'ranking', framework],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}/backlog/ranking', { path: { id: productId }, query: { limit: 200, ...(framework === '' ? {} : { framework }) } }, { signal }),
  });
  return (
    <section aria-labelledby="ranking-heading">
      <h2 id="ranking-heading">Ranking by value</h2>
      <div className="backlog-actions">
        <label className="inline-field">
          Framework
          <select value={framework} onChange={(event) => setFramework(event.target.value as Framework | '')}>
            <option value="">The product’s framework</option>
            {frameworks.map((f) => (
              <option key={f} value={f}>
                {frameworkLabels[f]}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">Votes are shown but never ranked by unless a custom formula names them.</span>
      </div>
      {ranking.isPending ? (
        <Loading label="Ranking…" />
      ) : ranking.isError ? (
        <ErrorState error={ranking.error} />
      ) : (
        <>
          <p>
            <strong>{frameworkLabels[ranking.data.framework]}</strong>: <span className="explanation">{ranking.data.formula}</span>
            <span className="muted small">
              {' '}
              · {ranking.data.total} open item{ranking.data.total === 1 ? '' : 's'}
            </span>
          </p>
          {ranking.data.items.length === 0 ? (
            <p className="empty">No open items to rank.</p>
          ) : (
            <table className="table backlog-table">
              <caption className="visually-hidden">Open items, best first, with the explanation of each score</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Item</th>
                  <th scope="col">Tier</th>
                  <th scope="col">Score</th>
                  <th scope="col">Why</th>
                  <th scope="col">Votes</th>
                </tr>
              </thead>
              <tbody>
                {ranking.data.items.map(({ rank, item, evaluation }) => (
                  <tr key={item.id}>
                    <td>{rank}</td>
                    <td>
                      <Link to="/products/$productId/backlog" params={{ productId }} search={{ item: item.id }}>
                        #{item.number} {item.title}
                      </Link>
                      <div className="muted small">{stateName(item.state)}</div>
                    </td>
                    <td>{evaluation.groupLabel ?? '—'}</td>
                    <td>{evaluation.score === null ? 'not scored' : Math.round(evaluation.score * 100) / 100}</td>
                    <td className="explanation">{evaluation.explanation}</td>
                    <td>{item.votes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {ranking.data.nextCursor !== null && <p className="muted small">Showing the top 200.</p>}
        </>
      )}
    </section>
  );
}
