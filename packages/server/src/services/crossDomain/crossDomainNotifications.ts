import { rollUpChildren } from '@meshboard/model';
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import type { BacklogItemRow, Database, DomainRole } from '../../store/Database';
import { notify, type NotificationInput } from '../NotificationService';

/** The roles that own a domain's backlog and hear of requests to it (as in the feedback inbox). */
export const coordinatorRoles: readonly DomainRole[] = ['data_product_owner', 'data_owner', 'producer'];

/** The enabled users holding an owner role in `domainId`, except `exceptUserId`. */
export async function domainOwners(db: Kysely<Database>, domainId: string, exceptUserId: string | null): Promise<string[]> {
  const rows = await db
    .selectFrom('domain_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select('r.user_id')
    .distinct()
    .where('r.domain_id', '=', domainId)
    .where('r.role', 'in', [...coordinatorRoles])
    .where('u.disabled', '=', false)
    .orderBy('r.user_id')
    .execute();
  return rows.map((row) => row.user_id).filter((id) => id !== exceptUserId);
}

/** The app path of a product's backlog with one item opened. */
export function itemLink(productId: string, itemId: string): string {
  return `/products/${productId}/backlog?item=${itemId}`;
}

/**
 * Called by BacklogService in the transaction that changed an item's state: the owners of a
 * cross-domain parent hear how their roll-up moved, and the consumers whose demand became this item
 * (requester and "me too" voters) hear its new state. Nobody is told of their own change.
 */
export async function announceStateChange(trx: Kysely<Database>, actor: Actor, row: BacklogItemRow): Promise<void> {
  const messages: NotificationInput[] = [];
  const child = await trx.selectFrom('products as p').innerJoin('domains as d', 'd.id', 'p.domain_id').select(['p.name as product', 'd.name as domain']).where('p.id', '=', row.product_id).executeTakeFirstOrThrow();
  const stateWords = row.state === 'declined' ? `declined: ${row.decline_reason ?? ''}` : `now ${row.state.replace('_', ' ')}`;
  if (row.parent_id !== null) {
    const parent = await trx.selectFrom('backlog_items as b').innerJoin('products as p', 'p.id', 'b.product_id').select(['b.id', 'b.number', 'b.title', 'b.product_id', 'p.domain_id']).where('b.id', '=', row.parent_id).executeTakeFirst();
    if (parent !== undefined) {
      const siblings = await trx.selectFrom('backlog_items').select(['state', 'duplicate_of']).where('parent_id', '=', parent.id).execute();
      const rollUp = rollUpChildren(siblings.map((sibling) => ({ state: sibling.state, merged: sibling.duplicate_of !== null })));
      for (const userId of await domainOwners(trx, parent.domain_id, actor.userId)) {
        messages.push({ userId, kind: 'backlog.cross-domain-state', title: `${child.domain} #${row.number} for your #${parent.number} is ${stateWords}`, body: `“${parent.title}”: ${rollUp.summary}.`, link: itemLink(parent.product_id, parent.id), entityType: 'backlog_item', entityId: parent.id });
      }
    }
  }
  const demands = await trx.selectFrom('data_demands').select(['id', 'title', 'requester_id']).where('backlog_item_id', '=', row.id).execute();
  for (const demand of demands) {
    const voters = await trx.selectFrom('data_demand_votes').select('user_id').where('demand_id', '=', demand.id).execute();
    const people = [demand.requester_id, ...voters.map((vote) => vote.user_id)].filter((id): id is string => id !== null && id !== actor.userId);
    for (const userId of people) messages.push({ userId, kind: 'demand.item-state', title: `Your request “${demand.title}” (${child.product} #${row.number}) is ${stateWords}`, link: `/demands/${demand.id}`, entityType: 'data_demand', entityId: demand.id });
  }
  await notify(trx, messages);
}
