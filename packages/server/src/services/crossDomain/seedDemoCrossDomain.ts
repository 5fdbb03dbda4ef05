import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import type { Database } from '../../store/Database';
import type { Services } from '../createServices';

const consumerEmail = 'consumer@demo.meshboard.local';
const memberEmail = 'member@demo.meshboard.local';

/**
 * Seeds the coordination view and the demand inbox of the demo mesh (issue 6), so the pages are not
 * empty on first start: one sales item waiting on logistics and finance, and four requests for data by
 * the demo consumer in each demand state. Runs after the demo backlogs, inside the demo transaction.
 */
export async function seedDemoCrossDomain(trx: Kysely<Database>, services: Services, actor: Actor): Promise<void> {
  const item = async (product: string, number: number) =>
    trx.selectFrom('backlog_items as b').innerJoin('products as p', 'p.id', 'b.product_id').select(['b.id', 'b.version']).where('p.external_id', '=', product).where('b.number', '=', number).executeTakeFirstOrThrow();
  const parent = await item('sales.orders', 2);
  const toLogistics = await services.crossDomain.request(actor, { parentId: parent.id, expectedVersion: parent.version, input: { productId: 'logistics.shipments', title: 'Pick-wave release time per shipment', description: 'Sales wants to publish orders within 15 minutes; the pick-wave time tells when an order left the queue.' } });
  await services.crossDomain.request(actor, { parentId: parent.id, expectedVersion: toLogistics.parent.version, input: { productId: 'finance.invoices', title: 'Invoice status within 15 minutes of checkout' } });
  await services.backlog.update(actor, { id: toLogistics.child.id, expectedVersion: toLogistics.child.version, patch: { state: 'triaged' } });
  const users = await trx.selectFrom('users').select(['id', 'email', 'name']).where('email', 'in', [consumerEmail, memberEmail]).execute();
  const consumer = users.find((user) => user.email === consumerEmail);
  const member = users.find((user) => user.email === memberEmail);
  if (consumer === undefined || member === undefined) return;
  const asConsumer = { userId: consumer.id, label: consumer.email };
  const footfall = await services.demands.create(actor, { title: 'Store footfall per hour', description: 'Visitor counts from the door sensors.', useCase: 'Staff planning per store and hour.', desiredFields: ['store_id', 'hour', 'visitors'], freshness: 'hourly' }, asConsumer);
  // A colleague's "me too" (votes are people's; the seed records one directly).
  await trx.insertInto('data_demand_votes').values({ demand_id: footfall.id, user_id: member.id }).execute();
  await trx.updateTable('data_demands').set({ votes: sql<number>`votes + 1` }).where('id', '=', footfall.id).execute();
  const campaign = await services.demands.create(actor, { title: 'Marketing spend per channel and day', useCase: 'Return on ad spend next to orders by channel.', desiredFields: ['channel', 'day', 'spend_eur'], freshness: 'daily by 6am' }, asConsumer);
  await services.demands.triage(actor, { id: campaign.id, expectedVersion: campaign.version, domainId: 'finance' });
  const lead = await services.demands.create(actor, { title: 'Supplier lead times', useCase: 'Reorder points for the warehouses.', desiredFields: ['supplier_id', 'lead_days'], freshness: 'weekly' }, asConsumer);
  await services.demands.triage(actor, { id: lead.id, expectedVersion: lead.version, productId: 'logistics.shipments' });
  const prices = await services.demands.create(actor, { title: 'Competitor prices', useCase: 'Price positioning.', freshness: 'daily' }, asConsumer);
  await services.demands.decline(actor, { id: prices.id, expectedVersion: prices.version, reason: 'No domain collects competitor prices; the pricing team buys a market report — ask them for access.' });
}
