import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { slaTargetsOf } from './documentFields';
import { ResultChip } from './TrustBadgeView';

const periods = [7, 30, 90] as const;

/**
 * SLA: each declared target (`slaProperties`) beside its measured compliance over the chosen period
 * (GET /api/contracts/{id}/sla). A target the engine does not measure shows "not measured".
 */
export function SlaPanel({ contractId, document }: { contractId: string; document: unknown }) {
  const [days, setDays] = useState<(typeof periods)[number]>(30);
  const targets = slaTargetsOf(document);
  const compliance = useQuery({
    queryKey: ['sla', contractId, days],
    queryFn: ({ signal }) => api.call('GET /api/contracts/{id}/sla', { path: { id: contractId }, query: { days } }, { signal }),
    enabled: targets.length > 0,
  });
  if (targets.length === 0) return <p className="empty">This contract declares no SLA.</p>;
  return (
    <div>
      <label className="inline-field">
        Period{' '}
        <select value={days} onChange={(event) => setDays(Number(event.target.value) as (typeof periods)[number])}>
          {periods.map((period) => (
            <option key={period} value={period}>
              last {period} days
            </option>
          ))}
        </select>
      </label>
      {compliance.isPending ? (
        <Loading label="Loading SLA compliance…" />
      ) : compliance.isError ? (
        <ErrorState error={compliance.error} onRetry={() => void compliance.refetch()} />
      ) : (
        <table className="table sla-table">
          <caption className="visually-hidden">SLA targets and compliance over the last {days} days</caption>
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Declared</th>
              <th scope="col">Compliance</th>
              <th scope="col">Last result</th>
            </tr>
          </thead>
          <tbody>
            {targets.map((target, index) => {
              const measured = compliance.data.items.find((item) => item.name.toLowerCase().startsWith(`${target.property.toLowerCase()} `) && (target.element === undefined || item.name.includes(target.element)));
              return (
                <tr key={`${target.property}-${index}`}>
                  <th scope="row">{target.property}</th>
                  <td>
                    {target.value ?? '—'} {target.unit ?? ''}
                    {target.element !== undefined && <div className="muted small">on {target.element}</div>}
                  </td>
                  <td>
                    {measured === undefined ? (
                      <span className="muted">not measured</span>
                    ) : measured.compliancePercent === null ? (
                      <span className="muted">no verdict in {days} days</span>
                    ) : (
                      <>
                        <meter min={0} max={100} low={95} high={99} optimum={100} value={measured.compliancePercent} aria-hidden="true" />{' '}
                        <strong>{measured.compliancePercent} %</strong>
                        <div className="muted small">
                          {measured.passed} of {measured.evaluated} runs met it{measured.errored > 0 ? `, ${measured.errored} could not measure` : ''}
                        </div>
                      </>
                    )}
                  </td>
                  <td>{measured?.lastResult == null ? '—' : <ResultChip result={measured.lastResult} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
