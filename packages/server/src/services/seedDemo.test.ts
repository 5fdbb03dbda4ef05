import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../store/createStore';
import { readFileSync } from 'node:fs';
import { createConnectorFactory, runContract } from '@meshboard/checks';
import { parseOdcsContract } from '@meshboard/model';
import { createServices } from './createServices';
import { demoCsv, demoDataDir, demoFileName, demoProducts } from './demoCatalog';
import { demoUsers, seedDemo } from './seedDemo';

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-demo-'));
let store: Store;

beforeAll(async () => {
  store = await createStore({ kind: 'embedded', dataDir });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('seedDemo', () => {
  it('loads domains, teams and one user per role once, each sign-in working with the documented password', async () => {
    expect(await seedDemo(store.db)).toBe(true);
    expect(await seedDemo(store.db)).toBe(false);
    const services = createServices(store.db);
    const domains = await services.domains.list({ limit: 10 });
    expect(domains.items.map((domain) => domain.slug)).toEqual(['finance', 'logistics', 'sales']);
    const sales = domains.items.find((domain) => domain.slug === 'sales');
    for (const user of demoUsers) {
      const session = await services.auth.signIn({ email: user.email, password: user.password });
      const actor = await services.auth.authenticate(session.token);
      expect(actor.isAdmin).toBe(user.isAdmin ?? false);
      expect([...(actor.domainRoles.get(sales?.id ?? '') ?? [])]).toEqual(user.role === undefined ? [] : [user.role]);
    }
    const audit = await store.db.selectFrom('audit_events').select('actor_label').where('action', '!=', 'session.create').distinct().execute();
    expect(audit.map((row) => row.actor_label)).toEqual(['system:demo']);
  });

  it('publishes ~20 products across the demo domains, each bound to a contract over a shipped data file', async () => {
    const services = createServices(store.db);
    const products = await services.products.list({ limit: 100 });
    expect(products.items).toHaveLength(demoProducts.length);
    expect(demoProducts.length).toBeGreaterThanOrEqual(18);
    const domains = new Set(products.items.map((product) => product.domainId));
    expect(domains.size).toBe(3);
    for (const summary of products.items) {
      const product = await services.products.get(summary.id);
      expect(product.outputPorts).toHaveLength(1);
      expect(product.outputPorts[0]?.contract?.currentVersion).toBe('1.0.0');
      expect(product.ownerTeamId).not.toBeNull();
    }
    const facets = await services.search.search({ q: 'customer' });
    expect(facets.facets.domain.map((facet) => facet.value)).toContain('sales');
    expect(facets.items[0]?.title).toBe('Customers');
  });

  it('ships data files equal to what the generator writes, resolved independently of the working directory', () => {
    for (const product of demoProducts) expect(readFileSync(`${demoDataDir}/${demoFileName(product)}`, 'utf8')).toBe(demoCsv(product));
  });

  it('gives check runs real measured values from the shipped files', async () => {
    const services = createServices(store.db);
    const contract = await services.contracts.get('sales.customers-contract');
    const parsed = parseOdcsContract(contract.document);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const run = await runContract({ contract: parsed.contract, connectorFactory: createConnectorFactory({ workingDir: '/', env: {} }) });
    const rowCount = run.checks.find((check) => check.measured === 200);
    expect(rowCount).toBeDefined();
    // customers.email has deliberate gaps: its null check fails with the measured count.
    const emailNulls = run.checks.filter((check) => check.result === 'failed');
    expect(emailNulls.length).toBeGreaterThanOrEqual(1);
    expect(run.checks.some((check) => check.result === 'passed')).toBe(true);
  });

  it('seeds open cross-domain dependencies and a demand in every triage state', async () => {
    const services = createServices(store.db);
    const dependencies = await services.crossDomain.dependencies({});
    expect(dependencies.items.map((d) => [d.parent.domain.name, d.child.domain.name, d.child.state])).toEqual([
      ['Sales', 'Logistics', 'triaged'],
      ['Sales', 'Finance', 'new'],
    ]);
    const admin = { userId: null, label: 'test', isAdmin: true, domainRoles: new Map() };
    const inbox = await services.demands.list(admin, {});
    expect(inbox.items.map((d) => d.state).sort()).toEqual(['accepted', 'assigned', 'declined', 'open']);
    expect(inbox.items.find((d) => d.state === 'open')?.votes).toBe(1);
    expect(inbox.items.every((d) => d.requester.label === 'consumer@demo.meshboard.local')).toBe(true);
  });

  it('does not come back once its domains were deleted', async () => {
    await store.db.deleteFrom('products').execute();
    await store.db.deleteFrom('contracts').execute();
    await store.db.deleteFrom('teams').execute();
    await store.db.deleteFrom('domains').execute();
    expect(await seedDemo(store.db)).toBe(false);
  });
});
