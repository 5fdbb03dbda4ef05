import { sql, type Kysely } from 'kysely';
import { systemActor } from '../auth/Actor';
import type { Database, DomainRole } from '../store/Database';
import { createServices } from './createServices';
import { seedDemoCrossDomain } from './crossDomain/seedDemoCrossDomain';
import { seedDemoBacklogs } from './demoBacklog';
import { seedDemoSprints } from './sprints/demoSprints';
import { demoContract, demoDataDir, demoProductDocument, demoProducts } from './demoCatalog';
import { inTransaction } from './inTransaction';
import { seedDemoProductLoop } from './productLoop/seedDemoProductLoop';
import { seedDemoRoadmap } from './roadmap/demoRoadmap';

/**
 * The demo users: one per role, with passwords published in the README. They exist only in the demo
 * mesh (seeded into an empty store unless `--no-demo`); never use the demo mesh for real data.
 */
export const demoUsers: ReadonlyArray<{ email: string; name: string; password: string; isAdmin?: boolean; role?: DomainRole }> = [
  { email: 'admin@demo.meshboard.local', name: 'Ada Admin', password: 'demo-admin-password', isAdmin: true },
  { email: 'owner@demo.meshboard.local', name: 'Olu Owner', password: 'demo-owner-password', role: 'data_product_owner' },
  { email: 'data-owner@demo.meshboard.local', name: 'Dana Data-Owner', password: 'demo-data-owner-password', role: 'data_owner' },
  { email: 'producer@demo.meshboard.local', name: 'Pat Producer', password: 'demo-producer-password', role: 'producer' },
  { email: 'member@demo.meshboard.local', name: 'Mo Member', password: 'demo-member-password', role: 'member' },
  { email: 'consumer@demo.meshboard.local', name: 'Cy Consumer', password: 'demo-consumer-password' },
];

const demoDomains = [
  { slug: 'sales', name: 'Sales', description: 'Orders, customers and invoices.', teams: [{ slug: 'sales-analytics', name: 'Sales Analytics' }, { slug: 'order-platform', name: 'Order Platform' }] },
  { slug: 'logistics', name: 'Logistics', description: 'Shipments, warehouses and carriers.', teams: [{ slug: 'fulfilment', name: 'Fulfilment' }] },
  { slug: 'finance', name: 'Finance', description: 'Ledger, payments and revenue reporting.', teams: [{ slug: 'controlling', name: 'Controlling' }] },
] as const;

/**
 * Loads the demo mesh (domains, teams, one user per role, ~20 products with contracts over the shipped
 * demo data files; `dataDir` overrides where those files are) into a store that has no domains and never
 * had the demo users, in one
 * transaction with audit events by `system:demo`. Returns whether it seeded anything.
 */
export async function seedDemo(db: Kysely<Database>, options: { dataDir?: string } = {}): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    // Servers starting together on one PostgreSQL database seed once: the second waits, then sees domains.
    await sql`select pg_advisory_xact_lock(7142002)`.execute(trx);
    if ((await trx.selectFrom('domains').select('id').limit(1).executeTakeFirst()) !== undefined) return false;
    // Seeded once, then emptied by its operators: do not bring the demo back.
    if ((await trx.selectFrom('users').select('id').where('email', 'in', demoUsers.map((user) => user.email)).executeTakeFirst()) !== undefined) return false;
    const services = createServices(trx);
    const actor = systemActor('demo');
    const domains = new Map<string, string>();
    const teams: string[] = [];
    for (const domain of demoDomains) {
      const created = await services.domains.create(actor, { slug: domain.slug, name: domain.name, description: domain.description });
      domains.set(domain.slug, created.id);
      for (const team of domain.teams) teams.push((await services.teams.create(actor, { ...team, domainId: created.id })).id);
    }
    await services.teams.create(actor, { slug: 'marketing-insights', name: 'Marketing Insights', description: 'A consuming team outside any domain.' });
    const sales = domains.get('sales') ?? '';
    for (const user of demoUsers) {
      await services.users.create(actor, {
        email: user.email,
        name: user.name,
        password: user.password,
        isAdmin: user.isAdmin ?? false,
        roles: user.role === undefined ? [] : [{ domainId: sales, role: user.role }],
        teamIds: user.role === undefined ? [] : teams.slice(0, 1),
      });
    }
    // The catalog: contracts first (products' output ports must name catalog contracts). Their servers
    // point at the CSVs shipped in packages/server/demo/data, resolved here, whatever the working directory.
    for (const product of demoProducts) await services.contracts.publish(actor, { document: demoContract(product, options.dataDir ?? demoDataDir) });
    for (const product of demoProducts) await services.products.publish(actor, { document: demoProductDocument(product) });
    await seedDemoBacklogs(services, actor);
    await seedDemoCrossDomain(trx, services, actor);
    await seedDemoProductLoop(trx, actor, new Date());
    await seedDemoRoadmap(services, actor, new Date());
    await seedDemoSprints(trx, actor, new Date());
    // What the seed itself did (requests filed, demands triaged) is history on the notifications page,
    // not news: the demo starts with a quiet bell, so the first unread notification is a user's own doing.
    await trx.updateTable('notifications').set({ read_at: new Date() }).where('read_at', 'is', null).execute();
    return true;
  });
}
