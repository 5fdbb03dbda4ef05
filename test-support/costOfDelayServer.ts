/**
 * A real Meshboard server for the cost-of-delay browser test (issue 6): the demo mesh, two SLA verdicts
 * of the Orders contract (failed 14 h ago, passed 4 h ago: 10 h of breach), WSJF as Orders' framework and
 * one item two consuming teams ask for. Same contract as `startAppServer`: dist is brought up to date
 * first, the store lives in a temporary directory removed by `close()`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore, startServer } from '../packages/server/src/index';
import { BacklogService } from '../packages/server/src/services/BacklogService';
import { seedDemo } from '../packages/server/src/services/seedDemo';
import { newId } from '../packages/server/src/store/newId';
import type { AppServer } from './browser';

/** The seeded item's title. */
export const costOfDelayItemTitle = 'Orders arrive late for the replenishment jobs';
const ownerEmail = 'owner@demo.meshboard.local';

/** Seeds the demo, two SLA verdicts for the Orders contract and one item; returns the data directory. */
async function seedBreach(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-cod-'));
  const store = await createStore({ kind: 'embedded', dataDir });
  try {
    await seedDemo(store.db);
    const product = await store.db.selectFrom('products').select(['id', 'domain_id']).where('external_id', '=', 'sales.orders').executeTakeFirstOrThrow();
    const port = await store.db.selectFrom('product_output_ports').select('contract_id').where('product_id', '=', product.id).where('contract_id', 'is not', null).executeTakeFirstOrThrow();
    const contractId = port.contract_id ?? '';
    for (const [hoursAgo, status] of [[14, 'failed'], [4, 'passed']] as const) {
      const id = newId();
      const at = new Date(Date.now() - hoursAgo * 3_600_000);
      await store.db.insertInto('check_runs').values({ id, contract_id: contractId, contract_version: '1.0.0', server: 'production', trigger: 'scheduled', status, queued_at: at, started_at: at, finished_at: at }).execute();
      await store.db.insertInto('check_results').values({ run_id: id, check_key: 'sla.freshness', status, category: 'sla', name: 'Freshness', measured: null, details: null }).execute();
    }
    const user = await store.db.selectFrom('users').select(['id', 'email']).where('email', '=', ownerEmail).executeTakeFirstOrThrow();
    const teams = await store.db.selectFrom('teams').select('id').orderBy('slug').limit(2).execute();
    const actor = { userId: user.id, label: user.email, isAdmin: true, domainRoles: new Map<string, Set<'data_product_owner'>>() };
    const service = new BacklogService(store.db);
    const settings = await service.settings(product.id);
    await service.updateSettings(actor, { productRef: product.id, expectedVersion: settings.version, settings: { ...settings.settings, framework: 'wsjf' } });
    await service.create(actor, product.id, {
      kind: 'request',
      title: costOfDelayItemTitle,
      requesterTeamId: teams[0]?.id ?? null,
      evidence: [{ kind: 'feedback', ref: 'late-orders', note: 'Replenishment runs on stale orders', teamId: teams[1]?.id ?? null }],
      inputs: { businessValue: 8, riskReduction: 2, jobSize: 3 },
    });
  } finally {
    await store.close();
  }
  return dataDir;
}

/** Starts the server over the seeded store; the store is not empty, so no demo check runs are queued. */
export async function startCostOfDelayServer(): Promise<AppServer> {
  execFileSync(process.execPath, [fileURLToPath(new URL('../packages/web/scripts/buildIfStale.mjs', import.meta.url))], { stdio: 'pipe' });
  const dataDir = await seedBreach();
  const server = await startServer({ store: { kind: 'embedded', dataDir }, port: 0, hostname: '127.0.0.1', demo: true, log: () => undefined });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
