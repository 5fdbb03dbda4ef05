import { createValidator, validateOdcs, validateOdps, type Validator } from '@meshboard/model';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { hasDomainRole } from '../auth/authorize';
import { InputError, MeshboardError, PreconditionFailedError, type ErrorCode, type FieldProblem } from '../errors/errors';
import { recordAudits, type AuditEntry } from '../store/auditLog';
import { domainRoles, type ContractRow, type Database, type ProductRow, type SearchEntryTable } from '../store/Database';
import { newId } from '../store/newId';
import { canonicalJson, catalogFields, isObject, type CatalogFields, type JsonObject } from './catalogDocuments';
import { ContractService, contractAuditShape, type PublishRequest, type PublishResult } from './ContractService';
import { presentContract, presentProduct, type PublishOutcome } from './presenters';
import { bindPorts, ProductService, productAuditShape, type PortBindings, type PortContract } from './ProductService';
import { splitVision } from './productLoop/visionDocument';
import { contractEntryStates, productEntryStates, searchEntryRows, type EntryStates } from './searchIndex';

/** The most documents one batch may carry (one request, one transaction). */
export const maxBatchDocuments = 1000;

/** One document of a batch publish. */
export interface BatchDocument {
  kind: 'contract' | 'product';
  document: unknown;
  /** The row version the caller read; absent means "whatever is current" (the diff is still against the locked row). */
  expectedVersion?: number;
}

/** A batch publish: documents in any order (contracts are published before products), force, dry run. */
export interface BatchPublishRequest {
  documents: readonly BatchDocument[];
  force?: boolean;
  dryRun?: boolean;
}

/** The catalog item a batch document became (no document: the caller sent it). */
export interface BatchItem {
  id: string;
  externalId: string;
  version: number;
}

/** What happened to one document of a batch: a publish result, or the problem that refused it. */
export type BatchOutcome =
  | {
      index: number;
      kind: BatchDocument['kind'];
      externalId: string | null;
      outcome: PublishOutcome;
      changeKind: PublishResult<unknown>['changeKind'];
      breaking: boolean;
      changes: PublishResult<unknown>['changes'];
      suggestedVersion: string | null;
      item: BatchItem;
    }
  | {
      index: number;
      kind: BatchDocument['kind'];
      externalId: string | null;
      outcome: 'refused';
      error: { code: ErrorCode; detail: string; problems?: FieldProblem[]; currentVersion?: number };
    };

/** The answer to a batch publish: one outcome per document, in the order sent, and the counts. */
export interface BatchPublishResult {
  dryRun: boolean;
  results: BatchOutcome[];
  counts: Record<PublishOutcome | 'refused', number>;
}

/** Thrown at the end of a dry run's transaction so that everything it wrote is rolled back. */
class RollBack extends Error {
  constructor(readonly result: BatchPublishResult) {
    super('dry run');
  }
}

/**
 * Publishes many contracts and products in one transaction (issue 4: `meshboard publish` of thousands of
 * documents), contracts before products, with the single-document publish's rules for every document:
 * validated, authorised in its domain, compared with the locked current row, a breaking change that
 * keeps its version refused unless `force`, history, search index and audit written.
 *
 * Two paths, one outcome. The common cases — a new document, or one identical to the current one — are
 * done for the whole batch with a few multi-row statements (one read of the domains, teams, existing rows
 * and port contracts; one insert per table), because on the embedded store each statement costs about as
 * much as the row work itself. Everything else (new versions and revisions, refusals, expected versions,
 * vision canvases, an id sent twice) goes through {@link ContractService} / {@link ProductService}
 * unchanged, each document in its own savepoint: a refused document is rolled back to it and reported
 * with its problems, and every other document still commits. An unexpected (non-domain) error fails the
 * whole batch and nothing is written.
 *
 * A dry run really publishes inside the transaction and then rolls it back, so products bound to
 * contracts that are new in the same batch are classified exactly as a real publish would.
 */
export class PublishService {
  private readonly validator: Validator;

  constructor(
    private readonly db: Kysely<Database>,
    validator?: Validator,
  ) {
    this.validator = validator ?? createValidator();
  }

  /** Publishes `request.documents`; see the class comment for the transaction and error contract. */
  async publishBatch(actor: Actor, request: BatchPublishRequest): Promise<BatchPublishResult> {
    if (request.documents.length > maxBatchDocuments) {
      throw new InputError(`A batch holds at most ${maxBatchDocuments} documents.`, [{ pointer: '/documents', detail: `Send ${request.documents.length} documents in batches of ${maxBatchDocuments} or fewer.` }]);
    }
    const dryRun = request.dryRun === true;
    // Contracts first: a product's output ports must name contracts the catalog (or this batch) has.
    const order = request.documents.map((document, index) => ({ document, index })).sort((a, b) => rank(a.document.kind) - rank(b.document.kind) || a.index - b.index);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const results: BatchOutcome[] = new Array<BatchOutcome>(request.documents.length);
        const counts: BatchPublishResult['counts'] = { created: 0, published: 0, revised: 0, unchanged: 0, refused: 0 };
        const record = (outcome: BatchOutcome): void => {
          results[outcome.index] = outcome;
          counts[outcome.outcome] += 1;
        };
        const prepared = await this.prepare(trx, actor, order);
        await lockDocuments(trx, prepared.fast);
        for (const kind of ['contract', 'product'] as const) {
          const fast = prepared.fast.filter((item) => item.kind === kind);
          const slow = [...prepared.slow.filter((item) => item.sent.kind === kind), ...(kind === 'contract' ? await this.bulkContracts(trx, actor, fast, record) : await this.bulkProducts(trx, actor, fast, record))];
          // Everything the bulk path does not take goes through the single-document publish, in the order sent.
          slow.sort((a, b) => a.index - b.index);
          for (const { sent, index } of slow) record(await this.publishOne(trx, actor, sent, index, request.force === true));
        }
        const answer: BatchPublishResult = { dryRun, results, counts };
        if (dryRun) throw new RollBack(answer);
        return answer;
      });
    } catch (error) {
      if (error instanceof RollBack) return error.result;
      throw error;
    }
  }

  /**
   * Splits the batch: documents the bulk path can publish (valid, authorised, not a duplicate id of the
   * batch, no vision canvas) with their catalog fields, and the rest, which the single-document publish
   * handles (and refuses with exactly its usual problems). Reads the named domains and teams once.
   */
  private async prepare(trx: Kysely<Database>, actor: Actor, order: readonly { document: BatchDocument; index: number }[]): Promise<{ fast: Prepared[]; slow: { sent: BatchDocument; index: number }[] }> {
    const candidates: { sent: BatchDocument; index: number; document: JsonObject; fields: CatalogFields }[] = [];
    const slow: { sent: BatchDocument; index: number }[] = [];
    const seen = new Set<string>();
    for (const { document: sent, index } of order) {
      const document = sent.document;
      const fields = isObject(document) ? this.fieldsOf(sent.kind, document) : undefined;
      const key = fields === undefined ? '' : `${sent.kind}:${fields.externalId}`;
      if (fields === undefined || !isObject(document) || seen.has(key)) {
        slow.push({ sent, index });
        continue;
      }
      seen.add(key);
      candidates.push({ sent, index, document, fields });
    }
    const domainNames = [...new Set(candidates.map((item) => item.fields.domain))];
    const teamNames = [...new Set(candidates.map((item) => item.fields.owner).filter((owner) => owner !== ''))];
    const domains = domainNames.length === 0 ? [] : await trx.selectFrom('domains').select(['id', 'slug', 'name']).where((eb) => eb.or([eb('slug', 'in', domainNames), eb(eb.fn('lower', ['name']), 'in', domainNames.map((name) => name.toLowerCase()))])).orderBy('slug').execute();
    const teams = teamNames.length === 0 ? [] : await trx.selectFrom('teams').select(['id', 'slug', 'name']).where((eb) => eb.or([eb('slug', 'in', teamNames), eb(eb.fn('lower', ['name']), 'in', teamNames.map((name) => name.toLowerCase()))])).orderBy('slug').execute();
    // The first by slug among the matches, as resolveDomain / resolveTeam pick.
    const pick = <T extends { slug: string; name: string }>(rows: readonly T[], wanted: string): T | undefined => rows.find((row) => row.slug === wanted || row.name.toLowerCase() === wanted.toLowerCase());
    const fast: Prepared[] = [];
    for (const candidate of candidates) {
      const domain = pick(domains, candidate.fields.domain);
      if (domain === undefined || !hasDomainRole(actor, domain.id, domainRoles)) {
        slow.push({ sent: candidate.sent, index: candidate.index });
        continue;
      }
      const team = candidate.fields.owner === '' ? undefined : pick(teams, candidate.fields.owner);
      fast.push({ ...candidate, kind: candidate.sent.kind, domainId: domain.id, ownerTeamId: team?.id ?? null });
    }
    return { fast, slow };
  }

  /** The catalog fields of a document the bulk path may take: valid for its standard, no vision canvas; undefined otherwise. */
  private fieldsOf(kind: BatchDocument['kind'], document: JsonObject): CatalogFields | undefined {
    try {
      if (kind === 'product' && splitVision(document).canvas !== undefined) return undefined;
      const findings = (kind === 'contract' ? validateOdcs(document, { validator: this.validator }) : validateOdps(document, { validator: this.validator })).findings;
      if (findings.some((finding) => finding.severity === 'error')) return undefined;
      return catalogFields(document, kind);
    } catch (error) {
      if (error instanceof MeshboardError) return undefined;
      throw error;
    }
  }

  /**
   * Creates the new contracts of the batch with a few multi-row statements (rows, history, search
   * entries, audit events) and answers identical ones `unchanged`; returns the documents that need the
   * single-document publish (a new version or revision, a stale or unexpected expectedVersion, a move
   * between domains).
   */
  private async bulkContracts(trx: Kysely<Database>, actor: Actor, fast: readonly Prepared[], record: (outcome: BatchOutcome) => void): Promise<{ sent: BatchDocument; index: number }[]> {
    const existing = await rowsByExternalId(trx, 'contracts', fast.map((item) => item.fields.externalId));
    const slow: { sent: BatchDocument; index: number }[] = [];
    const creates: { item: Prepared; row: Insertable<Database['contracts']> & { id: string } }[] = [];
    for (const item of fast) {
      const current = existing.get(item.fields.externalId);
      if (current === undefined) {
        if (item.sent.expectedVersion !== undefined) slow.push(item);
        else {
          const source = JSON.stringify(item.document);
          creates.push({ item, row: { id: newId(), domain_id: item.domainId, external_id: item.fields.externalId, name: item.fields.name, status: item.fields.status, current_version: item.fields.version, document: source, source } });
        }
      } else if (isUnchanged(item, current)) {
        record(unchanged(item, current));
      } else slow.push(item);
    }
    if (creates.length === 0) return slow;
    const inserted = new Map<string, ContractRow>();
    for (const rows of chunks(creates.map((create) => create.row), 500)) for (const row of await trx.insertInto('contracts').values(rows).returningAll().execute()) inserted.set(row.id, row);
    for (const rows of chunks(creates, 500)) {
      await trx
        .insertInto('contract_versions')
        .values(rows.map(({ item, row }) => ({ contract_id: row.id, contract_version: item.fields.version, document: row.document, source: row.source, change_kind: 'initial' as const, published_by: actor.userId })))
        .execute();
    }
    // A new contract has no check runs and no product port on it yet (ports only bind existing contracts),
    // so its entries' default states (not-run, unknown) are already what refreshSearchStates would compute.
    await insertSearchEntries(trx, creates.map(({ item, row }) => ({ item, entityId: row.id })));
    const audits: AuditEntry[] = [];
    for (const { item, row } of creates) {
      const stored = inserted.get(row.id);
      if (stored === undefined) throw new Error(`contract ${row.id} was not inserted`);
      const view = presentContract(stored);
      audits.push({ action: 'contract.create', entityType: 'contract', entityId: row.id, before: null, after: contractAuditShape(view) });
      record(created(item, stored));
    }
    await recordAudits(trx, actor, audits);
    return slow;
  }

  /** As {@link bulkContracts} for products: also binds every output port with one read of the contracts they name. */
  private async bulkProducts(trx: Kysely<Database>, actor: Actor, fast: readonly Prepared[], record: (outcome: BatchOutcome) => void): Promise<{ sent: BatchDocument; index: number }[]> {
    const existing = await rowsByExternalId(trx, 'products', fast.map((item) => item.fields.externalId));
    const contractIds = [...new Set(fast.flatMap((item) => (Array.isArray(item.document['outputPorts']) ? item.document['outputPorts'] : []).flatMap((port) => (isObject(port) && typeof port['contractId'] === 'string' ? [port['contractId'].trim()] : []))))];
    const contracts = new Map<string, PortContract>();
    for (const ids of chunks(contractIds, 1000)) for (const row of await trx.selectFrom('contracts').select(['id', 'external_id', 'name', 'current_version', 'status']).where('external_id', 'in', ids).execute()) contracts.set(row.external_id, row);
    const slow: { sent: BatchDocument; index: number }[] = [];
    const creates: { item: Prepared; row: Insertable<Database['products']> & { id: string }; ports: PortBindings }[] = [];
    for (const item of fast) {
      const ports = bindPorts(item.document, contracts);
      const current = existing.get(item.fields.externalId);
      if (ports.problems.length > 0) slow.push(item);
      else if (current === undefined) {
        if (item.sent.expectedVersion !== undefined) slow.push(item);
        else {
          const source = JSON.stringify(item.document);
          creates.push({ item, ports, row: { id: newId(), domain_id: item.domainId, external_id: item.fields.externalId, name: item.fields.name, status: item.fields.status, product_version: item.fields.version, owner_team_id: item.ownerTeamId, document: source, source } });
        }
      } else if (isUnchanged(item, current)) {
        record(unchanged(item, current));
      } else slow.push(item);
    }
    if (creates.length === 0) return slow;
    const inserted = new Map<string, ProductRow>();
    for (const rows of chunks(creates.map((create) => create.row), 500)) for (const row of await trx.insertInto('products').values(rows).returningAll().execute()) inserted.set(row.id, row);
    const portRows = creates.flatMap(({ row, ports }) => ports.rows.map((port) => ({ ...port, product_id: row.id })));
    for (const rows of chunks(portRows, 1000)) await trx.insertInto('product_output_ports').values(rows).execute();
    for (const rows of chunks(creates, 500)) {
      await trx
        .insertInto('product_versions')
        .values(rows.map(({ item, row }) => ({ product_id: row.id, product_version: item.fields.version, document: row.document, source: row.source, change_kind: 'initial' as const, published_by: actor.userId })))
        .execute();
    }
    // A new product's entry is inserted with the states refreshSearchStates would give it (the worst of
    // its port contracts'), read in one statement, rather than inserted with defaults and then updated:
    // the update wrote every entry twice (new tuples, GIN entries, search_changes rows).
    const contractStates = await contractEntryStates(trx, portRows.flatMap((port) => (port.contract_id === null ? [] : [port.contract_id])));
    await insertSearchEntries(trx, creates.map(({ item, row, ports }) => ({ item, entityId: row.id, states: productEntryStates(ports.rows.map((port) => port.contract_id), contractStates) })));
    const audits: AuditEntry[] = [];
    for (const { item, row, ports } of creates) {
      const stored = inserted.get(row.id);
      if (stored === undefined) throw new Error(`product ${row.id} was not inserted`);
      audits.push({ action: 'product.create', entityType: 'product', entityId: row.id, before: null, after: productAuditShape(presentProduct(stored, ports.views)) });
      record(created(item, stored));
    }
    await recordAudits(trx, actor, audits);
    return slow;
  }

  /** One document through the single-document publish, inside its own savepoint; a refusal rolls back to it. */
  private async publishOne(trx: Kysely<Database>, actor: Actor, sent: BatchDocument, index: number, force: boolean): Promise<BatchOutcome> {
    const publish: PublishRequest = { document: sent.document, expectedVersion: sent.expectedVersion ?? 'any', force };
    await sql`savepoint publish_document`.execute(trx);
    try {
      const result = sent.kind === 'contract' ? await new ContractService(trx, this.validator).publish(actor, publish) : await new ProductService(trx, this.validator).publish(actor, publish);
      await sql`release savepoint publish_document`.execute(trx);
      return {
        index,
        kind: sent.kind,
        externalId: result.item.externalId,
        outcome: result.outcome,
        changeKind: result.changeKind,
        breaking: result.breaking,
        changes: result.changes,
        suggestedVersion: result.suggestedVersion,
        item: { id: result.item.id, externalId: result.item.externalId, version: result.item.version },
      };
    } catch (error) {
      if (!(error instanceof MeshboardError)) throw error;
      await sql`rollback to savepoint publish_document`.execute(trx);
      const externalId = isObject(sent.document) && typeof sent.document['id'] === 'string' ? sent.document['id'] : null;
      return { index, kind: sent.kind, externalId, outcome: 'refused', error: refusal(error) };
    }
  }
}

/** A document the bulk path takes: valid, authorised in its resolved domain, its owning team resolved. */
interface Prepared {
  sent: BatchDocument;
  index: number;
  kind: BatchDocument['kind'];
  document: JsonObject;
  fields: CatalogFields;
  domainId: string;
  ownerTeamId: string | null;
}

/**
 * Takes the advisory locks single-document publishes take (`contract:<id>`, `product:<id>`) for the
 * whole batch in one statement, in sorted order so that two batches cannot deadlock on each other.
 * Later single-document publishes in the batch take them again (re-entrant within the transaction).
 */
async function lockDocuments(trx: Kysely<Database>, items: readonly Prepared[]): Promise<void> {
  const keys = [...new Set(items.map((item) => `${item.kind}:${item.fields.externalId}`))].sort();
  if (keys.length === 0) return;
  await sql`select count(pg_advisory_xact_lock(hashtext(k))) from (select k from unnest(${keys}::text[]) as k order by k) locked`.execute(trx);
}

async function rowsByExternalId<T extends 'contracts' | 'products'>(trx: Kysely<Database>, table: T, ids: readonly string[]): Promise<Map<string, T extends 'contracts' ? ContractRow : ProductRow>> {
  const found = new Map<string, T extends 'contracts' ? ContractRow : ProductRow>();
  for (const chunk of chunks([...new Set(ids)], 1000)) {
    const rows = (await trx.selectFrom(table as 'contracts').selectAll().where('external_id', 'in', chunk).forUpdate().execute()) as unknown as (T extends 'contracts' ? ContractRow : ProductRow)[];
    for (const row of rows) found.set(row.external_id, row);
  }
  return found;
}

/** The single-document publish's "unchanged": same domain, the expected version (if any) current, the same document. */
function isUnchanged(item: Prepared, current: ContractRow | ProductRow): boolean {
  if (current.domain_id !== item.domainId) return false;
  if (item.sent.expectedVersion !== undefined && item.sent.expectedVersion !== current.version) return false;
  return canonicalJson(current.document) === canonicalJson(item.document);
}

function unchanged(item: Prepared, current: ContractRow | ProductRow): BatchOutcome {
  return { index: item.index, kind: item.kind, externalId: current.external_id, outcome: 'unchanged', changeKind: null, breaking: false, changes: [], suggestedVersion: null, item: { id: current.id, externalId: current.external_id, version: current.version } };
}

function created(item: Prepared, row: ContractRow | ProductRow): BatchOutcome {
  return { index: item.index, kind: item.kind, externalId: row.external_id, outcome: 'created', changeKind: 'initial', breaking: false, changes: [], suggestedVersion: null, item: { id: row.id, externalId: row.external_id, version: row.version } };
}

/**
 * The search entries of newly created documents, many per statement (at most 14 columns: 2,000 rows stay
 * far below 65,535 parameters); `states`, when given, are those of the document's own entry (a product's).
 */
async function insertSearchEntries(trx: Kysely<Database>, documents: readonly { item: Prepared; entityId: string; states?: EntryStates }[]): Promise<void> {
  const now = new Date();
  const rows: Insertable<SearchEntryTable>[] = documents.flatMap(({ item, entityId, states }) =>
    searchEntryRows({ kind: item.kind, entityId, domainId: item.domainId, fields: item.fields, document: item.document }, now).map((row) => (states !== undefined && row.kind === item.kind ? { ...row, ...states } : row)),
  );
  for (const chunk of chunks(rows, 2000)) await trx.insertInto('search_entries').values(chunk).execute();
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

function rank(kind: BatchDocument['kind']): number {
  return kind === 'contract' ? 0 : 1;
}

function refusal(error: MeshboardError): Extract<BatchOutcome, { outcome: 'refused' }>['error'] {
  return {
    code: error.code,
    detail: error.message,
    ...(error instanceof InputError ? { problems: [...error.problems] } : {}),
    ...(error instanceof PreconditionFailedError && error.currentVersion !== undefined ? { currentVersion: error.currentVersion } : {}),
  };
}
