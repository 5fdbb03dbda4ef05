import { writeBacklogCsv, type BacklogExportRow } from '@meshboard/model';
import type { Actor } from '../../auth/Actor';
import type { Services } from '../createServices';
import type { Horizon } from './RoadmapService';

/** The demo product with a roadmap: in the sales domain (the demo owner plans it), with no other demo backlog. */
const product = 'sales.returns';
const consumer = 'consumer@demo.meshboard.local';

type DemoItem = Pick<BacklogExportRow, 'kind' | 'title' | 'description' | 'state'> & { requester?: string; horizon: Horizon | null; release: 'launch' | 'next' | null; days: number | null };

/** The returns backlog: one item shipped in the Launch release, four planned on the board. */
const items: readonly DemoItem[] = [
  { kind: 'request', title: 'Return reason codes as a lookup table', description: 'Free-text reasons cannot be grouped.', state: 'triaged', requester: consumer, horizon: 'now', release: 'next', days: 45 },
  { kind: 'story', title: 'Refund amount per returned line', description: 'As a controller I want the refunded amount so that returns reconcile with payments.', state: 'planned', horizon: 'now', release: 'next', days: 45 },
  { kind: 'defect', title: 'Returns without an order line', description: '', state: 'new', requester: consumer, horizon: 'next', release: null, days: 120 },
  { kind: 'idea', title: 'Weekly return rate per article', description: '', state: 'new', horizon: 'later', release: null, days: 220 },
  // Filed by the team (no user): releasing it at seed time notifies no demo user, so inbox counts stay as other suites expect.
  { kind: 'story', title: 'Returns with reason and date, refreshed daily', description: 'The first version of the product.', state: 'done', requester: 'Order Platform team', horizon: null, release: 'launch', days: null },
];

/** `now` shifted by `days`, as YYYY-MM-DD (UTC). */
function dayFrom(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The quarter (YYYY-Qn) of `now` shifted by `days`. */
function quarterFrom(now: Date, days: number): string {
  const date = new Date(now.getTime() + days * 86_400_000);
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}

/**
 * Seeds the demo roadmap of the returns product: its backlog (through the CSV import, so requesters are
 * matched by e-mail), a released "Launch" release whose notes name its done item and its contract, a
 * planned next release, and items on now / next / later. Runs inside the demo transaction as
 * `system:demo`, through the services, so audit and state history are real.
 */
export async function seedDemoRoadmap(services: Services, actor: Actor, now: Date): Promise<void> {
  const csv = writeBacklogCsv(items.map((item, index) => ({ kind: item.kind, title: item.title, description: item.description, state: item.state, declineReason: null, labels: [], estimate: null, acceptanceCriteria: [], inputs: {}, number: index + 1, votes: 0, duplicateOf: null, createdAt: '', requester: item.requester ?? 'owner@demo.meshboard.local' })));
  const { numbers } = await services.backlog.importItems(actor, product, { format: 'csv', content: csv });
  const ids = new Map((await services.backlog.list(product, { limit: 100 })).items.map((item) => [item.number, item.id]));
  const launch = await services.releases.create(actor, product, { name: 'Launch', productVersion: '1.0.0', targetDate: dayFrom(now, -30), description: 'The first version of returns in the marketplace.' });
  const next = await services.releases.create(actor, product, { name: 'Reasons and refunds', productVersion: '1.1.0', targetDate: dayFrom(now, 45), description: 'Reason codes and refunded amounts.' });
  for (const [index, item] of items.entries()) {
    const id = ids.get(numbers[index] ?? 0);
    if (id === undefined) continue;
    const releaseId = item.release === 'launch' ? launch.id : item.release === 'next' ? next.id : null;
    await services.roadmap.place(actor, { itemId: id, expectedVersion: 0, placement: { horizon: item.horizon, targetQuarter: item.days === null ? null : quarterFrom(now, item.days), releaseId } });
  }
  await services.releases.release(actor, { id: launch.id, expectedVersion: (await services.releases.get(launch.id)).version });
}
