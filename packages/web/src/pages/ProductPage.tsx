import type { Lineage, Product } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { Fragment } from 'react';
import { api } from '../app/api';
import { productQuery } from '../app/queries';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { Changelog } from '../components/product/Changelog';
import { ReleaseChangelog } from './roadmap/ReleaseChangelog';
import { declaredOutputPort, describeDocument, inputPortsOf, linksOf, tagsOf } from '../components/product/documentFields';
import { LineageGraph } from '../components/product/LineageGraph';
import { LinksPanel } from '../components/product/LinksPanel';
import { OwnersPanel } from '../components/product/OwnersPanel';
import { ProductFeedback } from '../components/feedback/ProductFeedback';
import { ProductEngagement } from '../components/product/ProductEngagement';
import { VisionSummary } from '../components/vision/VisionSummary';
import { QualityPanel } from '../components/product/QualityPanel';
import { SlaPanel } from '../components/product/SlaPanel';
import { DeprecationBanner } from '../components/lifecycle/DeprecationBanner';
import { DeprecationPanel } from '../components/lifecycle/DeprecationPanel';
import '../components/lifecycle/lifecycle.css';
import { useTitle } from '../components/useTitle';
import '../components/product/product.css';

const route = getRouteApi('/authed/products/$productId');

const sections = [
  ['overview', 'Overview'],
  ['quality', 'Quality'],
  ['sla', 'SLA'],
  ['lineage', 'Lineage'],
  ['changelog', 'Changelog'],
  ['links', 'Docs & support'],
  ['engagement', 'Access'],
  ['feedback', 'Feedback'],
] as const;

/** The product's own workbench pages, linked from its header in this order. */
const productTools = [
  { to: '/products/$productId/backlog', label: 'Backlog' },
  { to: '/products/$productId/roadmap', label: 'Roadmap' },
  { to: '/products/$productId/sprints', label: 'Sprints' },
  { to: '/products/$productId/decisions', label: 'Decisions' },
  { to: '/products/$productId/vision', label: 'Vision' },
  { to: '/products/$productId/kpis', label: 'KPIs' },
] as const;

/**
 * A data product: purpose, owners and roles, status and version, output ports with their contracts,
 * input ports, quality per output contract (latest results, trends, trust badge), SLA, lineage,
 * changelog, documentation and support, and the slot for access requests, subscribers and feedback.
 */
export function ProductPage() {
  const { productId } = route.useParams();
  // The route's loader has usually started this fetch already (app/queries.ts).
  const product = useQuery(productQuery(productId));
  useTitle(product.data?.name ?? (product.isError ? 'Product not available' : 'Product'));
  if (product.isPending) return <Loading label="Loading the product…" />;
  if (product.isError) return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  return <ProductView product={product.data} />;
}

function ProductView({ product }: { product: Product }) {
  const domain = useQuery({
    queryKey: ['domain', product.domainId],
    queryFn: ({ signal }) => api.call('GET /api/domains/{id}', { path: { id: product.domainId } }, { signal }),
  });
  const team = useQuery({
    queryKey: ['team', product.ownerTeamId],
    enabled: product.ownerTeamId !== null,
    queryFn: ({ signal }) => api.call('GET /api/teams/{id}', { path: { id: product.ownerTeamId ?? '' } }, { signal }),
  });
  const users = useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => api.call('GET /api/users', { query: { limit: 500 } }, { signal }),
  });
  // One step of lineage names the product behind each input port (same query the graph uses at depth 1).
  const upstream = useQuery({
    queryKey: ['lineage', product.id, 1],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}/lineage', { path: { id: product.id }, query: { depth: 1 } }, { signal }),
  });
  const producerOf = (contractId: string) => {
    const edge = upstream.data?.edges.find((candidate) => candidate.to === product.id && candidate.contractExternalId === contractId);
    return edge === undefined ? undefined : upstream.data?.nodes.find((node) => node.id === edge.from);
  };
  // Issue 6: the deprecation banner (everyone) and panel (owners: the API sends usage figures to them only).
  const lifecycle = useQuery({
    queryKey: ['lifecycle', product.id],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}/lifecycle', { path: { id: product.id } }, { signal }),
  });
  const description = describeDocument(product.document);
  const tags = tagsOf(product.document);
  const inputs = inputPortsOf(product.document);
  const contracts = product.outputPorts.flatMap((port) => (port.contract === null ? [] : [{ port: port.name, contract: port.contract }]));
  return (
    <article className="product-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span>{' '}
        <Link to="/domains/$domainId" params={{ domainId: product.domainId }}>
          {domain.data?.name ?? 'Domain'}
        </Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">{product.name}</span>
      </nav>
      <header className="page-head">
        <h1>{product.name}</h1>
        <p className="meta">
          <span className={`badge status-${product.status}`}>{product.status}</span> <span className="badge">version {product.productVersion}</span>{' '}
          <code className="small">{product.externalId}</code>
        </p>
        <nav aria-label="Product tools" className="product-tools">
          {productTools.map(({ to, label }) => (
            <Fragment key={to}>
              <Link to={to} params={{ productId: product.id }} className="button">
                {label}
              </Link>{' '}
            </Fragment>
          ))}
          <a href="#feedback" className="button">
            Feedback
          </a>
        </nav>
      </header>
      {lifecycle.data !== undefined && <DeprecationBanner lifecycle={lifecycle.data} />}
      <p className="lead">{description.purpose ?? 'No purpose is described.'}</p>
      {description.usage !== undefined && <p>{description.usage}</p>}
      {description.limitations !== undefined && <p className="muted">Limitations: {description.limitations}</p>}
      {tags.length > 0 && (
        <ul className="tags" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tag}>
              <Link to="/search" search={{ q: tag, tag }} className="tag">
                {tag}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="On this page" className="page-toc">
        <ul>
          {sections.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>

      <ProductVision productId={product.id} />

      <section id="overview" aria-labelledby="overview-heading" className="columns">
        <h2 id="overview-heading" className="visually-hidden">
          Overview
        </h2>
        <div className="card">
          <h3>Owners and roles</h3>
          {users.isPending ? <Loading label="Loading people…" /> : <OwnersPanel document={product.document} teamName={team.data?.name} domainId={product.domainId} users={users.data?.items ?? []} />}
        </div>
        <div className="card">
          <h3>Output ports</h3>
          {product.outputPorts.length === 0 ? (
            <p className="empty">No output ports.</p>
          ) : (
            <ul className="list">
              {product.outputPorts.map((port) => {
                const declared = declaredOutputPort(product.document, port.name);
                return (
                  <li key={port.name}>
                    <strong>{port.name}</strong>
                    {declared.type !== undefined && <span className="badge">{declared.type}</span>}
                    <div className="small">
                      Contract:{' '}
                      {port.contract === null ? (
                        <span className="muted">{port.contractExternalId ?? 'none'} (not in the catalog)</span>
                      ) : (
                        <>
                          <Link to="/contracts/$contractId" params={{ contractId: port.contract.id }}>
                            {port.contract.name}
                          </Link>{' '}
                          <span className="muted">
                            v{port.contract.currentVersion} · {port.contract.status}
                          </span>
                        </>
                      )}
                    </div>
                    {declared.description !== undefined && <div className="small muted">{declared.description}</div>}
                  </li>
                );
              })}
            </ul>
          )}
          <h3 className="ports-heading">Input ports</h3>
          {inputs.length === 0 ? (
            <p className="empty">No input ports.</p>
          ) : (
            <ul className="list">
              {inputs.map((port) => (
                <li key={`${port.name}-${port.contractId}`}>
                  <strong>{port.name}</strong>
                  {port.version !== undefined && <span className="muted small"> v{port.version}</span>}
                  <div className="small">
                    reads <code>{port.contractId}</code>
                    <InputSource node={producerOf(port.contractId)} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
      </section>

      <section id="quality" aria-labelledby="quality-heading" className="card">
        <h2 id="quality-heading">Quality</h2>
        {contracts.length === 0 ? (
          <p className="empty">No output port is bound to a catalog contract, so there is nothing to check.</p>
        ) : (
          contracts.map(({ port, contract }) => (
            <div key={port} className="port-quality">
              <p className="small muted">
                Output port <strong>{port}</strong>, contract{' '}
                <Link to="/contracts/$contractId" params={{ contractId: contract.id }}>
                  {contract.name}
                </Link>
              </p>
              <QualityPanel contractId={contract.id} />
            </div>
          ))
        )}
      </section>

      <section id="sla" aria-labelledby="sla-heading" className="card">
        <h2 id="sla-heading">SLA</h2>
        {contracts.length === 0 ? <p className="empty">No contract, no SLA.</p> : contracts.map(({ port, contract }) => <ContractSla key={port} contractId={contract.id} name={contract.name} />)}
      </section>

      <section id="lineage" aria-labelledby="lineage-heading" className="card">
        <h2 id="lineage-heading">Lineage</h2>
        <LineageGraph productId={product.id} />
      </section>

      <section id="changelog" aria-labelledby="changelog-heading" className="card">
        <h2 id="changelog-heading">Changelog</h2>
        <ReleaseChangelog productId={product.id} />
        <Changelog kind="product" id={product.id} />
      </section>

      <section id="links" aria-labelledby="links-heading" className="card">
        <h2 id="links-heading">Documentation and support</h2>
        <LinksPanel links={linksOf(product.document)} />
      </section>

      <section id="engagement" data-slot="product-engagement" aria-labelledby="engagement-heading" className="card">
        <h2 id="engagement-heading">Access and subscribers</h2>
        <ProductEngagement product={product} />
      </section>

      {lifecycle.data?.usage != null && (
        <section id="lifecycle" aria-labelledby="lifecycle-heading" className="card">
          <h2 id="lifecycle-heading">Lifecycle and deprecation</h2>
          <DeprecationPanel key={`${lifecycle.data.version}-${lifecycle.data.status}`} lifecycle={lifecycle.data} domainId={product.domainId} />
        </section>
      )}

      <div id="feedback">
        <ProductFeedback productId={product.id} />
      </div>
    </article>
  );
}

/** Where an input port's data comes from: the producing product, or a source contract (linked when in the catalog). */
function InputSource({ node }: { node: Lineage['nodes'][number] | undefined }) {
  if (node === undefined) return null;
  if (node.kind === 'product') {
    return (
      <>
        {' '}
        from{' '}
        <Link to="/products/$productId" params={{ productId: node.id }}>
          {node.name}
        </Link>
      </>
    );
  }
  if (node.contractId === null) return <span className="muted"> (a source outside the catalog)</span>;
  return (
    <>
      {' '}
      (source contract{' '}
      <Link to="/contracts/$contractId" params={{ contractId: node.contractId }}>
        {node.name}
      </Link>
      )
    </>
  );
}

function ContractSla({ contractId, name }: { contractId: string; name: string }) {
  const contract = useQuery({
    queryKey: ['contract', contractId],
    queryFn: ({ signal }) => api.call('GET /api/contracts/{id}', { path: { id: contractId } }, { signal }),
  });
  if (contract.isPending) return <Loading label="Loading the contract…" />;
  if (contract.isError) return <ErrorState error={contract.error} onRetry={() => void contract.refetch()} />;
  return (
    <div>
      <h3 className="small-heading">{name}</h3>
      <SlaPanel contractId={contractId} document={contract.data.document} />
    </div>
  );
}

/** The product's vision canvas in short, when one was saved (version 0 means none yet). */
function ProductVision({ productId }: { productId: string }) {
  const vision = useQuery({
    queryKey: ['vision', productId],
    queryFn: ({ signal }) => api.call('GET /api/products/{id}/vision', { path: { id: productId } }, { signal }),
  });
  if (vision.data === undefined || vision.data.version === 0) return null;
  return (
    <section id="vision" aria-labelledby="vision-heading" className="card">
      <h2 id="vision-heading">Vision</h2>
      <VisionSummary vision={vision.data} compact />
      <p className="small">
        <Link to="/products/$productId/vision" params={{ productId }}>
          The whole canvas and its history
        </Link>
      </p>
    </section>
  );
}
