import { CompiledQuery, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { LifecycleService } from '../services/LifecycleService';
import type { SubscriptionService } from '../services/SubscriptionService';
import type { Database } from '../store/Database';

/** The pg-boss queue (and schedule) of the access expiry pass. */
export const accessExpiryQueueName = 'meshboard-access-expiry';

/** Options of {@link AccessExpiryJob}. */
export interface AccessExpiryJobOptions {
  db: Kysely<Database>;
  subscriptions: SubscriptionService;
  /** When given, the same pass sends the sunset reminders of deprecated products (issue 6). */
  lifecycle?: LifecycleService;
  log: (line: string) => void;
  /** Cron of the pass, UTC (default every 5 minutes). */
  cron?: string;
  /** How often the idle worker polls (default 30 s). */
  pollingIntervalSeconds?: number;
}

/**
 * The access expiry pass on pg-boss, in the store's own `pgboss` schema (the check-run queue's): a
 * cron schedule sends one job per period however many processes run (pg-boss's cron lock), and the
 * pass itself claims rows with SKIP LOCKED, so reminders and expiries happen once. Also runs one pass
 * at start, so access that ended while no server ran ends at once.
 */
export class AccessExpiryJob {
  private readonly boss: PgBoss;

  constructor(private readonly options: AccessExpiryJobOptions) {
    const { db } = options;
    this.boss = new PgBoss({
      db: {
        executeSql: async (text: string, values: unknown[]) => {
          const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
          return { rows: result.rows as unknown[] };
        },
      },
      // The check-run queue's instance already supervises (maintenance) the shared schema.
      supervise: false,
      schedule: true,
    });
    this.boss.on('error', (error: Error) => options.log(`access expiry job: ${error.message}`));
  }

  /** Starts pg-boss, registers the schedule and the worker, and runs one pass now. */
  async start(): Promise<void> {
    await this.boss.start();
    if ((await this.boss.getQueue(accessExpiryQueueName)) === null) {
      try {
        await this.boss.createQueue(accessExpiryQueueName, { name: accessExpiryQueueName, retryLimit: 0, expireInSeconds: 600 });
      } catch (error) {
        if ((await this.boss.getQueue(accessExpiryQueueName)) === null) throw error;
      }
    }
    await this.boss.schedule(accessExpiryQueueName, this.options.cron ?? '*/5 * * * *', {}, { tz: 'UTC' });
    await this.boss.work(accessExpiryQueueName, { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 30, batchSize: 1 }, async () => {
      await this.pass();
    });
    await this.pass();
  }

  /** Sends a pass to the workers now (tests; an operator's "run expiry now"). */
  async sendNow(): Promise<void> {
    await this.boss.send(accessExpiryQueueName, {}, { retryLimit: 0 });
  }

  private async pass(): Promise<void> {
    try {
      const result = await this.options.subscriptions.runExpiry();
      if (result.reminded + result.expired > 0) this.options.log(`Access: ${result.reminded} expiry reminder(s) sent, ${result.expired} subscription(s) expired.`);
    } catch (error) {
      this.options.log(`access expiry pass failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.options.lifecycle === undefined) return;
    try {
      const reminded = await this.options.lifecycle.remindSunsets();
      if (reminded > 0) this.options.log(`Lifecycle: sunset reminders sent for ${reminded} deprecated product(s).`);
    } catch (error) {
      this.options.log(`sunset reminder pass failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Stops the worker and schedule polling (waiting up to `timeoutMs` for a running pass). */
  async stop(timeoutMs = 30_000): Promise<void> {
    try {
      await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
    } catch (error) {
      this.options.log(`access expiry job: stopping failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
