import { createValidator, diffContracts, validateOdcs, type DiffResult, type Validator } from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { requireDomainRole } from '../auth/authorize';
import { ConflictError, InputError, NotFoundError, PreconditionFailedError, PreconditionRequiredError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import { domainRoles, type ContractRow, type Database, type JsonValue } from '../store/Database';
import { newId } from '../store/newId';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { canonicalJson, catalogFields, isObject, rejectInvalid, resolveDomain, resolveTeam, type JsonObject } from './catalogDocuments';
import { assertVersion } from './concurrency';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { asJson, presentContract, presentContractSummary, presentContractVersion, type ContractSummaryView, type ContractVersionView, type ContractView, type PublishOutcome } from './presenters';
import { indexDocument } from './searchIndex';
import { notifyContractPublished } from './catalogNotifications';

/** What a publish asks: the document, the version the caller read (undefined for "must not exist"), force, dry run. */
export interface PublishRequest {
  /** The `{id}` of the URL (our id or the document id); undefined on POST (create). */
  ref?: string;
  document: unknown;
  /** The row version the caller read (If-Match); `'any'` for `*`; undefined when the caller expects nothing to exist. */
  expectedVersion?: number | 'any';
  force?: boolean;
  dryRun?: boolean;
}

/** The answer to a publish: what happened, how the document changed, and the contract now. */
export interface PublishResult<View> {
  outcome: PublishOutcome;
  changeKind: 'initial' | 'breaking' | 'non-breaking' | null;
  breaking: boolean;
  changes: DiffResult['changes'];
  suggestedVersion: string | null;
  dryRun: boolean;
  item: View;
}

/** Filters of the contract list. */
export interface ContractListRequest extends ListRequest {
  domainId?: string;
  status?: string;
}

/** A publish refused before anything is written; carries the planned outcome for dry runs. */
class DryRun<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

/**
 * Data contracts (ODCS): publishing validated documents with an immutable version history, the latest
 * version, diffs between versions. Writes need a role in the owning domain; reads any signed-in user.
 */
export class ContractService {
  private readonly validator: Validator;

  constructor(
    private readonly db: Kysely<Database>,
    validator?: Validator,
  ) {
    this.validator = validator ?? createValidator();
  }

  /** Lists contracts ordered by their document id, without documents. */
  async list(request: ContractListRequest): Promise<Page<ContractSummaryView>> {
    const limit = listLimit(request);
    let query = this.db.selectFrom('contracts').selectAll().orderBy('external_id').limit(limit + 1);
    if (request.cursor !== undefined) query = query.where('external_id', '>', decodeCursor(request.cursor));
    if (request.domainId !== undefined) query = isUuid(request.domainId) ? query.where('domain_id', '=', request.domainId) : query.where(sql<boolean>`false`);
    if (request.status !== undefined) query = query.where('status', '=', request.status as ContractRow['status']);
    const page = toPage(await query.execute(), limit, (row) => row.external_id);
    return { items: page.items.map(presentContractSummary), nextCursor: page.nextCursor };
  }

  /** The latest version of a contract, by our id or its document id. */
  async get(ref: string): Promise<ContractView> {
    return presentContract(await this.row(this.db, ref, false));
  }

  /** The published versions of a contract, newest first (every revision). */
  async versions(ref: string, request: ListRequest): Promise<Page<ContractVersionView>> {
    const contract = await this.row(this.db, ref, false);
    const limit = listLimit(request);
    let query = this.db.selectFrom('contract_versions').selectAll().where('contract_id', '=', contract.id).orderBy('seq', 'desc').limit(limit + 1);
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!/^[0-9]{1,19}$/.test(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('seq', '<', after);
    }
    const page = toPage(await query.execute(), limit, (row) => String(row.seq));
    return { items: page.items.map(presentContractVersion), nextCursor: page.nextCursor };
  }

  /** One published version (its latest revision unless `revision` is given). */
  async version(ref: string, version: string, revision?: number): Promise<ContractVersionView> {
    const contract = await this.row(this.db, ref, false);
    let query = this.db.selectFrom('contract_versions').selectAll().where('contract_id', '=', contract.id).where('contract_version', '=', version).orderBy('revision', 'desc').limit(1);
    if (revision !== undefined) query = query.where('revision', '=', revision);
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`Contract ${contract.external_id} has no published version ${version}${revision === undefined ? '' : ` revision ${revision}`}.`);
    return presentContractVersion(row);
  }

  /** Classifies the changes between two published versions (`to` defaults to the latest). */
  async diff(ref: string, from: string, to?: string): Promise<DiffResult> {
    const before = await this.version(ref, from);
    const after = to === undefined ? await this.get(ref) : await this.version(ref, to);
    return diffContracts(before.document, after.document);
  }

  private async row(db: Kysely<Database>, ref: string, lock: boolean): Promise<ContractRow> {
    let query = db.selectFrom('contracts').selectAll();
    query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No contract ${ref}.`);
    return row;
  }

  /**
   * Publishes a contract document: validated with the model's ODCS validator (problems with JSON
   * pointers), authorised in the owning domain, compared with the current version. Identical → nothing
   * written (`unchanged`). A breaking change that keeps the version is a {@link ConflictError} unless
   * `force`. A changed document under the same version appends a revision to the history (rows of the
   * history never change). The row, its history, the search index and the audit event commit together.
   */
  async publish(actor: Actor, request: PublishRequest): Promise<PublishResult<ContractView>> {
    if (!isObject(request.document)) throw new InputError('The body must be an ODCS contract document (a JSON object).', [{ pointer: '', detail: 'Send the contract as a JSON object.' }]);
    const document: JsonObject = request.document;
    rejectInvalid('contract', validateOdcs(document, { validator: this.validator }).findings);
    const fields = catalogFields(document, 'contract');
    try {
      return await inTransaction(this.db, async (trx) => {
        const domain = await resolveDomain(trx, fields.domain);
        requireDomainRole(actor, { domainId: domain.id, roles: domainRoles, action: `publish a contract in domain ${domain.slug}` });
        await resolveTeam(trx, fields.owner);
        // Serialise publishes of one document id, including its very first one (no row to lock yet).
        await sql`select pg_advisory_xact_lock(hashtext(${`contract:${fields.externalId}`}))`.execute(trx);
        const existing = await trx.selectFrom('contracts').selectAll().where('external_id', '=', fields.externalId).forUpdate().executeTakeFirst();
        if (request.ref !== undefined && existing !== undefined && request.ref !== existing.id && request.ref !== existing.external_id) {
          throw new InputError('The document id differs from the contract in the URL.', [{ pointer: '/id', detail: `The URL names ${request.ref}; the document is ${fields.externalId}.` }]);
        }
        if (request.ref !== undefined && existing === undefined && request.ref !== fields.externalId) {
          throw new InputError('The document id differs from the contract in the URL.', [{ pointer: '/id', detail: `Publish ${fields.externalId} at /api/contracts/${encodeURIComponent(fields.externalId)}.` }]);
        }
        const source = JSON.stringify(document);
        if (existing === undefined) {
          if (typeof request.expectedVersion === 'number') throw new PreconditionFailedError(`Contract ${fields.externalId} does not exist (yet); publish it without If-Match.`, 0);
          const id = newId();
          const row = {
            id,
            domain_id: domain.id,
            external_id: fields.externalId,
            name: fields.name,
            status: fields.status,
            current_version: fields.version,
            document: source,
            source,
          };
          const planned: PublishResult<ContractView> = { outcome: 'created', changeKind: 'initial', breaking: false, changes: [], suggestedVersion: null, dryRun: request.dryRun === true, item: presentContract({ ...row, document: document, source: document, version: 0, created_at: new Date(), updated_at: new Date() }) };
          if (request.dryRun === true) throw new DryRun(planned);
          const inserted = await trx.insertInto('contracts').values(row).returningAll().executeTakeFirstOrThrow();
          await trx.insertInto('contract_versions').values({ contract_id: id, contract_version: fields.version, document: source, source, change_kind: 'initial', published_by: actor.userId }).execute();
          await indexDocument(trx, { kind: 'contract', entityId: id, domainId: domain.id, fields, document });
          const view = presentContract(inserted);
          await recordAudit(trx, actor, { action: 'contract.create', entityType: 'contract', entityId: id, before: null, after: contractAuditShape(view) });
          return { ...planned, item: view };
        }
        if (existing.domain_id !== domain.id) requireDomainRole(actor, { domainId: existing.domain_id, roles: domainRoles, action: 'move a contract out of its domain' });
        if (request.expectedVersion === undefined) {
          const how = `publish a new version with PUT /api/contracts/${encodeURIComponent(fields.externalId)} and If-Match: "v${existing.version}" (or *)`;
          if (request.ref === undefined) throw new ConflictError(`Contract ${fields.externalId} already exists; ${how}.`);
          throw new PreconditionRequiredError(`Contract ${fields.externalId} exists at version ${existing.version}; ${how}.`);
        }
        if (request.expectedVersion !== 'any') assertVersion('The contract', existing.version, request.expectedVersion);
        const current = existing.source ?? existing.document;
        const diff = diffContracts(current, document);
        if (canonicalJson(existing.document) === canonicalJson(document)) {
          return { outcome: 'unchanged', changeKind: null, breaking: false, changes: [], suggestedVersion: null, dryRun: request.dryRun === true, item: presentContract(existing) };
        }
        const sameVersion = fields.version === existing.current_version;
        if (diff.breaking && sameVersion && request.force !== true) {
          const first = diff.changes.find((change) => change.severity === 'breaking');
          throw new ConflictError(
            `Contract ${fields.externalId}: a breaking change keeps version ${fields.version}${first === undefined ? '' : ` (${first.message} at ${first.path})`}; publish it as ${diff.suggestedVersion ?? 'a new major version'}, or force it.`,
          );
        }
        const changeKind = diff.breaking ? 'breaking' : 'non-breaking';
        const latestRevision = await trx.selectFrom('contract_versions').select((eb) => eb.fn.max('revision').as('revision')).where('contract_id', '=', existing.id).where('contract_version', '=', fields.version).executeTakeFirst();
        const revision = (latestRevision?.revision ?? 0) + 1;
        const outcome: PublishOutcome = revision > 1 ? 'revised' : 'published';
        const planned = { outcome, changeKind, breaking: diff.breaking, changes: diff.changes, suggestedVersion: diff.suggestedVersion ?? null, dryRun: request.dryRun === true } as const;
        if (request.dryRun === true) throw new DryRun<PublishResult<ContractView>>({ ...planned, item: presentContract(existing) });
        const updated = await trx
          .updateTable('contracts')
          .set({ domain_id: domain.id, name: fields.name, status: fields.status, current_version: fields.version, document: source, source, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.insertInto('contract_versions').values({ contract_id: existing.id, contract_version: fields.version, revision, document: source, source, change_kind: changeKind, published_by: actor.userId }).execute();
        await indexDocument(trx, { kind: 'contract', entityId: existing.id, domainId: domain.id, fields, document });
        const view = presentContract(updated);
        await recordAudit(trx, actor, { action: 'contract.publish', entityType: 'contract', entityId: existing.id, before: contractAuditShape(presentContract(existing)), after: contractAuditShape(view) });
        await notifyContractPublished(trx, { actorId: actor.userId, contract: { id: updated.id, name: updated.name }, beforeVersion: existing.current_version, afterVersion: updated.current_version, changeKind });
        return { ...planned, item: view };
      });
    } catch (error) {
      if (error instanceof DryRun) return error.result as PublishResult<ContractView>;
      throw error;
    }
  }
}

/** What the audit log keeps of a contract: everything but the document (the history table has it); shared with the batch publish. */
export function contractAuditShape(view: ContractView): JsonValue {
  const { document: _document, ...rest } = view;
  return asJson(rest);
}
