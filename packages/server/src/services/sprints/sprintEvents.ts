import type { Kysely } from 'kysely';
import type { BacklogItemRow, Database } from '../../store/Database';

/**
 * Records that an item in an open sprint's scope changed state or estimate, in the writing transaction:
 * the burndown replays these events, so a card moved on the board and an item edited in the backlog count
 * alike. Items in no open sprint record nothing (closed sprints keep the scope they ended with).
 */
export async function recordSprintItemChange(trx: Kysely<Database>, row: BacklogItemRow, at: Date): Promise<void> {
  await trx
    .insertInto('sprint_events')
    .columns(['sprint_id', 'item_id', 'kind', 'state', 'estimate', 'at'])
    .expression((eb) =>
      eb
        .selectFrom('sprint_items')
        .select((inner) => ['sprint_id', 'item_id', inner.val('changed').as('kind'), inner.val(row.state).as('state'), inner.val(row.estimate).as('estimate'), inner.val(at).as('at')])
        .where('item_id', '=', row.id)
        .where('outcome', 'is', null),
    )
    .execute();
}
