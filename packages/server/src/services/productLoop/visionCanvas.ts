import { z } from 'zod';
import type { FieldProblem } from '../../errors/errors';

const line = z.string().trim().min(1, 'must not be empty').max(500, 'at most 500 characters');
const list = z.array(line).max(50, 'at most 50 entries');
const text = z.string().max(10_000, 'at most 10,000 characters');

/**
 * A product's vision canvas (issue 6): why the product exists and how its success is judged. Every
 * field is optional on input and defaults to empty, so a canvas can be filled in over time; unknown
 * fields are rejected (a typo must not be dropped silently).
 */
export const visionCanvasSchema = z
  .object({
    purpose: text.default(''),
    targetConsumers: list.default([]),
    useCases: list.default([]),
    value: text.default(''),
    successKpis: list.default([]),
    sources: list.default([]),
    constraints: list.default([]),
  })
  .strict();

/** A complete (defaulted) vision canvas. */
export type VisionCanvas = z.infer<typeof visionCanvasSchema>;

/** The ODPS custom property (top-level `customProperties[]`) that carries the canvas in a product document. */
export const visionProperty = 'meshboardVision';

/** Validates `value` as a canvas; problems point below `pointer` (e.g. `/customProperties/2/value`). */
export function parseVisionCanvas(value: unknown, pointer: string): { canvas: VisionCanvas } | { problems: FieldProblem[] } {
  const result = visionCanvasSchema.safeParse(value);
  if (result.success) return { canvas: result.data };
  return {
    problems: result.error.issues.map((issue) => ({
      pointer: `${pointer}${issue.path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}`,
      detail: issue.message,
    })),
  };
}

/** Whether two canvases say the same (field by field, in order). */
export function sameCanvas(a: VisionCanvas, b: VisionCanvas): boolean {
  return JSON.stringify(visionCanvasSchema.parse(a)) === JSON.stringify(visionCanvasSchema.parse(b));
}
