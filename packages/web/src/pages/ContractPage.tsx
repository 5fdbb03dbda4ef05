import type { Contract } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api } from '../app/api';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { Changelog } from '../components/product/Changelog';
import { describeDocument, linksOf, serversOf, tagsOf } from '../components/product/documentFields';
import { LinksPanel } from '../components/product/LinksPanel';
import { QualityPanel } from '../components/product/QualityPanel';
import { SchemaBrowser } from '../components/product/SchemaBrowser';
import { SlaPanel } from '../components/product/SlaPanel';
import { useTitle } from '../components/useTitle';
import '../components/product/product.css';

const route = getRouteApi('/authed/contracts/$contractId');

/** A data contract: purpose, servers, schema browser, quality, SLA, changelog, documentation and support. */
export function ContractPage() {
  const { contractId } = route.useParams();
  const contract = useQuery({
    queryKey: ['contract', contractId],
    queryFn: ({ signal }) => api.call('GET /api/contracts/{id}', { path: { id: contractId } }, { signal }),
  });
  useTitle(contract.data?.name ?? (contract.isError ? 'Contract not available' : 'Contract'));
  if (contract.isPending) return <Loading label="Loading the contract…" />;
  if (contract.isError) return <ErrorState error={contract.error} onRetry={() => void contract.refetch()} />;
  return <ContractView contract={contract.data} />;
}

function ContractView({ contract }: { contract: Contract }) {
  const domain = useQuery({
    queryKey: ['domain', contract.domainId],
    queryFn: ({ signal }) => api.call('GET /api/domains/{id}', { path: { id: contract.domainId } }, { signal }),
  });
  const usage = useQuery({
    queryKey: ['contract-usage', contract.id],
    queryFn: ({ signal }) => api.call('GET /api/contracts/{id}/usage', { path: { id: contract.id } }, { signal }),
  });
  const description = describeDocument(contract.document);
  const tags = tagsOf(contract.document);
  const servers = serversOf(contract.document);
  return (
    <article className="contract-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span>{' '}
        <Link to="/domains/$domainId" params={{ domainId: contract.domainId }}>
          {domain.data?.name ?? 'Domain'}
        </Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">{contract.name} (contract)</span>
      </nav>
      <header className="page-head">
        <h1>{contract.name}</h1>
        <p className="meta">
          <span className="badge">data contract</span> <span className={`badge status-${contract.status}`}>{contract.status}</span> <span className="badge">version {contract.currentVersion}</span>{' '}
          <code className="small">{contract.externalId}</code>
        </p>
      </header>
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

      {usage.data !== undefined && (usage.data.offeredBy.length > 0 || usage.data.readBy.length > 0) && (
        <p className="contract-usage">
          {usage.data.offeredBy.length > 0 && (
            <>
              Offered by <ProductLinks products={usage.data.offeredBy} />.{' '}
            </>
          )}
          {usage.data.readBy.length > 0 && (
            <>
              Read by <ProductLinks products={usage.data.readBy} />.
            </>
          )}
        </p>
      )}

      <section aria-labelledby="schema-heading" className="card">
        <h2 id="schema-heading">Schema</h2>
        <SchemaBrowser document={contract.document} />
      </section>

      <section aria-labelledby="quality-heading" className="card">
        <h2 id="quality-heading">Quality</h2>
        <QualityPanel contractId={contract.id} />
      </section>

      <div className="columns">
        <section aria-labelledby="sla-heading" className="card">
          <h2 id="sla-heading">SLA</h2>
          <SlaPanel contractId={contract.id} document={contract.document} />
        </section>
        <section aria-labelledby="servers-heading" className="card">
          <h2 id="servers-heading">Servers</h2>
          {servers.length === 0 ? (
            <p className="empty">No servers declared.</p>
          ) : (
            <ul className="list">
              {servers.map((server) => (
                <li key={server.server}>
                  <strong>{server.server}</strong> {server.type !== undefined && <span className="badge">{server.type}</span>}
                  {server.detail !== undefined && <div className="muted small">{server.detail}</div>}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section aria-labelledby="changelog-heading" className="card">
        <h2 id="changelog-heading">Changelog</h2>
        <Changelog kind="contract" id={contract.id} />
      </section>

      <section aria-labelledby="links-heading" className="card">
        <h2 id="links-heading">Documentation and support</h2>
        <LinksPanel links={linksOf(contract.document)} />
      </section>
    </article>
  );
}

function ProductLinks({ products }: { products: ReadonlyArray<{ id: string; name: string }> }) {
  return (
    <>
      {products.map((product, index) => (
        <span key={product.id}>
          {index > 0 && ', '}
          <Link to="/products/$productId" params={{ productId: product.id }}>
            {product.name}
          </Link>
        </span>
      ))}
    </>
  );
}
