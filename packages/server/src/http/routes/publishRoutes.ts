import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../services/createServices';
import { maxBatchDocuments } from '../../services/PublishService';
import type { App } from '../AppEnv';
import { problemResponses } from '../schemas';
import { Change } from './catalogRoutes';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const kind = z.enum(['contract', 'product']);
const outcome = z.enum(['created', 'published', 'revised', 'unchanged']);

const BatchPublish = z
  .object({
    documents: z
      .array(
        z
          .object({
            kind,
            document: z.record(z.string(), z.unknown()).openapi({ description: 'An ODCS contract (kind contract) or ODPS product (kind product) document.' }),
            expectedVersion: z.number().int().min(0).optional().openapi({ description: 'The row version you read (the number of its ETag); absent: publish over whatever is current.' }),
          })
          .strict(),
      )
      .min(1)
      .max(maxBatchDocuments),
    force: z.boolean().optional().openapi({ description: 'Publish breaking changes that keep their version (recorded as breaking).' }),
    dryRun: z.boolean().optional().openapi({ description: 'Publish inside the transaction, answer, then roll everything back.' }),
  })
  .strict()
  .openapi('BatchPublish');

const FieldProblem = z.object({ pointer: z.string().optional(), parameter: z.string().optional(), detail: z.string() });
const BatchOutcome = z
  .object({
    index: z.number().int().openapi({ description: 'The position of the document in the request.' }),
    kind,
    externalId: z.string().nullable(),
    outcome: z.enum([...outcome.options, 'refused']),
    changeKind: z.enum(['initial', 'breaking', 'non-breaking']).nullable().optional(),
    breaking: z.boolean().optional(),
    changes: z.array(Change).optional(),
    suggestedVersion: z.string().nullable().optional(),
    item: z.object({ id: z.string(), externalId: z.string(), version: z.number().int() }).optional(),
    error: z
      .object({ code: z.string(), detail: z.string(), problems: z.array(FieldProblem).optional(), currentVersion: z.number().int().optional() })
      .optional()
      .openapi({ description: 'Why a refused document was not published (the problem+json it would have had on its own).' }),
  })
  .openapi('BatchPublishOutcome');
const BatchPublishResult = z
  .object({
    dryRun: z.boolean(),
    results: z.array(BatchOutcome),
    counts: z.object({ created: z.number().int(), published: z.number().int(), revised: z.number().int(), unchanged: z.number().int(), refused: z.number().int() }),
  })
  .openapi('BatchPublishResult');

/** POST /api/publish: many contracts and products in one request and one transaction (issue 4). */
export function registerPublishRoutes(app: App, services: Services): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/publish',
      tags: ['contracts', 'products'],
      summary: `Publish up to ${maxBatchDocuments} contracts and products at once (each needs a role in its domain)`,
      description:
        'Each document is published exactly as PUT /api/contracts/{id} or /api/products/{id} would (validated, authorised, diffed, audited, indexed), contracts before products, in one transaction. ' +
        'A refused document (invalid, not allowed, breaking change keeping its version without force, stale expectedVersion) is reported in its result and the others are still published. Idempotent: identical documents are "unchanged".',
      request: { body: { content: json(BatchPublish), required: true } },
      responses: { 200: { description: 'One result per document, in the order sent', content: json(BatchPublishResult) }, ...problemResponses(400, 401) },
    }),
    async (c) => c.json(await services.publish.publishBatch(c.get('actor'), c.req.valid('json')), 200),
  );
}
