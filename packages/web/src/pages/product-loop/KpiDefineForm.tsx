import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';

type Owner = { kind: 'product'; id: string } | { kind: 'domain'; id: string };

/** Defines a KPI of a product or a domain: name, source (from the server's registry), target, direction, period, window. */
export function KpiDefineForm({ owner, queryKey }: { owner: Owner; queryKey: readonly unknown[] }) {
  const queryClient = useQueryClient();
  const sources = useQuery({ queryKey: ['kpi-sources'], queryFn: ({ signal }) => api.call('GET /api/kpi-sources', undefined, { signal }) });
  const [fields, setFields] = useState({ name: '', source: 'usage.events', target: '', direction: 'higher' as 'higher' | 'lower', period: 'week' as 'day' | 'week' | 'month', window: '12' });
  const define = useMutation({
    mutationFn: () => {
      const body = { name: fields.name, source: fields.source, target: fields.target.trim() === '' ? null : Number(fields.target), direction: fields.direction, period: fields.period, window: Number(fields.window) };
      return owner.kind === 'product' ? api.call('POST /api/products/{id}/kpis', { path: { id: owner.id }, body }) : api.call('POST /api/domains/{id}/kpis', { path: { id: owner.id }, body });
    },
    onSuccess: async () => {
      setFields({ ...fields, name: '', target: '' });
      await queryClient.invalidateQueries({ queryKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    define.mutate();
  };
  const chosen = sources.data?.items.find((source) => source.key === fields.source);
  return (
    <form className="form" onSubmit={submit} aria-labelledby="define-heading">
      <h2 id="define-heading">Define a KPI</h2>
      <label>
        Name
        <input required maxLength={200} value={fields.name} onChange={(event) => setFields({ ...fields, name: event.target.value })} />
      </label>
      <label>
        Source
        <select value={fields.source} onChange={(event) => setFields({ ...fields, source: event.target.value })}>
          {(sources.data?.items ?? []).map((source) => (
            <option key={source.key} value={source.key}>
              {source.label}
            </option>
          ))}
        </select>
        {chosen !== undefined && <span className="muted small">{chosen.description}</span>}
      </label>
      <div className="form-row">
        <label>
          Target{chosen !== undefined && chosen.unit !== '' ? ` (${chosen.unit})` : ''}
          <input type="number" step="any" value={fields.target} onChange={(event) => setFields({ ...fields, target: event.target.value })} />
        </label>
        <label>
          Better when
          <select value={fields.direction} onChange={(event) => setFields({ ...fields, direction: event.target.value === 'lower' ? 'lower' : 'higher' })}>
            <option value="higher">higher</option>
            <option value="lower">lower</option>
          </select>
        </label>
        <label>
          Period
          <select value={fields.period} onChange={(event) => setFields({ ...fields, period: event.target.value as 'day' | 'week' | 'month' })}>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </label>
        <label>
          Window (periods)
          <input type="number" min={1} max={366} required value={fields.window} onChange={(event) => setFields({ ...fields, window: event.target.value })} />
        </label>
      </div>
      {define.isError && <ErrorState error={define.error} />}
      <button type="submit" className="button button-primary" disabled={define.isPending}>
        {define.isPending ? 'Defining…' : 'Define KPI'}
      </button>
    </form>
  );
}
