import { diffContracts, type BacklogKind, type BacklogState } from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { ConflictError, InputError, NotFoundError } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import type { Database, JsonValue } from '../../store/Database';
import { newId } from '../../store/newId';
import { liveStatuses } from '../catalogNotifications';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid } from '../listRequest';
import { notify } from '../NotificationService';
import { asJson } from '../presenters';
import { buildReleaseNotes, type ContractChange, type ReleaseNotes } from './releaseNotes';
import { findProduct, lockRoadmap, requireRoadmapOwner } from './RoadmapService';

/** `YYYY-MM-DD`. */
const datePattern = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/** Fields of a new release. */
export interface ReleaseInput {
  name: string;
  /** The product version it ships as (unique per product). */
  productVersion: string;
  targetDate?: string | null;
  description?: string;
}

/** A change to a planned release. */
export type ReleasePatch = Partial<ReleaseInput>;

/** An item of a release: done ones go into the notes when it is released. */
export interface ReleaseItemView {
  id: string;
  number: number;
  title: string;
  kind: BacklogKind;
  state: BacklogState;
}

/** A release as the API shows it; `notes` is null until released. */
export interface ReleaseView {
  id: string;
  productId: string;
  name: string;
  productVersion: string;
  description: string;
  targetDate: string | null;
  state: 'planned' | 'released';
  releasedAt: string | null;
  releasedBy: string | null;
  notes: ReleaseNotes | null;
  items: ReleaseItemView[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Filters of the release list. */
export interface ReleaseListRequest {
  state?: 'planned' | 'released';
}

interface ReleaseRecord {
  id: string;
  product_id: string;
  name: string;
  release_version: string;
  description: string;
  target: string | null;
  state: 'planned' | 'released';
  released_at: Date | null;
  released_by: string | null;
  contract_versions: JsonValue;
  notes: JsonValue | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function releases(db: Kysely<Database>) {
  return db
    .selectFrom('releases')
    .select(['id', 'product_id', 'name', 'release_version', 'description', 'state', 'released_at', 'released_by', 'contract_versions', 'notes', 'version', 'created_at', 'updated_at', sql<string | null>`target_date::text`.as('target')]);
}

function readSnapshot(value: JsonValue): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(value)) return map;
  for (const entry of value) {
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry) && typeof entry.contractId === 'string' && typeof entry.version === 'string') map.set(entry.contractId, entry.version);
  }
  return map;
}

function validate(input: ReleasePatch, creating: boolean): void {
  const problems = [];
  if (creating || input.name !== undefined) {
    if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200) problems.push({ pointer: '/name', detail: 'A release needs a name of 1 to 200 characters.' });
  }
  if (creating || input.productVersion !== undefined) {
    if (typeof input.productVersion !== 'string' || !/^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/.test(input.productVersion)) problems.push({ pointer: '/productVersion', detail: 'Write the product version the release ships as, e.g. 1.4.0.' });
  }
  if (typeof input.targetDate === 'string' && !datePattern.test(input.targetDate)) problems.push({ pointer: '/targetDate', detail: 'Write the target date as YYYY-MM-DD.' });
  if (problems.length > 0) throw new InputError('The release is not valid.', problems);
}

/**
 * Releases of a product (issue 6): a product version holding backlog items (placed through the roadmap),
 * planned → released. Releasing freezes notes generated from the contract diffs since the previous
 * release and the items done in it, and notifies the product's subscribers and the people whose requests
 * it contains, all in the releasing transaction. Owners (a role in the product's domain) write; everyone
 * signed in reads. Writes check the If-Match version under a row lock and are audited.
 */
export class ReleaseService {
  constructor(private readonly db: Kysely<Database>) {}

  /** A product's releases by target date (undated last), with their items. */
  async list(productRef: string, request: ReleaseListRequest = {}): Promise<ReleaseView[]> {
    const product = await findProduct(this.db, productRef);
    let query = releases(this.db).where('product_id', '=', product.id);
    if (request.state !== undefined) query = query.where('state', '=', request.state);
    const rows = await query.orderBy(sql`target_date nulls last`).orderBy('created_at').execute();
    return this.present(this.db, rows);
  }

  /** One release. */
  async get(id: string): Promise<ReleaseView> {
    return this.read(this.db, id);
  }

  private async record(db: Kysely<Database>, id: string, lock: boolean): Promise<ReleaseRecord> {
    if (!isUuid(id)) throw new NotFoundError(`No release ${id}.`);
    let query = releases(db).where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No release ${id}.`);
    return row;
  }

  private async present(db: Kysely<Database>, rows: readonly ReleaseRecord[]): Promise<ReleaseView[]> {
    const ids = rows.map((row) => row.id);
    const items =
      ids.length === 0
        ? []
        : await db.selectFrom('roadmap_entries as r').innerJoin('backlog_items as i', 'i.id', 'r.item_id').select(['r.release_id', 'i.id', 'i.number', 'i.title', 'i.kind', 'i.state']).where('r.release_id', 'in', ids).orderBy('i.number').execute();
    return rows.map((row) => ({
      id: row.id,
      productId: row.product_id,
      name: row.name,
      productVersion: row.release_version,
      description: row.description,
      targetDate: row.target,
      state: row.state,
      releasedAt: row.released_at?.toISOString() ?? null,
      releasedBy: row.released_by,
      notes: row.notes as unknown as ReleaseNotes | null,
      items: items.filter((item) => item.release_id === row.id).map(({ release_id: _release, ...item }) => item),
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }));
  }

  private async duplicateVersion(trx: Kysely<Database>, productId: string, productVersion: string, except: string | null): Promise<void> {
    let query = trx.selectFrom('releases').select('id').where('product_id', '=', productId).where('release_version', '=', productVersion);
    if (except !== null) query = query.where('id', '<>', except);
    if ((await query.executeTakeFirst()) !== undefined) throw new InputError('The product already has a release of this version.', [{ pointer: '/productVersion', detail: `Version ${productVersion} is taken; pick another.` }]);
  }

  /** Plans a release. */
  async create(actor: Actor, productRef: string, input: ReleaseInput): Promise<ReleaseView> {
    validate(input, true);
    return inTransaction(this.db, async (trx) => {
      const product = await findProduct(trx, productRef);
      requireRoadmapOwner(actor, product, 'plan releases');
      await lockRoadmap(trx, product.id);
      await this.duplicateVersion(trx, product.id, input.productVersion, null);
      const id = newId();
      await trx.insertInto('releases').values({ id, product_id: product.id, name: input.name.trim(), release_version: input.productVersion, description: input.description ?? '', target_date: input.targetDate ?? null }).execute();
      const view = await this.read(trx, id);
      await recordAudit(trx, actor, { action: 'release.create', entityType: 'release', entityId: id, before: null, after: asJson(view) });
      return view;
    });
  }

  private async read(db: Kysely<Database>, id: string): Promise<ReleaseView> {
    const [view] = await this.present(db, [await this.record(db, id, false)]);
    if (view === undefined) throw new NotFoundError(`No release ${id}.`);
    return view;
  }

  /** Changes a planned release (If-Match); a released one is history and refuses changes. */
  async update(actor: Actor, options: { id: string; expectedVersion: number; patch: ReleasePatch }): Promise<ReleaseView> {
    validate(options.patch, false);
    return inTransaction(this.db, async (trx) => {
      const current = await this.record(trx, options.id, true);
      const product = await findProduct(trx, current.product_id);
      requireRoadmapOwner(actor, product, 'change releases');
      assertVersion(`Release ${current.release_version}`, current.version, options.expectedVersion);
      if (current.state === 'released') throw new ConflictError(`Release ${current.release_version} is released; its notes were sent and it no longer changes.`);
      const { patch } = options;
      if (patch.productVersion !== undefined) await this.duplicateVersion(trx, product.id, patch.productVersion, current.id);
      const before = await this.read(trx, current.id);
      await trx
        .updateTable('releases')
        .set({
          ...(patch.name === undefined ? {} : { name: patch.name.trim() }),
          ...(patch.productVersion === undefined ? {} : { release_version: patch.productVersion }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(patch.targetDate === undefined ? {} : { target_date: patch.targetDate }),
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', current.id)
        .execute();
      const after = await this.read(trx, current.id);
      await recordAudit(trx, actor, { action: 'release.update', entityType: 'release', entityId: current.id, before: asJson(before), after: asJson(after) });
      return after;
    });
  }

  /** Deletes a planned release (If-Match); its items stay on the roadmap without a release. */
  async remove(actor: Actor, options: { id: string; expectedVersion: number }): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const current = await this.record(trx, options.id, true);
      const product = await findProduct(trx, current.product_id);
      requireRoadmapOwner(actor, product, 'delete releases');
      assertVersion(`Release ${current.release_version}`, current.version, options.expectedVersion);
      if (current.state === 'released') throw new ConflictError(`Release ${current.release_version} is released and stays in the changelog.`);
      const before = await this.read(trx, current.id);
      await trx.deleteFrom('releases').where('id', '=', current.id).execute();
      await recordAudit(trx, actor, { action: 'release.delete', entityType: 'release', entityId: current.id, before: asJson(before), after: null });
    });
  }

  /**
   * Releases a planned release (If-Match): generates its notes, records the contract versions it ships
   * (the base of the next release's diff), marks it released and notifies, in one transaction.
   * Contract diff base per contract bound to the product's output ports: the version the previous release
   * shipped; for a first release (or a contract bound since), the version published before the current
   * one; none (a new contract) when it has only one. Items in the release that are not done stay listed
   * under it but are not in the notes.
   */
  async release(actor: Actor, options: { id: string; expectedVersion: number }): Promise<ReleaseView> {
    return inTransaction(this.db, async (trx) => {
      const current = await this.record(trx, options.id, true);
      const product = await findProduct(trx, current.product_id);
      requireRoadmapOwner(actor, product, 'release');
      await lockRoadmap(trx, product.id);
      assertVersion(`Release ${current.release_version}`, current.version, options.expectedVersion);
      if (current.state === 'released') throw new ConflictError(`Release ${current.release_version} is already released.`);
      const productRow = await trx.selectFrom('products').select('name').where('id', '=', product.id).executeTakeFirstOrThrow();
      const previous = await trx.selectFrom('releases').select('contract_versions').where('product_id', '=', product.id).where('state', '=', 'released').orderBy('released_at', 'desc').limit(1).executeTakeFirst();
      const base = readSnapshot(previous?.contract_versions ?? []);
      const contracts = await trx
        .selectFrom('product_output_ports as p')
        .innerJoin('contracts as c', 'c.id', 'p.contract_id')
        .select(['c.id', 'c.external_id', 'c.name', 'c.current_version', 'c.document'])
        .distinct()
        .where('p.product_id', '=', product.id)
        .orderBy('c.name')
        .execute();
      const changes: ContractChange[] = [];
      for (const contract of contracts) {
        let fromVersion = base.get(contract.id) ?? null;
        if (fromVersion === null) {
          const before = await trx.selectFrom('contract_versions').select('contract_version').where('contract_id', '=', contract.id).where('contract_version', '<>', contract.current_version).orderBy('seq', 'desc').limit(1).executeTakeFirst();
          fromVersion = before?.contract_version ?? null;
        }
        const fromDocument =
          fromVersion === null
            ? undefined
            : await trx.selectFrom('contract_versions').select('document').where('contract_id', '=', contract.id).where('contract_version', '=', fromVersion).orderBy('revision', 'desc').limit(1).executeTakeFirst();
        changes.push({
          contractId: contract.id,
          externalId: contract.external_id,
          name: contract.name,
          fromVersion: fromDocument === undefined ? null : fromVersion,
          toVersion: contract.current_version,
          diff: fromDocument === undefined ? null : diffContracts(fromDocument.document, contract.document),
        });
      }
      const done = await trx
        .selectFrom('roadmap_entries as r')
        .innerJoin('backlog_items as i', 'i.id', 'r.item_id')
        .select(['i.id', 'i.number', 'i.title', 'i.kind', 'i.requester_id', 'i.evidence'])
        .where('r.release_id', '=', current.id)
        .where('i.state', '=', 'done')
        .orderBy('i.number')
        .execute();
      const notes = buildReleaseNotes({ productName: productRow.name, productVersion: current.release_version, releaseName: current.name, contracts: changes, items: done.map(({ id, number, title, kind }) => ({ id, number, title, kind })) });
      const before = await this.read(trx, current.id);
      await trx
        .updateTable('releases')
        .set({
          state: 'released',
          released_at: sql<Date>`now()`,
          released_by: actor.userId,
          notes: JSON.stringify(notes),
          contract_versions: JSON.stringify(changes.map((change) => ({ contractId: change.contractId, version: change.toVersion }))),
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', current.id)
        .execute();
      await this.notifyReleased(trx, actor, { productId: product.id, release: current, notes, done });
      const after = await this.read(trx, current.id);
      await recordAudit(trx, actor, { action: 'release.release', entityType: 'release', entityId: current.id, before: asJson(before), after: asJson({ ...after, notes: { breaking: notes.breaking, items: notes.items.length, contracts: notes.contracts.length } }) });
      return after;
    });
  }

  /**
   * The release notes go to the product's live subscribers, the requesters of the items done in it, and
   * the authors of the feedback those items link as evidence; never to the releasing user.
   */
  private async notifyReleased(trx: Kysely<Database>, actor: Actor, input: { productId: string; release: ReleaseRecord; notes: ReleaseNotes; done: { requester_id: string | null; evidence: JsonValue }[] }): Promise<void> {
    const subscribers = await trx.selectFrom('subscriptions').select('consumer_id').distinct().where('product_id', '=', input.productId).where('status', 'in', liveStatuses).execute();
    const feedbackIds = input.done.flatMap((item) => (Array.isArray(item.evidence) ? item.evidence : [])).flatMap((entry) => (entry !== null && typeof entry === 'object' && !Array.isArray(entry) && entry.kind === 'feedback' && typeof entry.ref === 'string' && isUuid(entry.ref) ? [entry.ref] : []));
    const authors = feedbackIds.length === 0 ? [] : await trx.selectFrom('feedback').select('author_id').where('id', 'in', feedbackIds).execute();
    const requesters = new Set([...input.done.map((item) => item.requester_id), ...authors.map((row) => row.author_id)].filter((id): id is string => id !== null));
    const recipients = new Map<string, boolean>();
    for (const row of subscribers) recipients.set(row.consumer_id, false);
    for (const id of requesters) recipients.set(id, true);
    recipients.delete(actor.userId ?? '');
    const { notes } = input;
    const summary = `${notes.items.length} item${notes.items.length === 1 ? '' : 's'} done; ${notes.breaking ? 'breaking contract changes — read the notes before upgrading' : 'no breaking contract changes'}.`;
    await notify(
      trx,
      [...recipients].map(([userId, requested]) => ({
        userId,
        kind: 'release.published',
        title: `${notes.productName} ${notes.productVersion} is released`,
        body: requested ? `It contains something you asked for. ${summary}` : summary,
        link: `/releases/${input.release.id}`,
        entityType: 'release',
        entityId: input.release.id,
      })),
    );
  }
}
