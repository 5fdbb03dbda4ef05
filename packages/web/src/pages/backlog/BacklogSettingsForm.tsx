import type { BacklogSettings } from '@meshboard/client';
import { frameworks, type Framework } from '@meshboard/model';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { frameworkLabels } from './labels';

/** The product's prioritisation settings, saved with If-Match so two editors never overwrite each other. */
export function BacklogSettingsForm({ productId }: { productId: string }) {
  const settings = useQuery({ queryKey: ['backlog', productId, 'settings'], queryFn: ({ signal }) => api.call('GET /api/products/{id}/backlog/settings', { path: { id: productId } }, { signal }) });
  if (settings.isPending) return <Loading label="Loading the settings…" />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => void settings.refetch()} />;
  // Not keyed by version: the editor keeps its state (and the "Saved" notice) while the new version arrives.
  return <SettingsEditor productId={productId} initial={settings.data.settings} version={settings.data.version} />;
}

interface Term {
  input: string;
  weight: string;
}

function SettingsEditor({ productId, initial, version }: { productId: string; initial: BacklogSettings; version: number }) {
  const queryClient = useQueryClient();
  const [framework, setFramework] = useState<Framework>(initial.framework);
  const [iceCombiner, setIceCombiner] = useState(initial.iceCombiner);
  const [valueThreshold, setValueThreshold] = useState(String(initial.valueThreshold));
  const [effortThreshold, setEffortThreshold] = useState(String(initial.effortThreshold));
  const [customName, setCustomName] = useState(initial.custom?.name ?? '');
  const [terms, setTerms] = useState<Term[]>(initial.custom?.terms.map((term) => ({ input: term.input, weight: String(term.weight) })) ?? [{ input: '', weight: '1' }]);
  const save = useMutation({
    mutationFn: (body: BacklogSettings) => api.call('PUT /api/products/{id}/backlog/settings', { path: { id: productId }, body }, { ifMatch: `"v${version}"` }),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: ['backlog', productId] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const usedTerms = terms.filter((term) => term.input.trim() !== '');
    save.mutate({
      framework,
      iceCombiner,
      valueThreshold: Number(valueThreshold),
      effortThreshold: Number(effortThreshold),
      custom: customName.trim() === '' && usedTerms.length === 0 ? null : { name: customName, terms: usedTerms.map((term) => ({ input: term.input.trim(), weight: Number(term.weight) })) },
    });
  };
  const setTerm = (index: number, patch: Partial<Term>) => setTerms(terms.map((term, i) => (i === index ? { ...term, ...patch } : term)));
  return (
    <section aria-labelledby="settings-heading" className="card">
      <h2 id="settings-heading">Prioritisation settings</h2>
      <form className="form" onSubmit={submit}>
        {save.isError && <ErrorState error={save.error} />}
        {save.isSuccess && <p role="status">Saved. The ranking now uses {frameworkLabels[save.data.settings.framework]}.</p>}
        <fieldset>
          <legend>Framework</legend>
          {frameworks.map((f) => (
            <label key={f} className="choice">
              <input type="radio" name="framework" value={f} checked={framework === f} onChange={() => setFramework(f)} /> {frameworkLabels[f]}
            </label>
          ))}
        </fieldset>
        <label>
          ICE combines impact, confidence and ease by
          <select value={iceCombiner} onChange={(event) => setIceCombiner(event.target.value as BacklogSettings['iceCombiner'])}>
            <option value="product">product (impact × confidence × ease)</option>
            <option value="average">average ((impact + confidence + ease) ÷ 3)</option>
          </select>
        </label>
        <label>
          Value/effort matrix: high value from
          <input type="number" step="any" min={0} max={10} value={valueThreshold} onChange={(event) => setValueThreshold(event.target.value)} />
        </label>
        <label>
          Value/effort matrix: high effort from
          <input type="number" step="any" min={0} value={effortThreshold} onChange={(event) => setEffortThreshold(event.target.value)} />
        </label>
        <fieldset>
          <legend>Custom formula (score = Σ weight × input)</legend>
          <label>
            Name
            <input value={customName} onChange={(event) => setCustomName(event.target.value)} placeholder="e.g. Revenue first" />
          </label>
          {terms.map((term, index) => (
            <div key={index} className="term-row">
              <label className="inline-field">
                Input {index + 1}
                <input value={term.input} onChange={(event) => setTerm(index, { input: event.target.value })} placeholder="e.g. value, effort, votes" />
              </label>
              <label className="inline-field">
                Weight {index + 1}
                <input type="number" step="any" value={term.weight} onChange={(event) => setTerm(index, { weight: event.target.value })} />
              </label>
              <button type="button" className="button" onClick={() => setTerms(terms.filter((_, i) => i !== index))} aria-label={`Remove input ${index + 1}`}>
                Remove
              </button>
            </div>
          ))}
          <p>
            <button type="button" className="button" onClick={() => setTerms([...terms, { input: '', weight: '1' }])}>
              Add input
            </button>
          </p>
        </fieldset>
        <div>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            Save settings
          </button>
        </div>
      </form>
    </section>
  );
}
