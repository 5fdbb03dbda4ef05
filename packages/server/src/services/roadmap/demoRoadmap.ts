import type { Actor } from '../../auth/Actor';
import type { Services } from '../createServices';
import type { Horizon } from './RoadmapService';

const product = 'sales.orders';

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
 * Seeds the demo roadmap of the orders product (after its backlog): a released "Launch" release whose
 * notes name its done item and its contract, a planned next release, and items on now / next / later.
 * Runs inside the demo transaction as `system:demo`, through the services, so audit and history are real.
 */
export async function seedDemoRoadmap(services: Services, actor: Actor, now: Date): Promise<void> {
  const launch = await services.releases.create(actor, product, { name: 'Launch', productVersion: '1.0.0', targetDate: dayFrom(now, -30), description: 'The first version of orders in the marketplace.' });
  const shipped = await services.backlog.create(actor, product, { kind: 'story', title: 'Orders with customer and amount, refreshed daily', state: 'done', acceptanceCriteria: ['One row per order', 'Amounts with currency'] });
  await services.roadmap.place(actor, { itemId: shipped.id, expectedVersion: 0, placement: { releaseId: launch.id } });
  await services.releases.release(actor, { id: launch.id, expectedVersion: (await services.releases.get(launch.id)).version });
  const next = await services.releases.create(actor, product, { name: 'Channels and freshness', productVersion: '1.1.0', targetDate: dayFrom(now, 45), description: 'Order channel and 15-minute freshness.' });
  const items = (await services.backlog.list(product, { limit: 100 })).items;
  const byTitle = (prefix: string) => items.find((item) => item.title.startsWith(prefix));
  const plan: [string, Horizon, boolean, number][] = [
    ['Add the order channel', 'now', true, 45],
    ['Publish orders within 15 minutes', 'now', true, 45],
    ['Currency missing on some refunded orders', 'next', false, 120],
    ['Daily order snapshot as Parquet', 'later', false, 220],
  ];
  for (const [title, horizon, inRelease, days] of plan) {
    const item = byTitle(title);
    if (item === undefined) continue;
    await services.roadmap.place(actor, { itemId: item.id, expectedVersion: 0, placement: { horizon, targetQuarter: quarterFrom(now, days), releaseId: inRelease ? next.id : null } });
  }
}
