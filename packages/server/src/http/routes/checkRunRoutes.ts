import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { IdParam, PageQuery, pageOf, problemResponses } from '../schemas';

const tags = ['check runs'];
const json = <T>(schema: T) => ({ 'application/json': { schema } });
const timestamp = z.string().openapi({ format: 'date-time' });
const outcome = z.enum(['passed', 'failed', 'warning', 'error', 'skipped']);
const measured = z.union([z.number(), z.string()]).nullable();

/** A check run on the wire. */
const CheckRun = z
  .object({
    id: z.string(),
    contractId: z.string(),
    contractVersion: z.string(),
    server: z.string(),
    trigger: z.enum(['manual', 'scheduled', 'api', 'publish']),
    status: z.enum(['queued', 'running', 'passed', 'warning', 'failed', 'error', 'unknown']),
    requestedBy: z.string().nullable(),
    queuedAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    summary: z.unknown().openapi({ description: '{result, total, durationMs, passed, warning, failed, error, skipped} once finished.' }),
    error: z.string().nullable().openapi({ description: 'Why the run could not run at all.' }),
  })
  .openapi('CheckRun');
const resultFields = {
  key: z.string(),
  name: z.string(),
  category: z.string(),
  result: outcome,
  measured,
  expected: z.string().nullable(),
  unit: z.string().nullable(),
  message: z.string(),
  samples: z.unknown().openapi({ description: 'Up to 5 failing rows, PII columns masked as ***.' }),
  details: z.unknown().nullable(),
};
const CheckResultItem = z.object(resultFields).openapi('CheckResult');
const CheckRunDetail = CheckRun.extend({ results: z.array(CheckResultItem) }).openapi('CheckRunDetail');
const LatestResult = z.object({ ...resultFields, runId: z.string(), server: z.string(), contractVersion: z.string(), finishedAt: timestamp }).openapi('LatestCheckResult');
const HistoryPoint = z
  .object({ runId: z.string(), server: z.string(), contractVersion: z.string(), finishedAt: timestamp, result: outcome, measured, expected: z.string().nullable(), unit: z.string().nullable() })
  .openapi('CheckHistoryPoint');
const SlaCompliance = z
  .object({ key: z.string(), name: z.string(), evaluated: z.number().int(), passed: z.number().int(), errored: z.number().int(), compliancePercent: z.number().nullable(), lastResult: outcome.nullable() })
  .openapi('SlaCompliance');

const RunCreate = z
  .object({
    server: z.string().min(1).max(200).optional().openapi({ description: "The contract's server to check (servers[].server); its first server when omitted." }),
    trigger: z.enum(['manual', 'api']).optional().openapi({ description: '`manual` for a person in the UI; `api` (default) otherwise.' }),
  })
  .strict()
  .openapi('CheckRunCreate');
const WaitQuery = z.object({
  wait: z.enum(['true', 'false']).optional().openapi({ description: 'true: run in this request and answer 201 with the results; otherwise 202 and the run goes to the job queue.' }),
});
const ServerQuery = z.object({ server: z.string().min(1).optional().openapi({ description: 'Only runs on this server.' }) });
const RunIdParam = z.object({ runId: z.string().openapi({ param: { name: 'runId', in: 'path' } }) });
const CheckKeyParam = IdParam.extend({ checkKey: z.string().min(1).openapi({ param: { name: 'checkKey', in: 'path' }, example: 'orders.id.field_required' }) });
const DaysQuery = z.object({ days: z.coerce.number().int().min(1).max(366).optional().openapi({ description: 'The period in days back from now (default 30).' }) });

/** Check runs: trigger (a role in the owning domain), history, one run, latest per check, trends, SLA compliance. */
export function registerCheckRunRoutes(app: App, services: Services): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/contracts/{id}/runs',
      tags,
      summary: "Run a contract's checks (a role in the contract's domain). 202 + queued run, or 201 + results with ?wait=true",
      request: { params: IdParam, query: WaitQuery, body: { content: json(RunCreate), required: false } },
      responses: {
        201: { description: 'Ran in this request (wait=true)', content: json(CheckRunDetail) },
        202: { description: 'Queued; poll Location', content: json(CheckRun) },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = (c.req.valid('json') as z.infer<typeof RunCreate> | undefined) ?? {};
      const input = { contractId: id, server: body.server, trigger: body.trigger ?? 'api' };
      if (c.req.valid('query').wait === 'true') {
        const run = await services.checkRuns.runNow(c.get('actor'), input);
        return c.json(run, 201, { location: `/api/runs/${run.id}` });
      }
      const run = await services.checkRuns.trigger(c.get('actor'), input);
      return c.json(run, 202, { location: `/api/runs/${run.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/contracts/{id}/runs', tags, summary: "A contract's runs, newest first", request: { params: IdParam, query: PageQuery }, responses: { 200: { description: 'A page of runs', content: json(pageOf(CheckRun, 'CheckRunPage')) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json(await services.checkRuns.list(c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/runs/{runId}', tags, summary: 'One run with its results', request: { params: RunIdParam }, responses: { 200: { description: 'The run', content: json(CheckRunDetail) }, ...problemResponses(401, 404) } }),
    async (c) => c.json(await services.checkRuns.get(c.req.valid('param').runId), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/contracts/{id}/checks/latest', tags, summary: 'The latest finished result of every check', request: { params: IdParam, query: ServerQuery }, responses: { 200: { description: 'One result per check key', content: json(z.object({ items: z.array(LatestResult) }).openapi('LatestCheckResults')) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json({ items: await services.checkRuns.latest(c.req.valid('param').id, c.req.valid('query')) }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/contracts/{id}/checks/{checkKey}/history', tags, summary: "One check's results over time, newest first", request: { params: CheckKeyParam, query: PageQuery.extend(ServerQuery.shape) }, responses: { 200: { description: 'A page of points', content: json(pageOf(HistoryPoint, 'CheckHistoryPage')) }, ...problemResponses(400, 401, 404) } }),
    async (c) => {
      const { id, checkKey } = c.req.valid('param');
      return c.json(await services.checkRuns.history(id, checkKey, c.req.valid('query')), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/contracts/{id}/sla', tags, summary: 'SLA compliance per SLA check over the last N days', request: { params: IdParam, query: DaysQuery }, responses: { 200: { description: 'Compliance per SLA check', content: json(z.object({ days: z.number().int(), items: z.array(SlaCompliance) }).openapi('SlaCompliancePage')) }, ...problemResponses(400, 401, 404) } }),
    async (c) => {
      const days = c.req.valid('query').days ?? 30;
      return c.json({ days, items: await services.checkRuns.slaCompliance(c.req.valid('param').id, { days }) }, 200);
    },
  );
}
