import type { BacklogItem, LinkedBacklogItem } from '@meshboard/client';
import { openBacklogStates } from '@meshboard/model';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { stateName } from '../backlog/labels';

/** A link to one end of a cross-domain request: "Finance · Invoices #3 Title". */
export function LinkedItemLink({ item }: { item: LinkedBacklogItem }) {
  return (
    <Link to="/products/$productId/backlog" params={{ productId: item.product.id }} search={{ item: item.id }}>
      {item.domain.name} · {item.product.name} #{item.number} {item.title}
    </Link>
  );
}

/**
 * The cross-domain part of an open backlog item (issue 6): the item it was requested for, its children
 * in other domains with their roll-up ("blocked on 2 of 3"; declined children show their reason), and
 * for the item's own team a form filing a linked request in another domain's product backlog.
 */
export function CrossDomainSection({ item, canRequest }: { item: BacklogItem; canRequest: boolean }) {
  const id = useId();
  const queryClient = useQueryClient();
  const links = useQuery({ queryKey: ['backlog-item', item.id, 'links', item.version], queryFn: ({ signal }) => api.call('GET /api/backlog-items/{id}/links', { path: { id: item.id } }, { signal }) });
  const [open, setOpen] = useState(false);
  const [productId, setProductId] = useState('');
  const [title, setTitle] = useState(item.title);
  const products = useQuery({ queryKey: ['products', 'all'], queryFn: ({ signal }) => api.call('GET /api/products', { query: { limit: 500 } }, { signal }), enabled: open });
  const domains = useQuery({ queryKey: ['domains', 'all'], queryFn: ({ signal }) => api.call('GET /api/domains', { query: { limit: 500 } }, { signal }), enabled: open });
  const ownDomain = products.data?.items.find((product) => product.id === item.productId)?.domainId;
  const request = useMutation({
    mutationFn: () => api.call('POST /api/backlog-items/{id}/cross-domain', { path: { id: item.id }, body: { productId, title } }, { ifMatch: `"v${item.version}"` }),
    onSuccess: async (result) => {
      queryClient.setQueryData(['backlog-item', item.id], result.parent);
      setOpen(false);
      await queryClient.invalidateQueries({ queryKey: ['backlog', item.productId] });
      await queryClient.invalidateQueries({ queryKey: ['backlog-item', item.id] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };
  const domainName = (domainId: string) => domains.data?.items.find((domain) => domain.id === domainId)?.name ?? '';
  const data = links.data;
  const canAsk = canRequest && item.duplicateOfId === null && openBacklogStates.includes(item.state);
  if (data === undefined) return links.isError ? <ErrorState error={links.error} /> : null;
  if (data.parent === null && data.children.length === 0 && !canAsk) return null;
  return (
    <section className="panel-section" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Cross-domain</h3>
      {data.parent !== null && (
        <p>
          Requested for <LinkedItemLink item={data.parent} /> <span className="badge">{stateName(data.parent.state)}</span>
        </p>
      )}
      {data.children.length > 0 && (
        <>
          <p>
            <strong className={data.rollUp.complete ? 'rollup rollup-done' : 'rollup'}>{data.rollUp.summary}</strong>
          </p>
          <ul className="xd-children">
            {data.children.map((child) => (
              <li key={child.id}>
                <LinkedItemLink item={child} /> <span className="badge badge-accent">{stateName(child.state)}</span>
                {child.state === 'declined' && child.declineReason !== null && <span className="small"> — declined: {child.declineReason}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {canAsk && !open && (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Request from another domain…
        </button>
      )}
      {canAsk && open && (
        <form className="form" onSubmit={submit} aria-label="Request from another domain">
          <label htmlFor={`${id}-product`}>
            Product in another domain
            <select id={`${id}-product`} required value={productId} onChange={(event) => setProductId(event.target.value)}>
              <option value="">Choose a product…</option>
              {(products.data?.items ?? [])
                .filter((product) => product.domainId !== ownDomain)
                .map((product) => (
                  <option key={product.id} value={product.id}>
                    {domainName(product.domainId)} · {product.name}
                  </option>
                ))}
            </select>
          </label>
          <label htmlFor={`${id}-title`}>
            What you need from them
            <input id={`${id}-title`} required maxLength={300} value={title} onChange={(event) => setTitle(event.target.value)} />
          </label>
          <div className="backlog-actions">
            <button type="submit" className="button button-primary" disabled={request.isPending || productId === ''}>
              File linked request
            </button>
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
          {request.isError && <ErrorState error={request.error} />}
        </form>
      )}
    </section>
  );
}
