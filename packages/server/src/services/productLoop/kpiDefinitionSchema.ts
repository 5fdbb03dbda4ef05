import { z } from 'zod';
import { kpiPeriods } from './kpiPeriods';

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000),
  source: z.string().min(1).max(100),
  target: z.number().finite().nullable(),
  direction: z.enum(['higher', 'lower']),
  period: z.enum(kpiPeriods),
  window: z.number().int().min(1).max(366),
};

/** A new KPI: its source (a registry key), target, which direction is better, period and window (periods back). */
export const kpiCreateSchema = z
  .object({ ...fields, description: fields.description.optional(), target: fields.target.optional(), direction: fields.direction.default('higher'), period: fields.period.default('week'), window: fields.window.optional() })
  .strict();
/** A change to a KPI (every field optional). */
export const kpiPatchSchema = z.object(fields).partial().strict();
/** A manual value for one period (its start, YYYY-MM-DD). */
export const kpiValueSchema = z
  .object({ periodStart: z.iso.date({ message: 'a date YYYY-MM-DD (the first day of the period)' }), value: z.number().finite(), note: z.string().max(2000).optional() })
  .strict();

/** Input of a new KPI. */
export type KpiCreate = z.input<typeof kpiCreateSchema>;
/** Input of a KPI change. */
export type KpiPatch = z.input<typeof kpiPatchSchema>;
/** Input of a manual value. */
export type KpiValueInput = z.input<typeof kpiValueSchema>;
