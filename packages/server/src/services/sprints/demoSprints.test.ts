/** The demo sprints: one closed sprint with its retrospective, one running with a real burndown, two decisions. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../store/createStore';
import { createServices } from '../createServices';
import { seedDemo } from '../seedDemo';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-demo-sprints-'));
let store: Store;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  await seedDemo(store.db);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo sprints', () => {
  it('has a closed sprint with a retrospective whose open action is carried into the running sprint', async () => {
    const services = createServices(store.db);
    const sprints = await services.sprints.list('sales.orders');
    expect(sprints.map((sprint) => [sprint.name, sprint.state])).toEqual([
      ['Sprint 2', 'active'],
      ['Sprint 1', 'closed'],
    ]);
    const [running, closed] = sprints;
    expect(closed?.items.map((entry) => entry.outcome)).toEqual(['done', 'carried']);
    expect(running?.commitment).toMatchObject({ committed: 14, capacity: 13 });
    expect(running?.commitment.warnings[0]).toMatch(/exceeds the capacity/);
    const retro = await services.retrospectives.get(closed?.id ?? '');
    expect(retro.wentWell.length).toBeGreaterThan(0);
    expect(retro.actions.map((action) => action.done)).toEqual([false, true]);
    expect((await services.retrospectives.get(running?.id ?? '')).carriedActions.map((action) => action.title)).toEqual(['Split stories above 5 points before planning']);
    const closedBurndown = await services.sprints.burndown(closed?.id ?? '');
    expect(closedBurndown.startScope).toBe(5);
    expect(closedBurndown.days.at(-1)?.remaining).toBe(3);
    const burndown = await services.sprints.burndown(running?.id ?? '');
    expect(burndown.startScope).toBe(14);
    expect(burndown.days.slice(0, 4).map((day) => day.remaining)).toEqual([14, 14, 11, 11]);
  });

  it('has two decisions linked to backlog items, one accepted and one proposed', async () => {
    const services = createServices(store.db);
    const decisions = await services.decisions.list('sales.orders');
    expect(decisions.map((decision) => decision.status)).toEqual(['proposed', 'accepted']);
    expect(decisions.every((decision) => decision.items.length === 1)).toBe(true);
    expect((await services.backlog.list('sales.orders', {})).items).toHaveLength(5);
  });
});
