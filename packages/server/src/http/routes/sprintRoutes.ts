import { createRoute, z } from '@hono/zod-openapi';
import { capacityUnits, decisionStatuses, sprintStates, unfinishedDestinations } from '@meshboard/model';
import type { Services } from '../../services/createServices';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, readIfMatch } from '../etag';
import { IdParam, problemResponses } from '../schemas';
import { BacklogItem } from './backlogRoutes';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const timestamp = z.string().openapi({ format: 'date-time' });
const day = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'Use a calendar day as YYYY-MM-DD.').openapi({ format: 'date', example: '2026-03-02' });
const line = z.string().trim().min(1).max(2000);

const Member = z.object({ userId: z.string().nullable().default(null), name: z.string().trim().min(1).max(200), available: z.number().min(0).max(10_000) }).strict().openapi('SprintMember', { description: 'A person’s availability in the sprint, in the sprint’s capacity unit (0: away).' });
const sprintFields = {
  name: z.string().trim().min(1).max(200),
  goal: z.string().max(5000).optional(),
  startDate: day,
  endDate: day,
  capacityUnit: z.enum(capacityUnits).openapi({ description: 'What capacity and item estimates count in: story points or person-days.' }),
  members: z.array(Member).max(200).optional(),
};
const SprintCreate = z.object(sprintFields).strict().openapi('SprintCreate');
const SprintPatch = z.object(sprintFields).partial().strict().openapi('SprintPatch');
const SprintItem = z.object({ position: z.number().int(), outcome: z.enum(['done', 'returned', 'carried']).nullable(), item: BacklogItem }).openapi('SprintItem');
const Commitment = z.object({ committed: z.number(), capacity: z.number(), unestimated: z.number().int(), warnings: z.array(z.string()) }).openapi('SprintCommitment');
const Sprint = z
  .object({
    id: z.string(),
    productId: z.string(),
    number: z.number().int(),
    name: z.string(),
    goal: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    capacityUnit: z.enum(capacityUnits),
    members: z.array(z.object({ userId: z.string().nullable(), name: z.string(), available: z.number() })),
    state: z.enum(sprintStates),
    closedAt: timestamp.nullable(),
    items: z.array(SprintItem),
    commitment: Commitment,
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Sprint');
const SprintList = z.object({ items: z.array(Sprint) }).openapi('SprintList');
const ItemRef = z.object({ itemId: z.string().min(1) }).strict().openapi('SprintItemRef');
const ItemParams = z.object({ id: IdParam.shape.id, itemId: z.string().openapi({ param: { name: 'itemId', in: 'path' } }) });
const Close = z.object({ unfinished: z.enum(unfinishedDestinations), nextSprintId: z.string().nullable().optional() }).strict().openapi('SprintClose', { description: 'Where unfinished items go: back to the backlog, or into the planned sprint nextSprintId.' });
const Burndown = z
  .object({ sprintId: z.string(), unit: z.enum(capacityUnits), startScope: z.number(), days: z.array(z.object({ date: z.string(), remaining: z.number().nullable(), ideal: z.number() })) })
  .openapi('SprintBurndown', { description: 'Remaining estimate at the end of each day (null: not ended yet, or after closing), replayed from the sprint’s scope events, and the ideal line from the starting scope to 0.' });

const RetroAction = z
  .object({ id: z.string(), sprintId: z.string(), sprintNumber: z.number().int(), title: z.string(), owner: z.object({ userId: z.string().nullable(), label: z.string() }), dueDate: z.string().nullable(), done: z.boolean(), doneAt: timestamp.nullable(), version: z.number().int(), createdAt: timestamp })
  .openapi('RetroAction');
const Retrospective = z
  .object({ sprintId: z.string(), wentWell: z.array(z.string()), toImprove: z.array(z.string()), version: z.number().int(), updatedAt: timestamp.nullable(), actions: z.array(RetroAction), carriedActions: z.array(RetroAction) })
  .openapi('Retrospective', { description: 'Version 0: not held yet. carriedActions: open actions of earlier sprints’ retrospectives, shown until done.' });
const RetrospectiveBody = z.object({ wentWell: z.array(line).max(100), toImprove: z.array(line).max(100) }).strict().openapi('RetrospectiveUpdate');
const actionFields = { title: z.string().trim().min(1).max(500), ownerUserId: z.string().nullable().optional(), ownerLabel: z.string().trim().min(1).max(200).optional(), dueDate: day.nullable().optional() };
const RetroActionCreate = z.object(actionFields).strict().openapi('RetroActionCreate');
const RetroActionPatch = z.object({ ...actionFields, done: z.boolean().optional() }).partial().strict().openapi('RetroActionPatch');

const DecisionOption = z.object({ title: z.string().trim().min(1).max(300), pros: z.string().max(5000).default(''), cons: z.string().max(5000).default('') }).strict().openapi('DecisionOption');
const decisionFields = {
  title: z.string().trim().min(1).max(300),
  context: z.string().max(20_000).optional(),
  options: z.array(DecisionOption).max(20).optional(),
  decision: z.string().max(20_000).optional(),
  consequences: z.string().max(20_000).optional(),
  status: z.enum(decisionStatuses).optional(),
  decidedOn: day.nullable().optional(),
  deciders: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
  supersededById: z.string().nullable().optional(),
  itemIds: z.array(z.string()).max(200).optional().openapi({ description: 'Backlog items of the same product this decision is about (replaces the links on change).' }),
};
const DecisionCreate = z.object(decisionFields).strict().openapi('DecisionCreate');
const DecisionPatch = z.object(decisionFields).partial().strict().openapi('DecisionPatch');
const Decision = z
  .object({
    id: z.string(),
    productId: z.string(),
    number: z.number().int(),
    title: z.string(),
    context: z.string(),
    options: z.array(z.object({ title: z.string(), pros: z.string(), cons: z.string() })),
    decision: z.string(),
    consequences: z.string(),
    status: z.enum(decisionStatuses),
    decidedOn: z.string().nullable(),
    deciders: z.array(z.string()),
    supersededById: z.string().nullable(),
    items: z.array(z.object({ id: z.string(), number: z.number().int(), title: z.string(), state: z.string() })),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Decision');
const DecisionList = z.object({ items: z.array(Decision) }).openapi('DecisionList');

/**
 * Sprints, retrospectives and the decision log (issue 6). Handlers validate, resolve If-Match, call the
 * services and set the ETag; rules (authorisation, capacity, workflow, audit) live in the services.
 */
export function registerSprintRoutes(app: App, services: Services): void {
  const { sprints, retrospectives, decisions } = services;
  const sprintVersion = (id: string) => async () => (await sprints.get(id)).version;
  const versionOf = (header: string | undefined, current: () => Promise<number>) => expectedVersion(readIfMatch(header), current);

  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/sprints', tags: ['sprints'], summary: 'A product’s sprints, newest first, each with its scope and commitment against capacity', request: { params: IdParam, query: z.object({ state: z.enum(sprintStates).optional() }) }, responses: { 200: { description: 'The sprints', content: json(SprintList) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json({ items: await sprints.list(c.req.valid('param').id, c.req.valid('query')) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/products/{id}/sprints', tags: ['sprints'], summary: 'Plan a sprint (a role in the product’s domain)', request: { params: IdParam, body: { content: json(SprintCreate), required: true } }, responses: { 201: { description: 'Planned', content: json(Sprint) }, ...problemResponses(400, 401, 403, 404) } }),
    async (c) => {
      const sprint = await sprints.create(c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
      return c.json(sprint, 201, { etag: etagFor(sprint.version), location: `/api/sprints/${sprint.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/sprints/{id}', tags: ['sprints'], summary: 'Read a sprint with its scope and commitment', request: { params: IdParam }, responses: { 200: { description: 'The sprint', content: json(Sprint) }, ...problemResponses(401, 404) } }),
    async (c) => {
      const sprint = await sprints.get(c.req.valid('param').id);
      return c.json(sprint, 200, { etag: etagFor(sprint.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/sprints/{id}', tags: ['sprints'], summary: 'Change a planned or running sprint’s name, goal, dates, unit or members; needs If-Match', request: { params: IdParam, body: { content: json(SprintPatch), required: true } }, responses: { 200: { description: 'Changed', content: json(Sprint) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const sprint = await sprints.update(c.get('actor'), { id, expectedVersion: await versionOf(c.req.header('if-match'), sprintVersion(id)), patch: c.req.valid('json') });
      return c.json(sprint, 200, { etag: etagFor(sprint.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/sprints/{id}/items', tags: ['sprints'], summary: 'Pull a triaged or later open backlog item into the sprint (a triaged item becomes planned); needs If-Match of the sprint', request: { params: IdParam, body: { content: json(ItemRef), required: true } }, responses: { 200: { description: 'The sprint', content: json(Sprint) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const sprint = await sprints.addItem(c.get('actor'), { id, expectedVersion: await versionOf(c.req.header('if-match'), sprintVersion(id)), itemId: c.req.valid('json').itemId });
      return c.json(sprint, 200, { etag: etagFor(sprint.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/sprints/{id}/items/{itemId}', tags: ['sprints'], summary: 'Take an item out of the sprint (it keeps its state); needs If-Match of the sprint', request: { params: ItemParams }, responses: { 200: { description: 'The sprint', content: json(Sprint) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id, itemId } = c.req.valid('param');
      const sprint = await sprints.removeItem(c.get('actor'), { id, expectedVersion: await versionOf(c.req.header('if-match'), sprintVersion(id)), itemId });
      return c.json(sprint, 200, { etag: etagFor(sprint.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/sprints/{id}/start', tags: ['sprints'], summary: 'Start a planned sprint (one running sprint per product); needs If-Match', request: { params: IdParam }, responses: { 200: { description: 'Started', content: json(Sprint) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const sprint = await sprints.start(c.get('actor'), { id, expectedVersion: await versionOf(c.req.header('if-match'), sprintVersion(id)) });
      return c.json(sprint, 200, { etag: etagFor(sprint.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/sprints/{id}/close', tags: ['sprints'], summary: 'Close the running sprint: unfinished items go back to the backlog or into a planned sprint; needs If-Match', request: { params: IdParam, body: { content: json(Close), required: true } }, responses: { 200: { description: 'Closed', content: json(Sprint) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const sprint = await sprints.close(c.get('actor'), { id, expectedVersion: await versionOf(c.req.header('if-match'), sprintVersion(id)), ...c.req.valid('json') });
      return c.json(sprint, 200, { etag: etagFor(sprint.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/sprints/{id}/burndown', tags: ['sprints'], summary: 'The sprint’s burndown: remaining estimate per day from the real item changes, against the ideal line', request: { params: IdParam }, responses: { 200: { description: 'The burndown', content: json(Burndown) }, ...problemResponses(401, 404) } }),
    async (c) => c.json(await sprints.burndown(c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/sprints/{id}/retrospective', tags: ['retrospectives'], summary: 'The sprint’s retrospective with its actions and the open actions carried from earlier sprints', request: { params: IdParam }, responses: { 200: { description: 'The retrospective', content: json(Retrospective) }, ...problemResponses(401, 404) } }),
    async (c) => {
      const retro = await retrospectives.get(c.req.valid('param').id);
      return c.json(retro, 200, { etag: etagFor(retro.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/sprints/{id}/retrospective', tags: ['retrospectives'], summary: 'Save what went well and what to improve; needs If-Match ("v0" before the first save)', request: { params: IdParam, body: { content: json(RetrospectiveBody), required: true } }, responses: { 200: { description: 'Saved', content: json(Retrospective) }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await versionOf(c.req.header('if-match'), async () => (await retrospectives.get(id)).version);
      const retro = await retrospectives.save(c.get('actor'), { sprintId: id, expectedVersion: version, ...c.req.valid('json') });
      return c.json(retro, 200, { etag: etagFor(retro.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/sprints/{id}/retrospective/actions', tags: ['retrospectives'], summary: 'Agree an action with an owner (ownerUserId or ownerLabel) and an optional due date', request: { params: IdParam, body: { content: json(RetroActionCreate), required: true } }, responses: { 201: { description: 'Added', content: json(RetroAction) }, ...problemResponses(400, 401, 403, 404) } }),
    async (c) => {
      const action = await retrospectives.addAction(c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
      return c.json(action, 201, { etag: etagFor(action.version), location: `/api/retro-actions/${action.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/retro-actions/{id}', tags: ['retrospectives'], summary: 'Change an action or mark it done (done: true) or open again; needs If-Match', request: { params: IdParam, body: { content: json(RetroActionPatch), required: true } }, responses: { 200: { description: 'Changed', content: json(RetroAction) }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await versionOf(c.req.header('if-match'), async () => (await retrospectives.getAction(id)).version);
      const action = await retrospectives.updateAction(c.get('actor'), { id, expectedVersion: version, patch: c.req.valid('json') });
      return c.json(action, 200, { etag: etagFor(action.version) });
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/decisions', tags: ['decisions'], summary: 'A product’s decision log, newest first, optionally of one status', request: { params: IdParam, query: z.object({ status: z.enum(decisionStatuses).optional() }) }, responses: { 200: { description: 'The decisions', content: json(DecisionList) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json({ items: await decisions.list(c.req.valid('param').id, c.req.valid('query')) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/products/{id}/decisions', tags: ['decisions'], summary: 'Record a decision (a role in the product’s domain), linked to backlog items', request: { params: IdParam, body: { content: json(DecisionCreate), required: true } }, responses: { 201: { description: 'Recorded', content: json(Decision) }, ...problemResponses(400, 401, 403, 404) } }),
    async (c) => {
      const decision = await decisions.create(c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
      return c.json(decision, 201, { etag: etagFor(decision.version), location: `/api/decisions/${decision.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/decisions/{id}', tags: ['decisions'], summary: 'Read a decision', request: { params: IdParam }, responses: { 200: { description: 'The decision', content: json(Decision) }, ...problemResponses(401, 404) } }),
    async (c) => {
      const decision = await decisions.get(c.req.valid('param').id);
      return c.json(decision, 200, { etag: etagFor(decision.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/api/decisions/{id}', tags: ['decisions'], summary: 'Change a decision: fields, status (superseded needs supersededById), linked items; needs If-Match', request: { params: IdParam, body: { content: json(DecisionPatch), required: true } }, responses: { 200: { description: 'Changed', content: json(Decision) }, ...problemResponses(400, 401, 403, 404, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await versionOf(c.req.header('if-match'), async () => (await decisions.get(id)).version);
      const decision = await decisions.update(c.get('actor'), { id, expectedVersion: version, patch: c.req.valid('json') });
      return c.json(decision, 200, { etag: etagFor(decision.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/backlog-items/{id}/decisions', tags: ['decisions'], summary: 'The decisions linked to a backlog item', request: { params: IdParam }, responses: { 200: { description: 'The decisions', content: json(DecisionList) }, ...problemResponses(401, 404) } }),
    async (c) => c.json({ items: await decisions.forItem(c.req.valid('param').id) }, 200),
  );
}
