import type { Insertable, Kysely } from 'kysely';
import type { Database, SearchEntryTable } from '../store/Database';
import { contractProperties, type CatalogFields, type JsonObject } from './catalogDocuments';

/** What the index needs to know about a published product or contract. */
export interface IndexedDocument {
  kind: 'product' | 'contract';
  entityId: string;
  domainId: string;
  fields: CatalogFields;
  document: JsonObject;
}

/**
 * Replaces the search entries of one product or contract (and, for a contract, one entry per property)
 * inside the publishing transaction, so search never shows a state that was not committed.
 */
export async function indexDocument(trx: Kysely<Database>, indexed: IndexedDocument): Promise<void> {
  await trx.deleteFrom('search_entries').where('entity_id', '=', indexed.entityId).execute();
  const rows = searchEntryRows(indexed);
  // Batches keep each statement's parameter count far below PostgreSQL's 65535 limit.
  for (let start = 0; start < rows.length; start += 500) {
    await trx.insertInto('search_entries').values(rows.slice(start, start + 500)).execute();
  }
}

/**
 * The `search_entries` rows of one product or contract: one for the document, and for a contract one per
 * distinct property path (at most 5,000). Pure; {@link indexDocument} writes them, and bulk loaders (the
 * benchmarks) insert the very same rows.
 */
export function searchEntryRows(indexed: IndexedDocument): Insertable<SearchEntryTable>[] {
  const { fields } = indexed;
  const keywords = [...fields.tags, fields.owner, fields.externalId].join(' ');
  const seen = new Set<string>();
  // Two schema objects may declare the same property path; it is one search entry.
  const properties = (indexed.kind === 'contract' ? contractProperties(indexed.document) : []).filter((property) => !seen.has(property.path) && seen.add(property.path));
  const rows: Insertable<SearchEntryTable>[] = [
    {
      key: `${indexed.kind}:${indexed.entityId}`,
      kind: indexed.kind,
      entity_id: indexed.entityId,
      domain_id: indexed.domainId,
      title: fields.name,
      context: fields.externalId,
      status: fields.status,
      owner: fields.owner,
      tags: fields.tags,
      keywords,
      body: [fields.description, ...properties.map((property) => property.path.replaceAll('.', ' '))].join(' ').slice(0, 200_000),
    },
    ...properties.slice(0, 5000).map((property) => ({
      key: `property:${indexed.entityId}:${property.path}`,
      kind: 'property' as const,
      entity_id: indexed.entityId,
      domain_id: indexed.domainId,
      title: property.name,
      context: `${fields.name} · ${property.path}`,
      status: fields.status,
      owner: fields.owner,
      tags: fields.tags,
      keywords: `${fields.owner} ${fields.tags.join(' ')}`,
      body: `${property.path.replaceAll('.', ' ')} ${property.description} ${fields.name}`,
    })),
  ];
  return rows;
}
