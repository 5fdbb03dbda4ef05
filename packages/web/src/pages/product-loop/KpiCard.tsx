import type { KpiReport } from '@meshboard/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { KpiChart } from './KpiChart';
import { formatPeriod, formatTarget, formatValue, latestOf } from './kpiFormat';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/**
 * One KPI: latest value against the target, the chart with its table, and for manual KPIs a form to
 * enter a period's value (the table says who entered each). `queryKey` is the list to refresh.
 */
export function KpiCard({ report, queryKey }: { report: KpiReport; queryKey: readonly unknown[] }) {
  const { kpi, series } = report;
  const latest = latestOf(report);
  const queryClient = useQueryClient();
  const headingId = useId();
  const refresh = () => queryClient.invalidateQueries({ queryKey });
  const [period, setPeriod] = useState(series[series.length - 1]?.periodStart ?? '');
  const [value, setValue] = useState('');
  const [target, setTarget] = useState<string | undefined>(undefined);
  const enter = useMutation({
    mutationFn: () => api.call('POST /api/kpis/{kpiId}/values', { path: { kpiId: kpi.id }, body: { periodStart: period, value: Number(value) } }),
    onSuccess: async () => {
      setValue('');
      await refresh();
    },
  });
  const change = useMutation({
    mutationFn: (next: number | null) => api.call('PATCH /api/kpis/{kpiId}', { path: { kpiId: kpi.id }, body: { target: next } }, { ifMatch: `"v${kpi.version}"` }),
    onSuccess: async () => {
      setTarget(undefined);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => api.call('DELETE /api/kpis/{kpiId}', { path: { kpiId: kpi.id } }, { ifMatch: `"v${kpi.version}"` }),
    onSuccess: refresh,
  });
  const submitValue = (event: FormEvent) => {
    event.preventDefault();
    enter.mutate();
  };
  const submitTarget = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(target === undefined || target.trim() === '' ? null : Number(target));
  };
  return (
    <article className="card kpi-card" aria-labelledby={headingId}>
      <header className="kpi-head">
        <div>
          <h3 id={headingId}>{kpi.name}</h3>
          <p className="meta">
            {kpi.sourceLabel} · per {kpi.period} · last {kpi.window} {kpi.period}s
          </p>
          {kpi.description !== '' && <p className="small">{kpi.description}</p>}
        </div>
        <div className="kpi-latest">
          <span className="kpi-value">{formatValue(latest?.value ?? null, kpi.unit)}</span>
          <span className="meta">{latest === null ? 'nothing measured yet' : `${formatPeriod(latest.periodStart, kpi.period)}${latest.inProgress ? ' (so far)' : ''}`}</span>
          {latest?.met === true && <span className="badge badge-ok">✓ meets target{latest.inProgress ? ' so far' : ''}</span>}
          {latest?.met === false && <span className="badge badge-missed">✗ {kpi.direction === 'higher' ? 'below' : 'above'} target{latest.inProgress ? ' so far' : ''}</span>}
          {kpi.target !== null && <span className="meta">{formatTarget(kpi)}</span>}
        </div>
      </header>
      {series.length > 0 ? <KpiChart kpi={kpi} series={series} /> : <p className="empty">The source of this KPI is no longer available.</p>}
      <details>
        <summary>Values as a table</summary>
        <table className="table">
          <caption className="visually-hidden">{kpi.name} per {kpi.period}</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Value</th>
              <th scope="col">Target</th>
              {kpi.manual && <th scope="col">Entered by</th>}
            </tr>
          </thead>
          <tbody>
            {series.map((point) => (
              <tr key={point.periodStart}>
                <td>
                  {formatPeriod(point.periodStart, kpi.period)}
                  {point.inProgress && ' (in progress)'}
                </td>
                <td>{formatValue(point.value, kpi.unit)}</td>
                <td>{point.met === null ? '—' : point.met ? 'met' : 'missed'}</td>
                {kpi.manual && <td>{point.enteredBy === null ? '—' : `${point.enteredBy}${point.enteredAt === null ? '' : `, ${dateFormat.format(new Date(point.enteredAt))}`}`}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {kpi.manual && (
        <form className="form form-inline" onSubmit={submitValue} aria-label={`Enter a value of ${kpi.name}`}>
          <label>
            Period
            <select value={period} onChange={(event) => setPeriod(event.target.value)}>
              {[...series].reverse().map((point) => (
                <option key={point.periodStart} value={point.periodStart}>
                  {formatPeriod(point.periodStart, kpi.period)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Value{kpi.unit === '' ? '' : ` (${kpi.unit})`}
            <input type="number" step="any" required value={value} onChange={(event) => setValue(event.target.value)} />
          </label>
          <button type="submit" className="button button-primary" disabled={enter.isPending}>
            {enter.isPending ? 'Saving…' : 'Enter value'}
          </button>
          {enter.isError && <ErrorState error={enter.error} />}
        </form>
      )}
      <div className="actions">
        {target === undefined ? (
          <button type="button" className="button" onClick={() => setTarget(kpi.target === null ? '' : String(kpi.target))}>
            Change target
          </button>
        ) : (
          <form className="form form-inline" onSubmit={submitTarget} aria-label={`Change the target of ${kpi.name}`}>
            <label>
              Target (empty: none)
              <input type="number" step="any" value={target} onChange={(event) => setTarget(event.target.value)} />
            </label>
            <button type="submit" className="button button-primary" disabled={change.isPending}>
              Save target
            </button>
            <button type="button" className="button" onClick={() => setTarget(undefined)}>
              Cancel
            </button>
          </form>
        )}
        <button type="button" className="button" disabled={remove.isPending} onClick={() => remove.mutate()} aria-label={`Delete the KPI ${kpi.name}`}>
          Delete
        </button>
      </div>
      {change.isError && <ErrorState error={change.error} />}
      {remove.isError && <ErrorState error={remove.error} />}
    </article>
  );
}
