import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/Actor';
import type { Database, UsageKind } from '../../store/Database';
import { isoDate, periodStart } from './kpiPeriods';
import { KpiService } from './KpiService';
import { UsageEventService } from './UsageEventService';
import { visionCanvasSchema, type VisionCanvas } from './visionCanvas';
import { VisionService } from './VisionService';

/** The demo products given usage, with their daily base volume and the consuming teams that use them. */
const usageProfiles = [
  { product: 'sales.orders', daily: 40, growth: 0.012, consumers: ['controlling', 'sales-analytics', 'fulfilment', 'marketing-insights'] },
  { product: 'sales.customers', daily: 25, growth: 0.004, consumers: ['sales-analytics', 'marketing-insights'] },
  { product: 'sales.customer-segments', daily: 12, growth: 0.02, consumers: ['marketing-insights'] },
  { product: 'sales.order-lines', daily: 18, growth: -0.004, consumers: ['controlling', 'fulfilment'] },
  { product: 'sales.campaign-performance', daily: 8, growth: 0.01, consumers: ['marketing-insights', 'sales-analytics'] },
] as const;

const visions: Record<string, Partial<VisionCanvas>> = {
  'sales.orders': {
    purpose: 'One trustworthy record of every order placed in the shop, available the next morning.',
    targetConsumers: ['Controlling', 'Sales Analytics', 'Fulfilment'],
    useCases: ['Daily revenue reporting', 'Demand forecasting', 'Shipment planning'],
    value: 'Replaces three hand-maintained order extracts; month-end closing no longer waits for reconciliations.',
    successKpis: ['Check pass rate ≥ 95 % every week', '≥ 250 queries per week', '≥ 3 consuming teams'],
    sources: ['Shop order service (events)', 'Payment provider settlements'],
    constraints: ['No personal data beyond the customer key', 'Orders older than 10 years are deleted'],
  },
  'sales.customers': {
    purpose: 'The customer master: who our customers are and where they live.',
    targetConsumers: ['Sales Analytics', 'Marketing Insights'],
    useCases: ['Segmentation', 'Country reporting'],
    value: 'One customer key across sales and marketing.',
    successKpis: ['SLA compliance ≥ 99 %', 'Consumer satisfaction ≥ 4 of 5'],
    sources: ['CRM'],
    constraints: ['Contains PII: e-mail addresses are masked for consumers without approval'],
  },
};

/** A deterministic value in [0, 1) from two integers (the demo is the same on every start). */
function noise(a: number, b: number): number {
  const x = Math.sin(a * 12.9898 + b * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

/**
 * The product loop of the demo mesh (issue 6): vision canvases of two products, 60 days of usage
 * events of five sales products (ending `now`), and KPIs on usage, check pass rate, SLA compliance and
 * one manual KPI with entered values, so the KPI pages show real series on first start. Runs inside
 * the demo's seeding transaction.
 */
export async function seedDemoProductLoop(db: Kysely<Database>, actor: Actor, now: Date): Promise<void> {
  const ids = new Map((await db.selectFrom('products').select(['id', 'external_id']).execute()).map((row) => [row.external_id, row.id]));
  const visionService = new VisionService(db);
  for (const [product, canvas] of Object.entries(visions)) {
    if (ids.has(product)) await visionService.save(actor, { product, canvas: visionCanvasSchema.parse(canvas), expectedVersion: 0 });
  }
  const kinds: UsageKind[] = ['query', 'query', 'query', 'read', 'download'];
  const events: { id: string; product: string; consumerTeam: string; kind: UsageKind; occurredAt: string; rows: number; bytes: number }[] = [];
  const today = periodStart(now, 'day').getTime();
  usageProfiles.forEach((profile, profileIndex) => {
    if (!ids.has(profile.product)) return;
    for (let daysAgo = 59; daysAgo >= 0; daysAgo -= 1) {
      const day = new Date(today - daysAgo * 86_400_000);
      const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
      const count = Math.round(profile.daily * (1 + profile.growth * (59 - daysAgo)) * (weekend ? 0.3 : 1) * (0.7 + 0.6 * noise(profileIndex, daysAgo)));
      for (let index = 0; index < count; index += 1) {
        const occurred = new Date(day.getTime() + Math.floor(noise(index, daysAgo + profileIndex * 100) * 86_400_000));
        if (occurred.getTime() > now.getTime()) continue;
        const pick = noise(daysAgo, index + profileIndex);
        events.push({
          id: `demo:${profile.product}:${daysAgo}:${index}`,
          product: profile.product,
          consumerTeam: profile.consumers[Math.floor(pick * profile.consumers.length)] ?? 'marketing-insights',
          kind: kinds[Math.floor(noise(index, daysAgo) * kinds.length)] ?? 'query',
          occurredAt: occurred.toISOString(),
          rows: 50 + Math.floor(pick * 5000),
          bytes: 4096 + Math.floor(pick * 2_000_000),
        });
      }
    }
  });
  const usage = new UsageEventService(db, () => now);
  for (let start = 0; start < events.length; start += 5000) await usage.ingest(actor, { events: events.slice(start, start + 5000) });

  const kpis = new KpiService(db, { clock: () => now });
  if (ids.has('sales.orders')) {
    await kpis.create(actor, { product: 'sales.orders' }, { name: 'Weekly queries and reads', description: 'Usage events reported by the query platform.', source: 'usage.events', target: 250, direction: 'higher', period: 'week', window: 9 });
    await kpis.create(actor, { product: 'sales.orders' }, { name: 'Consuming teams', source: 'usage.consumers', target: 3, direction: 'higher', period: 'week', window: 9 });
    await kpis.create(actor, { product: 'sales.orders' }, { name: 'Check pass rate', description: 'Share of contract checks passing.', source: 'checks.passRate', target: 95, direction: 'higher', period: 'week', window: 9 });
  }
  if (ids.has('sales.customers')) {
    await kpis.create(actor, { product: 'sales.customers' }, { name: 'SLA compliance', source: 'sla.compliance', target: 99, direction: 'higher', period: 'week', window: 9 });
    const satisfaction = await kpis.create(actor, { product: 'sales.customers' }, { name: 'Consumer satisfaction', description: 'Average score of the monthly consumer survey (1–5).', source: 'manual', target: 4, direction: 'higher', period: 'month', window: 3 });
    const month = periodStart(now, 'month');
    for (const [back, value] of [[2, 3.6], [1, 3.9], [0, 4.2]] as const) {
      const start = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - back, 1));
      await kpis.enterValue(actor, satisfaction.kpi.id, { periodStart: isoDate(start), value, note: 'Monthly consumer survey' });
    }
  }
  await kpis.create(actor, { domain: 'sales' }, { name: 'Domain usage', description: 'Usage events of every sales product.', source: 'usage.events', target: 700, direction: 'higher', period: 'week', window: 9 });
  await kpis.create(actor, { domain: 'sales' }, { name: 'Domain check pass rate', source: 'checks.passRate', target: 90, direction: 'higher', period: 'week', window: 9 });
}
