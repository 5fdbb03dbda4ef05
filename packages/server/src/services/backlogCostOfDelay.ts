import { backlogSettingsSchema, backlogStates, defaultBacklogSettings, suggestCostOfDelay, type BacklogSettings, type ReachSuggestion } from '@meshboard/model';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/Database';
import { refreshRankKeys } from './backlogRankSql';

/** States whose items still wait for work, so their cost of delay still moves the ranking. */
const openStates = backlogStates.filter((state) => state !== 'done' && state !== 'declined');

/**
 * Whole hours a product's SLA checks were breached in the last 30 days. Same sources as the SLA compliance
 * KPI (check_results of category `sla` in finished runs of the product's output-port contracts, verdicts
 * only): a run with a failed SLA check starts a breach that lasts until the contract's next SLA verdict
 * (or now). Contracts are summed, so two breached contracts over one hour count two hours.
 */
export async function productBreachHours(db: Kysely<Database>, productId: string): Promise<number> {
  const { rows } = await sql<{ hours: number }>`
    with runs as (
      select run.contract_id, run.finished_at, bool_or(r.status = 'failed') as breached
      from check_runs run join check_results r on r.run_id = run.id
      where run.contract_id in (select contract_id from product_output_ports where product_id = ${productId} and contract_id is not null)
        and r.category = 'sla' and r.status in ('passed', 'warning', 'failed')
        and run.finished_at is not null and run.finished_at >= now() - interval '30 days'
      group by run.id, run.contract_id, run.finished_at
    ), spans as (
      select breached, finished_at, lead(finished_at) over (partition by contract_id order by finished_at, contract_id) as until from runs
    )
    select coalesce(round((sum(extract(epoch from coalesce(until, now()) - finished_at)) filter (where breached)) / 3600), 0)::int as hours
    from spans`.execute(db);
  return Number(rows[0]?.hours ?? 0);
}

/**
 * Sets `sla_breach_hours` and `suggested_time_criticality` (least(100, suggested_reach × hours), null when
 * either is 0 — the SQL twin of `suggestCostOfDelay`) on the items `where` selects, then their rank keys.
 * Call after `suggested_reach` is written, in the writing transaction.
 */
export async function refreshCostOfDelay(trx: Kysely<Database>, settings: BacklogSettings, where: { productId: string; ids?: readonly string[]; openOnly?: boolean }): Promise<void> {
  if (where.ids !== undefined && where.ids.length === 0) return;
  const hours = await productBreachHours(trx, where.productId);
  let update = trx
    .updateTable('backlog_items')
    .set({
      sla_breach_hours: hours,
      suggested_time_criticality: sql<number | null>`case when coalesce(suggested_reach, 0) > 0 and ${hours}::int > 0 then least(100, suggested_reach * ${hours}::int) end`,
    })
    .where('product_id', '=', where.productId);
  if (where.ids !== undefined) update = update.where('id', 'in', [...where.ids]);
  if (where.openOnly === true) update = update.where('state', 'in', openStates);
  await update.execute();
  await refreshRankKeys(trx, settings, where.ids === undefined ? { productId: where.productId } : { productId: where.productId, ids: where.ids });
}

/** The stored cost-of-delay columns of an item written with `reach` while the product's breach time is `breachHours`. */
export function costOfDelayColumns(reach: ReachSuggestion | null, breachHours: number): { sla_breach_hours: number; suggested_time_criticality: number | null } {
  return { sla_breach_hours: breachHours, suggested_time_criticality: suggestCostOfDelay({ consumersAffected: reach?.value ?? 0, breachHours })?.value ?? null };
}

/**
 * The check-run hook: after a run of `contractId` finishes, refreshes the cost of delay and rank keys of
 * the open items of every product serving that contract (one breach query and one UPDATE per product).
 * Runs in a savepoint and never throws: a problem is reported to `onError` and the run still finishes.
 */
export async function refreshCostOfDelayForContract(trx: Kysely<Database>, contractId: string, onError: (error: unknown) => void = () => undefined): Promise<void> {
  await sql`savepoint cost_of_delay`.execute(trx);
  try {
    await refreshProducts(trx, contractId);
    await sql`release savepoint cost_of_delay`.execute(trx);
  } catch (error) {
    await sql`rollback to savepoint cost_of_delay`.execute(trx);
    onError(error);
  }
}

async function refreshProducts(trx: Kysely<Database>, contractId: string): Promise<void> {
  const products = await trx.selectFrom('product_output_ports').select('product_id').distinct().where('contract_id', '=', contractId).orderBy('product_id').execute();
  for (const { product_id: productId } of products) {
    const stored = await trx.selectFrom('backlog_settings').select('settings').where('product_id', '=', productId).executeTakeFirst();
    const parsed = stored === undefined ? undefined : backlogSettingsSchema.safeParse(stored.settings);
    await refreshCostOfDelay(trx, parsed?.success === true ? parsed.data : defaultBacklogSettings, { productId, openOnly: true });
  }
}
