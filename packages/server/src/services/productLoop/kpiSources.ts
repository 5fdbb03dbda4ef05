import { sql, type RawBuilder } from 'kysely';
import type { KpiPeriod } from './kpiPeriods';

/** Whose data a KPI is computed over: one product, or every product of a domain. */
export type KpiScope = { kind: 'product'; productId: string } | { kind: 'domain'; domainId: string };

/** What a source aggregates: the scope, the KPI, and the period buckets in `[from, to)` (UTC). */
export interface KpiAggregation {
  kpiId: string;
  scope: KpiScope;
  period: KpiPeriod;
  from: Date;
  to: Date;
}

/**
 * A named SQL aggregation a KPI can be defined on. `aggregate` returns one statement yielding rows
 * `(period_start date, value double precision)` — one per period that has data, `period_start` being
 * `date_trunc(period, …)` in UTC — computed by the database (never by looping over rows here). A
 * manual source also yields `entered_by_label text` and `entered_at timestamptz` per row.
 */
export interface KpiSource {
  key: string;
  label: string;
  /** What the values count or measure, for axis labels (`events`, `%`, `rows`, …). */
  unit: string;
  description: string;
  /** Values are entered by people (POST /api/kpis/{id}/values), not computed. */
  manual: boolean;
  aggregate: (query: KpiAggregation) => RawBuilder<unknown>;
}

/** The products of a scope, as a subquery of ids. */
export function scopeProducts(scope: KpiScope): RawBuilder<unknown> {
  return scope.kind === 'product' ? sql`select ${scope.productId}::uuid as id` : sql`select id from products where domain_id = ${scope.domainId}::uuid`;
}

/** The contracts bound to the output ports of a scope's products. */
export function scopeContracts(scope: KpiScope): RawBuilder<unknown> {
  return sql`select contract_id from product_output_ports where contract_id is not null and product_id in (${scopeProducts(scope)})`;
}

/** The period bucket of a timestamp column, as a date in UTC. */
export function bucket(period: KpiPeriod, column: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(date_trunc(${sql.lit(period)}, ${column} at time zone 'UTC'))::date`;
}

function usageSource(key: string, label: string, unit: string, description: string, value: RawBuilder<unknown>): KpiSource {
  return {
    key,
    label,
    unit,
    description,
    manual: false,
    // Over the daily roll-up (usage_daily), not the raw events: a day is whole in UTC, so day, week and
    // month buckets of it equal the buckets of its events.
    aggregate: ({ scope, period, from, to }) => sql`
      select (date_trunc(${sql.lit(period)}, day::timestamp))::date as period_start, (${value})::double precision as value
      from usage_daily
      where product_id in (${scopeProducts(scope)}) and day >= ${isoDay(from)}::date and day < ${isoDay(to)}::date
      group by 1`,
  };
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function checkSource(key: string, label: string, description: string, category: 'sla' | undefined): KpiSource {
  return {
    key,
    label,
    unit: '%',
    description,
    manual: false,
    // Share of evaluated checks (passed, warning, failed) that passed, in % rounded to 2 decimals; errors
    // could not be measured and are not in the denominator; a period without evaluated checks has no value.
    aggregate: ({ scope, period, from, to }) => sql`
      select ${bucket(period, sql.ref('run.finished_at'))} as period_start,
        round(100.0 * count(*) filter (where r.status = 'passed') / nullif(count(*) filter (where r.status in ('passed', 'warning', 'failed')), 0), 2)::double precision as value
      from check_runs run join check_results r on r.run_id = run.id
      where run.contract_id in (${scopeContracts(scope)})
        and run.finished_at >= ${from.toISOString()}::timestamptz and run.finished_at < ${to.toISOString()}::timestamptz
        ${category === undefined ? sql`` : sql`and r.category = ${category}`}
      group by 1`,
  };
}

/** Every period bucket in `[from, to)` as `periods(period_start date)`, so counting sources can report 0. */
function periodSeries(period: KpiPeriod, from: Date, to: Date): RawBuilder<unknown> {
  return sql`select d::date as period_start from generate_series(
    date_trunc(${sql.lit(period)}, ${from.toISOString()}::timestamptz at time zone 'UTC'),
    (${to.toISOString()}::timestamptz at time zone 'UTC') - interval '1 second',
    ${sql.lit(`1 ${period}`)}::interval) d`;
}

/** The end of a period bucket that starts at `periodStart` (a date column), as a UTC timestamp. */
function periodEnd(period: KpiPeriod, periodStart: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`((${periodStart})::timestamp + ${sql.lit(`1 ${period}`)}::interval) at time zone 'UTC'`;
}

/**
 * Sources over the marketplace's own records: subscriptions (adoption), access requests (how fast
 * consumers get in), feedback ratings and open issue reports / feature requests.
 */
const marketplaceSources: readonly KpiSource[] = [
  {
    key: 'subscriptions.consumers',
    label: 'Subscribed consumers',
    unit: 'consumers',
    description: 'Distinct consumers holding a subscription to the product(s) at any time in the period (0 when none).',
    manual: false,
    aggregate: ({ scope, period, from, to }) => sql`
      select p.period_start, count(distinct s.consumer_id)::double precision as value
      from (${periodSeries(period, from, to)}) p
      left join subscriptions s on s.product_id in (${scopeProducts(scope)})
        and s.status <> 'granting'
        and s.starts_at < ${periodEnd(period, sql.ref('p.period_start'))}
        and (s.ended_at is null or s.ended_at >= (p.period_start::timestamp at time zone 'UTC'))
      group by 1`,
  },
  {
    key: 'access.leadTime',
    label: 'Access-request lead time',
    unit: 'hours',
    description: 'Average hours from an access request to its decision (approved or rejected), by the decision date.',
    manual: false,
    aggregate: ({ scope, period, from, to }) => sql`
      select ${bucket(period, sql.ref('decided_at'))} as period_start,
        round((avg(extract(epoch from decided_at - created_at)) / 3600)::numeric, 2)::double precision as value
      from access_requests
      where product_id in (${scopeProducts(scope)}) and status in ('approved', 'rejected')
        and decided_at >= ${from.toISOString()}::timestamptz and decided_at < ${to.toISOString()}::timestamptz
      group by 1`,
  },
  {
    key: 'feedback.rating',
    label: 'Average rating',
    unit: 'stars',
    description: 'Average of the star ratings (1–5) given in the period; a period without ratings has no value.',
    manual: false,
    aggregate: ({ scope, period, from, to }) => sql`
      select ${bucket(period, sql.ref('created_at'))} as period_start, round(avg(rating)::numeric, 2)::double precision as value
      from feedback
      where product_id in (${scopeProducts(scope)}) and kind = 'rating' and deleted_at is null
        and created_at >= ${from.toISOString()}::timestamptz and created_at < ${to.toISOString()}::timestamptz
      group by 1`,
  },
  {
    key: 'feedback.openRequests',
    label: 'Open issues and requests',
    unit: 'items',
    description: 'Issue reports and feature requests still open (or acknowledged) at the end of the period.',
    manual: false,
    // Only the current state and when it last changed are stored: an item resolved after the period's
    // end was still open at that end; one resolved and reopened within a period counts by its latest state.
    aggregate: ({ scope, period, from, to }) => sql`
      select p.period_start, count(f.id)::double precision as value
      from (${periodSeries(period, from, to)}) p
      left join feedback f on f.product_id in (${scopeProducts(scope)})
        and f.kind in ('issue', 'feature_request') and f.thread_id is null and f.deleted_at is null
        and f.created_at < ${periodEnd(period, sql.ref('p.period_start'))}
        and (f.state in ('open', 'acknowledged') or f.state_changed_at >= ${periodEnd(period, sql.ref('p.period_start'))})
      group by 1`,
  },
];

/**
 * Cycle time of backlog items finished in a period (issue 6), in days, from the state history
 * (backlog_state_changes, migration 0013). Start: the item's first move into in_progress before it was
 * done, or its creation when it never was in progress (filed as done, or skipped the step). End: its
 * last move into done within the period, so an item reopened and finished again in one period counts
 * once. Periods without finished items have no value.
 */
function cycleTimeSource(key: string, label: string, description: string, statistic: 'median' | 'average'): KpiSource {
  const days = sql`extract(epoch from f.done_at - f.started_at) / 86400`;
  const value = statistic === 'median' ? sql`percentile_cont(0.5) within group (order by ${days})` : sql`avg(${days})`;
  return {
    key,
    label,
    unit: 'days',
    description,
    manual: false,
    aggregate: ({ scope, period, from, to }) => sql`
      select f.period_start, round((${value})::numeric, 2)::double precision as value
      from (
        select d.period_start, d.done_at,
          coalesce((select min(s.changed_at) from backlog_state_changes s where s.item_id = d.item_id and s.to_state = 'in_progress' and s.changed_at <= d.done_at), i.created_at) as started_at
        from (
          select distinct on (c.item_id, ${bucket(period, sql.ref('c.changed_at'))}) c.item_id, ${bucket(period, sql.ref('c.changed_at'))} as period_start, c.changed_at as done_at
          from backlog_state_changes c
          where c.product_id in (${scopeProducts(scope)}) and c.to_state = 'done'
            and c.changed_at >= ${from.toISOString()}::timestamptz and c.changed_at < ${to.toISOString()}::timestamptz
          order by c.item_id, ${bucket(period, sql.ref('c.changed_at'))}, c.changed_at desc
        ) d
        join backlog_items i on i.id = d.item_id
      ) f
      group by 1`,
  };
}

/** Sources over the backlog's state history. */
const backlogSources: readonly KpiSource[] = [
  cycleTimeSource('backlog.cycleTime', 'Backlog cycle time (median)', 'Median days from an item’s first move to in progress (or its creation, when it never was in progress) to done, over the items finished in the period.', 'median'),
  cycleTimeSource('backlog.cycleTimeAverage', 'Backlog cycle time (average)', 'Average days from an item’s first move to in progress (or its creation, when it never was in progress) to done, over the items finished in the period.', 'average'),
];

/** Manual KPIs: the latest value entered for each period (earlier entries stay in the history). */
export const manualKpiSource: KpiSource = {
  key: 'manual',
  label: 'Entered by hand',
  unit: '',
  description: 'Values entered by the product team per period; each value records who entered it.',
  manual: true,
  aggregate: ({ kpiId, from, to }) => sql`
    select distinct on (period_start) period_start, value, entered_by_label, entered_at
    from kpi_manual_values
    where kpi_id = ${kpiId}::uuid and period_start >= ${from.toISOString().slice(0, 10)}::date and period_start < ${to.toISOString().slice(0, 10)}::date
    order by period_start, seq desc`,
};

/**
 * Every source of this build: usage events, check results, the marketplace's records (subscriptions,
 * access requests, feedback) and manual values. A new source is one more entry; nothing else changes.
 */
export const defaultKpiSources: readonly KpiSource[] = [
  usageSource('usage.events', 'Usage events', 'events', 'Number of usage events (queries, reads, downloads) reported for the product(s).', sql`sum(events)`),
  usageSource('usage.downloads', 'Downloads', 'downloads', 'Number of download events.', sql`coalesce(sum(events) filter (where kind = 'download'), 0)`),
  usageSource('usage.rows', 'Rows served', 'rows', 'Sum of rows reported by usage events.', sql`sum(row_count)`),
  usageSource('usage.consumers', 'Active consumers', 'consumers', 'Distinct consuming teams (or users, for events without a team) with at least one usage event in the period.', sql`count(distinct nullif(consumer, ''))`),
  checkSource('checks.passRate', 'Check pass rate', 'Share of evaluated contract checks that passed, over the contracts bound to the output ports.', undefined),
  checkSource('sla.compliance', 'SLA compliance', 'Share of evaluated SLA checks (freshness, retention, …) that passed.', 'sla'),
  ...marketplaceSources,
  ...backlogSources,
  manualKpiSource,
];

/** A registry of KPI sources by key; a duplicate key is a programming error reported at start-up. */
export function createKpiSourceRegistry(sources: readonly KpiSource[]): ReadonlyMap<string, KpiSource> {
  const registry = new Map<string, KpiSource>();
  for (const source of sources) {
    if (registry.has(source.key)) throw new Error(`Two KPI sources share the key "${source.key}".`);
    registry.set(source.key, source);
  }
  return registry;
}
