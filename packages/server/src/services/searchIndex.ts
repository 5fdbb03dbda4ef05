import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, QualityState, SearchEntryTable, SlaState } from '../store/Database';
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
  // New rows start as not-run/unknown; their real states come from the check runs (and, for a product, its ports).
  await refreshSearchStates(trx, indexed.kind === 'contract' ? { contractIds: [indexed.entityId] } : { productIds: [indexed.entityId] });
}

/**
 * The `search_entries` rows of one product or contract: one for the document, and for a contract one per
 * distinct property path (at most 5,000), stamped `updated_at` now. Pure; {@link indexDocument} writes
 * them, and bulk loaders (the benchmarks) insert the very same rows.
 */
export function searchEntryRows(indexed: IndexedDocument, now: Date = new Date()): Insertable<SearchEntryTable>[] {
  const { fields } = indexed;
  const keywords = [...fields.tags, fields.owner, fields.externalId].join(' ');
  const seen = new Set<string>();
  // Two schema objects may declare the same property path; it is one search entry.
  const properties = (indexed.kind === 'contract' ? contractProperties(indexed.document) : []).filter((property) => !seen.has(property.path) && seen.add(property.path));
  return [
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
      updated_at: now,
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
      updated_at: now,
      body: `${property.path.replaceAll('.', ' ')} ${property.description} ${fields.name}`,
    })),
  ];
}

/** Quality states from best to worst: a product shows the worst of its output ports' contracts. */
export const qualityStates: readonly QualityState[] = ['passed', 'not-run', 'warning', 'error', 'failed'];
/** SLA states from best to worst. */
export const slaStates: readonly SlaState[] = ['met', 'unknown', 'breached'];

const finishedRun = sql`('passed', 'warning', 'failed', 'error', 'unknown')`;
const stateArray = (states: readonly string[]) => sql`array[${sql.join(states.map((state) => sql.lit(state)))}]`;
const idList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}::uuid`));

/**
 * Recomputes the derived quality and SLA states of search entries, inside the caller's transaction:
 * - a contract and its properties: the status of its latest finished check run (by run id, as
 *   GET /api/contracts/{id}/checks/latest orders; a run that checked nothing counts as `not-run`), and
 *   `breached` if any SLA check's latest result failed, `met` if every SLA check's latest verdict passed
 *   or warned, `unknown` when no SLA check was ever measured;
 * - every product with an output port on those contracts (plus `productIds`): the worst state of its
 *   port contracts (`not-run` / `unknown` when it has none).
 * Entries are locked (in key order) before the states are read, so under READ COMMITTED a concurrent run
 * finishing on the same contract or product waits and then reads this transaction's outcome: no update
 * of a state is lost.
 */
export async function refreshSearchStates(trx: Kysely<Database>, target: { contractIds?: readonly string[]; productIds?: readonly string[] }): Promise<void> {
  const contractIds = [...new Set(target.contractIds ?? [])];
  if (contractIds.length > 0) {
    await sql`select 1 from search_entries where entity_id in (${idList(contractIds)}) and kind <> 'product' order by key for update`.execute(trx);
    // The states are computed once per contract (a materialised CTE; inlined, the subplans ran once per
    // entry). Only entries whose state changes are written: each written row is a new tuple with new
    // entries in every index (both GIN ones included) and a search_changes row, for nothing.
    await sql`
      with s as materialized (
        select c.id,
          coalesce((
            select case when run.status = 'unknown' then 'not-run' else run.status end
            from check_runs run where run.contract_id = c.id and run.status in ${finishedRun}
            order by run.id desc limit 1), 'not-run') as quality,
          coalesce((
            select case when bool_or(last.status = 'failed') then 'breached' when bool_or(last.status in ('passed', 'warning')) then 'met' else 'unknown' end
            from (
              select distinct on (r.check_key) r.status
              from check_results r join check_runs run on run.id = r.run_id
              where run.contract_id = c.id and r.category = 'sla' and run.status in ${finishedRun}
              order by r.check_key, run.id desc
            ) last), 'unknown') as sla
        from contracts c where c.id in (${idList(contractIds)})
      )
      update search_entries e set quality_state = s.quality, sla_state = s.sla
      from s
      where e.entity_id in (${idList(contractIds)}) and e.entity_id = s.id and e.kind <> 'product' and (e.quality_state, e.sla_state) is distinct from (s.quality, s.sla)`.execute(trx);
  }
  const products = new Set(target.productIds ?? []);
  if (contractIds.length > 0) {
    const dependants = await trx.selectFrom('product_output_ports').select('product_id').distinct().where(sql<boolean>`contract_id in (${idList(contractIds)})`).execute();
    for (const row of dependants) products.add(row.product_id);
  }
  if (products.size === 0) return;
  // Product entries and their port contracts' entries are found by primary key ('product:<id>',
  // 'contract:<id>'), never by `kind`: the embedded store has no autovacuum, hence no statistics, and
  // without them the planner took the (kind, …) index for `kind = 'contract'` inside the per-product
  // subplan, reading every contract entry once per product (the publish cost that grew with the store).
  const productKeys = sql.join([...products].sort().map((id) => sql`${`product:${id}`}`));
  await sql`select 1 from search_entries where key in (${productKeys}) order by key for update`.execute(trx);
  await sql`
    with s as materialized (
      select e.key,
        coalesce((
          select (${stateArray(qualityStates)})[max(array_position(${stateArray(qualityStates)}, c.quality_state))]
          from product_output_ports p join search_entries c on c.key = 'contract:' || p.contract_id::text
          where p.product_id = e.entity_id), 'not-run') as quality,
        coalesce((
          select (${stateArray(slaStates)})[max(array_position(${stateArray(slaStates)}, c.sla_state))]
          from product_output_ports p join search_entries c on c.key = 'contract:' || p.contract_id::text
          where p.product_id = e.entity_id), 'unknown') as sla
      from search_entries e where e.key in (${productKeys})
    )
    update search_entries e set quality_state = s.quality, sla_state = s.sla
    from s
    where e.key in (${productKeys}) and e.key = s.key and (e.quality_state, e.sla_state) is distinct from (s.quality, s.sla)`.execute(trx);
}

/** The derived states of one search entry. */
export interface EntryStates {
  quality_state: QualityState;
  sla_state: SlaState;
}

/**
 * The states of the given contracts' own entries (by primary key, `contract:<id>`), read `for share` in
 * key order: a check run finishing on one of them meanwhile (which locks them `for update` before it
 * refreshes the products bound to them) waits for this transaction, and then sees its ports.
 */
export async function contractEntryStates(trx: Kysely<Database>, contractIds: readonly string[]): Promise<Map<string, EntryStates>> {
  const states = new Map<string, EntryStates>();
  const keys = [...new Set(contractIds)].map((id) => `contract:${id}`).sort();
  for (let at = 0; at < keys.length; at += 1000) {
    const batch = keys.slice(at, at + 1000);
    const rows = await trx.selectFrom('search_entries').select(['entity_id', 'quality_state', 'sla_state']).where('key', 'in', batch).orderBy('key').forShare().execute();
    for (const row of rows) states.set(row.entity_id, { quality_state: row.quality_state, sla_state: row.sla_state });
  }
  return states;
}

/**
 * A product entry's states from its output ports' contracts, as {@link refreshSearchStates} computes them:
 * the worst of the contracts that have an entry, `not-run` / `unknown` when none has.
 */
export function productEntryStates(portContractIds: readonly (string | null)[], contractStates: ReadonlyMap<string, EntryStates>): EntryStates {
  let quality = -1;
  let sla = -1;
  for (const id of portContractIds) {
    const states = id === null ? undefined : contractStates.get(id);
    if (states === undefined) continue;
    quality = Math.max(quality, qualityStates.indexOf(states.quality_state));
    sla = Math.max(sla, slaStates.indexOf(states.sla_state));
  }
  return { quality_state: qualityStates[quality] ?? 'not-run', sla_state: slaStates[sla] ?? 'unknown' };
}
