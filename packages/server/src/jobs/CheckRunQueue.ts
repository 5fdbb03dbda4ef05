import { createHash } from 'node:crypto';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import { systemActor } from '../auth/Actor';
import type { CheckRunService } from '../services/CheckRunService';
import type { Database, JsonValue } from '../store/Database';
import { contractSchedules } from './contractSchedules';

/** Options of {@link CheckRunQueue}. */
export interface CheckRunQueueOptions {
  db: Kysely<Database>;
  checkRuns: CheckRunService;
  log: (line: string) => void;
  /** How often contracts are compared with the registered schedules (default 60 s; 0: only at start). */
  syncIntervalMs?: number;
  /** How often an idle worker polls its queue (default 2 s for on-demand runs, 30 s for schedules). */
  pollingIntervalSeconds?: number;
  schedulePollingIntervalSeconds?: number;
  /** Contracts read per statement by the schedule sync (default 500; tests page through a few). */
  schedulePageSize?: number;
  /** Runs left `running` longer than this at start-up were abandoned by a dead process (default 60 min). */
  abandonedAfterMinutes?: number;
}

/** The queue of on-demand runs; job data `{runId}`. */
export const runQueueName = 'meshboard-check-run';
/** Prefix of the per-contract, per-cron schedule queues; job data `{contractId}`. */
export const scheduleQueuePrefix = 'meshboard-check-schedule-';

/** The schedule queue of one contract's cron: pg-boss keeps one schedule per queue name. */
export function scheduleQueueName(contractId: string, cron: string): string {
  return `${scheduleQueuePrefix}${contractId}-${createHash('sha256').update(cron).digest('hex').slice(0, 12)}`;
}

/**
 * pg-boss over the store's own Kysely handle (so it runs on PGlite through the node-postgres adapter
 * and on PostgreSQL alike): on-demand runs are jobs of {@link runQueueName}; each distinct cron of a
 * contract's quality rules is one pg-boss schedule on its own queue, kept in step with the contracts
 * table at start and every minute. pg-boss sends each due schedule once (its cron lock) and hands each
 * job to one worker (SKIP LOCKED), and {@link CheckRunService.execute} claims a run atomically, so a
 * run executes once however many server processes share a PostgreSQL database.
 */
export class CheckRunQueue {
  private readonly boss: PgBoss;
  private readonly working = new Set<string>();
  private readonly reportedInvalid = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private runWorkerId: string | undefined;

  constructor(private readonly options: CheckRunQueueOptions) {
    const { db } = options;
    this.boss = new PgBoss({
      db: {
        executeSql: async (text: string, values: unknown[]) => {
          const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
          return { rows: result.rows as unknown[] };
        },
      },
      supervise: true,
      schedule: true,
    });
    this.boss.on('error', (error: Error) => options.log(`job queue: ${error.message}`));
  }

  /** Starts pg-boss (creating its schema on first start), the run worker and the schedules. */
  async start(): Promise<void> {
    const abandoned = await this.options.checkRuns.failAbandoned(this.options.abandonedAfterMinutes ?? 60);
    if (abandoned > 0) this.options.log(`Marked ${abandoned} abandoned check run(s) as error.`);
    await this.boss.start();
    await this.ensureQueue(runQueueName);
    const workerId = await this.boss.work<{ runId: string }>(runQueueName, { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) await this.options.checkRuns.execute(job.data.runId);
      // pg-boss waits a whole polling interval after every batch; a backlog (e.g. the demo's first runs)
      // is drained back to back instead. The next fetch finding nothing restores the normal wait.
      this.boss.notifyWorker(workerId);
    });
    this.runWorkerId = workerId;
    this.working.add(runQueueName);
    await this.syncSchedules();
    const every = this.options.syncIntervalMs ?? 60_000;
    if (every > 0) {
      this.timer = setInterval(() => {
        this.syncSchedules().catch((error: unknown) => this.options.log(`job queue: syncing schedules failed: ${error instanceof Error ? error.message : String(error)}`));
      }, every);
      this.timer.unref();
    }
  }

  /** Sends a queued run to the workers (any process sharing the database may execute it). */
  async enqueue(runId: string): Promise<void> {
    await this.boss.send(runQueueName, { runId }, { retryLimit: 0 });
    // Wakes this process's idle worker now rather than at its next poll; other processes still poll.
    if (this.runWorkerId !== undefined) this.boss.notifyWorker(this.runWorkerId);
  }

  private async ensureQueue(name: string): Promise<void> {
    if ((await this.boss.getQueue(name)) !== null) return;
    try {
      // A run is never retried (a retry would measure again, later); an hour bounds the longest run.
      await this.boss.createQueue(name, { name, retryLimit: 0, expireInSeconds: 3600 });
    } catch (error) {
      // Another process created it between the look-up and the insert.
      if ((await this.boss.getQueue(name)) === null) throw error;
    }
  }

  /**
   * Makes the registered schedules match the contracts: one schedule per contract per distinct cron
   * (retired contracts have none); schedules of changed or deleted contracts are removed. Returns when
   * done; concurrent calls share one pass.
   */
  syncSchedules(): Promise<void> {
    this.syncing ??= this.sync().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async sync(): Promise<void> {
    // Only documents that name a "schedule" key can hold a cron rule (contractSchedules reads them
    // exactly), so only those travel to JavaScript. Contracts are read in pages by id,
    // yielding between pages: on the embedded store every statement runs on the server's one thread and
    // PGlite's one connection, and one scan of 100k documents (~3–4 s) would hold the first requests of a
    // restart behind it (issue 4: restart ≤ 3 s). A page of 500 takes ~20–60 ms (the documents are read
    // and searched as text), so a request waits at most about that long for it.
    const schedulePage = this.options.schedulePageSize ?? 500;
    const contracts: { id: string; document: JsonValue }[] = [];
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await sql<{ id: string; document: JsonValue | null }>`
        with page as (select id, status, document from contracts where id > ${after}::uuid order by id limit ${schedulePage})
        select id, case when status <> 'retired' and strpos(document::text, '"schedule"') > 0 then document end as document from page order by id`.execute(this.options.db);
      for (const row of page.rows) if (row.document !== null) contracts.push({ id: row.id, document: row.document });
      if (page.rows.length < schedulePage) break;
      after = page.rows[page.rows.length - 1]?.id ?? after;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const desired = new Map<string, { contractId: string; cron: string }>();
    for (const contract of contracts) {
      for (const cron of contractSchedules(contract.document)) desired.set(scheduleQueueName(contract.id, cron), { contractId: contract.id, cron });
    }
    const registered = new Map((await this.boss.getSchedules()).filter((s) => s.name.startsWith(scheduleQueuePrefix)).map((s) => [s.name, s.cron]));
    for (const [name, wanted] of desired) {
      if (registered.get(name) !== wanted.cron) {
        try {
          await this.ensureQueue(name);
          await this.boss.schedule(name, wanted.cron, { contractId: wanted.contractId }, { tz: 'UTC' });
        } catch (error) {
          desired.delete(name);
          if (!this.reportedInvalid.has(name)) {
            this.reportedInvalid.add(name);
            this.options.log(`Contract ${wanted.contractId}: schedule "${wanted.cron}" cannot be used (${error instanceof Error ? error.message : String(error)}).`);
          }
          continue;
        }
      }
      if (!this.working.has(name)) {
        this.working.add(name);
        await this.boss.work<{ contractId: string }>(name, { pollingIntervalSeconds: this.options.schedulePollingIntervalSeconds ?? 30, batchSize: 1 }, async (jobs) => {
          for (const job of jobs) await this.runScheduled(job.data.contractId);
        });
      }
    }
    for (const name of registered.keys()) {
      if (desired.has(name)) continue;
      // The queue itself stays: its finished jobs still reference it until pg-boss's maintenance drops them.
      await this.boss.unschedule(name);
    }
    for (const name of this.working) {
      if (name === runQueueName || desired.has(name)) continue;
      await this.boss.offWork(name);
      this.working.delete(name);
    }
  }

  /** Sends a schedule's job now, as its cron would (a contract's "run scheduled checks now"). */
  async sendScheduled(contractId: string, cron: string): Promise<void> {
    await this.boss.send(scheduleQueueName(contractId, cron), { contractId }, { retryLimit: 0 });
  }

  /** The schedules pg-boss holds for contracts: queue name and cron. */
  async schedules(): Promise<{ name: string; cron: string }[]> {
    return (await this.boss.getSchedules()).filter((s) => s.name.startsWith(scheduleQueuePrefix)).map((s) => ({ name: s.name, cron: s.cron }));
  }

  private async runScheduled(contractId: string): Promise<void> {
    try {
      await this.options.checkRuns.runNow(systemActor('scheduler'), { contractId, trigger: 'scheduled' });
    } catch (error) {
      this.options.log(`Scheduled run of contract ${contractId} could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Stops polling and scheduling, waits up to `timeoutMs` for running jobs, then returns. */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.syncing?.catch(() => undefined);
    try {
      // wait: true resolves once the workers finished (or the timeout failed what was still running).
      await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
    } catch (error) {
      this.options.log(`job queue: stopping failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
