import { createValidator, diffProducts, refuseLifecycleMove, refuseRetirement, validateOdps, type DiffResult, type Validator } from '@meshboard/model';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/Actor';
import { liveSubscriptionStatuses } from '../access/accessViews';
import { requireDomainRole } from '../auth/authorize';
import { hashToken } from '../auth/secrets';
import { ConflictError, InputError, NotAuthenticatedError, NotFoundError, PreconditionFailedError, PreconditionRequiredError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import { domainRoles, type ContractRow, type Database, type ProductRow, type JsonValue } from '../store/Database';
import { newId } from '../store/newId';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { canonicalJson, catalogFields, isObject, outputPorts, rejectInvalid, resolveDomain, resolveTeam, type JsonObject } from './catalogDocuments';
import { assertVersion } from './concurrency';
import { tokenLookup, tokenLookupByHash, type AuthService, type TokenLookupRow } from './AuthService';
import { MicroBatcher } from './MicroBatcher';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import type { PublishRequest, PublishResult } from './ContractService';
import { asJson, presentProduct, presentProductSummary, presentProductVersion, type OutputPortView, type ProductSummaryView, type ProductVersionView, type ProductView, type PublishOutcome } from './presenters';
import { indexDocument } from './searchIndex';
import { notifyProductPublished } from './catalogNotifications';
import { applyPublishedVision, latestVisionCanvas } from './productLoop/VisionService';
import { splitVision, withVision } from './productLoop/visionDocument';

/** Filters of the product list. */
export interface ProductListRequest extends ListRequest {
  domainId?: string;
  status?: string;
}

/** Unwinds a dry run's transaction; carries the planned outcome. */
class DryRun<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

/** A row of {@link productJsonRow}. */
interface ProductJsonRow {
  id: string;
  domain_id: string;
  external_id: string;
  name: string;
  status: ProductRow['status'];
  product_version: string;
  owner_team_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  document_text: string;
  ports: { port_name: string; contract_id: string | null; external_id: string | null; name: string | null; current_version: string | null; status: ProductRow['status'] | null }[] | null;
  has_vision: boolean;
}

/** Every field of T may be null (the columns of a left join that found nothing). */
type OptionalFields<T> = { [K in keyof T]: T[K] | null };

/** One waiting {@link ProductService.getJsonAs} call. */
interface ProductRead {
  auth: AuthService;
  secret: string;
  ref: string;
}

/** A row of the batched read: the read's ordinal (1-based), its token row and its product row. */
type BatchRow = { n: number } & OptionalFields<TokenLookupRow> & OptionalFields<ProductJsonRow>;

/** The token columns of a batch row, or undefined when the read's token matched none. */
function tokenRow(row: BatchRow | undefined): TokenLookupRow | undefined {
  return row === undefined || row.tokenId === null ? undefined : (row as TokenLookupRow);
}

/**
 * How {@link ProductService.getJsonAs} coalesces concurrent reads ({@link MicroBatcher}): at most
 * `maxSize` reads a statement, at most `maxInFlight` such statements at once; `false` runs every read
 * as its own statement.
 */
export type ProductReadBatching = { maxSize: number; maxInFlight: number } | false;

/** The default {@link ProductReadBatching}: one batch at a time, up to 64 reads in it. */
export const defaultProductReadBatching: ProductReadBatching = { maxSize: 64, maxInFlight: 1 };

/**
 * The {@link ProductReadBatching} for a kind of store, chosen by measurement (ADR 0009): on the embedded
 * store one batch at a time (one connection; a batch runs on this thread); on PostgreSQL up to three
 * batches at once, so the process prepares the next batch while the server runs one (of the pool's
 * connections, the others stay free for other work).
 */
export function productReadBatchingFor(kind: 'embedded' | 'postgres'): ProductReadBatching {
  return kind === 'embedded' ? defaultProductReadBatching : { maxSize: 64, maxInFlight: 3 };
}

/**
 * The product read of {@link ProductService.getJson} as a statement fragment (fixed text; the reference
 * is matched as our id when it is a uuid, else as the document id): the row, its output ports with their
 * contracts (`json_agg`, by port name), whether a vision canvas exists, and the stored document as
 * PostgreSQL's text of it (`source` when present, as published).
 */
function productJsonRow(ref: string): RawBuilder<ProductJsonRow> {
  return productJsonRowBy(sql`${isUuid(ref) ? ref : null}::uuid`, sql`${ref}`);
}

/**
 * {@link productJsonRow} with the reference given as SQL expressions: `id` (a uuid, or null when the
 * reference is not one) and `ref` (matched as the document id), parameters or columns of a batch.
 */
function productJsonRowBy(id: RawBuilder<unknown>, ref: RawBuilder<unknown>): RawBuilder<ProductJsonRow> {
  return sql<ProductJsonRow>`select p.id, p.domain_id, p.external_id, p.name, p.status, p.product_version, p.owner_team_id, p.version, p.created_at, p.updated_at,
        coalesce(p.source::text, p.document::text) as document_text,
        (select json_agg(json_build_object('port_name', o.port_name, 'contract_id', c.id, 'external_id', c.external_id, 'name', c.name, 'current_version', c.current_version, 'status', c.status) order by o.port_name)
          from product_output_ports o left join contracts c on c.id = o.contract_id where o.product_id = p.id) as ports,
        exists (select 1 from product_visions v where v.product_id = p.id) as has_vision
      from products p
      where p.id = ${id} or p.external_id = ${ref}`;
}

/**
 * Data products (ODPS): publishing validated documents with an immutable version history, output
 * ports bound to contracts, diffs between versions. Writes need a role in the owning domain; reads any signed-in user.
 */
export class ProductService {
  private readonly validator: Validator;
  private readonly reads: MicroBatcher<ProductRead, { actor: Actor; version: number; json: string }> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    validator?: Validator,
    batching: ProductReadBatching = defaultProductReadBatching,
  ) {
    this.validator = validator ?? createValidator();
    this.reads = batching === false ? undefined : new MicroBatcher({ ...batching, run: (reads) => this.readBatch(reads) });
  }

  /** Lists products ordered by their document id, without documents. */
  async list(request: ProductListRequest): Promise<Page<ProductSummaryView>> {
    const limit = listLimit(request);
    let query = this.db.selectFrom('products').selectAll().orderBy('external_id').limit(limit + 1);
    if (request.cursor !== undefined) query = query.where('external_id', '>', decodeCursor(request.cursor));
    if (request.domainId !== undefined) query = isUuid(request.domainId) ? query.where('domain_id', '=', request.domainId) : query.where(sql<boolean>`false`);
    if (request.status !== undefined) query = query.where('status', '=', request.status as ProductRow['status']);
    const page = toPage(await query.execute(), limit, (row) => row.external_id);
    return { items: page.items.map(presentProductSummary), nextCursor: page.nextCursor };
  }

  /** The latest version of a product, by our id or its document id. */
  async get(ref: string): Promise<ProductView> {
    return this.present(this.db, await this.row(this.db, ref, false));
  }

  /**
   * The latest version of a product as the JSON text of {@link get}'s answer (same fields, same values),
   * for `GET /api/products/{id}`: one prepared statement reads the row, its ports with their contracts,
   * and whether a vision canvas exists; the stored document is spliced into the answer as PostgreSQL's
   * text of it, never parsed and re-serialised. A product with a vision canvas (merged into the
   * document) or a port whose contract is gone (its id read from the document) takes {@link get}'s path.
   */
  async getJson(ref: string): Promise<{ version: number; json: string }> {
    const result = await sql<ProductJsonRow>`/* prepared */ ${productJsonRow(ref)}`.execute(this.db);
    return this.presentJson(ref, result.rows[0]);
  }

  /**
   * {@link getJson} for a bearer secret: authenticates and reads the product in one prepared statement
   * ({@link tokenLookup} beside the product's row), the hot read of issue 4, which otherwise paid a
   * second statement per request. Authentication is decided exactly as {@link AuthService.authenticate}
   * decides it, on the same rows in the same statement, so a revoked token, a disabled user or a removed
   * role acts on the next request (no cache). {@link NotAuthenticatedError} comes before
   * {@link NotFoundError}.
   */
  async getJsonAs(auth: AuthService, secret: string, ref: string): Promise<{ actor: Actor; version: number; json: string }> {
    return this.reads === undefined ? this.getJsonAsAlone(auth, secret, ref) : this.reads.load({ auth, secret, ref });
  }

  /** {@link getJsonAs} as a statement of its own. */
  private async getJsonAsAlone(auth: AuthService, secret: string, ref: string): Promise<{ actor: Actor; version: number; json: string }> {
    const result = await sql<TokenLookupRow & OptionalFields<ProductJsonRow>>`/* prepared */ select a."tokenId", a.expires_at, a.revoked_at, a.last_used_at, a."userId", a.email, a.is_admin, a.disabled, a.roles,
        p.id, p.domain_id, p.external_id, p.name, p.status, p.product_version, p.owner_team_id, p.version, p.created_at, p.updated_at, p.document_text, p.ports, p.has_vision
      from (${tokenLookup(secret)}) a
      left join lateral (${productJsonRow(ref)}) p on true`.execute(this.db);
    const row = result.rows[0];
    const actor = await auth.admit(row);
    const product = row?.id === null || row === undefined ? undefined : (row as ProductJsonRow);
    return { actor, ...(await this.presentJson(ref, product)) };
  }

  /**
   * The reads of one batch of {@link getJsonAs} (see {@link ProductReadBatching}): a lone read takes the
   * one-request statement; several run as one prepared statement, `unnest`ing their references and the
   * distinct token hashes among them, each token looked up once ({@link tokenLookupByHash}, materialised,
   * its columns on the row of the first read that carries it) and each product as {@link productJsonRow}
   * does, one row per read with its ordinal. Each read is then admitted on its own token row and
   * presented from its own product row, so every read gets the answer, or the error, it would get alone,
   * decided on the database state of the batch's statement (which runs after the read arrived). A batch
   * that fails as a whole (its statement — e.g. one reference PostgreSQL refuses as text — or recording
   * token use) is run again one read at a time, so a failure reaches only the reads it belongs to.
   */
  private async readBatch(reads: readonly ProductRead[]): Promise<Promise<{ actor: Actor; version: number; json: string }>[]> {
    if (reads.length === 1) return reads.map((read) => this.getJsonAsAlone(read.auth, read.secret, read.ref));
    let rows: BatchRow[];
    let actors: (Actor | NotAuthenticatedError)[];
    try {
      // Each distinct secret once, with the ordinal of the first read that carries it: only that read's
      // row carries the token's columns (the others would repeat them, parsed again for nothing).
      const firstReadOf = new Map<string, number>();
      reads.forEach((read, index) => {
        if (!firstReadOf.has(read.secret)) firstReadOf.set(read.secret, index + 1);
      });
      const result = await sql<BatchRow>`/* prepared */ with a as materialized (
          select k.first_read, l."tokenId", l.expires_at, l.revoked_at, l.last_used_at, l."userId", l.email, l.is_admin, l.disabled, l.roles
            from unnest(${[...firstReadOf.keys()].map(hashToken)}::text[], ${[...firstReadOf.values()]}::int[]) k(token_hash, first_read)
            cross join lateral (${tokenLookupByHash(sql`k.token_hash`)}) l)
        select r.n::int as n, a."tokenId", a.expires_at, a.revoked_at, a.last_used_at, a."userId", a.email, a.is_admin, a.disabled, a.roles,
          p.id, p.domain_id, p.external_id, p.name, p.status, p.product_version, p.owner_team_id, p.version, p.created_at, p.updated_at, p.document_text, p.ports, p.has_vision
        from unnest(${reads.map((read) => (isUuid(read.ref) ? read.ref : null))}::uuid[], ${reads.map((read) => read.ref)}::text[]) with ordinality r(id, ref, n)
        left join a on a.first_read = r.n
        left join lateral (${productJsonRowBy(sql`r.id`, sql`r.ref`)}) p on true`.execute(this.db);
      rows = new Array<BatchRow>(reads.length);
      for (const row of result.rows) rows[row.n - 1] ??= row;
      const tokenRows = reads.map((read) => tokenRow(rows[(firstReadOf.get(read.secret) ?? 0) - 1]));
      // Admitted per AuthService (in practice the one of the services), each read on its own row.
      actors = new Array<Actor | NotAuthenticatedError>(reads.length);
      const byAuth = new Map<AuthService, number[]>();
      reads.forEach((read, index) => {
        const group = byAuth.get(read.auth);
        if (group === undefined) byAuth.set(read.auth, [index]);
        else group.push(index);
      });
      for (const [auth, indexes] of byAuth) {
        const admitted = await auth.admitEach(indexes.map((index) => tokenRows[index]));
        indexes.forEach((index, position) => (actors[index] = admitted[position] ?? new NotAuthenticatedError('The token is unknown, expired or revoked.')));
      }
    } catch {
      return reads.map((read) => this.getJsonAsAlone(read.auth, read.secret, read.ref));
    }
    return reads.map(async (read, index) => {
      const actor = actors[index];
      if (actor === undefined || actor instanceof NotAuthenticatedError) throw actor ?? new NotAuthenticatedError('The token is unknown, expired or revoked.');
      const row = rows[index];
      const product = row === undefined || row.id === null ? undefined : (row as ProductJsonRow);
      return { actor, ...(await this.presentJson(read.ref, product)) };
    });
  }

  /** {@link getJson}'s answer from its row (see there). */
  private async presentJson(ref: string, row: ProductJsonRow | undefined): Promise<{ version: number; json: string }> {
    if (row === undefined) throw new NotFoundError(`No product ${ref}.`);
    const ports = row.ports ?? [];
    if (row.has_vision || ports.some((port) => port.external_id === null)) {
      const item = await this.get(row.id);
      return { version: item.version, json: JSON.stringify(item) };
    }
    const outputPorts: OutputPortView[] = ports.map((port) => ({
      name: port.port_name,
      contractExternalId: port.external_id,
      contract:
        port.contract_id === null || port.external_id === null || port.name === null || port.current_version === null || port.status === null
          ? null
          : { id: port.contract_id, externalId: port.external_id, name: port.name, currentVersion: port.current_version, status: port.status },
    }));
    // The summary's keys, then `document` and `outputPorts`: the key order of presentProduct.
    const summary = JSON.stringify(presentProductSummary(row));
    return { version: row.version, json: `${summary.slice(0, -1)},"document":${row.document_text},"outputPorts":${JSON.stringify(outputPorts)}}` };
  }

  /** The published versions of a product, newest first (every revision). */
  async versions(ref: string, request: ListRequest): Promise<Page<ProductVersionView>> {
    const contract = await this.row(this.db, ref, false);
    const limit = listLimit(request);
    let query = this.db.selectFrom('product_versions').selectAll().where('product_id', '=', contract.id).orderBy('seq', 'desc').limit(limit + 1);
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!/^[0-9]{1,19}$/.test(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('seq', '<', after);
    }
    const page = toPage(await query.execute(), limit, (row) => String(row.seq));
    return { items: page.items.map(presentProductVersion), nextCursor: page.nextCursor };
  }

  /** One published version (its latest revision unless `revision` is given). */
  async version(ref: string, version: string, revision?: number): Promise<ProductVersionView> {
    const contract = await this.row(this.db, ref, false);
    let query = this.db.selectFrom('product_versions').selectAll().where('product_id', '=', contract.id).where('product_version', '=', version).orderBy('revision', 'desc').limit(1);
    if (revision !== undefined) query = query.where('revision', '=', revision);
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`Product ${contract.external_id} has no published version ${version}${revision === undefined ? '' : ` revision ${revision}`}.`);
    return presentProductVersion(row);
  }

  /** Classifies the changes between two published versions (`to` defaults to the latest). */
  async diff(ref: string, from: string, to?: string): Promise<DiffResult> {
    const before = await this.version(ref, from);
    const after = to === undefined ? await this.get(ref) : await this.version(ref, to);
    // The latest document carries the vision canvas as a custom property; history rows never do.
    return diffProducts(before.document, splitVision(after.document).document);
  }

  /** The product with its output ports and their contracts' latest versions. */
  private async present(db: Kysely<Database>, row: ProductRow): Promise<ProductView> {
    const ports = await db
      .selectFrom('product_output_ports as p')
      .leftJoin('contracts as c', 'c.id', 'p.contract_id')
      .select(['p.port_name', 'c.id as contract_id', 'c.external_id', 'c.name', 'c.current_version', 'c.status'])
      .where('p.product_id', '=', row.id)
      .orderBy('p.port_name')
      .execute();
    const declared = new Map(outputPorts(isObject(row.document) ? row.document : {}).map((port) => [port.name, port.contractId]));
    // The vision canvas lives in its own history (issue 6); it is exported as a custom property.
    const canvas = await latestVisionCanvas(db, row.id);
    return presentProduct(
      canvas === undefined ? row : { ...row, source: withVision(row.source ?? row.document, canvas) },
      ports.map((port) => ({
        name: port.port_name,
        contractExternalId: port.external_id ?? declared.get(port.port_name) ?? null,
        contract:
          port.contract_id === null || port.external_id === null || port.name === null || port.current_version === null || port.status === null
            ? null
            : { id: port.contract_id, externalId: port.external_id, name: port.name, currentVersion: port.current_version, status: port.status },
      })),
    );
  }

  /**
   * The output ports of a document bound to catalog contracts. A port naming a contract that is not in
   * the catalog is an {@link InputError} on its `contractId` (publish contracts before their products);
   * input ports name other teams' contracts and are not checked.
   */
  private async resolvePorts(db: Kysely<Database>, document: JsonObject): Promise<PortBindings> {
    const ids = [...new Set(outputPorts(document).map((port) => port.contractId).filter((id): id is string => id !== null))];
    const found = ids.length === 0 ? [] : await db.selectFrom('contracts').select(['id', 'external_id', 'name', 'current_version', 'status']).where('external_id', 'in', ids).execute();
    const bound = bindPorts(document, new Map(found.map((row) => [row.external_id, row])));
    if (bound.problems.length > 0) throw new InputError('An output port names a contract that is not in the catalog.', bound.problems);
    return bound;
  }

  private async writePorts(trx: Kysely<Database>, productId: string, rows: { port_name: string; contract_id: string | null }[]): Promise<void> {
    await trx.deleteFrom('product_output_ports').where('product_id', '=', productId).execute();
    if (rows.length > 0) await trx.insertInto('product_output_ports').values(rows.map((row) => ({ ...row, product_id: productId }))).execute();
  }

  private async row(db: Kysely<Database>, ref: string, lock: boolean): Promise<ProductRow> {
    let query = db.selectFrom('products').selectAll();
    query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No product ${ref}.`);
    return row;
  }

  /**
   * Publishes a product document: validated with the model's ODPS validator (problems with JSON
   * pointers), authorised in the owning domain, compared with the current version. Identical → nothing
   * written (`unchanged`). A breaking change that keeps the version is a {@link ConflictError} unless
   * `force`. A changed document under the same version appends a revision to the history (rows of the
   * history never change). The row, its history, the search index and the audit event commit together.
   */
  async publish(actor: Actor, request: PublishRequest): Promise<PublishResult<ProductView>> {
    // A `meshboardVision` custom property fills the vision canvas (a new canvas version when it differs);
    // the document is compared and stored without it. Both commit together.
    const { document, canvas } = splitVision(request.document);
    if (canvas === undefined || request.dryRun === true) return this.publishDocument(actor, { ...request, document });
    return inTransaction(this.db, async (trx) => {
      const published = await new ProductService(trx, this.validator).publishDocument(actor, { ...request, document });
      await applyPublishedVision(trx, actor, published.item.id, canvas);
      return { ...published, item: await new ProductService(trx, this.validator).get(published.item.id) };
    });
  }

  private async publishDocument(actor: Actor, request: PublishRequest): Promise<PublishResult<ProductView>> {
    if (!isObject(request.document)) throw new InputError('The body must be an ODPS product document (a JSON object).', [{ pointer: '', detail: 'Send the product as a JSON object.' }]);
    const document: JsonObject = request.document;
    // Ports are checked against the catalog below (validateOdps alone only warns about unknown contracts).
    rejectInvalid('product', validateOdps(document, { validator: this.validator }).findings);
    const fields = catalogFields(document, 'product');
    try {
      return await inTransaction(this.db, async (trx) => {
        const domain = await resolveDomain(trx, fields.domain);
        requireDomainRole(actor, { domainId: domain.id, roles: domainRoles, action: `publish a product in domain ${domain.slug}` });
        const ownerTeamId = await resolveTeam(trx, fields.owner);
        const ports = await this.resolvePorts(trx, document);
        // Serialise publishes of one document id, including its very first one (no row to lock yet).
        await sql`select pg_advisory_xact_lock(hashtext(${`product:${fields.externalId}`}))`.execute(trx);
        const existing = await trx.selectFrom('products').selectAll().where('external_id', '=', fields.externalId).forUpdate().executeTakeFirst();
        if (request.ref !== undefined && existing !== undefined && request.ref !== existing.id && request.ref !== existing.external_id) {
          throw new InputError('The document id differs from the product in the URL.', [{ pointer: '/id', detail: `The URL names ${request.ref}; the document is ${fields.externalId}.` }]);
        }
        if (request.ref !== undefined && existing === undefined && request.ref !== fields.externalId) {
          throw new InputError('The document id differs from the product in the URL.', [{ pointer: '/id', detail: `Publish ${fields.externalId} at /api/products/${encodeURIComponent(fields.externalId)}.` }]);
        }
        const source = JSON.stringify(document);
        if (existing === undefined) {
          if (typeof request.expectedVersion === 'number') throw new PreconditionFailedError(`Product ${fields.externalId} does not exist (yet); publish it without If-Match.`, 0);
          const id = newId();
          const row = {
            id,
            domain_id: domain.id,
            external_id: fields.externalId,
            name: fields.name,
            status: fields.status,
            product_version: fields.version,
            owner_team_id: ownerTeamId,
            document: source,
            source,
          };
          const planned: PublishResult<ProductView> = { outcome: 'created', changeKind: 'initial', breaking: false, changes: [], suggestedVersion: null, dryRun: request.dryRun === true, item: presentProduct({ ...row, document, source: document, version: 0, created_at: new Date(), updated_at: new Date() }, ports.views) };
          if (request.dryRun === true) throw new DryRun(planned);
          const inserted = await trx.insertInto('products').values(row).returningAll().executeTakeFirstOrThrow();
          await this.writePorts(trx, id, ports.rows);
          await trx.insertInto('product_versions').values({ product_id: id, product_version: fields.version, document: source, source, change_kind: 'initial', published_by: actor.userId }).execute();
          await indexDocument(trx, { kind: 'product', entityId: id, domainId: domain.id, fields, document });
          const view = presentProduct(inserted, ports.views);
          await recordAudit(trx, actor, { action: 'product.create', entityType: 'product', entityId: id, before: null, after: productAuditShape(view) });
          return { ...planned, item: view };
        }
        if (existing.domain_id !== domain.id) requireDomainRole(actor, { domainId: existing.domain_id, roles: domainRoles, action: 'move a product out of its domain' });
        if (request.expectedVersion === undefined) {
          const how = `publish a new version with PUT /api/products/${encodeURIComponent(fields.externalId)} and If-Match: "v${existing.version}" (or *)`;
          if (request.ref === undefined) throw new ConflictError(`Product ${fields.externalId} already exists; ${how}.`);
          throw new PreconditionRequiredError(`Product ${fields.externalId} exists at version ${existing.version}; ${how}.`);
        }
        if (request.expectedVersion !== 'any') assertVersion('The product', existing.version, request.expectedVersion);
        await refuseIllegalStatus(trx, existing, fields.status);
        const current = existing.source ?? existing.document;
        const diff = diffProducts(current, document);
        if (canonicalJson(existing.document) === canonicalJson(document)) {
          return { outcome: 'unchanged', changeKind: null, breaking: false, changes: [], suggestedVersion: null, dryRun: request.dryRun === true, item: await this.present(trx, existing) };
        }
        const sameVersion = fields.version === existing.product_version;
        if (diff.breaking && sameVersion && request.force !== true) {
          const first = diff.changes.find((change) => change.severity === 'breaking');
          throw new ConflictError(
            `Product ${fields.externalId}: a breaking change keeps version ${fields.version}${first === undefined ? '' : ` (${first.message} at ${first.path})`}; publish it as ${diff.suggestedVersion ?? 'a new major version'}, or force it.`,
          );
        }
        const changeKind = diff.breaking ? 'breaking' : 'non-breaking';
        const latestRevision = await trx.selectFrom('product_versions').select((eb) => eb.fn.max('revision').as('revision')).where('product_id', '=', existing.id).where('product_version', '=', fields.version).executeTakeFirst();
        const revision = (latestRevision?.revision ?? 0) + 1;
        const outcome: PublishOutcome = revision > 1 ? 'revised' : 'published';
        const planned = { outcome, changeKind, breaking: diff.breaking, changes: diff.changes, suggestedVersion: diff.suggestedVersion ?? null, dryRun: request.dryRun === true } as const;
        if (request.dryRun === true) throw new DryRun<PublishResult<ProductView>>({ ...planned, item: await this.present(trx, existing) });
        const updated = await trx
          .updateTable('products')
          .set({ domain_id: domain.id, owner_team_id: ownerTeamId, name: fields.name, status: fields.status, product_version: fields.version, document: source, source, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const before = await this.present(trx, existing);
        // A publish that takes a deprecated product back to active withdraws its deprecation plan (issue 6),
        // so a later deprecation never announces a stale sunset date.
        if (existing.status === 'deprecated' && updated.status === 'active') {
          await trx.updateTable('product_lifecycles').set({ sunset_date: null, replacement_product_id: null, note: '', deprecated_at: null, deprecated_by: null, reminded_for: null, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` }).where('product_id', '=', existing.id).execute();
        }
        await this.writePorts(trx, existing.id, ports.rows);
        await trx.insertInto('product_versions').values({ product_id: existing.id, product_version: fields.version, revision, document: source, source, change_kind: changeKind, published_by: actor.userId }).execute();
        await indexDocument(trx, { kind: 'product', entityId: existing.id, domainId: domain.id, fields, document });
        const view = presentProduct(updated, ports.views);
        await recordAudit(trx, actor, { action: 'product.publish', entityType: 'product', entityId: existing.id, before: productAuditShape(before), after: productAuditShape(view) });
        await notifyProductPublished(trx, {
          actorId: actor.userId,
          before: { id: existing.id, name: existing.name, productVersion: existing.product_version, status: existing.status },
          after: { id: updated.id, name: updated.name, productVersion: updated.product_version, status: updated.status },
          changeKind,
        });
        return { ...planned, item: view };
      });
    } catch (error) {
      if (error instanceof DryRun) return error.result as PublishResult<ProductView>;
      throw error;
    }
  }
}

/**
 * Issue 6: a publish may move the status only along the model's lifecycle (no draft → retired, nothing
 * after retired), and may retire only a product nobody subscribes to any more — retiring with live
 * subscribers needs the lifecycle API's audited override. Refused with a pointer to `/status`.
 */
async function refuseIllegalStatus(trx: Kysely<Database>, existing: ProductRow, to: ProductRow['status']): Promise<void> {
  const move = refuseLifecycleMove(existing.status, to);
  if (move !== null) throw new InputError(`The status of ${existing.external_id} cannot change this way.`, [{ pointer: '/status', detail: `${move} (The catalog has it ${existing.status}.)` }]);
  if (to !== 'retired' || existing.status === 'retired') return;
  const live = await trx.selectFrom('subscriptions').select((eb) => eb.fn.countAll<string>().as('n')).where('product_id', '=', existing.id).where('status', 'in', liveSubscriptionStatuses).executeTakeFirstOrThrow();
  const refused = refuseRetirement({ liveSubscriptions: Number(live.n) });
  if (refused !== null) {
    throw new InputError(`${existing.external_id} cannot be retired yet.`, [{ pointer: '/status', detail: `${refused} An override goes through POST /api/products/${existing.id}/lifecycle/retire.` }]);
  }
}

/** A catalog contract as an output port binds it. */
export type PortContract = Pick<ContractRow, 'id' | 'external_id' | 'name' | 'current_version' | 'status'>;

/** The output ports of a product document bound to contracts: rows to store, views to present, and the ports naming no known contract. */
export interface PortBindings {
  rows: { port_name: string; contract_id: string | null }[];
  views: OutputPortView[];
  problems: { pointer: string; detail: string }[];
}

/**
 * Binds the output ports of `document` to the contracts of `byExternal` (by document id). Pure, so the
 * single-document publish and the batch publish (which reads every port's contract in one query) agree.
 */
export function bindPorts(document: JsonObject, byExternal: ReadonlyMap<string, PortContract>): PortBindings {
  const ports = outputPorts(document);
  const declared = Array.isArray(document['outputPorts']) ? document['outputPorts'] : [];
  const problems = ports.flatMap((port) => {
    if (port.contractId === null || byExternal.has(port.contractId)) return [];
    const index = declared.findIndex((item) => isObject(item) && item['name'] === port.name);
    return [{ pointer: `/outputPorts/${index}/contractId`, detail: `No contract "${port.contractId}" is in the catalog; publish it first.` }];
  });
  return {
    rows: ports.map((port) => ({ port_name: port.name, contract_id: port.contractId === null ? null : (byExternal.get(port.contractId)?.id ?? null) })),
    views: ports.map((port) => {
      const contract = port.contractId === null ? undefined : byExternal.get(port.contractId);
      return {
        name: port.name,
        contractExternalId: port.contractId,
        contract: contract === undefined ? null : { id: contract.id, externalId: contract.external_id, name: contract.name, currentVersion: contract.current_version, status: contract.status },
      };
    }),
    problems,
  };
}

/** What the audit log keeps of a product: everything but the document (the history table has it). */
export function productAuditShape(view: ProductView): JsonValue {
  const { document: _document, ...rest } = view;
  return asJson(rest);
}
