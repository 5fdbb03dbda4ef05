import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Actor } from '../../auth/Actor';
import { requireDomainRole } from '../../auth/authorize';
import { InputError, type FieldProblem } from '../../errors/errors';
import { recordAudit } from '../../store/auditLog';
import { domainRoles, type Database } from '../../store/Database';
import { newId } from '../../store/newId';
import { inTransaction } from '../inTransaction';
import { isUuid } from '../listRequest';
import { usageBatchSchema, type UsageEventInput } from './usageEventSchema';

/** What an ingested batch did. */
export interface UsageIngestResult {
  received: number;
  /** New events stored. */
  inserted: number;
  /** Events whose id was already stored (re-sent), ignored. */
  duplicates: number;
}

/** How far in the future an event may claim to have happened (clock skew between platforms). */
const futureToleranceMs = 5 * 60_000;
/** At most this many problems are reported for one batch (the rest are counted). */
const maxProblems = 100;

/**
 * Usage events: what platforms report about the use of products. A batch is validated whole (every bad
 * event gets a JSON pointer) and stored all or nothing in one statement; events with a known id are
 * skipped, so re-sending a batch is safe. Sending needs a role in the domain of every product named.
 */
export class UsageEventService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Validates and stores a batch (`body` as received: `{events: [...]}`). */
  async ingest(actor: Actor, body: unknown): Promise<UsageIngestResult> {
    const parsed = usageBatchSchema.safeParse(body);
    if (!parsed.success) {
      throw invalid(parsed.error.issues.map((issue) => ({ pointer: pointerOf(issue.path), detail: issue.message })));
    }
    const events = parsed.data.events;
    return inTransaction(this.db, async (trx) => {
      const products = await this.resolveProducts(trx, events);
      const problems: FieldProblem[] = [];
      const latest = this.clock().getTime() + futureToleranceMs;
      events.forEach((event, index) => {
        const product = products.get(event.product);
        if (product === undefined) problems.push({ pointer: `/events/${index}/product`, detail: `No product "${event.product}" (give its id or its document id).` });
        else if (event.outputPort !== undefined && !product.ports.has(event.outputPort)) {
          problems.push({ pointer: `/events/${index}/outputPort`, detail: `Product ${product.externalId} has no output port "${event.outputPort}"${product.ports.size === 0 ? '' : ` (it has ${[...product.ports].join(', ')})`}.` });
        }
        if (Date.parse(event.occurredAt) > latest) problems.push({ pointer: `/events/${index}/occurredAt`, detail: 'The event lies in the future.' });
      });
      if (problems.length > 0) throw invalid(problems);
      for (const domainId of new Set([...products.values()].map((product) => product.domainId))) {
        requireDomainRole(actor, { domainId, roles: domainRoles, action: 'report usage of its products' });
      }
      const rows = events.map((event) => ({
        event_id: event.id ?? null,
        product_id: products.get(event.product)?.id,
        output_port: event.outputPort ?? null,
        consumer_team: event.consumerTeam ?? null,
        consumer_user: event.consumerUser ?? null,
        kind: event.kind,
        occurred_at: event.occurredAt,
        row_count: event.rows ?? null,
        byte_count: event.bytes ?? null,
      }));
      // One statement whatever the batch size (no parameter limit): the batch travels as one jsonb value.
      // The same statement adds the new events (not the duplicates) to the daily roll-up.
      const inserted = await sql<{ inserted: string }>`
        with added as (
          insert into usage_events (event_id, product_id, output_port, consumer_team, consumer_user, kind, occurred_at, row_count, byte_count)
          select event_id, product_id, output_port, consumer_team, consumer_user, kind, occurred_at, row_count, byte_count
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as e(event_id text, product_id uuid, output_port text, consumer_team text, consumer_user text, kind text, occurred_at timestamptz, row_count bigint, byte_count bigint)
          on conflict (event_id) where event_id is not null do nothing
          returning product_id, occurred_at, consumer_team, consumer_user, kind, row_count, byte_count
        ),
        rolled as (${rollUp(sql`added`)})
        select count(*) as inserted from added`.execute(trx);
      const count = Number(inserted.rows[0]?.inserted ?? 0);
      const result = { received: events.length, inserted: count, duplicates: events.length - count };
      await recordAudit(trx, actor, {
        action: 'usage.ingest',
        entityType: 'usage-batch',
        entityId: newId(),
        before: null,
        after: { ...result, products: [...new Set([...products.values()].map((product) => product.externalId))] },
      });
      return result;
    });
  }

  /** The products named by the batch (by id or document id), each with its output port names. */
  private async resolveProducts(trx: Kysely<Database>, events: UsageEventInput[]): Promise<Map<string, { id: string; externalId: string; domainId: string; ports: Set<string> }>> {
    const refs = [...new Set(events.map((event) => event.product))];
    const ids = refs.filter(isUuid);
    const found = await trx
      .selectFrom('products')
      .select(['id', 'external_id', 'domain_id'])
      .where((eb) => (ids.length === 0 ? eb('external_id', 'in', refs) : eb.or([eb('external_id', 'in', refs), eb('id', 'in', ids)])))
      .execute();
    const ports = found.length === 0 ? [] : await trx.selectFrom('product_output_ports').select(['product_id', 'port_name']).where('product_id', 'in', found.map((row) => row.id)).execute();
    const byRef = new Map<string, { id: string; externalId: string; domainId: string; ports: Set<string> }>();
    for (const row of found) {
      const entry = { id: row.id, externalId: row.external_id, domainId: row.domain_id, ports: new Set(ports.filter((port) => port.product_id === row.id).map((port) => port.port_name)) };
      byRef.set(row.external_id, entry);
      byRef.set(row.id, entry);
    }
    return byRef;
  }
}

/**
 * Adds `events` (a relation with usage_events' columns) to `usage_daily`, per product, UTC day,
 * consumer (team, else user, else '') and kind; existing days are incremented (row-locked upsert).
 */
function rollUp(events: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    insert into usage_daily (product_id, day, consumer, kind, events, row_count, byte_count)
    select product_id, (occurred_at at time zone 'UTC')::date, coalesce(consumer_team, consumer_user, ''), kind, count(*), coalesce(sum(row_count), 0), coalesce(sum(byte_count), 0)
    from ${events}
    group by 1, 2, 3, 4
    on conflict (product_id, day, consumer, kind) do update
      set events = usage_daily.events + excluded.events, row_count = usage_daily.row_count + excluded.row_count, byte_count = usage_daily.byte_count + excluded.byte_count`;
}

/**
 * Recomputes the daily usage roll-up from every stored event, for operators who loaded `usage_events`
 * with bulk SQL instead of the API (and for benchmarks doing the same). Takes a table lock so no batch
 * is ingested meanwhile.
 */
export async function rebuildUsageRollup(db: Kysely<Database>): Promise<void> {
  await inTransaction(db, async (trx) => {
    await sql`lock table usage_events, usage_daily in exclusive mode`.execute(trx);
    await sql`delete from usage_daily`.execute(trx);
    await sql`${rollUp(sql`usage_events`)}`.execute(trx);
  });
}

function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function invalid(problems: FieldProblem[]): InputError {
  const shown = problems.slice(0, maxProblems);
  const more = problems.length - shown.length;
  return new InputError(`The usage batch was not stored: ${problems.length} problem${problems.length === 1 ? '' : 's'}${more > 0 ? ` (the first ${maxProblems} listed)` : ''}; nothing of it was stored.`, shown);
}
