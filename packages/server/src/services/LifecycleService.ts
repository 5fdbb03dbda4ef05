import { daysUntil, nextLifecycleStatuses, refuseLifecycleMove, refuseRetirement, refuseSunsetDate, sunsetReminderDue, defaultIncidentThreshold, type LifecycleStatus } from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/Actor';
import { hasDomainRole, requireDomainRole } from '../auth/authorize';
import { liveSubscriptionStatuses, ownerRoles } from '../access/accessViews';
import { ConflictError, InputError, NotFoundError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import type { Database, IncidentTimelineEntry, ProductRow } from '../store/Database';
import { catalogFields, isObject, type JsonObject } from './catalogDocuments';
import { planSentence } from './deprecationPlan';
import { notifyProductPublished } from './catalogNotifications';
import { assertVersion } from './concurrency';
import { inTransaction } from './inTransaction';
import { isUuid } from './listRequest';
import { notify } from './NotificationService';
import { asJson } from './presenters';
import { indexDocument } from './searchIndex';


/** A deprecation plan as shown: the sunset date, what to move to, and who announced it when. */
export interface DeprecationPlanView {
  sunsetDate: string | null;
  /** Days from today (UTC) to the sunset date; negative once passed; null without a date. */
  daysLeft: number | null;
  replacement: { id: string; externalId: string; name: string; status: LifecycleStatus } | null;
  note: string;
  deprecatedAt: string | null;
  deprecatedBy: string | null;
  /** The sunset date subscribers were reminded of (null: no reminder yet). */
  remindedFor: string | null;
}

/** The deprecation panel's usage figures: what still depends on the product, to watch it reach zero. */
export interface DeprecationUsageView {
  liveSubscriptions: number;
  pendingRequests: number;
  subscribers: { subscriptionId: string; consumerId: string; consumerName: string; port: string; status: string; since: string }[];
  /** Usage events of the last 30 UTC days (today included), and per day (days with events only). */
  eventsLast30Days: number;
  daily: { day: string; events: number }[];
  /** Consumers (teams or users as the events name them) with events in the last 7 days. */
  consumersStillReading: { consumer: string; events: number; lastDay: string }[];
}

/** A product's lifecycle: status, allowed moves, deprecation plan, retirement record, incident threshold. */
export interface LifecycleView {
  productId: string;
  externalId: string;
  name: string;
  status: LifecycleStatus;
  allowedMoves: LifecycleStatus[];
  plan: DeprecationPlanView | null;
  retirement: { retiredAt: string; retiredBy: string | null; overrideReason: string | null } | null;
  incidentThreshold: number;
  /** The lifecycle record's version (0: never written); the ETag of `/api/products/{id}/lifecycle`. */
  version: number;
  /** Only for the product's owners (data product owner, data owner) and admins; null for everyone else. */
  usage: DeprecationUsageView | null;
}

/** One incident (a streak of failing runs of a contract) of a product, with its timeline, oldest first. */
export interface IncidentView {
  id: string;
  productId: string;
  contract: { id: string; name: string };
  backlogItemId: string | null;
  state: 'open' | 'recovered';
  failures: number;
  openedAt: string;
  lastFailedAt: string;
  recoveredAt: string | null;
  timeline: IncidentTimelineEntry[];
}

/** What an owner announces when deprecating (or re-planning a deprecation). */
export interface DeprecationInput {
  sunsetDate: string;
  replacementProductId?: string | null;
  note?: string;
}

/** Options of {@link LifecycleService}: the clock (tests move it to reach reminder windows). */
export interface LifecycleOptions {
  now?: () => Date;
}

type LifecycleRecord = {
  product_id: string;
  sunset_date: string | null;
  replacement_product_id: string | null;
  note: string;
  deprecated_at: Date | null;
  deprecated_by: string | null;
  reminded_for: string | null;
  retired_at: Date | null;
  retired_by: string | null;
  retire_override_reason: string | null;
  incident_threshold: number;
  version: number;
};

/**
 * Orchestrated deprecation (issue 6): an owner deprecates a product with a sunset date and an optional
 * replacement (subscribers are notified, then reminded {@link sunsetReminderDays} days before), watches
 * usage fall on the deprecation panel, and retires it — with live subscribers only through an audited
 * override. Each command locks the product row, checks the lifecycle record's version (If-Match), moves
 * the product's status in its document (a new revision in the history, the search index), audits and
 * notifies in one transaction. The move rules come from the model.
 */
export class LifecycleService {
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    options: LifecycleOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  private today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  private async product(db: Kysely<Database>, ref: string, lock: boolean): Promise<ProductRow> {
    let query = db.selectFrom('products').selectAll();
    query = isUuid(ref) ? query.where((eb) => eb.or([eb('id', '=', ref), eb('external_id', '=', ref)])) : query.where('external_id', '=', ref);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No product ${ref}.`);
    return row;
  }

  private async record(db: Kysely<Database>, productId: string): Promise<LifecycleRecord | undefined> {
    return db
      .selectFrom('product_lifecycles')
      .select([
        'product_id',
        sql<string | null>`to_char(sunset_date, 'YYYY-MM-DD')`.as('sunset_date'),
        'replacement_product_id',
        'note',
        'deprecated_at',
        'deprecated_by',
        sql<string | null>`to_char(reminded_for, 'YYYY-MM-DD')`.as('reminded_for'),
        'retired_at',
        'retired_by',
        'retire_override_reason',
        'incident_threshold',
        'version',
      ])
      .where('product_id', '=', productId)
      .executeTakeFirst();
  }

  /** The product's lifecycle; usage figures only for its owners. */
  async get(actor: Actor, productRef: string): Promise<LifecycleView> {
    const product = await this.product(this.db, productRef, false);
    return this.present(this.db, actor, product);
  }

  private async present(db: Kysely<Database>, actor: Actor, product: ProductRow): Promise<LifecycleView> {
    const record = await this.record(db, product.id);
    const replacement =
      record?.replacement_product_id == null
        ? undefined
        : await db.selectFrom('products').select(['id', 'external_id', 'name', 'status']).where('id', '=', record.replacement_product_id).executeTakeFirst();
    const planned = record !== undefined && (product.status === 'deprecated' || product.status === 'retired') && record.deprecated_at !== null;
    return {
      productId: product.id,
      externalId: product.external_id,
      name: product.name,
      status: product.status,
      allowedMoves: [...nextLifecycleStatuses(product.status)],
      plan:
        product.status === 'deprecated' || planned
          ? {
              sunsetDate: record?.sunset_date ?? null,
              daysLeft: record?.sunset_date == null ? null : daysUntil(record.sunset_date, this.today()),
              replacement: replacement === undefined ? null : { id: replacement.id, externalId: replacement.external_id, name: replacement.name, status: replacement.status },
              note: record?.note ?? '',
              deprecatedAt: record?.deprecated_at?.toISOString() ?? null,
              deprecatedBy: record?.deprecated_by ?? null,
              remindedFor: record?.reminded_for ?? null,
            }
          : null,
      retirement: product.status === 'retired' && record?.retired_at != null ? { retiredAt: record.retired_at.toISOString(), retiredBy: record.retired_by, overrideReason: record.retire_override_reason } : null,
      incidentThreshold: record?.incident_threshold ?? defaultIncidentThreshold,
      version: record?.version ?? 0,
      usage: hasDomainRole(actor, product.domain_id, ownerRoles) ? await this.usage(db, product.id) : null,
    };
  }

  private async usage(db: Kysely<Database>, productId: string): Promise<DeprecationUsageView> {
    const subscribers = await db
      .selectFrom('subscriptions as s')
      .innerJoin('users as u', 'u.id', 's.consumer_id')
      .select(['s.id', 's.consumer_id', 'u.name', 's.port_name', 's.status', 's.starts_at'])
      .where('s.product_id', '=', productId)
      .where('s.status', 'in', liveSubscriptionStatuses)
      .orderBy('s.starts_at')
      .limit(200)
      .execute();
    const counts = await db
      .selectFrom('products as p')
      .select([
        (eb) => eb.selectFrom('subscriptions').select((s) => s.fn.countAll<string>().as('n')).where('product_id', '=', productId).where('status', 'in', liveSubscriptionStatuses).as('live'),
        (eb) => eb.selectFrom('access_requests').select((s) => s.fn.countAll<string>().as('n')).where('product_id', '=', productId).where('status', '=', 'pending').as('pending'),
      ])
      .where('p.id', '=', productId)
      .executeTakeFirstOrThrow();
    // usage_daily holds one row per product, UTC day, consumer and kind (kept by ingestion): a month of it is small.
    const since = new Date(this.now().getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
    const recent = new Date(this.now().getTime() - 6 * 86_400_000).toISOString().slice(0, 10);
    const rows = await db
      .selectFrom('usage_daily')
      .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'consumer', 'events'])
      .where('product_id', '=', productId)
      .where('day', '>=', since)
      .execute();
    const daily = new Map<string, number>();
    const reading = new Map<string, { events: number; lastDay: string }>();
    let total = 0;
    for (const row of rows) {
      const events = Number(row.events);
      total += events;
      daily.set(row.day, (daily.get(row.day) ?? 0) + events);
      if (row.day >= recent) {
        const name = row.consumer === '' ? '(unnamed consumer)' : row.consumer;
        const seen = reading.get(name);
        reading.set(name, { events: (seen?.events ?? 0) + events, lastDay: seen === undefined || row.day > seen.lastDay ? row.day : seen.lastDay });
      }
    }
    return {
      liveSubscriptions: Number(counts.live ?? 0),
      pendingRequests: Number(counts.pending ?? 0),
      subscribers: subscribers.map((row) => ({ subscriptionId: row.id, consumerId: row.consumer_id, consumerName: row.name, port: row.port_name, status: row.status, since: new Date(row.starts_at).toISOString() })),
      eventsLast30Days: total,
      daily: [...daily].sort(([a], [b]) => a.localeCompare(b)).map(([day, events]) => ({ day, events })),
      consumersStillReading: [...reading].map(([consumer, value]) => ({ consumer, ...value })).sort((a, b) => b.events - a.events || a.consumer.localeCompare(b.consumer)),
    };
  }

  /** Locks the product, checks ownership and the lifecycle version; the shared start of every command. */
  private async begin(trx: Kysely<Database>, actor: Actor, productRef: string, expectedVersion: number | 'any', action: string): Promise<{ product: ProductRow; record: LifecycleRecord | undefined }> {
    const product = await this.product(trx, productRef, true);
    requireDomainRole(actor, { domainId: product.domain_id, roles: ownerRoles, action: `${action} product ${product.external_id}` });
    const record = await this.record(trx, product.id);
    if (expectedVersion !== 'any') assertVersion('The product’s lifecycle', record?.version ?? 0, expectedVersion);
    return { product, record };
  }

  /** Writes the lifecycle record (insert or update), bumping its version. */
  private async save(trx: Kysely<Database>, productId: string, values: Partial<Omit<LifecycleRecord, 'product_id' | 'version'>>): Promise<void> {
    const { deprecated_at, retired_at, ...rest } = values;
    const row = { ...rest, ...(deprecated_at === undefined ? {} : { deprecated_at }), ...(retired_at === undefined ? {} : { retired_at }) };
    await trx
      .insertInto('product_lifecycles')
      .values({ product_id: productId, ...row })
      .onConflict((oc) => oc.column('product_id').doUpdateSet({ ...row, version: sql<number>`product_lifecycles.version + 1`, updated_at: sql<Date>`now()` }))
      .execute();
  }

  /**
   * Sets the product's status in its row and its document (a new revision of the current version, so
   * the history shows when it changed), refreshes the search index and notifies subscribers.
   */
  private async moveStatus(trx: Kysely<Database>, actor: Actor, product: ProductRow, to: LifecycleStatus): Promise<void> {
    const refused = refuseLifecycleMove(product.status, to);
    if (refused !== null) throw new ConflictError(`${product.name}: ${refused}`);
    if (product.status === to) return;
    const document: JsonObject = { ...(isObject(product.document) ? product.document : {}), status: to };
    const source: JsonObject = isObject(product.source) ? { ...product.source, status: to } : document;
    await trx
      .updateTable('products')
      .set({ status: to, document: JSON.stringify(document), source: JSON.stringify(source), version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
      .where('id', '=', product.id)
      .execute();
    const latest = await trx.selectFrom('product_versions').select((eb) => eb.fn.max('revision').as('revision')).where('product_id', '=', product.id).where('product_version', '=', product.product_version).executeTakeFirst();
    await trx
      .insertInto('product_versions')
      .values({ product_id: product.id, product_version: product.product_version, revision: (latest?.revision ?? 0) + 1, document: JSON.stringify(document), source: JSON.stringify(source), change_kind: 'non-breaking', published_by: actor.userId })
      .execute();
    await indexDocument(trx, { kind: 'product', entityId: product.id, domainId: product.domain_id, fields: catalogFields(document, 'product'), document });
    const shape = (status: LifecycleStatus) => ({ id: product.id, name: product.name, productVersion: product.product_version, status });
    await notifyProductPublished(trx, { actorId: actor.userId, before: shape(product.status), after: shape(to), changeKind: 'non-breaking' });
  }

  /**
   * Deprecates an active product with a sunset date (today or later) and an optional replacement, or
   * changes the plan of a deprecated one (subscribers hear about a moved date or a new replacement).
   * New access requests are refused from then on (AccessRequestService).
   */
  async deprecate(actor: Actor, options: { productRef: string; expectedVersion: number | 'any'; plan: DeprecationInput }): Promise<LifecycleView> {
    const { plan } = options;
    const problems = [];
    const dateProblem = refuseSunsetDate(plan.sunsetDate, this.today());
    if (dateProblem !== null) problems.push({ pointer: '/sunsetDate', detail: dateProblem });
    if ((plan.note ?? '').length > 2000) problems.push({ pointer: '/note', detail: 'At most 2000 characters.' });
    if (problems.length > 0) throw new InputError('The deprecation plan is not valid.', problems);
    return inTransaction(this.db, async (trx) => {
      const { product } = await this.begin(trx, actor, options.productRef, options.expectedVersion, 'deprecate');
      if (product.status !== 'active' && product.status !== 'deprecated') {
        throw new ConflictError(`${product.name} is ${product.status}: ${refuseLifecycleMove(product.status, 'deprecated') ?? 'only active products are deprecated'}`);
      }
      let replacementId: string | null = null;
      if (plan.replacementProductId != null && plan.replacementProductId !== '') {
        const replacement = await trx
          .selectFrom('products')
          .select(['id', 'name', 'status'])
          .where((eb) => (isUuid(plan.replacementProductId ?? '') ? eb.or([eb('id', '=', plan.replacementProductId ?? ''), eb('external_id', '=', plan.replacementProductId ?? '')]) : eb('external_id', '=', plan.replacementProductId ?? '')))
          .executeTakeFirst();
        if (replacement === undefined) throw new InputError('The replacement product does not exist.', [{ pointer: '/replacementProductId', detail: `No product ${plan.replacementProductId}.` }]);
        if (replacement.id === product.id) throw new InputError('A product cannot replace itself.', [{ pointer: '/replacementProductId', detail: 'Name the product consumers should move to.' }]);
        if (replacement.status === 'deprecated' || replacement.status === 'retired') {
          throw new InputError('The replacement is itself going away.', [{ pointer: '/replacementProductId', detail: `${replacement.name} is ${replacement.status}; name a product consumers can still subscribe to.` }]);
        }
        replacementId = replacement.id;
      }
      const before = await this.present(trx, actor, product);
      const firstAnnouncement = product.status === 'active';
      await this.save(trx, product.id, {
        sunset_date: plan.sunsetDate,
        replacement_product_id: replacementId,
        note: (plan.note ?? '').trim(),
        ...(firstAnnouncement ? { deprecated_at: this.now(), deprecated_by: actor.userId, retired_at: null, retired_by: null, retire_override_reason: null } : {}),
      });
      if (firstAnnouncement) {
        await this.moveStatus(trx, actor, product, 'deprecated');
      } else if (before.plan?.sunsetDate !== plan.sunsetDate || (before.plan.replacement?.id ?? null) !== replacementId) {
        await this.notifySubscribers(trx, actor.userId, product, {
          kind: 'product.sunset-changed',
          title: `${product.name}: the deprecation plan changed`,
          body: await planSentence(trx, product.id),
        });
      }
      const after = await this.present(trx, actor, { ...product, status: 'deprecated' });
      await recordAudit(trx, actor, { action: 'product.deprecate', entityType: 'product', entityId: product.id, before: auditShape(before), after: auditShape(after) });
      return after;
    });
  }

  /** Withdraws a deprecation: the product is active again and takes access requests; subscribers hear it. */
  async withdraw(actor: Actor, options: { productRef: string; expectedVersion: number | 'any' }): Promise<LifecycleView> {
    return inTransaction(this.db, async (trx) => {
      const { product } = await this.begin(trx, actor, options.productRef, options.expectedVersion, 'withdraw the deprecation of');
      if (product.status !== 'deprecated') throw new ConflictError(`${product.name} is ${product.status}, not deprecated; there is nothing to withdraw.`);
      const before = await this.present(trx, actor, product);
      await this.save(trx, product.id, { sunset_date: null, replacement_product_id: null, note: '', deprecated_at: null, deprecated_by: null, reminded_for: null });
      await this.moveStatus(trx, actor, product, 'active');
      await this.notifySubscribers(trx, actor.userId, product, { kind: 'product.reinstated', title: `${product.name} is no longer deprecated`, body: 'The owners withdrew the deprecation; it stays available.' });
      const after = await this.present(trx, actor, { ...product, status: 'active' });
      await recordAudit(trx, actor, { action: 'product.undeprecate', entityType: 'product', entityId: product.id, before: auditShape(before), after: auditShape(after) });
      return after;
    });
  }

  /**
   * Retires a deprecated product. With live subscriptions it needs `override.reason` (kept on the record
   * and in the audit event); the subscriptions themselves stay for their owners to revoke or let expire.
   */
  async retire(actor: Actor, options: { productRef: string; expectedVersion: number | 'any'; override?: { reason: string } | null }): Promise<LifecycleView> {
    return inTransaction(this.db, async (trx) => {
      const { product } = await this.begin(trx, actor, options.productRef, options.expectedVersion, 'retire');
      const move = refuseLifecycleMove(product.status, 'retired');
      if (move !== null) throw new ConflictError(`${product.name}: ${move}`);
      if (product.status === 'retired') throw new ConflictError(`${product.name} is already retired.`);
      const live = await trx.selectFrom('subscriptions').select((eb) => eb.fn.countAll<string>().as('n')).where('product_id', '=', product.id).where('status', 'in', liveSubscriptionStatuses).executeTakeFirstOrThrow();
      const liveSubscriptions = Number(live.n);
      const refused = refuseRetirement({ liveSubscriptions, override: options.override ?? null });
      if (refused !== null) throw new ConflictError(`${product.name}: ${refused}`);
      const before = await this.present(trx, actor, product);
      const overrideReason = liveSubscriptions > 0 ? (options.override?.reason.trim() ?? null) : null;
      await this.save(trx, product.id, { retired_at: this.now(), retired_by: actor.userId, retire_override_reason: overrideReason });
      await this.moveStatus(trx, actor, product, 'retired');
      const after = await this.present(trx, actor, { ...product, status: 'retired' });
      await recordAudit(trx, actor, {
        action: overrideReason === null ? 'product.retire' : 'product.retire_override',
        entityType: 'product',
        entityId: product.id,
        before: auditShape(before),
        after: auditShape(after, { liveSubscriptions, overrideReason }),
      });
      return after;
    });
  }

  /** Sets how many failing runs in a row open an incident (1–100) for the product. */
  async updateSettings(actor: Actor, options: { productRef: string; expectedVersion: number | 'any'; incidentThreshold: number }): Promise<LifecycleView> {
    if (!Number.isInteger(options.incidentThreshold) || options.incidentThreshold < 1 || options.incidentThreshold > 100) {
      throw new InputError('The incident threshold is not valid.', [{ pointer: '/incidentThreshold', detail: 'A whole number of failing runs in a row, from 1 to 100.' }]);
    }
    return inTransaction(this.db, async (trx) => {
      const { product, record } = await this.begin(trx, actor, options.productRef, options.expectedVersion, 'change the incident settings of');
      await this.save(trx, product.id, { incident_threshold: options.incidentThreshold });
      const after = await this.present(trx, actor, product);
      await recordAudit(trx, actor, { action: 'product.lifecycle_settings', entityType: 'product', entityId: product.id, before: { incidentThreshold: record?.incident_threshold ?? defaultIncidentThreshold }, after: { incidentThreshold: after.incidentThreshold } });
      return after;
    });
  }

  /**
   * Sends the one sunset reminder per sunset date to the subscribers of deprecated products whose date
   * is at most {@link sunsetReminderDays} away. Rows are claimed with SKIP LOCKED, so several servers
   * running the pass together remind once. Returns how many products' subscribers were reminded.
   */
  async remindSunsets(): Promise<number> {
    const today = this.today();
    return inTransaction(this.db, async (trx) => {
      const due = await trx
        .selectFrom('product_lifecycles as l')
        .innerJoin('products as p', 'p.id', 'l.product_id')
        .select(['p.id', 'p.name', sql<string>`to_char(l.sunset_date, 'YYYY-MM-DD')`.as('sunset_date'), sql<string | null>`to_char(l.reminded_for, 'YYYY-MM-DD')`.as('reminded_for')])
        .where('p.status', '=', 'deprecated')
        .where('l.sunset_date', 'is not', null)
        .where(sql<boolean>`l.reminded_for is distinct from l.sunset_date`)
        .forUpdate('l')
        .skipLocked()
        .execute();
      let reminded = 0;
      for (const row of due) {
        if (!sunsetReminderDue({ sunsetDate: row.sunset_date, remindedFor: row.reminded_for }, today)) continue;
        const days = daysUntil(row.sunset_date, today);
        await this.notifySubscribers(trx, null, { id: row.id, name: row.name }, {
          kind: 'product.sunset-reminder',
          title: days > 0 ? `${row.name} retires in ${days} day${days === 1 ? '' : 's'}` : days === 0 ? `${row.name} retires today` : `${row.name} was due to retire on ${row.sunset_date}`,
          body: await planSentence(trx, row.id),
        });
        // Not a version bump: the reminder is bookkeeping, and an owner's If-Match must not go stale for it.
        await trx.updateTable('product_lifecycles').set({ reminded_for: row.sunset_date }).where('product_id', '=', row.id).execute();
        reminded++;
      }
      return reminded;
    });
  }

  /**
   * The incidents of a product (newest first, at most 100), or of one backlog item when `backlogItemId`
   * is given: the defect item's incident timeline.
   */
  async incidents(options: { productRef?: string; backlogItemId?: string }): Promise<IncidentView[]> {
    let query = this.db
      .selectFrom('check_incidents as i')
      .innerJoin('contracts as c', 'c.id', 'i.contract_id')
      .select(['i.id', 'i.product_id', 'i.contract_id', 'c.name as contract_name', 'i.backlog_item_id', 'i.state', 'i.failures', 'i.opened_at', 'i.last_failed_at', 'i.recovered_at', 'i.timeline'])
      .orderBy('i.opened_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(100);
    if (options.productRef !== undefined) query = query.where('i.product_id', '=', (await this.product(this.db, options.productRef, false)).id);
    if (options.backlogItemId !== undefined) {
      if (!isUuid(options.backlogItemId)) throw new NotFoundError(`No backlog item ${options.backlogItemId}.`);
      const item = await this.db.selectFrom('backlog_items').select('id').where('id', '=', options.backlogItemId).executeTakeFirst();
      if (item === undefined) throw new NotFoundError(`No backlog item ${options.backlogItemId}.`);
      query = query.where('i.backlog_item_id', '=', item.id);
    }
    const rows = await query.execute();
    return rows.map((row) => ({
      id: row.id,
      productId: row.product_id,
      contract: { id: row.contract_id, name: row.contract_name },
      backlogItemId: row.backlog_item_id,
      state: row.state,
      failures: row.failures,
      openedAt: new Date(row.opened_at).toISOString(),
      lastFailedAt: new Date(row.last_failed_at).toISOString(),
      recoveredAt: row.recovered_at === null ? null : new Date(row.recovered_at).toISOString(),
      timeline: row.timeline,
    }));
  }

  private async notifySubscribers(trx: Kysely<Database>, actorId: string | null, product: { id: string; name: string }, message: { kind: string; title: string; body: string }): Promise<void> {
    const consumers = await trx.selectFrom('subscriptions').select('consumer_id').distinct().where('product_id', '=', product.id).where('status', 'in', liveSubscriptionStatuses).execute();
    await notify(
      trx,
      consumers.filter((row) => row.consumer_id !== actorId).map((row) => ({ userId: row.consumer_id, ...message, link: `/products/${product.id}`, entityType: 'product', entityId: product.id })),
    );
  }
}

/** What the audit log keeps of a lifecycle: everything but the usage figures (they change without a write). */
function auditShape(view: LifecycleView, extra: Record<string, unknown> = {}) {
  const { usage: _usage, ...rest } = view;
  return asJson({ ...rest, ...extra });
}
