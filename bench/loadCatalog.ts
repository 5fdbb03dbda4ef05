/**
 * Bulk loader of the synthetic mesh into a store, for the benchmarks: the rows the publish path writes
 * (contracts, contract_versions, products, product_versions, product_output_ports, search_entries) in
 * multi-row INSERTs of a few hundred products each, one transaction per batch. The catalog fields come
 * from the server's own `catalogFields` and the search rows from its own `searchEntryRows`, so searches
 * run over exactly what publishing would have indexed. The demo mesh (domains, teams, users) must exist.
 */
import type { Insertable, Kysely } from 'kysely';
import { catalogFields, type JsonObject } from '../packages/server/src/services/catalogDocuments';
import { searchEntryRows } from '../packages/server/src/services/searchIndex';
import type { Database, SearchEntryTable } from '../packages/server/src/store/Database';
import { newId } from '../packages/server/src/store/newId';
import { syntheticDocuments } from './syntheticCatalog';

/** Loads products [from, from + count) with `columns` properties each; returns the product ids. */
export async function loadCatalog(db: Kysely<Database>, options: { count: number; columns: number; from?: number; batch?: number; progress?: (done: number) => void }): Promise<string[]> {
  const domainIds = new Map((await db.selectFrom('domains').select(['id', 'slug']).execute()).map((row) => [row.slug, row.id]));
  const batch = options.batch ?? 200;
  const from = options.from ?? 0;
  const productIds: string[] = [];
  for (let start = from; start < from + options.count; start += batch) {
    const contracts: Insertable<Database['contracts']>[] = [];
    const contractVersions: Insertable<Database['contract_versions']>[] = [];
    const products: Insertable<Database['products']>[] = [];
    const productVersions: Insertable<Database['product_versions']>[] = [];
    const ports: Insertable<Database['product_output_ports']>[] = [];
    const entries: Insertable<SearchEntryTable>[] = [];
    for (let n = start; n < Math.min(from + options.count, start + batch); n++) {
      const documents = syntheticDocuments(n, options.columns);
      const contractFields = catalogFields(documents.contract as JsonObject, 'contract');
      const productFields = catalogFields(documents.product as JsonObject, 'product');
      const domainId = domainIds.get(contractFields.domain);
      if (domainId === undefined) throw new Error(`loadCatalog: domain ${contractFields.domain} does not exist (seed the demo mesh first)`);
      const contractId = newId();
      const productId = newId();
      productIds.push(productId);
      const contractSource = JSON.stringify(documents.contract);
      const productSource = JSON.stringify(documents.product);
      contracts.push({ id: contractId, domain_id: domainId, external_id: contractFields.externalId, name: contractFields.name, status: contractFields.status, current_version: contractFields.version, document: contractSource, source: contractSource });
      contractVersions.push({ contract_id: contractId, contract_version: contractFields.version, document: contractSource, source: contractSource, change_kind: 'initial', published_by: null });
      products.push({ id: productId, domain_id: domainId, external_id: productFields.externalId, name: productFields.name, status: productFields.status, product_version: productFields.version, owner_team_id: null, document: productSource, source: productSource });
      productVersions.push({ product_id: productId, product_version: productFields.version, document: productSource, source: productSource, change_kind: 'initial', published_by: null });
      const port = (documents.product['outputPorts'] as { name: string }[])[0]?.name ?? 'main';
      ports.push({ product_id: productId, port_name: port, contract_id: contractId });
      entries.push(...searchEntryRows({ kind: 'contract', entityId: contractId, domainId, fields: contractFields, document: documents.contract as JsonObject }));
      entries.push(...searchEntryRows({ kind: 'product', entityId: productId, domainId, fields: productFields, document: documents.product as JsonObject }));
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('contracts').values(contracts).execute();
      await trx.insertInto('contract_versions').values(contractVersions).execute();
      await trx.insertInto('products').values(products).execute();
      await trx.insertInto('product_versions').values(productVersions).execute();
      await trx.insertInto('product_output_ports').values(ports).execute();
      // 11 parameters per entry: 1,000 rows stay far below PostgreSQL's 65,535 parameters.
      for (let at = 0; at < entries.length; at += 1000) await trx.insertInto('search_entries').values(entries.slice(at, at + 1000)).execute();
    });
    options.progress?.(start + batch - from);
  }
  return productIds;
}
