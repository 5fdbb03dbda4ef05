import type { ReleaseNotes } from '@meshboard/client';
import { Link } from '@tanstack/react-router';

type ContractNotes = NonNullable<ReleaseNotes>['contracts'][number];

const groups = [
  ['breaking', 'Breaking'],
  ['nonBreaking', 'Non-breaking'],
  ['informational', 'Informational'],
] as const;

function span(contract: ContractNotes): string {
  if (contract.fromVersion === null) return `new at ${contract.toVersion}`;
  if (contract.fromVersion === contract.toVersion) return `unchanged at ${contract.toVersion}`;
  return `${contract.fromVersion} → ${contract.toVersion}`;
}

/** Generated release notes: breaking warning, the items done, each contract's classified changes. */
export function ReleaseNotesView({ notes, productId, headingLevel = 2 }: { notes: NonNullable<ReleaseNotes>; productId: string; headingLevel?: 2 | 3 | 4 | 5 }) {
  const Heading = (['h2', 'h3', 'h4', 'h5'] as const)[headingLevel - 2] ?? 'h2';
  const Sub = (['h3', 'h4', 'h5', 'h6'] as const)[headingLevel - 2] ?? 'h3';
  return (
    <div className="release-notes">
      {notes.breaking && (
        <p className="release-breaking">
          <strong>Breaking contract changes.</strong> Read them before upgrading your pipelines.
        </p>
      )}
      <Heading>Done in this release</Heading>
      {notes.items.length === 0 ? (
        <p className="small muted">No backlog items.</p>
      ) : (
        <ul>
          {notes.items.map((item) => (
            <li key={item.id}>
              <Link to="/products/$productId/backlog" params={{ productId }} search={{ item: item.id }}>
                #{item.number} {item.title}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <Heading>Contract changes</Heading>
      {notes.contracts.length === 0 && <p className="small muted">The product has no contract bound to its output ports.</p>}
      {notes.contracts.map((contract) => (
        <section key={contract.contractId} aria-label={`Contract ${contract.name}`}>
          <Sub>
            <Link to="/contracts/$contractId" params={{ contractId: contract.contractId }}>
              {contract.name}
            </Link>{' '}
            <span className="muted small">({span(contract)})</span>
          </Sub>
          {groups.every(([key]) => contract[key].length === 0) && <p className="small muted">No changes.</p>}
          {groups.map(([key, label]) =>
            contract[key].length === 0 ? null : (
              <div key={key} className={`diff-group diff-${key === 'nonBreaking' ? 'non-breaking' : key}`}>
                <p>
                  <strong>{label}</strong> ({contract[key].length})
                </p>
                <ul>
                  {contract[key].map((change, index) => (
                    <li key={`${change.path}-${index}`}>
                      {change.message} <code className="small">{change.path}</code>
                    </li>
                  ))}
                </ul>
              </div>
            ),
          )}
        </section>
      ))}
    </div>
  );
}
