import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../store/createStore';
import { createServices } from '../createServices';
import { seedDemo } from '../seedDemo';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-demo-roadmap-'));
let store: Store;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
  await seedDemo(store.db);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo roadmap', () => {
  it('seeds a board, one released release with notes and one planned release', async () => {
    const services = createServices(store.db);
    const board = await services.roadmap.board('sales.returns');
    expect([board.now.length, board.next.length, board.later.length]).toEqual([2, 1, 1]);
    const releases = await services.releases.list('sales.returns');
    expect(releases.map((release) => [release.productVersion, release.state])).toEqual([
      ['1.0.0', 'released'],
      ['1.1.0', 'planned'],
    ]);
    expect(releases[0]?.notes?.items.map((item) => item.title)).toEqual(['Returns with reason and date, refreshed daily']);
    expect(releases[0]?.notes?.contracts).toEqual([expect.objectContaining({ fromVersion: null, toVersion: '1.0.0' })]);
    expect(releases[1]?.items.map((item) => item.title)).toEqual(['Return reason codes as a lookup table', 'Refund amount per returned line']);
    const notified = await store.db.selectFrom('notifications').select('id').where('kind', '=', 'release.published').execute();
    expect(notified).toHaveLength(0);
    // The other demo backlogs are untouched: orders keeps its five items.
    expect((await services.backlog.list('sales.orders', { limit: 10 })).items).toHaveLength(5);
  });
});
