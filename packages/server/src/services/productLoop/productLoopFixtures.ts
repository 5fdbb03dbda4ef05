import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { systemActor, type Actor } from '../../auth/Actor';
import type { Database, DomainRole } from '../../store/Database';
import { newId } from '../../store/newId';
import { ContractService } from '../ContractService';
import { DomainService } from '../DomainService';
import { demoContract, demoDataDir, demoProductDocument, demoProducts } from '../demoCatalog';
import { ProductService } from '../ProductService';

/** A product published for a test, in a domain of its own unless one is given. */
export interface FixtureProduct {
  id: string;
  externalId: string;
  domainId: string;
  domainSlug: string;
  port: string;
  contractId: string;
}

/** An actor holding `role` in `domainId` (null: no role anywhere). */
export function actorIn(domainId: string | null, role: DomainRole = 'producer'): Actor {
  return { userId: null, label: `tester-${role}@test`, isAdmin: false, domainRoles: new Map(domainId === null ? [] : [[domainId, new Set([role])]]) };
}

/**
 * Test factory: publishes a contract and a product (modelled on the first demo product) through the
 * catalog services, in a new domain unless `domain` names an existing one.
 */
export async function publishFixtureProduct(db: Kysely<Database>, domain?: { id: string; slug: string }): Promise<FixtureProduct> {
  const actor = systemActor('test');
  const owning = domain ?? (await new DomainService(db).create(actor, { slug: `loop-${randomUUID().slice(0, 8)}`, name: 'Loop test domain' }));
  const base = demoProducts[0];
  if (base === undefined) throw new Error('the demo catalog is empty');
  const suffix = newId().slice(-12);
  const contractId = `test.loop-${suffix}-contract`;
  const externalId = `test.loop-${suffix}`;
  const port = `port-${suffix}`;
  // Without the demo's team: the test domain has no teams.
  const { team: _contractTeam, ...contractDocument } = demoContract(base, demoDataDir);
  const contract = await new ContractService(db).publish(actor, { document: { ...contractDocument, id: contractId, domain: owning.slug } });
  const { team: _productTeam, ...productDocument } = demoProductDocument(base);
  const product = await new ProductService(db).publish(actor, {
    document: { ...productDocument, id: externalId, domain: owning.slug, outputPorts: [{ name: port, version: '1.0.0', contractId, type: 'tables' }] },
  });
  return { id: product.item.id, externalId, domainId: owning.id, domainSlug: owning.slug, port, contractId: contract.item.id };
}

/** Inserts a finished check run of `contractId` at `finishedAt` with results of the given statuses. */
export async function insertFinishedRun(db: Kysely<Database>, options: { contractId: string; finishedAt: string; results: { status: 'passed' | 'failed' | 'warning' | 'error'; category?: string }[] }): Promise<void> {
  const id = newId();
  await db
    .insertInto('check_runs')
    .values({ id, contract_id: options.contractId, contract_version: '1.0.0', server: 'demo', trigger: 'api', status: 'failed', queued_at: options.finishedAt, started_at: options.finishedAt, finished_at: options.finishedAt })
    .execute();
  await db
    .insertInto('check_results')
    .values(options.results.map((result, index) => ({ run_id: id, check_key: `check-${index}`, status: result.status, category: result.category ?? 'schema', measured: null, details: null })))
    .execute();
}
