import { defaultIncidentThreshold, incidentStep, mergeEvidence, openBacklogStates, type Evidence } from '@meshboard/model';
import { sql, type Kysely, type Selectable } from 'kysely';
import { liveSubscriptionStatuses } from '../access/accessViews';
import { systemActor } from '../auth/Actor';
import type { CheckIncidentTable, Database, IncidentTimelineEntry } from '../store/Database';
import { newId } from '../store/newId';
import { BacklogService } from './BacklogService';
import { notify } from './NotificationService';

/**
 * Incidents to backlog (issue 6): a contract failing for N runs in a row (N per product, default
 * {@link defaultIncidentThreshold}) opens one incident per product offering it, filed as ONE defect item in
 * that product's backlog with the affected subscribers' teams and the failing runs as evidence; further
 * failures add to the open incident (count, last failure, run links); a passing run records the recovery.
 *
 * Decision: recovery notes the item (timeline entry and evidence link), it does not move it to done — the
 * root cause may still need work, and only people move items through the workflow. A new failure streak
 * while that item is still open adds to the same item instead of filing a duplicate.
 *
 * Called from the transaction that finishes a run, inside a savepoint: a problem here is reported to
 * `onError` and rolled back alone — the run still finishes with its verdict. One streak per product and
 * contract is guaranteed by the contract's transition lock (also taken by notifyCheckRunFinished) and the
 * partial unique index `check_incidents_open`.
 */

/** Run statuses that count as failing; `unknown` and unfinished runs are no verdict. */
const failing = new Set(['failed', 'error']);
const verdicts = ['passed', 'warning', 'failed', 'error'] as const;
const ownerRoles = ['data_product_owner', 'data_owner', 'producer'] as const;
/** Run links kept as evidence on one item; the incident timeline keeps every run. */
const maxRunLinks = 50;
/** The longest streak counted exactly (a longer one still counts as "at least"). */
const maxStreak = 100;

/** A finished run as the incident pass reads it. */
export interface FinishedRun {
  id: string;
  contractId: string;
  status: string;
  error: string | null;
}

/** Records the run's verdict in the incidents of the products offering its contract; never throws. */
export async function recordCheckIncidents(trx: Kysely<Database>, run: FinishedRun, onError: (error: unknown) => void = () => undefined): Promise<void> {
  if (!(verdicts as readonly string[]).includes(run.status)) return;
  await sql`savepoint check_incidents`.execute(trx);
  try {
    await applyIncidents(trx, run);
    await sql`release savepoint check_incidents`.execute(trx);
  } catch (error) {
    await sql`rollback to savepoint check_incidents`.execute(trx);
    onError(error);
  }
}

async function applyIncidents(trx: Kysely<Database>, run: FinishedRun): Promise<void> {
  // The same lock notifyCheckRunFinished takes (re-entrant within the transaction): runs of one contract
  // decide their incident steps one after the other.
  await sql`select pg_advisory_xact_lock(hashtext(${`check-transition:${run.contractId}`}))`.execute(trx);
  const recent = await trx.selectFrom('check_runs').select(['id', 'status']).where('contract_id', '=', run.contractId).where('id', '<=', run.id).where('status', 'in', verdicts).orderBy('id', 'desc').limit(maxStreak).execute();
  const streakRuns: { id: string; status: string }[] = [];
  for (const row of recent) {
    if (!failing.has(row.status)) break;
    streakRuns.push(row);
  }
  const contract = await trx.selectFrom('contracts').select(['id', 'name']).where('id', '=', run.contractId).executeTakeFirst();
  if (contract === undefined) return;
  const products = await trx
    .selectFrom('product_output_ports as p')
    .innerJoin('products as pr', 'pr.id', 'p.product_id')
    .leftJoin('product_lifecycles as l', 'l.product_id', 'pr.id')
    .select(['pr.id', 'pr.name', 'pr.domain_id', 'l.incident_threshold'])
    .distinct()
    .where('p.contract_id', '=', run.contractId)
    .where('pr.status', '<>', 'retired')
    .orderBy('pr.id')
    .execute();
  const at = new Date().toISOString();
  for (const product of products) {
    const open = await trx.selectFrom('check_incidents').selectAll().where('product_id', '=', product.id).where('contract_id', '=', contract.id).where('state', '=', 'open').forUpdate().executeTakeFirst();
    const step = incidentStep({ consecutiveFailures: streakRuns.length, threshold: product.incident_threshold ?? defaultIncidentThreshold, open: open !== undefined });
    switch (step) {
      case 'none':
        break;
      case 'open':
        await openIncident(trx, { product, contract, run, streakRuns, at });
        break;
      case 'update':
        if (open !== undefined) await addFailure(trx, { incident: open, contract, run, at });
        break;
      case 'recover':
        if (open !== undefined) await recover(trx, { incident: open, product, contract, run, at });
        break;
    }
  }
}

const runsInARow = (count: number): string => (count === 1 ? '1 run' : `${count} runs in a row`);

const runLink = (contractId: string, runId: string): string => `/contracts/${contractId}#run-${runId}`;

function runEvidence(contractId: string, run: { id: string; status: string }, at: string, what: string): Evidence {
  return { kind: 'url', ref: runLink(contractId, run.id), note: `${what}: run ${run.status} (${at.slice(0, 16).replace('T', ' ')} UTC)`, teamId: null };
}

/** The live subscribers of a product, each with the teams they belong to, as evidence of who is affected. */
async function subscriberEvidence(trx: Kysely<Database>, productId: string): Promise<Evidence[]> {
  const rows = await trx
    .selectFrom('subscriptions as s')
    .innerJoin('users as u', 'u.id', 's.consumer_id')
    .leftJoin('team_members as m', 'm.user_id', 's.consumer_id')
    .leftJoin('teams as t', 't.id', 'm.team_id')
    .select(['s.request_id', 's.port_name', 'u.name as user_name', 't.id as team_id', 't.name as team_name'])
    .where('s.product_id', '=', productId)
    .where('s.status', 'in', liveSubscriptionStatuses)
    .orderBy('s.request_id')
    .orderBy('t.name')
    .limit(100)
    .execute();
  // One entry per subscription (mergeEvidence keys on kind and ref); the consumer's first team speaks for it.
  const seen = new Set<string>();
  const evidence: Evidence[] = [];
  for (const row of rows) {
    if (seen.has(row.request_id)) continue;
    seen.add(row.request_id);
    evidence.push({ kind: 'access-request', ref: row.request_id, note: `Affected subscriber: ${row.user_name}${row.team_name === null ? '' : ` (${row.team_name})`} reads port ${row.port_name}`, teamId: row.team_id });
  }
  return evidence;
}

async function tellOwners(trx: Kysely<Database>, product: { id: string; domain_id: string }, message: { kind: string; title: string; body: string; itemId: string | null }): Promise<void> {
  const owners = await trx.selectFrom('domain_roles').select('user_id').distinct().where('domain_id', '=', product.domain_id).where('role', 'in', ownerRoles).execute();
  await notify(
    trx,
    owners.map((owner) => ({
      userId: owner.user_id,
      kind: message.kind,
      title: message.title,
      body: message.body,
      link: message.itemId === null ? `/products/${product.id}/backlog` : `/products/${product.id}/backlog?item=${message.itemId}`,
      entityType: 'product',
      entityId: product.id,
    })),
  );
}

/** Adds evidence to an item through the backlog service (audited, versioned), as the system. */
async function addEvidence(trx: Kysely<Database>, itemId: string, evidence: Evidence[]): Promise<void> {
  const item = await trx.selectFrom('backlog_items').select(['version', 'evidence']).where('id', '=', itemId).forUpdate().executeTakeFirst();
  if (item === undefined) return;
  const current = Array.isArray(item.evidence) ? (item.evidence as unknown as Evidence[]) : [];
  const runLinks = current.filter((entry) => entry.kind === 'url' && entry.ref.includes('#run-')).length;
  const wanted = evidence.filter((entry) => !(entry.kind === 'url' && entry.ref.includes('#run-')) || runLinks < maxRunLinks);
  const merged = mergeEvidence(current, wanted);
  if (merged.length === current.length) return;
  await new BacklogService(trx).update(systemActor('incidents'), { id: itemId, expectedVersion: item.version, patch: { evidence: merged } });
}

async function openIncident(
  trx: Kysely<Database>,
  input: { product: { id: string; name: string; domain_id: string }; contract: { id: string; name: string }; run: FinishedRun; streakRuns: { id: string; status: string }[]; at: string },
): Promise<void> {
  const { product, contract, run, streakRuns, at } = input;
  const oldestFirst = [...streakRuns].reverse();
  const evidence = [...oldestFirst.map((entry) => runEvidence(contract.id, entry, at, 'Failing')), ...(await subscriberEvidence(trx, product.id))];
  // A previous incident's item still open: the new streak adds to it instead of filing a duplicate defect.
  const reusable = await trx
    .selectFrom('check_incidents as i')
    .innerJoin('backlog_items as b', 'b.id', 'i.backlog_item_id')
    .select(['b.id'])
    .where('i.product_id', '=', product.id)
    .where('i.contract_id', '=', contract.id)
    .where('b.state', 'in', openBacklogStates)
    .orderBy('i.opened_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  let itemId: string;
  if (reusable !== undefined) {
    itemId = reusable.id;
    await addEvidence(trx, itemId, evidence);
  } else {
    const item = await new BacklogService(trx).create(systemActor('incidents'), product.id, {
      kind: 'defect',
      title: `Checks of ${contract.name} are failing`.slice(0, 300),
      description: [
        `The checks of contract ${contract.name} failed ${runsInARow(streakRuns.length)}${run.error === null ? '' : ` (latest: ${run.error})`}.`,
        'Meshboard opened this defect and keeps it up to date: every further failing run is added as evidence, and the recovery is noted when the checks pass again.',
        `The incident timeline is on this item; the runs are on /contracts/${contract.id}.`,
      ].join('\n\n'),
      labels: ['incident'],
      evidence,
    });
    itemId = item.id;
  }
  const timeline: IncidentTimelineEntry[] = [...oldestFirst.map((entry) => ({ kind: 'failed' as const, runId: entry.id, status: entry.status, at })), { kind: 'opened', runId: run.id, status: run.status, at }];
  await trx.insertInto('check_incidents').values({ id: newId(), product_id: product.id, contract_id: contract.id, backlog_item_id: itemId, state: 'open', failures: streakRuns.length, timeline: JSON.stringify(timeline) }).execute();
  const number = (await trx.selectFrom('backlog_items').select('number').where('id', '=', itemId).executeTakeFirst())?.number;
  await tellOwners(trx, product, {
    kind: 'incident.opened',
    title: `Incident: checks of ${contract.name} failed ${runsInARow(streakRuns.length)}`,
    body: `${product.name}: ${reusable === undefined ? 'filed as' : 'added to'} backlog defect #${number ?? '?'}.`,
    itemId,
  });
}

async function addFailure(trx: Kysely<Database>, input: { incident: CheckIncidentRow; contract: { id: string }; run: FinishedRun; at: string }): Promise<void> {
  const { incident, contract, run, at } = input;
  const timeline = [...(incident.timeline ?? []), { kind: 'failed' as const, runId: run.id, status: run.status, at }];
  await trx.updateTable('check_incidents').set({ failures: incident.failures + 1, last_failed_at: at, timeline: JSON.stringify(timeline) }).where('id', '=', incident.id).execute();
  if (incident.backlog_item_id !== null) await addEvidence(trx, incident.backlog_item_id, [runEvidence(contract.id, run, at, 'Still failing')]);
}

async function recover(trx: Kysely<Database>, input: { incident: CheckIncidentRow; product: { id: string; name: string; domain_id: string }; contract: { id: string; name: string }; run: FinishedRun; at: string }): Promise<void> {
  const { incident, product, contract, run, at } = input;
  const timeline = [...(incident.timeline ?? []), { kind: 'recovered' as const, runId: run.id, status: run.status, at }];
  await trx.updateTable('check_incidents').set({ state: 'recovered', recovered_at: at, timeline: JSON.stringify(timeline) }).where('id', '=', incident.id).execute();
  if (incident.backlog_item_id !== null) await addEvidence(trx, incident.backlog_item_id, [runEvidence(contract.id, run, at, 'Recovered')]);
  await tellOwners(trx, product, {
    kind: 'incident.recovered',
    title: `Checks of ${contract.name} recovered after ${incident.failures} failing run${incident.failures === 1 ? '' : 's'}`,
    body: `${product.name}: the recovery is noted on the backlog defect; close it when the cause is dealt with.`,
    itemId: incident.backlog_item_id,
  });
}

type CheckIncidentRow = Selectable<CheckIncidentTable>;
