import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../store/createStore';
import { createServices } from '../createServices';
import { seedDemo } from '../seedDemo';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-loop-demo-'));
let store: Store;
beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  expect(await seedDemo(store.db)).toBe(true);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo mesh: product loop', () => {
  it('has 60 days of usage, vision canvases and KPIs with real series on first start', async () => {
    const services = createServices(store.db);
    const span = await store.db
      .selectFrom('usage_events')
      .select((eb) => [eb.fn.min('occurred_at').as('first'), eb.fn.countAll().as('events')])
      .executeTakeFirstOrThrow();
    expect(Number(span.events)).toBeGreaterThan(1000);
    expect(Date.now() - new Date(span.first as unknown as string).getTime()).toBeGreaterThan(58 * 86_400_000);
    expect((await services.visions.get('sales.orders')).canvas.targetConsumers).toContain('Controlling');
    const orders = await services.kpis.forProduct('sales.orders');
    expect(orders.map((report) => report.kpi.source)).toEqual(['usage.events', 'usage.consumers', 'checks.passRate']);
    const weekly = orders[0];
    expect(weekly?.series).toHaveLength(9);
    expect(weekly?.series.every((point) => point.value !== null && point.value > 0)).toBe(true);
    const satisfaction = (await services.kpis.forProduct('sales.customers')).find((report) => report.kpi.manual);
    expect(satisfaction?.series.map((point) => point.value)).toEqual([3.6, 3.9, 4.2]);
    expect(satisfaction?.latest).toMatchObject({ met: true, enteredBy: 'system:demo' });
    const domain = await services.kpis.forDomain('sales');
    expect(domain[0]?.latest?.value).toBeGreaterThan(weekly?.latest?.value ?? 0);
  });
});
