import { PreconditionFailedError } from '@meshboard/model';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { canvasFields, canvasOf, type CanvasFields } from '../../components/vision/visionFields';
import { VisionSummary } from '../../components/vision/VisionSummary';
import { ProductLoopHeader } from './ProductLoopHeader';

const route = getRouteApi('/authed/products/$productId/vision');
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

type Draft = Record<keyof CanvasFields, string>;

function toDraft(canvas: CanvasFields): Draft {
  return Object.fromEntries(canvasFields.map(({ key, list }) => [key, list ? (canvas[key] as string[]).join('\n') : (canvas[key] as string)])) as Draft;
}

function fromDraft(draft: Draft): CanvasFields {
  const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return {
    purpose: draft.purpose.trim(),
    targetConsumers: lines(draft.targetConsumers),
    useCases: lines(draft.useCases),
    value: draft.value.trim(),
    successKpis: lines(draft.successKpis),
    sources: lines(draft.sources),
    constraints: lines(draft.constraints),
  };
}

/**
 * A product's vision canvas: the latest version, an editor that saves a new version (If-Match on the
 * version it was opened from; someone else's save in between is reported, never overwritten), and the
 * history of saved versions.
 */
export function VisionPage() {
  const { productId } = route.useParams();
  const queryClient = useQueryClient();
  const vision = useQuery({
    queryKey: ['vision', productId],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}/vision', { path: { id: productId } }, { signal }),
  });
  const history = useQuery({
    queryKey: ['vision-history', productId],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}/vision/versions', { path: { id: productId }, query: { limit: 50 } }, { signal }),
  });
  const [draft, setDraft] = useState<{ base: number; fields: Draft } | undefined>(undefined);
  const save = useMutation({
    mutationFn: (edit: { base: number; fields: Draft }) => api.call('PUT /api/products/{id}/vision', { path: { id: productId }, body: fromDraft(edit.fields) }, { ifMatch: `"v${edit.base}"` }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['vision', productId], saved);
      setDraft(undefined);
      await queryClient.invalidateQueries({ queryKey: ['vision-history', productId] });
    },
  });
  useTitle(vision.isError ? 'Vision not available' : 'Vision');
  if (vision.isPending) return <Loading label="Loading the vision…" />;
  if (vision.isError) return <ErrorState error={vision.error} onRetry={() => void vision.refetch()} />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft !== undefined) save.mutate(draft);
  };
  const stale = save.error instanceof PreconditionFailedError;
  return (
    <>
      <ProductLoopHeader productId={productId} current="vision" />
      <div className="columns">
        <section aria-labelledby="canvas-heading" className="card">
          <h2 id="canvas-heading">Vision canvas</h2>
          {draft === undefined ? (
            <>
              <VisionSummary vision={vision.data} />
              <button
                type="button"
                className="button button-primary"
                onClick={() => {
                  save.reset();
                  setDraft({ base: vision.data.version, fields: toDraft(canvasOf(vision.data)) });
                }}
              >
                {vision.data.version === 0 ? 'Write the vision' : 'Edit the vision'}
              </button>
            </>
          ) : (
            <form className="form" onSubmit={submit} aria-label="Edit the vision canvas">
              {canvasFields.map(({ key, label, list, hint }) => (
                <label key={key}>
                  {label}
                  <span className="muted small">{hint}</span>
                  <textarea rows={list ? 3 : 2} value={draft.fields[key]} onChange={(event) => setDraft({ ...draft, fields: { ...draft.fields, [key]: event.target.value } })} />
                </label>
              ))}
              {stale ? (
                <div className="callout callout-danger" role="alert">
                  <strong>Someone else saved the vision meanwhile.</strong>
                  <p>Your text is kept. Load their version to compare; saving after that replaces it with your text.</p>
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      void vision.refetch().then((fresh) => {
                        save.reset();
                        void history.refetch();
                        if (fresh.data !== undefined) setDraft({ ...draft, base: fresh.data.version });
                      });
                    }}
                  >
                    Load their version, keep my text
                  </button>
                </div>
              ) : (
                save.isError && <ErrorState error={save.error} />
              )}
              {draft.base !== vision.data.version || draft.base === 0 ? null : (
                <details className="callout">
                  <summary>The current version ({vision.data.version}, by {vision.data.savedByLabel ?? 'someone'})</summary>
                  <VisionSummary vision={vision.data} headingLevel={4} compact />
                </details>
              )}
              <div className="actions">
                <button type="submit" className="button button-primary" disabled={save.isPending}>
                  {save.isPending ? 'Saving…' : 'Save as a new version'}
                </button>
                <button type="button" className="button" onClick={() => setDraft(undefined)}>
                  Cancel
                </button>
              </div>
            </form>
          )}
        </section>
        <section aria-labelledby="history-heading" className="card">
          <h2 id="history-heading">History</h2>
          {history.isPending ? (
            <Loading label="Loading the history…" />
          ) : history.isError ? (
            <ErrorState error={history.error} />
          ) : history.data.items.length === 0 ? (
            <p className="empty">Nothing saved yet.</p>
          ) : (
            <ol className="list">
              {history.data.items.map((version) => (
                <li key={version.version}>
                  <details>
                    <summary>
                      Version {version.version} · {version.savedByLabel ?? 'someone'}
                      {version.savedAt !== null && <> · {dateFormat.format(new Date(version.savedAt))}</>}
                    </summary>
                    <VisionSummary vision={version} headingLevel={4} />
                  </details>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
    </>
  );
}
