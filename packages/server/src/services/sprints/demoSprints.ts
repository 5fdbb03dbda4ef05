import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import type { Database } from '../../store/Database';
import { BacklogService } from '../BacklogService';
import { DecisionService } from './DecisionService';
import { RetrospectiveService } from './RetrospectiveService';
import { SprintService } from './SprintService';

const product = 'sales.orders';
const dayMs = 86_400_000;

/**
 * Demo sprints of the Orders product: sprint 1 closed three weeks back (its unfinished story carried
 * into sprint 2) with a retrospective, sprint 2 running (one point over capacity, so the warning shows),
 * and two decisions linked to items. The services run on a back-dated clock so the burndowns show real
 * day-by-day history. Runs inside the demo transaction as `system:demo`, after the demo backlogs.
 */
export async function seedDemoSprints(trx: Kysely<Database>, actor: Actor, today: Date): Promise<void> {
  let clock = today;
  const at = (daysFromToday: number, hour: number) => {
    clock = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + daysFromToday, hour));
  };
  const day = (daysFromToday: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) + daysFromToday * dayMs).toISOString().slice(0, 10);
  const now = () => clock;
  const backlog = new BacklogService(trx, now);
  const sprints = new SprintService(trx, now);
  const items = (await backlog.list(product, { limit: 100 })).items;
  const byNumber = (number: number) => {
    const item = items.find((candidate) => candidate.number === number);
    if (item === undefined) throw new Error(`demo backlog item #${number} missing`);
    return item;
  };
  const move = async (id: string, state: 'triaged' | 'in_progress' | 'done') => {
    const current = await backlog.get(id);
    await backlog.update(actor, { id, expectedVersion: current.version, patch: { state } });
  };
  const members = [
    { userId: null, name: 'Ada (owner)', available: 8 },
    { userId: null, name: 'Lin (producer)', available: 5 },
  ];

  at(-22, 9);
  const first = await sprints.create(actor, product, { name: 'Sprint 1', goal: 'Refunds carry their currency', startDate: day(-21), endDate: day(-10), capacityUnit: 'points', members });
  const second = await sprints.create(actor, product, { name: 'Sprint 2', goal: 'Orders fresh within 15 minutes', startDate: day(-3), endDate: day(10), capacityUnit: 'points', members });
  // Only existing items move (the backlog pages' demo counts stay as they are); #1 stays open so the
  // ranking keeps its first item.
  const defect = byNumber(3);
  const snapshot = byNumber(4);
  await move(defect.id, 'triaged');
  await move(snapshot.id, 'triaged');
  await backlog.update(actor, { id: snapshot.id, expectedVersion: (await backlog.get(snapshot.id)).version, patch: { estimate: 3 } });
  let version = first.version;
  version = (await sprints.addItem(actor, { id: first.id, expectedVersion: version, itemId: defect.id })).version;
  version = (await sprints.addItem(actor, { id: first.id, expectedVersion: version, itemId: snapshot.id })).version;
  version = (await sprints.start(actor, { id: first.id, expectedVersion: version })).version;
  at(-20, 10);
  await move(defect.id, 'in_progress');
  at(-18, 15);
  await move(defect.id, 'done');
  at(-16, 11);
  await move(snapshot.id, 'in_progress');
  at(-10, 17);
  await sprints.close(actor, { id: first.id, expectedVersion: version, unfinished: 'next', nextSprintId: second.id });

  const retros = new RetrospectiveService(trx);
  await retros.save(actor, { sprintId: first.id, expectedVersion: 0, wentWell: ['The refund fix shipped in four days', 'Pairing with support on the test cases'], toImprove: ['The Parquet snapshot was bigger than estimated', 'Estimates were made without the producer'] });
  await retros.addAction(actor, first.id, { title: 'Split stories above 5 points before planning', ownerLabel: 'Ada (owner)', dueDate: day(-4) });
  const done = await retros.addAction(actor, first.id, { title: 'Invite the producer to estimation', ownerLabel: 'Lin (producer)', dueDate: day(-5) });
  await retros.updateAction(actor, { id: done.id, expectedVersion: done.version, patch: { done: true } });

  at(-4, 9);
  const channel = byNumber(1);
  const freshness = byNumber(2);
  version = (await sprints.get(second.id)).version;
  version = (await sprints.addItem(actor, { id: second.id, expectedVersion: version, itemId: channel.id })).version;
  version = (await sprints.addItem(actor, { id: second.id, expectedVersion: version, itemId: freshness.id })).version;
  await sprints.start(actor, { id: second.id, expectedVersion: version });
  at(-2, 11);
  await move(channel.id, 'in_progress');
  at(-1, 15);
  await move(snapshot.id, 'done');

  const decisions = new DecisionService(trx);
  await decisions.create(actor, product, {
    title: 'Publish the daily order snapshot as Parquet, not CSV',
    context: 'Two consuming teams load the snapshot into the lakehouse; spreadsheet users read the live table.',
    options: [
      { title: 'CSV only', pros: 'Opens anywhere; no new tooling', cons: 'No types; larger files' },
      { title: 'Parquet only', pros: 'Typed, compact', cons: 'Spreadsheet users need a converter' },
      { title: 'Both', pros: 'Everyone served', cons: 'Two outputs to keep in step' },
    ],
    decision: 'Parquet only; spreadsheet users keep the CSV export of the live table.',
    consequences: 'The snapshot keeps its column types; a second output would need its own contract.',
    status: 'accepted',
    decidedOn: day(-15),
    deciders: ['Ada (owner)', 'Lin (producer)'],
    itemIds: [byNumber(4).id],
  });
  await decisions.create(actor, product, {
    title: 'Order channel as a closed code list',
    context: 'Marketing wants to split conversions by channel; channels are added every few months.',
    options: [
      { title: 'Closed code list (web, app, store)', pros: 'Checkable in the contract', cons: 'A new channel is a contract change' },
      { title: 'Free text', pros: 'No change needed for new channels', cons: 'Typos split the numbers' },
    ],
    status: 'proposed',
    deciders: ['Ada (owner)'],
    itemIds: [channel.id],
  });
}
