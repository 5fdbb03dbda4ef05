import { createRoute, z } from '@hono/zod-openapi';
import { backlogKinds, backlogStates, evidenceKinds, frameworks, moscowCategories, writeBacklogCsv } from '@meshboard/model';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, ifNoneMatchHits, readIfMatch } from '../etag';
import { IdParam, PageQuery, pageOf, problemResponses } from '../schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const tags = ['backlog'];
const timestamp = z.string().openapi({ format: 'date-time' });
const kind = z.enum(backlogKinds);
const state = z.enum(backlogStates);
const text = (max: number) => z.string().max(max);
const label = z.string().trim().min(1).max(60);
const inputValue = z.union([z.number(), z.enum(moscowCategories)]);

const Evidence = z
  .object({ kind: z.enum(evidenceKinds), ref: z.string().trim().min(1).max(2000), note: text(2000).default(''), teamId: z.string().nullable().default(null) })
  .strict()
  .openapi('BacklogEvidence', { description: 'A link to why the item matters: consumer feedback, an access request, a URL or another item; teamId names the consuming team it speaks for (feeds the reach suggestion).' });
const EnteredInput = z.object({ value: z.union([z.number(), z.string()]), enteredBy: z.object({ id: z.string().nullable(), label: z.string() }), enteredAt: z.string() }).openapi('BacklogEnteredInput');
const ReachSuggestion = z.object({ value: z.number(), basis: z.string() }).nullable();
/** WSJF time criticality measured as consuming teams × hours of SLA breach in the last 30 days (capped at 100). */
const TimeCriticalitySuggestion = z.object({ value: z.number(), basis: z.string() }).nullable();
/** A backlog item on the wire (shared with the sprint routes; also the ends of cross-domain requests). */
export const BacklogItem = z
  .object({
    id: z.string(),
    productId: z.string(),
    number: z.number().int(),
    kind,
    title: z.string(),
    description: z.string(),
    acceptanceCriteria: z.array(z.string()),
    state,
    declineReason: z.string().nullable(),
    duplicateOfId: z.string().nullable(),
    requester: z.object({ userId: z.string().nullable(), label: z.string().nullable(), teamId: z.string().nullable() }),
    labels: z.array(z.string()),
    estimate: z.number().nullable(),
    evidence: z.array(Evidence),
    inputs: z.record(z.string(), EnteredInput),
    suggested: z.object({ reach: ReachSuggestion, timeCriticality: TimeCriticalitySuggestion }),
    votes: z.number().int(),
    source: z.string().nullable(),
    reportedAt: timestamp.nullable(),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('BacklogItem');
const itemFields = {
  kind,
  title: z.string().trim().min(1).max(300),
  description: text(20_000).optional(),
  acceptanceCriteria: z.array(z.string().trim().min(1).max(2000)).max(50).optional(),
  labels: z.array(label).max(30).optional(),
  estimate: z.number().min(0).max(100_000).nullable().optional(),
  evidence: z.array(Evidence).max(200).optional(),
  requesterTeamId: z.string().nullable().optional(),
  inputs: z.record(z.string(), inputValue.nullable()).optional().openapi({ description: 'Scoring inputs by name (reach, impact, confidence, effort, businessValue, timeCriticality, riskReduction, jobSize, iceImpact, iceConfidence, ease, value, moscow, or a custom formula input); null clears one.' }),
  state: state.optional(),
  declineReason: z.string().trim().min(1).max(2000).nullable().optional(),
};
const BacklogItemCreate = z.object(itemFields).strict().openapi('BacklogItemCreate');
const BacklogItemPatch = z.object(itemFields).partial().strict().openapi('BacklogItemPatch');
const Evaluation = z
  .object({ framework: z.enum(frameworks), group: z.number(), groupLabel: z.string().nullable(), score: z.number().nullable(), missing: z.array(z.string()), formula: z.string(), explanation: z.string() })
  .openapi('BacklogEvaluation');
const Ranking = z
  .object({ framework: z.enum(frameworks), formula: z.string(), settingsVersion: z.number().int(), total: z.number().int(), items: z.array(z.object({ rank: z.number().int(), item: BacklogItem, evaluation: Evaluation })), nextCursor: z.string().nullable() })
  .openapi('BacklogRanking');
const CustomFormula = z.object({ name: z.string(), terms: z.array(z.object({ input: z.string(), weight: z.number() })) });
const Settings = z
  .object({ framework: z.enum(frameworks), iceCombiner: z.enum(['product', 'average']), valueThreshold: z.number(), effortThreshold: z.number(), custom: CustomFormula.nullable() })
  .openapi('BacklogSettings', { description: 'Validated by the model: custom terms are unique identifiers with non-zero weights; the custom framework needs a formula.' });
const SettingsView = z.object({ productId: z.string(), settings: Settings, version: z.number().int(), updatedBy: z.string().nullable(), updatedAt: timestamp.nullable() }).openapi('BacklogSettingsView');
const ImportBody = z
  .object({
    format: z.enum(['csv', 'json']),
    content: z.string().max(8 * 1024 * 1024).optional().openapi({ description: 'The CSV file: a Meshboard backlog export or a Jira CSV export (Summary, Issue Type, Status, Priority, Description, Labels, Story Points, Created, Reporter).' }),
    items: z.array(BacklogItemCreate).max(10_000).optional(),
    dryRun: z.boolean().optional(),
  })
  .strict()
  .openapi('BacklogImport');
const ImportResult = z.object({ format: z.enum(['meshboard-csv', 'jira-csv', 'json']), dryRun: z.boolean(), imported: z.number().int(), numbers: z.array(z.number().int()) }).openapi('BacklogImportResult');
const Export = z.object({ productId: z.string(), settings: Settings, items: z.array(BacklogItem) }).openapi('BacklogExport');

const ListQuery = PageQuery.extend({ state: state.optional(), kind: kind.optional(), label: label.optional(), sort: z.enum(['number', 'rank']).optional().openapi({ description: 'number (default) or rank: the product framework’s order, computed in SQL.' }) });
const RankingQuery = PageQuery.extend({ framework: z.enum(frameworks).optional().openapi({ description: 'Rank by another framework than the product’s (what-if); its parameters come from the settings.' }) });
const ExportQuery = z.object({ format: z.enum(['json', 'csv']).optional() });
const Merge = z.object({ duplicateId: z.string().min(1) }).strict().openapi('BacklogMerge');

/**
 * The backlog API (issue 6): items per product, ranking with explanations, settings, merge, votes,
 * export/import. Handlers validate, call {@link Services.backlog} and present; rules live in the service.
 */
export function registerBacklogRoutes(app: App, services: Services): void {
  const service = services.backlog;
  const itemVersion = (id: string) => async () => (await service.get(id)).version;

  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/backlog', tags, summary: 'List a product’s backlog items, filtered by state, kind and label; sort=rank orders by the product’s framework', request: { params: IdParam, query: ListQuery }, responses: { 200: { description: 'A page of items', content: json(pageOf(BacklogItem, 'BacklogItemPage')) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json(await service.list(c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/products/{id}/backlog', tags, summary: 'File a backlog item (anyone signed in; triage fields need a role in the product’s domain)', request: { params: IdParam, body: { content: json(BacklogItemCreate), required: true } }, responses: { 201: { description: 'Created', content: json(BacklogItem) }, ...problemResponses(400, 401, 403, 404) } }),
    async (c) => {
      const item = await service.create(c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
      return c.json(item, 201, { etag: etagFor(item.version), location: `/api/backlog-items/${item.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/backlog/ranking', tags, summary: 'The open items ranked by value, best first, each score explained (formula with the numbers filled in)', request: { params: IdParam, query: RankingQuery }, responses: { 200: { description: 'A page of the ranking', content: json(Ranking) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json(await service.ranking(c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/backlog/settings', tags, summary: 'The product’s prioritisation settings (version 0: never saved, defaults)', request: { params: IdParam }, responses: { 200: { description: 'The settings', content: json(SettingsView) }, ...problemResponses(401, 404) } }),
    async (c) => {
      const view = await service.settings(c.req.valid('param').id);
      return c.json(view, 200, { etag: etagFor(view.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/products/{id}/backlog/settings', tags, summary: 'Replace the prioritisation settings; needs If-Match ("v0" before the first save)', request: { params: IdParam, body: { content: json(Settings), required: true } }, responses: { 200: { description: 'Saved', content: json(SettingsView) }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const ifMatch = readIfMatch(c.req.header('if-match'));
      const version = ifMatch.kind === 'any' ? 'any' : await expectedVersion(ifMatch, async () => (await service.settings(id)).version);
      const view = await service.updateSettings(c.get('actor'), { productRef: id, expectedVersion: version, settings: c.req.valid('json') });
      return c.json(view, 200, { etag: etagFor(view.version) });
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/products/{id}/backlog/export',
      tags,
      summary: 'Export the backlog: JSON (settings and items) or CSV (format=csv, one input:<name> column per scoring input)',
      request: { params: IdParam, query: ExportQuery },
      responses: { 200: { description: 'The export', content: { ...json(Export), 'text/csv': { schema: z.string() } } }, ...problemResponses(400, 401, 404) },
    }),
    async (c) => {
      const exported = await service.exportBacklog(c.req.valid('param').id);
      if (c.req.valid('query').format !== 'csv') return c.json(exported, 200);
      const numbers = new Map(exported.items.map((item) => [item.id, item.number]));
      const csv = writeBacklogCsv(
        exported.items.map((item) => ({
          ...item,
          requester: item.requester.label,
          duplicateOf: item.duplicateOfId === null ? null : (numbers.get(item.duplicateOfId) ?? null),
          inputs: Object.fromEntries(Object.entries(item.inputs).map(([name, input]) => [name, input.value])),
        })),
      );
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="backlog-${exported.productId}.csv"` });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/products/{id}/backlog/import', tags, summary: 'Import items from CSV (Meshboard or Jira export; errors as row:column) or JSON; all or nothing', request: { params: IdParam, body: { content: json(ImportBody), required: true } }, responses: { 200: { description: 'Dry run', content: json(ImportResult) }, 201: { description: 'Imported', content: json(ImportResult) }, ...problemResponses(400, 401, 403, 404) } }),
    async (c) => {
      const result = await service.importItems(c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
      return c.json(result, result.dryRun ? 200 : 201);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/backlog-items/{id}', tags, summary: 'Read a backlog item', request: { params: IdParam }, responses: { 200: { description: 'The item', content: json(BacklogItem) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const item = await service.get(c.req.valid('param').id);
      const etag = etagFor(item.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(item, 200, { etag });
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/backlog-items/{id}', tags, summary: 'Change an item: fields, scoring inputs, state (declining needs declineReason); needs If-Match', request: { params: IdParam, body: { content: json(BacklogItemPatch), required: true } }, responses: { 200: { description: 'Changed', content: json(BacklogItem) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), itemVersion(id));
      const item = await service.update(c.get('actor'), { id, expectedVersion: version, patch: c.req.valid('json') });
      return c.json(item, 200, { etag: etagFor(item.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/backlog-items/{id}', tags, summary: 'Delete an item; needs If-Match', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), itemVersion(id));
      await service.remove(c.get('actor'), { id, expectedVersion: version });
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/backlog-items/{id}/merge', tags, summary: 'Merge a duplicate into this item: its evidence and votes move here, it stays read-only; needs If-Match of this item', request: { params: IdParam, body: { content: json(Merge), required: true } }, responses: { 200: { description: 'The surviving item', content: json(BacklogItem) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), itemVersion(id));
      const item = await service.merge(c.get('actor'), { id, expectedVersion: version, duplicateId: c.req.valid('json').duplicateId });
      return c.json(item, 200, { etag: etagFor(item.version) });
    },
  );
  const VoteState = z.object({ voted: z.boolean(), votes: z.number().int() }).openapi('BacklogVote');
  app.openapi(
    createRoute({ method: 'get', path: '/api/backlog-items/{id}/vote', tags, summary: 'Whether you voted for the item, and its vote count', request: { params: IdParam }, responses: { 200: { description: 'Your vote', content: json(VoteState) }, ...problemResponses(401, 404) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const item = await service.get(id);
      return c.json({ voted: await service.hasVoted(c.get('actor'), id), votes: item.votes }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/backlog-items/{id}/vote', tags, summary: 'Vote for the item (idempotent). Votes are shown, not ranked by, unless a custom formula names them', request: { params: IdParam }, responses: { 200: { description: 'Voted', content: json(VoteState) }, ...problemResponses(401, 403, 404, 409) } }),
    async (c) => {
      const item = await service.vote(c.get('actor'), c.req.valid('param').id, true);
      return c.json({ voted: true, votes: item.votes }, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/backlog-items/{id}/vote', tags, summary: 'Withdraw your vote (idempotent)', request: { params: IdParam }, responses: { 200: { description: 'Withdrawn', content: json(VoteState) }, ...problemResponses(401, 403, 404, 409) } }),
    async (c) => {
      const item = await service.vote(c.get('actor'), c.req.valid('param').id, false);
      return c.json({ voted: false, votes: item.votes }, 200);
    },
  );
}
