import { sql, type Kysely } from 'kysely';
import type { Database, LifecycleStatus, SubscriptionStatus } from '../store/Database';
import { planSentence } from './deprecationPlan';
import { notify, type NotificationInput } from './NotificationService';

/**
 * Catalog notifications (issue 5): subscribers hear about new versions, deprecations and failing checks of
 * the products they use; a domain's owners hear about failing checks. Every function writes inside the
 * caller's transaction (the message exists exactly when the change commits) and never notifies the user
 * who made the change (`actorId`).
 */

/** Subscription states that still bind a consumer to a product (the same set SubscriptionService treats as live). */
export const liveStatuses: SubscriptionStatus[] = ['granting', 'active', 'grant_failed'];
/** Domain roles that answer for a domain's contracts and hear about their failing checks. */
const ownerRoles = ['data_product_owner', 'data_owner', 'producer'] as const;
/** Run statuses that count as a failing contract. */
const failing = new Set<string>(['failed', 'error']);
/** Run statuses that are verdicts; `unknown` (nothing could be judged) and unfinished runs are skipped. */
const verdicts = ['passed', 'warning', 'failed', 'error'] as const;

/** The distinct consumers with a live subscription to any of `productIds`, per product. */
async function subscribersOf(trx: Kysely<Database>, productIds: readonly string[]): Promise<{ consumer_id: string; product_id: string }[]> {
  if (productIds.length === 0) return [];
  return trx.selectFrom('subscriptions').select(['consumer_id', 'product_id']).distinct().where('product_id', 'in', productIds).where('status', 'in', liveStatuses).execute();
}

/** The products whose output ports are bound to the contract. */
async function productsOffering(trx: Kysely<Database>, contractId: string): Promise<{ id: string; name: string }[]> {
  return trx.selectFrom('product_output_ports as p').innerJoin('products as pr', 'pr.id', 'p.product_id').select(['pr.id', 'pr.name']).distinct().where('p.contract_id', '=', contractId).orderBy('pr.name').execute();
}

function withoutActor(inputs: NotificationInput[], actorId: string | null): NotificationInput[] {
  return inputs.filter((input) => input.userId !== actorId);
}

/** A product as it was before and after a publish (the columns the notifications read). */
export interface PublishedProduct {
  id: string;
  name: string;
  productVersion: string;
  status: LifecycleStatus;
}

/**
 * After a product publish: `product.version` when the product's version changed (body: the change
 * classification), `product.deprecated` / `product.retired` when the status became one of those. A
 * revision under the same version and other status changes notify no one.
 */
export async function notifyProductPublished(
  trx: Kysely<Database>,
  input: { actorId: string | null; before: PublishedProduct; after: PublishedProduct; changeKind: 'breaking' | 'non-breaking' },
): Promise<void> {
  const { before, after } = input;
  const messages: Omit<NotificationInput, 'userId'>[] = [];
  const link = `/products/${after.id}`;
  if (after.productVersion !== before.productVersion) {
    messages.push({
      kind: 'product.version',
      title: `${after.name} ${after.productVersion} is published`,
      body: `${input.changeKind === 'breaking' ? 'Breaking' : 'Non-breaking'} change from ${before.productVersion}.`,
      link,
      entityType: 'product',
      entityId: after.id,
    });
  }
  if (after.status !== before.status && (after.status === 'deprecated' || after.status === 'retired')) {
    messages.push({
      kind: `product.${after.status}`,
      title: `${after.name} is ${after.status}`,
      // A deprecation announced through the lifecycle API carries its plan (sunset date, replacement).
      body: after.status === 'deprecated' ? `The owners plan to retire this product. ${(await planSentence(trx, after.id)) || 'Look for its successor.'}` : 'This product is no longer offered.',
      link,
      entityType: 'product',
      entityId: after.id,
    });
  }
  if (messages.length === 0) return;
  const consumers = [...new Set((await subscribersOf(trx, [after.id])).map((row) => row.consumer_id))];
  await notify(trx, withoutActor(consumers.flatMap((userId) => messages.map((message) => ({ ...message, userId }))), input.actorId));
}

/**
 * After a contract publish: `contract.version` to the subscribers of every product whose output port is
 * bound to the contract, when the contract's version changed or a breaking change was forced under the
 * same version. The title says "breaking" when the diff is breaking.
 */
export async function notifyContractPublished(
  trx: Kysely<Database>,
  input: { actorId: string | null; contract: { id: string; name: string }; beforeVersion: string; afterVersion: string; changeKind: 'breaking' | 'non-breaking' },
): Promise<void> {
  const breaking = input.changeKind === 'breaking';
  if (input.afterVersion === input.beforeVersion && !breaking) return;
  const products = await productsOffering(trx, input.contract.id);
  const names = new Map(products.map((product) => [product.id, product.name]));
  const subscribers = await subscribersOf(trx, products.map((product) => product.id));
  const byConsumer = new Map<string, string[]>();
  for (const row of subscribers) byConsumer.set(row.consumer_id, [...(byConsumer.get(row.consumer_id) ?? []), names.get(row.product_id) ?? row.product_id]);
  const inputs = [...byConsumer].map(([userId, productNames]) => ({
    userId,
    kind: 'contract.version',
    title: `${breaking ? 'Breaking change: ' : ''}contract ${input.contract.name} ${input.afterVersion} is published`,
    body: `${breaking ? 'Breaking' : 'Non-breaking'} change from ${input.beforeVersion}; it describes ${productNames.sort().join(', ')}.`,
    link: `/contracts/${input.contract.id}`,
    entityType: 'contract',
    entityId: input.contract.id,
  }));
  await notify(trx, withoutActor(inputs, input.actorId));
}

/**
 * After a check run finished: `check.failed` when it failed or errored and the previous verdict of the
 * contract (the newest earlier-queued run with a verdict; none: no notification) did not; `check.recovered` when it passed (or
 * only warned) after a failing verdict. Goes to the subscribers of the products offering the contract
 * and to the owners (data product owner, data owner, producer) of the contract's domain, not to the user
 * who requested the run. Run order is the time-ordered run id, as on the contract page.
 */
export async function notifyCheckRunFinished(trx: Kysely<Database>, run: { id: string; contractId: string; status: string; requestedBy: string | null; error: string | null }): Promise<void> {
  if (!(verdicts as readonly string[]).includes(run.status)) return;
  // Runs of one contract finishing together decide their transitions one after the other: the second
  // reads the first's committed verdict (READ COMMITTED, fresh statement after the lock). Two runs
  // finishing together out of queue order may still both announce the same transition.
  await sql`select pg_advisory_xact_lock(hashtext(${`check-transition:${run.contractId}`}))`.execute(trx);
  const previous = await trx
    .selectFrom('check_runs')
    .select('status')
    .where('contract_id', '=', run.contractId)
    .where('id', '<', run.id)
    .where('status', 'in', verdicts)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  // A contract's first verdict is its baseline, not a change: it notifies no one (the demo's start-up
  // runs would otherwise greet every owner with failures they never saw pass).
  if (previous === undefined) return;
  const nowFailing = failing.has(run.status);
  const wasFailing = failing.has(previous.status);
  if (nowFailing === wasFailing) return;
  const contract = await trx.selectFrom('contracts').select(['id', 'name', 'domain_id']).where('id', '=', run.contractId).executeTakeFirst();
  if (contract === undefined) return;
  let body: string;
  if (nowFailing) {
    const failed = await trx.selectFrom('check_results').select(['name', 'status']).where('run_id', '=', run.id).where('status', 'in', ['failed', 'error']).orderBy('position').execute();
    const named = failed.map((check) => `${check.name}${check.status === 'error' ? ' (error)' : ''}`);
    body = named.length > 0 ? `Failing: ${named.slice(0, 10).join('; ')}${named.length > 10 ? `; and ${named.length - 10} more` : ''}.` : `The run could not check the data: ${run.error ?? 'unknown reason'}.`;
  } else {
    body = 'The latest run passed again.';
  }
  const products = await productsOffering(trx, contract.id);
  const consumers = (await subscribersOf(trx, products.map((product) => product.id))).map((row) => row.consumer_id);
  const owners = (await trx.selectFrom('domain_roles').select('user_id').where('domain_id', '=', contract.domain_id).where('role', 'in', ownerRoles).execute()).map((row) => row.user_id);
  const recipients = [...new Set([...owners, ...consumers])];
  await notify(
    trx,
    withoutActor(
      recipients.map((userId) => ({
        userId,
        kind: nowFailing ? 'check.failed' : 'check.recovered',
        title: nowFailing ? `Checks of ${contract.name} are ${run.status === 'error' ? 'in error' : 'failing'}` : `Checks of ${contract.name} recovered`,
        body,
        link: `/contracts/${contract.id}`,
        entityType: 'contract',
        entityId: contract.id,
      })),
      run.requestedBy,
    ),
  );
}
