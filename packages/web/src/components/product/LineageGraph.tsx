import type { Lineage } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { layoutLineage, lineageBox } from './lineageLayout';

type LineageNode = Lineage['nodes'][number];

function hrefOf(node: LineageNode): string | undefined {
  if (node.kind === 'product') return `/products/${node.id}`;
  return node.contractId === null ? undefined : `/contracts/${node.contractId}`;
}

function shorten(name: string): string {
  return name.length > 22 ? `${name.slice(0, 21)}…` : name;
}

/**
 * The lineage of a product as an SVG graph computed by the server from the ODPS input ports: upstream
 * products and sources on the left, consumers on the right. Every other node is a link (focusable with
 * Tab, opened with Enter); focusing or hovering a node highlights its edges. A list below says the same
 * in text.
 */
export function LineageGraph({ productId }: { productId: string }) {
  const [depth, setDepth] = useState(2);
  const [active, setActive] = useState<string | undefined>(undefined);
  const navigate = useNavigate();
  const lineage = useQuery({
    queryKey: ['lineage', productId, depth],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}/lineage', { path: { id: productId }, query: { depth } }, { signal }),
  });
  const controls = (
    <label className="inline-field">
      Depth{' '}
      <select value={depth} onChange={(event) => setDepth(Number(event.target.value))}>
        {[1, 2, 3, 4, 5].map((value) => (
          <option key={value} value={value}>
            {value} {value === 1 ? 'step' : 'steps'}
          </option>
        ))}
      </select>
    </label>
  );
  if (lineage.isPending) return <Loading label="Loading lineage…" />;
  if (lineage.isError) return <ErrorState error={lineage.error} onRetry={() => void lineage.refetch()} />;
  const data = lineage.data;
  const byId = new Map(data.nodes.map((node) => [node.id, node]));
  const layout = layoutLineage(data);
  const { nodeWidth, nodeHeight } = lineageBox;
  const upstream = data.nodes.filter((node) => node.level < 0);
  const downstream = data.nodes.filter((node) => node.level > 0);
  const touches = (edge: Lineage['edges'][number]) => active !== undefined && (edge.from === active || edge.to === active);
  return (
    <div className="lineage">
      {controls}
      {upstream.length === 0 && downstream.length === 0 ? (
        <p className="empty">No lineage: this product has no input ports, and no product reads its output ports.</p>
      ) : (
        <>
          <div className="lineage-canvas">
            <svg viewBox={`0 0 ${layout.width} ${layout.height}`} width={layout.width} height={layout.height} role="group" aria-label={`Lineage graph: ${upstream.length} upstream, ${downstream.length} downstream`}>
              <defs>
                <marker id="lineage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                  <path d="M0,0 L10,5 L0,10 z" className="lineage-arrow" />
                </marker>
              </defs>
              {layout.edges.map(({ edge, path }) => (
                <path key={`${edge.from}>${edge.to}>${edge.inputPort}`} d={path} className={`lineage-edge${touches(edge) ? ' lineage-edge-active' : ''}`} markerEnd="url(#lineage-arrow)" fill="none">
                  <title>{`${byId.get(edge.from)?.name ?? edge.from} → ${byId.get(edge.to)?.name ?? edge.to} via ${edge.contractExternalId}`}</title>
                </path>
              ))}
              {layout.nodes.map(({ node, x, y }) => {
                const href = node.id === data.rootId ? undefined : hrefOf(node);
                const box = (
                  <>
                    <rect x={x} y={y} width={nodeWidth} height={nodeHeight} rx={8} className={`lineage-node lineage-${node.kind}${node.id === data.rootId ? ' lineage-root' : ''}`} />
                    <text x={x + 10} y={y + 19} className="lineage-name">
                      {shorten(node.name)}
                    </text>
                    <text x={x + 10} y={y + 35} className="lineage-meta">
                      {`${node.kind === 'source' ? 'source' : (node.status ?? 'product')} · ${node.level === 0 ? 'this product' : node.level < 0 ? 'upstream' : 'downstream'}`}
                    </text>
                  </>
                );
                const hover = { onMouseEnter: () => setActive(node.id), onMouseLeave: () => setActive(undefined), onFocus: () => setActive(node.id), onBlur: () => setActive(undefined) };
                return href === undefined ? (
                  <g key={node.id} {...hover}>
                    {box}
                  </g>
                ) : (
                  <a
                    key={node.id}
                    href={href}
                    className="lineage-link"
                    onClick={(event) => {
                      if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                      event.preventDefault();
                      void navigate({ to: href });
                    }}
                    {...hover}
                  >
                    {box}
                  </a>
                );
              })}
            </svg>
          </div>
          {data.truncated && <p className="small muted">The graph was cut at its size limit; lower the depth to see it whole.</p>}
          <div className="columns lineage-lists">
            <LineageList title="Upstream (inputs)" nodes={upstream} data={data} direction="up" />
            <LineageList title="Downstream (consumers)" nodes={downstream} data={data} direction="down" />
          </div>
        </>
      )}
    </div>
  );
}

function LineageList({ title, nodes, data, direction }: { title: string; nodes: LineageNode[]; data: Lineage; direction: 'up' | 'down' }) {
  return (
    <div>
      <h3>{title}</h3>
      {nodes.length === 0 ? (
        <p className="empty">None.</p>
      ) : (
        <ul className="list">
          {[...nodes]
            .sort((a, b) => Math.abs(a.level) - Math.abs(b.level) || a.name.localeCompare(b.name))
            .map((node) => {
              const via = data.edges.filter((edge) => (direction === 'up' ? edge.from === node.id : edge.to === node.id)).map((edge) => edge.contractExternalId);
              const href = hrefOf(node);
              return (
                <li key={node.id}>
                  {href === undefined ? <strong>{node.name}</strong> : node.kind === 'product' ? <Link to="/products/$productId" params={{ productId: node.id }}>{node.name}</Link> : <Link to="/contracts/$contractId" params={{ contractId: node.contractId ?? '' }}>{node.name}</Link>}
                  <span className="muted small">
                    {' '}
                    · {Math.abs(node.level)} {Math.abs(node.level) === 1 ? 'step' : 'steps'} {direction === 'up' ? 'up' : 'down'}
                    {node.kind === 'source' ? ' · source contract' : ''}
                    {via.length > 0 ? ` · via ${[...new Set(via)].join(', ')}` : ''}
                  </span>
                </li>
              );
            })}
        </ul>
      )}
    </div>
  );
}
