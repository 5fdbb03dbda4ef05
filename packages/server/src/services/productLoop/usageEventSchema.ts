import { z } from 'zod';
import { usageKinds } from '../../store/Database';

/** The most events one POST /api/usage-events may carry (the CLI sends batches of this size at most). */
export const maxUsageBatch = 10_000;

/**
 * One usage event as a platform reports it: which product (our id or its document id) and output port
 * was used, by whom, when, how, and how much. `id` is the sender's event id: sending it again is a no-op.
 */
export const usageEventSchema = z
  .object({
    id: z.string().trim().min(1).max(200).optional(),
    product: z.string().trim().min(1).max(200),
    outputPort: z.string().trim().min(1).max(200).optional(),
    consumerTeam: z.string().trim().min(1).max(200).optional(),
    consumerUser: z.string().trim().min(1).max(320).optional(),
    kind: z.enum(usageKinds),
    occurredAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time with a zone, e.g. 2026-11-01T09:30:00Z' }),
    rows: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

/** A validated usage event. */
export type UsageEventInput = z.infer<typeof usageEventSchema>;

/** The body of POST /api/usage-events: 1 to {@link maxUsageBatch} events, accepted all or none. */
export const usageBatchSchema = z.object({ events: z.array(usageEventSchema).min(1).max(maxUsageBatch) }).strict();
