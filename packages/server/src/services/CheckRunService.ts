import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createConnectorFactory, connectorAnswer, runContract, type CheckResult, type ConnectorFactory, type RunResult } from '@meshboard/checks';
import { parseOdcsContract } from '@meshboard/model';
import { sql, type Kysely, type Selectable } from 'kysely';
import { systemActor, type Actor } from '../auth/Actor';
import { requireDomainRole } from '../auth/authorize';
import { InputError, NotFoundError } from '../errors/errors';
import { recordAudit } from '../store/auditLog';
import { domainRoles, type CheckResultTable, type CheckRunStatus, type CheckRunTable, type CheckRunTrigger, type Database, type JsonValue } from '../store/Database';
import { newId } from '../store/newId';
import { decodeCursor, toPage, type Page } from '../store/pagination';
import { inTransaction } from './inTransaction';
import { isUuid, listLimit, type ListRequest } from './listRequest';
import { refreshSearchStates } from './searchIndex';
import { notifyCheckRunFinished } from './catalogNotifications';
import { refreshCostOfDelayForContract } from './backlogCostOfDelay';
import { recordCheckIncidents } from './checkIncidents';

/** A check run on the wire (without its results). */
export interface CheckRunView {
  id: string;
  contractId: string;
  contractVersion: string;
  server: string;
  trigger: CheckRunTrigger;
  status: CheckRunStatus;
  requestedBy: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  summary: JsonValue | null;
  error: string | null;
}

/** One stored check result on the wire. */
export interface CheckResultView {
  key: string;
  name: string;
  category: string;
  result: CheckResultTable['status'];
  measured: number | string | null;
  expected: string | null;
  unit: string | null;
  message: string;
  samples: JsonValue;
  details: JsonValue | null;
}

/** A run with its results in engine order. */
export interface CheckRunDetailView extends CheckRunView {
  results: CheckResultView[];
}

/** A check's latest result with the run it came from. */
export interface LatestResultView extends CheckResultView {
  runId: string;
  server: string;
  contractVersion: string;
  finishedAt: string;
}

/** One point of a check's trend. */
export interface CheckHistoryPoint {
  runId: string;
  server: string;
  contractVersion: string;
  finishedAt: string;
  result: CheckResultTable['status'];
  measured: number | string | null;
  expected: string | null;
  unit: string | null;
}

/** Compliance of one SLA check over a period. */
export interface SlaComplianceView {
  key: string;
  name: string;
  /** Finished runs in the period whose verdict counts: passed + warning + failed. */
  evaluated: number;
  passed: number;
  /** Runs in which the check could not be measured (error); not in the denominator. */
  errored: number;
  /** passed ÷ evaluated × 100, rounded to 2 decimals; null when nothing was evaluated. */
  compliancePercent: number | null;
  lastResult: CheckResultTable['status'] | null;
}

/** Hands a queued run to whatever executes it (the job queue in the server; in-process otherwise). */
export type CheckRunDispatcher = (runId: string) => Promise<void>;

/** Where runs read data and credentials from. */
export interface CheckRunOptions {
  /** Relative file paths in contract servers resolve against this directory; paths outside it are refused. */
  dataRoot: string;
  /** Further directories that absolute server paths may read (the demo mesh's shipped data files). */
  extraRoots?: readonly string[];
  /** Environment for connector credentials (MESHBOARD_POSTGRES_USER / _PASSWORD, PGUSER / PGPASSWORD). */
  env: Record<string, string | undefined>;
  /** Timeout of each custom SQL rule (default 60 s). */
  sqlTimeoutMs?: number;
  /** Where a failure of an in-process background run is reported (the store went away mid-run). */
  onError?: (error: unknown) => void;
  /** Replaces the connector factory (tests); the data-root guard still applies. */
  connectorFactory?: ConnectorFactory;
}

type RunRow = Selectable<CheckRunTable>;
type ResultRow = Selectable<CheckResultTable>;

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());
const finishedStatuses: CheckRunStatus[] = ['passed', 'warning', 'failed', 'error', 'unknown'];

function presentRun(row: RunRow): CheckRunView {
  return {
    id: row.id,
    contractId: row.contract_id,
    contractVersion: row.contract_version,
    server: row.server,
    trigger: row.trigger,
    status: row.status,
    requestedBy: row.requested_by,
    queuedAt: row.queued_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    summary: row.summary,
    error: row.error,
  };
}

function presentResult(row: ResultRow): CheckResultView {
  return {
    key: row.check_key,
    name: row.name,
    category: row.category,
    result: row.status,
    measured: row.measured ?? row.measured_text,
    expected: row.expected,
    unit: row.unit,
    message: row.message,
    samples: row.samples,
    details: row.details,
  };
}

/**
 * Refuses local/duckdb servers whose file paths leave the data root and the extra roots (absolute paths
 * elsewhere, `..`), so a contract author cannot make the server read arbitrary files; relative paths
 * resolve against the data root.
 */
export function guardDataRoot(dataRoot: string, factory: ConnectorFactory, extraRoots: readonly string[] = []): ConnectorFactory {
  const root = resolve(dataRoot);
  const roots = [root, ...extraRoots.map((extra) => resolve(extra))];
  const inside = (base: string, target: string): boolean => {
    const rel = relative(base, target);
    return !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
  };
  return async (server) => {
    if (server.type === 'local' || server.type === 'duckdb') {
      for (const field of ['path', 'database'] as const) {
        const value = (server as Record<string, unknown>)[field];
        if (typeof value !== 'string') continue;
        const target = resolve(root, value);
        if (!roots.some((base) => inside(base, target))) {
          return connectorAnswer.error(`the server's ${field} "${value}" is outside the server's data root (${root}); see MESHBOARD_DATA_ROOT`);
        }
      }
    }
    return factory(server);
  };
}

function summarize(result: RunResult): JsonValue {
  const counts: Record<string, number> = { passed: 0, warning: 0, failed: 0, error: 0, skipped: 0 };
  for (const check of result.checks) counts[check.result] = (counts[check.result] ?? 0) + 1;
  return { result: result.result, total: result.checks.length, durationMs: result.durationMs, ...counts };
}

function uniqueKeys(checks: readonly CheckResult[]): string[] {
  const seen = new Map<string, number>();
  return checks.map((check) => {
    const count = (seen.get(check.id) ?? 0) + 1;
    seen.set(check.id, count);
    return count === 1 ? check.id : `${check.id}#${count}`;
  });
}

/**
 * Check runs: trigger (authorised by the contract's domain), execute with the check engine, store the
 * run and one row per check with its audit event in one transaction, and answer the reads trends and
 * SLA compliance are made of. Executing claims a queued run atomically, so a run executes at most once.
 */
export class CheckRunService {
  private readonly connectorFactory: ConnectorFactory;
  private dispatcher: CheckRunDispatcher;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: CheckRunOptions,
  ) {
    this.connectorFactory = guardDataRoot(
      options.dataRoot,
      options.connectorFactory ?? createConnectorFactory({ workingDir: resolve(options.dataRoot), env: options.env }),
      options.extraRoots,
    );
    this.dispatcher = async (runId) => {
      // A run that could not be finished stays `running` and is marked `error` at the next start.
      this.execute(runId).catch((error: unknown) => options.onError?.(error));
    };
  }

  /** Sets who executes queued runs (the server's job queue); the default executes in this process. */
  useDispatcher(dispatcher: CheckRunDispatcher): void {
    this.dispatcher = dispatcher;
  }

  private async contract(db: Kysely<Database>, id: string) {
    const row = isUuid(id) ? await db.selectFrom('contracts').select(['id', 'domain_id', 'current_version', 'document']).where('id', '=', id).executeTakeFirst() : undefined;
    if (row === undefined) throw new NotFoundError(`No contract with id ${id}.`);
    return row;
  }

  /**
   * Queues a run of the contract's current version on `server` (its first server when omitted) and
   * records the audit event in the same transaction. Needs a role in the contract's domain unless the
   * actor is the scheduler.
   */
  async create(actor: Actor, input: { contractId: string; server?: string | undefined; trigger: CheckRunTrigger }): Promise<CheckRunView> {
    return inTransaction(this.db, async (trx) => {
      const contract = await this.contract(trx, input.contractId);
      requireDomainRole(actor, { domainId: contract.domain_id, roles: domainRoles, action: 'run the checks of this contract' });
      const version = await trx
        .selectFrom('contract_versions')
        .select(['contract_version', 'document'])
        .where('contract_id', '=', contract.id)
        .where('contract_version', '=', contract.current_version)
        // A version may have several revisions (a non-breaking re-publish); the newest is the one in force.
        .orderBy('revision', 'desc')
        .executeTakeFirst();
      const document = version?.document ?? contract.document;
      const listed = typeof document === 'object' && document !== null && !Array.isArray(document) ? document.servers : undefined;
      const servers = Array.isArray(listed)
        ? listed.flatMap((s) => (typeof s === 'object' && s !== null && !Array.isArray(s) && typeof s.server === 'string' && s.server !== '' ? [s.server] : []))
        : [];
      const server = input.server ?? servers[0];
      if (server === undefined) throw new InputError('The contract has no servers[] to check.', [{ pointer: '/server', detail: 'Add a server to the contract.' }]);
      if (!servers.includes(server)) {
        throw new InputError(`The contract has no server named "${server}".`, [{ pointer: '/server', detail: `Known servers: ${servers.join(', ') || 'none'}.` }]);
      }
      const row = await trx
        .insertInto('check_runs')
        .values({ id: newId(), contract_id: contract.id, contract_version: contract.current_version, server, trigger: input.trigger, status: 'queued', requested_by: actor.userId, summary: null, error: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      const view = presentRun(row);
      await recordAudit(trx, actor, { action: 'check_run.create', entityType: 'check_run', entityId: row.id, before: null, after: { ...view } });
      return view;
    });
  }

  /** Queues a run and hands it to the dispatcher (202 semantics). */
  async trigger(actor: Actor, input: { contractId: string; server?: string | undefined; trigger: CheckRunTrigger }): Promise<CheckRunView> {
    const run = await this.create(actor, input);
    await this.dispatcher(run.id);
    return run;
  }

  /** Queues and executes a run in this call (the `?wait=true` path and scheduled jobs). */
  async runNow(actor: Actor, input: { contractId: string; server?: string | undefined; trigger: CheckRunTrigger }): Promise<CheckRunDetailView> {
    const run = await this.create(actor, input);
    await this.execute(run.id);
    return this.get(run.id);
  }

  /**
   * Executes a queued run: claims it (`queued` → `running`; a run someone else claimed is left alone and
   * `false` returned), runs the engine on the stored contract version, then stores status, timings,
   * summary, every check result and the audit event in one transaction. Never throws for a bad contract
   * or unreachable data: those end the run as `error` with the reason.
   */
  async execute(runId: string): Promise<boolean> {
    const claimed = await this.db
      .updateTable('check_runs')
      .set({ status: 'running', started_at: sql<Date>`now()` })
      .where('id', '=', runId)
      .where('status', '=', 'queued')
      .returningAll()
      .executeTakeFirst();
    if (claimed === undefined) return false;
    let outcome: { result?: RunResult; error?: string };
    try {
      const version = await this.db
        .selectFrom('contract_versions')
        .select('document')
        .where('contract_id', '=', claimed.contract_id)
        .where('contract_version', '=', claimed.contract_version)
        .orderBy('revision', 'desc')
        .executeTakeFirst();
      const document = version?.document ?? (await this.db.selectFrom('contracts').select('document').where('id', '=', claimed.contract_id).executeTakeFirst())?.document;
      const parsed = parseOdcsContract(document);
      if (!parsed.ok) {
        outcome = { error: `the stored contract cannot be checked: ${parsed.issues.map((i) => `${i.pointer}: ${i.message}`).join('; ')}` };
      } else {
        outcome = {
          result: await runContract({
            contract: parsed.contract,
            serverName: claimed.server,
            connectorFactory: this.connectorFactory,
            sqlTimeoutMs: this.options.sqlTimeoutMs,
          }),
        };
      }
    } catch (error) {
      outcome = { error: `the run failed unexpectedly: ${error instanceof Error ? error.message : String(error)}` };
    }
    await this.finish(claimed, outcome);
    return true;
  }

  private async finish(run: RunRow, outcome: { result?: RunResult; error?: string }): Promise<void> {
    const { result } = outcome;
    const configurationError = result?.checks.length === 1 && result.checks[0]?.id === 'run.configuration' ? result.checks[0].message : undefined;
    const error = outcome.error ?? configurationError ?? null;
    await inTransaction(this.db, async (trx) => {
      const row = await trx
        .updateTable('check_runs')
        .set({ status: result?.result ?? 'error', finished_at: sql<Date>`now()`, summary: result === undefined ? null : JSON.stringify(summarize(result)), error })
        .where('id', '=', run.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (result !== undefined && result.checks.length > 0) {
        const keys = uniqueKeys(result.checks);
        const rows = result.checks.map((check, index) => ({
          run_id: run.id,
          check_key: keys[index] ?? check.id,
          status: check.result,
          position: index,
          name: check.name,
          category: check.category,
          measured: typeof check.measured === 'number' && Number.isFinite(check.measured) ? check.measured : null,
          measured_text: typeof check.measured === 'string' ? check.measured : null,
          expected: check.expected,
          unit: check.unit,
          message: check.message,
          samples: JSON.stringify(check.samples),
          details: JSON.stringify({ type: check.type, object: check.object, property: check.property, dimension: check.dimension, severity: check.severity }),
        }));
        for (let start = 0; start < rows.length; start += 500) await trx.insertInto('check_results').values(rows.slice(start, start + 500)).execute();
      }
      // The search facets' quality and SLA states commit with the run that changes them.
      await refreshSearchStates(trx, { contractIds: [run.contract_id] });
      const actor = systemActor(run.trigger === 'scheduled' ? 'scheduler' : 'check-runner');
      // Subscribers and the domain's owners hear about a failing contract on the transition only.
      await notifyCheckRunFinished(trx, { id: row.id, contractId: row.contract_id, status: row.status, requestedBy: row.requested_by, error: row.error });
      // Failing streaks become one backlog defect per product (issue 6); a few indexed queries, same transaction.
      await recordCheckIncidents(trx, { id: row.id, contractId: row.contract_id, status: row.status, error: row.error }, (error) => this.options.onError?.(error));
      // Measured cost of delay (issue 6): the products' open items re-read their SLA breach time, same transaction.
      await refreshCostOfDelayForContract(trx, row.contract_id, (error) => this.options.onError?.(error));
      await recordAudit(trx, actor, { action: 'check_run.finish', entityType: 'check_run', entityId: run.id, before: { status: run.status }, after: { ...presentRun(row) } });
    });
  }

  /** Marks runs left `running` by a process that died as `error`, so they do not stay running forever. */
  async failAbandoned(olderThanMinutes: number): Promise<number> {
    return inTransaction(this.db, async (trx) => {
      const rows = await trx
        .updateTable('check_runs')
        .set({ status: 'error', finished_at: sql<Date>`now()`, error: 'the process running this check run stopped before it finished' })
        .where('status', '=', 'running')
        .where('started_at', '<', sql<Date>`now() - make_interval(mins => ${olderThanMinutes})`)
        .returning(['id', 'contract_id', 'status', 'requested_by', 'error'])
        .execute();
      if (rows.length > 0) await refreshSearchStates(trx, { contractIds: rows.map((row) => row.contract_id) });
      for (const row of [...rows].sort((a, b) => a.id.localeCompare(b.id))) {
        await notifyCheckRunFinished(trx, { id: row.id, contractId: row.contract_id, status: row.status, requestedBy: row.requested_by, error: row.error });
        await recordCheckIncidents(trx, { id: row.id, contractId: row.contract_id, status: row.status, error: row.error }, (error) => this.options.onError?.(error));
      }
      return rows.length;
    });
  }

  /** The runs of a contract, newest first (keyset on the time-ordered run id). */
  async list(contractId: string, request: ListRequest): Promise<Page<CheckRunView>> {
    await this.contract(this.db, contractId);
    const limit = listLimit(request);
    let query = this.db.selectFrom('check_runs').selectAll().where('contract_id', '=', contractId).orderBy('id', 'desc').limit(limit + 1);
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!isUuid(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('id', '<', after);
    }
    const page = toPage(await query.execute(), limit, (row) => row.id);
    return { items: page.items.map(presentRun), nextCursor: page.nextCursor };
  }

  /** One run with its results in engine order, or {@link NotFoundError}. */
  async get(runId: string): Promise<CheckRunDetailView> {
    const row = isUuid(runId) ? await this.db.selectFrom('check_runs').selectAll().where('id', '=', runId).executeTakeFirst() : undefined;
    if (row === undefined) throw new NotFoundError(`No check run with id ${runId}.`);
    const results = await this.db.selectFrom('check_results').selectAll().where('run_id', '=', runId).orderBy('position').orderBy('check_key').execute();
    return { ...presentRun(row), results: results.map(presentResult) };
  }

  /** The latest finished result of every check of a contract (optionally on one server). */
  async latest(contractId: string, options: { server?: string | undefined } = {}): Promise<LatestResultView[]> {
    await this.contract(this.db, contractId);
    let query = this.db
      .selectFrom('check_results as r')
      .innerJoin('check_runs as run', 'run.id', 'r.run_id')
      .selectAll('r')
      .select(['run.server', 'run.contract_version', 'run.finished_at'])
      .distinctOn('r.check_key')
      .where('run.contract_id', '=', contractId)
      .where('run.status', 'in', finishedStatuses)
      .orderBy('r.check_key')
      .orderBy('run.id', 'desc');
    if (options.server !== undefined) query = query.where('run.server', '=', options.server);
    const rows = await query.execute();
    return rows.map((row) => ({ ...presentResult(row), runId: row.run_id, server: row.server, contractVersion: row.contract_version, finishedAt: iso(row.finished_at) ?? '' }));
  }

  /** One check's results over time, newest first, paginated by run. */
  async history(contractId: string, checkKey: string, request: ListRequest & { server?: string | undefined }): Promise<Page<CheckHistoryPoint>> {
    await this.contract(this.db, contractId);
    const limit = listLimit(request);
    let query = this.db
      .selectFrom('check_results as r')
      .innerJoin('check_runs as run', 'run.id', 'r.run_id')
      .select(['r.run_id', 'r.status', 'r.measured', 'r.measured_text', 'r.expected', 'r.unit', 'run.server', 'run.contract_version', 'run.finished_at'])
      .where('run.contract_id', '=', contractId)
      .where('r.check_key', '=', checkKey)
      .where('run.status', 'in', finishedStatuses)
      .orderBy('run.id', 'desc')
      .limit(limit + 1);
    if (request.server !== undefined) query = query.where('run.server', '=', request.server);
    if (request.cursor !== undefined) {
      const after = decodeCursor(request.cursor);
      if (!isUuid(after)) throw new InputError('The cursor is not one this server issued.', [{ parameter: 'cursor', detail: 'Pass the nextCursor of a previous page unchanged.' }]);
      query = query.where('run.id', '<', after);
    }
    const page = toPage(await query.execute(), limit, (row) => row.run_id);
    return {
      items: page.items.map((row) => ({
        runId: row.run_id,
        server: row.server,
        contractVersion: row.contract_version,
        finishedAt: iso(row.finished_at) ?? '',
        result: row.status,
        measured: row.measured ?? row.measured_text,
        expected: row.expected,
        unit: row.unit,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * SLA compliance per SLA check over the last `days` days: passed ÷ (passed + warning + failed) of the
   * finished runs in the period; errored and skipped results are not verdicts and stay out of the ratio.
   */
  async slaCompliance(contractId: string, options: { days: number; now?: Date }): Promise<SlaComplianceView[]> {
    await this.contract(this.db, contractId);
    const since = new Date((options.now ?? new Date()).getTime() - options.days * 86_400_000);
    const rows = await this.db
      .selectFrom('check_results as r')
      .innerJoin('check_runs as run', 'run.id', 'r.run_id')
      .select(['r.check_key', 'r.name', 'r.status', 'run.id as run_id'])
      .where('run.contract_id', '=', contractId)
      .where('r.category', '=', 'sla')
      .where('run.status', 'in', finishedStatuses)
      .where('run.finished_at', '>=', since)
      .orderBy('r.check_key')
      .orderBy('run.id')
      .execute();
    const byKey = new Map<string, SlaComplianceView>();
    for (const row of rows) {
      const entry = byKey.get(row.check_key) ?? { key: row.check_key, name: row.name, evaluated: 0, passed: 0, errored: 0, compliancePercent: null, lastResult: null };
      if (row.status === 'passed' || row.status === 'warning' || row.status === 'failed') entry.evaluated += 1;
      if (row.status === 'passed') entry.passed += 1;
      if (row.status === 'error') entry.errored += 1;
      entry.lastResult = row.status;
      byKey.set(row.check_key, entry);
    }
    return [...byKey.values()].map((entry) => ({ ...entry, compliancePercent: entry.evaluated === 0 ? null : Math.round((entry.passed / entry.evaluated) * 10000) / 100 }));
  }
}
