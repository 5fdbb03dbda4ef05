import type { BacklogKind, DiffResult } from '@meshboard/model';

/** One contract change as release notes list it. */
export interface NoteChange {
  path: string;
  change: string;
  message: string;
}

/** What a release changed in one contract bound to the product's output ports. */
export interface ContractNotes {
  contractId: string;
  externalId: string;
  name: string;
  /** The version the previous release shipped (or, for a first release, the one published before); null: new contract. */
  fromVersion: string | null;
  toVersion: string;
  breaking: NoteChange[];
  nonBreaking: NoteChange[];
  informational: NoteChange[];
}

/** A backlog item done in the release. */
export interface NoteItem {
  id: string;
  number: number;
  title: string;
  kind: BacklogKind;
}

/** The notes of a released release, frozen when it was released. */
export interface ReleaseNotes {
  productName: string;
  productVersion: string;
  releaseName: string;
  /** True when any contract change is breaking. */
  breaking: boolean;
  contracts: ContractNotes[];
  items: NoteItem[];
  /** The same as Markdown, for notifications, exports and copy-paste. */
  markdown: string;
}

/** A contract's before/after for {@link buildReleaseNotes}; `diff` is null for a contract new in this release. */
export interface ContractChange {
  contractId: string;
  externalId: string;
  name: string;
  fromVersion: string | null;
  toVersion: string;
  diff: DiffResult | null;
}

function notesOf(diff: DiffResult | null, severity: 'breaking' | 'non-breaking' | 'informational'): NoteChange[] {
  return (diff?.changes ?? []).filter((change) => change.severity === severity).map((change) => ({ path: change.path, change: change.change, message: change.message }));
}

/**
 * Release notes from the contract diffs (model's diffContracts: breaking / non-breaking / informational)
 * and the items done in the release. Pure: the caller reads the documents and items.
 */
export function buildReleaseNotes(input: { productName: string; productVersion: string; releaseName: string; contracts: readonly ContractChange[]; items: readonly NoteItem[] }): ReleaseNotes {
  const contracts = input.contracts.map((contract) => ({
    contractId: contract.contractId,
    externalId: contract.externalId,
    name: contract.name,
    fromVersion: contract.fromVersion,
    toVersion: contract.toVersion,
    breaking: notesOf(contract.diff, 'breaking'),
    nonBreaking: notesOf(contract.diff, 'non-breaking'),
    informational: notesOf(contract.diff, 'informational'),
  }));
  const breaking = contracts.some((contract) => contract.breaking.length > 0);
  const lines = [`# ${input.productName} ${input.productVersion}: ${input.releaseName}`, ''];
  if (breaking) lines.push('**This release has breaking contract changes.**', '');
  lines.push('## Done in this release', '');
  if (input.items.length === 0) lines.push('No backlog items.');
  for (const item of input.items) lines.push(`- #${item.number} ${item.title} (${item.kind})`);
  lines.push('', '## Contract changes', '');
  if (contracts.length === 0) lines.push('The product has no contract bound to its output ports.');
  for (const contract of contracts) {
    const span = contract.fromVersion === null ? `new at ${contract.toVersion}` : contract.fromVersion === contract.toVersion ? `unchanged at ${contract.toVersion}` : `${contract.fromVersion} → ${contract.toVersion}`;
    lines.push(`### ${contract.name} (${span})`, '');
    const groups: [string, NoteChange[]][] = [
      ['Breaking', contract.breaking],
      ['Non-breaking', contract.nonBreaking],
      ['Informational', contract.informational],
    ];
    const listed = groups.filter(([, changes]) => changes.length > 0);
    if (listed.length === 0) lines.push('No changes.', '');
    for (const [title, changes] of listed) lines.push(`${title}:`, ...changes.map((change) => `- ${change.message}`), '');
  }
  return { productName: input.productName, productVersion: input.productVersion, releaseName: input.releaseName, breaking, contracts, items: [...input.items], markdown: `${lines.join('\n').trimEnd()}\n` };
}
