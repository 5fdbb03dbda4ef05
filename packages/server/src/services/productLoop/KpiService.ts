import { sql, type Kysely, type Selectable } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { requireDomainRole } from '../../auth/authorize';
import { ConflictError, InputError, NotFoundError } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import { domainRoles, type Database, type JsonValue, type KpiDefinitionTable } from '../../store/Database';
import { newId } from '../../store/newId';
import { assertVersion } from '../concurrency';
import { inTransaction } from '../inTransaction';
import { isUuid } from '../listRequest';
import { isoDate, periodStart, seriesRange, type KpiPeriod } from './kpiPeriods';
import { createKpiSourceRegistry, defaultKpiSources, type KpiScope, type KpiSource } from './kpiSources';
import { kpiCreateSchema, kpiPatchSchema, kpiValueSchema } from './kpiDefinitionSchema';
import { productRef } from './VisionService';

/** A KPI definition on the wire. */
export interface KpiView {
  id: string;
  scope: 'product' | 'domain';
  productId: string | null;
  domainId: string;
  name: string;
  description: string;
  source: string;
  sourceLabel: string;
  unit: string;
  manual: boolean;
  target: number | null;
  direction: 'higher' | 'lower';
  period: KpiPeriod;
  window: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One period of a KPI series; `value` null when the period has no data. */
export interface KpiPoint {
  periodStart: string;
  value: number | null;
  /** Whether the value reaches the target in the KPI's direction; null without a value or a target. */
  met: boolean | null;
  /** The period has not ended yet (the current one): its value may still grow or change. */
  inProgress: boolean;
  /** Manual KPIs: who entered the value counted for this period, and when. */
  enteredBy: string | null;
  enteredAt: string | null;
}

/** A KPI with its series over its window (oldest period first) and its latest measured point. */
export interface KpiReport {
  kpi: KpiView;
  series: KpiPoint[];
  latest: KpiPoint | null;
}

/** A source as listed for people choosing one. */
export interface KpiSourceView {
  key: string;
  label: string;
  unit: string;
  description: string;
  manual: boolean;
}

type KpiRow = Selectable<KpiDefinitionTable>;

const defaultWindow: Record<KpiPeriod, number> = { day: 30, week: 12, month: 12 };

/**
 * KPIs of products and domains: definitions on a registry of named SQL aggregations, computed into a
 * series per period by the database; manual KPIs take values from people. Reads are open to signed-in
 * users; defining KPIs and entering values need a role in the domain. Changes need the definition's
 * version (If-Match) and are checked under its row lock.
 */
export class KpiService {
  private readonly sources: ReadonlyMap<string, KpiSource>;

  constructor(
    private readonly db: Kysely<Database>,
    options: { sources?: readonly KpiSource[]; clock?: () => Date } = {},
  ) {
    this.sources = createKpiSourceRegistry(options.sources ?? defaultKpiSources);
    this.clock = options.clock ?? (() => new Date());
  }

  private readonly clock: () => Date;

  /** The registered sources. */
  listSources(): KpiSourceView[] {
    return [...this.sources.values()].map(({ key, label, unit, description, manual }) => ({ key, label, unit, description, manual }));
  }

  /** A product's KPIs with their series. */
  async forProduct(product: string): Promise<KpiReport[]> {
    const ref = await productRef(this.db, product, false);
    const rows = await this.db.selectFrom('kpi_definitions').selectAll().where('product_id', '=', ref.id).orderBy('created_at').orderBy('id').execute();
    return Promise.all(rows.map((row) => this.report(this.db, row)));
  }

  /** A domain's own KPIs (computed over all its products) with their series. */
  async forDomain(domain: string): Promise<KpiReport[]> {
    const domainId = await this.domainId(this.db, domain);
    const rows = await this.db.selectFrom('kpi_definitions').selectAll().where('domain_id', '=', domainId).where('product_id', 'is', null).orderBy('created_at').orderBy('id').execute();
    return Promise.all(rows.map((row) => this.report(this.db, row)));
  }

  /** One KPI with its series. */
  async get(id: string): Promise<KpiReport> {
    return this.report(this.db, await this.row(this.db, id, false));
  }

  /** Defines a KPI of a product (`product` set) or of a domain. */
  async create(actor: Actor, owner: { product: string } | { domain: string }, input: unknown): Promise<KpiReport> {
    const parsed = kpiCreateSchema.safeParse(input);
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const body = parsed.data;
    this.requireSource(body.source);
    return inTransaction(this.db, async (trx) => {
      const scope = 'product' in owner ? await productRef(trx, owner.product, false) : { id: null, domain_id: await this.domainId(trx, owner.domain) };
      requireDomainRole(actor, { domainId: scope.domain_id, roles: domainRoles, action: 'define KPIs' });
      const row = await trx
        .insertInto('kpi_definitions')
        .values({
          id: newId(),
          domain_id: scope.domain_id,
          product_id: scope.id,
          name: body.name,
          description: body.description ?? '',
          source: body.source,
          target: body.target ?? null,
          direction: body.direction,
          period: body.period,
          window_periods: body.window ?? defaultWindow[body.period],
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: 'kpi.create', entityType: 'kpi', entityId: row.id, before: null, after: auditShape(row) });
      return this.report(trx, row);
    });
  }

  /** Changes a KPI at `expectedVersion`. */
  async update(actor: Actor, request: { id: string; expectedVersion: number; patch: unknown }): Promise<KpiReport> {
    const parsed = kpiPatchSchema.safeParse(request.patch);
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const patch = parsed.data;
    if (patch.source !== undefined) this.requireSource(patch.source);
    return inTransaction(this.db, async (trx) => {
      const existing = await this.row(trx, request.id, true);
      requireDomainRole(actor, { domainId: existing.domain_id, roles: domainRoles, action: 'change KPIs' });
      assertVersion('The KPI', existing.version, request.expectedVersion);
      const updated = await trx
        .updateTable('kpi_definitions')
        .set({
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(patch.source === undefined ? {} : { source: patch.source }),
          ...(patch.target === undefined ? {} : { target: patch.target }),
          ...(patch.direction === undefined ? {} : { direction: patch.direction }),
          ...(patch.period === undefined ? {} : { period: patch.period }),
          ...(patch.window === undefined ? {} : { window_periods: patch.window }),
          version: sql<number>`version + 1`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, { action: 'kpi.update', entityType: 'kpi', entityId: existing.id, before: auditShape(existing), after: auditShape(updated) });
      return this.report(trx, updated);
    });
  }

  /** Deletes a KPI (and its manual values) at `expectedVersion`. */
  async delete(actor: Actor, request: { id: string; expectedVersion: number }): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const existing = await this.row(trx, request.id, true);
      requireDomainRole(actor, { domainId: existing.domain_id, roles: domainRoles, action: 'delete KPIs' });
      assertVersion('The KPI', existing.version, request.expectedVersion);
      await trx.deleteFrom('kpi_definitions').where('id', '=', existing.id).execute();
      await recordAudit(trx, actor, { action: 'kpi.delete', entityType: 'kpi', entityId: existing.id, before: auditShape(existing), after: null });
    });
  }

  /**
   * Records a value of a manual KPI for one period, with who entered it. Entries are appended (the
   * latest of a period counts, earlier ones stay), so two people entering at once lose nothing.
   */
  async enterValue(actor: Actor, id: string, input: unknown): Promise<KpiReport> {
    const parsed = kpiValueSchema.safeParse(input);
    if (!parsed.success) throw invalidBody(parsed.error.issues);
    const body = parsed.data;
    return inTransaction(this.db, async (trx) => {
      const kpi = await this.row(trx, id, false);
      requireDomainRole(actor, { domainId: kpi.domain_id, roles: domainRoles, action: 'enter KPI values' });
      const source = this.sources.get(kpi.source);
      if (source?.manual !== true) throw new ConflictError(`KPI "${kpi.name}" is computed from ${source?.label ?? kpi.source}; only manual KPIs take entered values.`);
      const start = new Date(`${body.periodStart}T00:00:00Z`);
      const expected = isoDate(periodStart(start, kpi.period));
      if (expected !== body.periodStart) throw new InputError('The date does not start a period of this KPI.', [{ pointer: '/periodStart', detail: `Periods are ${kpi.period}s; this ${kpi.period} starts on ${expected}.` }]);
      if (start.getTime() > this.clock().getTime()) throw new InputError('The period has not started yet.', [{ pointer: '/periodStart', detail: 'Enter values for the current or past periods.' }]);
      await trx.insertInto('kpi_manual_values').values({ kpi_id: kpi.id, period_start: body.periodStart, value: body.value, note: body.note ?? '', entered_by: actor.userId, entered_by_label: actor.label }).execute();
      await recordAudit(trx, actor, { action: 'kpi.value', entityType: 'kpi', entityId: kpi.id, before: null, after: { periodStart: body.periodStart, value: body.value, note: body.note ?? '' } });
      return this.report(trx, kpi);
    });
  }

  private requireSource(key: string): void {
    if (!this.sources.has(key)) throw new InputError(`No KPI source "${key}".`, [{ pointer: '/source', detail: `Choose one of: ${[...this.sources.keys()].join(', ')}.` }]);
  }

  /** Computes the series of a KPI in one statement: every period of the window, with the source's value where it has one. */
  private async report(db: Kysely<Database>, row: KpiRow): Promise<KpiReport> {
    const kpi = this.present(row);
    const source = this.sources.get(row.source);
    const now = this.clock();
    const { from, to } = seriesRange(now, row.period, row.window_periods);
    const current = isoDate(periodStart(now, row.period));
    if (source === undefined) {
      // A source removed from the registry after the KPI was defined: the KPI stays readable, without values.
      return { kpi, series: [], latest: null };
    }
    const scope: KpiScope = row.product_id === null ? { kind: 'domain', domainId: row.domain_id } : { kind: 'product', productId: row.product_id };
    const aggregate = source.aggregate({ kpiId: row.id, scope, period: row.period, from, to });
    const provenance = source.manual ? sql`a.entered_by_label, a.entered_at` : sql`null::text as entered_by_label, null::timestamptz as entered_at`;
    const result = await sql<{ period_start: string; value: number | null; entered_by_label: string | null; entered_at: Date | string | null }>`
      select to_char(p.period_start, 'YYYY-MM-DD') as period_start, a.value, ${provenance}
      from generate_series(${isoDate(from)}::date, ${isoDate(to)}::date - 1, ${sql.lit(`1 ${row.period}`)}::interval) as p(period_start)
      left join (${aggregate}) as a on a.period_start = p.period_start::date
      order by p.period_start`.execute(db);
    const series = result.rows.map((point) => {
      const value = point.value === null ? null : Number(point.value);
      return {
        periodStart: point.period_start,
        value,
        met: value === null || row.target === null ? null : row.direction === 'higher' ? value >= row.target : value <= row.target,
        inProgress: point.period_start === current,
        enteredBy: point.entered_by_label,
        enteredAt: point.entered_at === null ? null : new Date(point.entered_at).toISOString(),
      };
    });
    const latest = [...series].reverse().find((point) => point.value !== null) ?? null;
    return { kpi, series, latest };
  }

  private present(row: KpiRow): KpiView {
    const source = this.sources.get(row.source);
    return {
      id: row.id,
      scope: row.product_id === null ? 'domain' : 'product',
      productId: row.product_id,
      domainId: row.domain_id,
      name: row.name,
      description: row.description,
      source: row.source,
      sourceLabel: source?.label ?? `${row.source} (no longer available)`,
      unit: source?.unit ?? '',
      manual: source?.manual ?? false,
      target: row.target,
      direction: row.direction,
      period: row.period,
      window: row.window_periods,
      version: row.version,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  private async row(db: Kysely<Database>, id: string, lock: boolean): Promise<KpiRow> {
    if (!isUuid(id)) throw new NotFoundError(`No KPI ${id}.`);
    let query = db.selectFrom('kpi_definitions').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No KPI ${id}.`);
    return row;
  }

  private async domainId(db: Kysely<Database>, ref: string): Promise<string> {
    let query = db.selectFrom('domains').select('id');
    query = isUuid(ref) ? query.where('id', '=', ref) : query.where('slug', '=', ref);
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`No domain ${ref}.`);
    return row.id;
  }
}

function auditShape(row: KpiRow): JsonValue {
  return { name: row.name, source: row.source, target: row.target, direction: row.direction, period: row.period, window: row.window_periods, productId: row.product_id, domainId: row.domain_id };
}

function invalidBody(issues: readonly { path: readonly PropertyKey[]; message: string }[]): InputError {
  return new InputError(
    'The request body is not valid.',
    issues.map((issue) => ({ pointer: issue.path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''), detail: issue.message })),
  );
}
