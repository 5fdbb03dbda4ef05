import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/Database';

/**
 * The plan in one sentence for notifications and refusals: the sunset date and where to go instead
 * ("Sunset on 2026-12-31. Move to Orders v2 (/products/…)."). Empty when the product has no plan.
 */
export async function planSentence(trx: Kysely<Database>, productId: string): Promise<string> {
  const plan = await trx
    .selectFrom('product_lifecycles as l')
    .leftJoin('products as r', 'r.id', 'l.replacement_product_id')
    .select([sql<string | null>`to_char(l.sunset_date, 'YYYY-MM-DD')`.as('sunset_date'), 'l.note', 'r.id as replacement_id', 'r.name as replacement_name'])
    .where('l.product_id', '=', productId)
    .executeTakeFirst();
  if (plan === undefined) return '';
  const parts: string[] = [];
  if (plan.sunset_date !== null) parts.push(`Sunset on ${plan.sunset_date}.`);
  if (plan.replacement_id !== null && plan.replacement_name !== null) parts.push(`Move to ${plan.replacement_name} (/products/${plan.replacement_id}).`);
  if (plan.note !== '') parts.push(plan.note);
  return parts.join(' ');
}
