import type { BacklogItem } from '@meshboard/client';
import { backlogKinds, backlogStates, writeBacklogCsv, type BacklogKind } from '@meshboard/model';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { BacklogItemPanel } from './BacklogItemPanel';
import type { BacklogSearch } from './backlogSearch';
import { kindLabels, stateName } from './labels';
import { useCanTriage } from './useCanTriage';

/** Downloads `text` as a file named `name` (the browser's save dialog). */
function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The item list with filters, filing a new item, export/import, and the panel of the open item. */
export function BacklogItems({ productId, domainId, search }: { productId: string; domainId: string; search: BacklogSearch }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const canTriage = useCanTriage(domainId);
  const filters = { state: search.itemState, kind: search.itemKind, label: search.label };
  const items = useQuery({
    queryKey: ['backlog', productId, 'list', filters],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}/backlog', { path: { id: productId }, query: { ...filters, limit: 500 } }, { signal }),
  });
  const go = (next: BacklogSearch) => void navigate({ to: '/products/$productId/backlog', params: { productId }, search: next });
  const setFilter = (name: 'itemState' | 'itemKind' | 'label', value: string) => go({ ...search, [name]: value === '' ? undefined : value });

  const [kind, setKind] = useState<BacklogKind>('request');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => api.call('POST /api/products/{id}/backlog', { path: { id: productId }, body: { kind, title, description } }),
    onSuccess: async (item) => {
      setTitle('');
      setDescription('');
      await queryClient.invalidateQueries({ queryKey: ['backlog', productId] });
      go({ ...search, item: item.id });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  const exporting = useMutation({
    mutationFn: async (format: 'json' | 'csv') => {
      const data = await api.call('GET /api/products/{id}/backlog/export', { path: { id: productId } });
      if (format === 'json') return download(`backlog-${productId}.json`, 'application/json', JSON.stringify(data, null, 2));
      const numbers = new Map(data.items.map((item) => [item.id, item.number]));
      const csv = writeBacklogCsv(
        data.items.map((item) => ({
          ...item,
          requester: item.requester.label,
          duplicateOf: item.duplicateOfId === null ? null : (numbers.get(item.duplicateOfId) ?? null),
          inputs: Object.fromEntries(Object.entries(item.inputs).map(([name, input]) => [name, input.value])),
        })),
      );
      download(`backlog-${productId}.csv`, 'text/csv', csv);
    },
  });
  const importing = useMutation({
    mutationFn: async ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const text = await file.text();
      if (file.name.toLowerCase().endsWith('.json')) {
        const parsed = JSON.parse(text) as { items?: BacklogItem[] };
        const items = (parsed.items ?? []).map((item) => ({ kind: item.kind, title: item.title, description: item.description, acceptanceCriteria: item.acceptanceCriteria, labels: item.labels, estimate: item.estimate, state: item.state, declineReason: item.declineReason, inputs: Object.fromEntries(Object.entries(item.inputs).map(([name, input]) => [name, input.value as number])) }));
        return api.call('POST /api/products/{id}/backlog/import', { path: { id: productId }, body: { format: 'json', items, dryRun } });
      }
      return api.call('POST /api/products/{id}/backlog/import', { path: { id: productId }, body: { format: 'csv', content: text, dryRun } });
    },
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: ['backlog', productId] }),
  });
  const [file, setFile] = useState<File | undefined>();
  const [dryRun, setDryRun] = useState(true);

  const list = items.data?.items ?? [];
  const selected = search.item;
  return (
    <div className={`backlog-layout${selected === undefined ? '' : ' with-panel'}`}>
      <section aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        <form className="backlog-filters" aria-label="Filter items" onSubmit={(event) => event.preventDefault()}>
          <label>
            State
            <select value={search.itemState ?? ''} onChange={(event) => setFilter('itemState', event.target.value)}>
              <option value="">Any state</option>
              {backlogStates.map((state) => (
                <option key={state} value={state}>
                  {stateName(state)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Kind
            <select value={search.itemKind ?? ''} onChange={(event) => setFilter('itemKind', event.target.value)}>
              <option value="">Any kind</option>
              {backlogKinds.map((k) => (
                <option key={k} value={k}>
                  {kindLabels[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Label
            <input key={search.label ?? ''} defaultValue={search.label ?? ''} placeholder="e.g. quality" onBlur={(event) => setFilter('label', event.target.value.trim())} onKeyDown={(event) => event.key === 'Enter' && setFilter('label', event.currentTarget.value.trim())} />
          </label>
        </form>
        {items.isPending ? (
          <Loading label="Loading the backlog…" />
        ) : items.isError ? (
          <ErrorState error={items.error} onRetry={() => void items.refetch()} />
        ) : list.length === 0 ? (
          <p className="empty">No items{search.itemState !== undefined || search.itemKind !== undefined || search.label !== undefined ? ' match these filters' : ' yet: file the first one below'}.</p>
        ) : (
          <table className="table backlog-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Title</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Labels</th>
                <th scope="col">Votes</th>
              </tr>
            </thead>
            <tbody>
              {list.map((item) => (
                <tr key={item.id} aria-selected={item.id === selected}>
                  <td>{item.number}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => go({ ...search, item: item.id })}>
                      {item.title}
                    </button>
                    {item.duplicateOfId !== null && <span className="badge">duplicate</span>}
                  </td>
                  <td>{kindLabels[item.kind]}</td>
                  <td>{stateName(item.state)}</td>
                  <td>
                    {item.labels.map((label) => (
                      <span key={label} className="badge">
                        {label}
                      </span>
                    ))}
                  </td>
                  <td>{item.votes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {items.data?.nextCursor != null && <p className="muted small">Showing the first 500 items; narrow the filters.</p>}

        <section aria-labelledby="new-heading" className="card backlog-card">
          <h3 id="new-heading">File an item</h3>
          <form className="form" onSubmit={submit}>
            {create.isError && <ErrorState error={create.error} />}
            <label>
              Kind
              <select value={kind} onChange={(event) => setKind(event.target.value as BacklogKind)}>
                {backlogKinds.map((k) => (
                  <option key={k} value={k}>
                    {kindLabels[k]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Title
              <input required maxLength={300} value={title} onChange={(event) => setTitle(event.target.value)} />
            </label>
            <label>
              Description
              <textarea value={description} onChange={(event) => setDescription(event.target.value)} />
            </label>
            <div>
              <button type="submit" className="button button-primary" disabled={create.isPending}>
                File item
              </button>
            </div>
          </form>
        </section>

        <section aria-labelledby="transfer-heading" className="card backlog-card">
          <h3 id="transfer-heading">Export and import</h3>
          <div className="backlog-actions">
            <button type="button" className="button" onClick={() => exporting.mutate('csv')}>
              Export CSV
            </button>
            <button type="button" className="button" onClick={() => exporting.mutate('json')}>
              Export JSON
            </button>
          </div>
          {exporting.isError && <ErrorState error={exporting.error} />}
          {canTriage && (
            <form
              className="form"
              onSubmit={(event) => {
                event.preventDefault();
                if (file !== undefined) importing.mutate({ file, dryRun });
              }}
            >
              <label>
                File (Meshboard CSV or JSON export, or a Jira CSV export)
                <input type="file" accept=".csv,.json,text/csv,application/json" onChange={(event) => setFile(event.target.files?.[0])} />
              </label>
              <label className="choice">
                <input type="checkbox" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} /> Only check the file (dry run)
              </label>
              <div>
                <button type="submit" className="button" disabled={file === undefined || importing.isPending}>
                  Import
                </button>
              </div>
              {importing.isError && <ErrorState error={importing.error} />}
              {importing.data !== undefined && (
                <p role="status">
                  {importing.data.dryRun ? 'Checked: ' : 'Imported '}
                  {importing.data.imported} item{importing.data.imported === 1 ? '' : 's'} ({importing.data.format}){importing.data.dryRun ? ' would be imported; nothing was written.' : '.'}
                </p>
              )}
            </form>
          )}
        </section>
      </section>
      {selected !== undefined && <BacklogItemPanel key={selected} itemId={selected} productId={productId} canTriage={canTriage} others={list.filter((item) => item.id !== selected && item.duplicateOfId === null)} onClose={() => go({ ...search, item: undefined })} />}
    </div>
  );
}
