import { createRoute, z } from '@hono/zod-openapi';
import { backlogKinds, backlogStates } from '@meshboard/model';
import type { Services } from '../../services/createServices';
import { horizons } from '../../services/roadmap/RoadmapService';
import type { App } from '../AppEnv';
import { etagFor, expectedVersion, ifNoneMatchHits, readIfMatch } from '../etag';
import { IdParam, problemResponses } from '../schemas';

const json = <T>(schema: T) => ({ 'application/json': { schema } });
const timestamp = z.string().openapi({ format: 'date-time' });
const horizon = z.enum(horizons);
const quarter = z.string().regex(/^[0-9]{4}-Q[1-4]$/, 'Write a quarter as YYYY-Qn, e.g. 2026-Q3.');
const date = z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'Write a date as YYYY-MM-DD.');

const StateChange = z
  .object({ from: z.enum(backlogStates).nullable(), to: z.enum(backlogStates), changedBy: z.object({ id: z.string().nullable(), label: z.string() }), changedAt: timestamp })
  .openapi('BacklogStateChange', { description: 'A state the item entered; from is null when the item was created in it.' });
const ItemSummary = z.object({ id: z.string(), number: z.number().int(), title: z.string(), kind: z.enum(backlogKinds), state: z.enum(backlogStates) }).openapi('RoadmapItem');
const Entry = z
  .object({ itemId: z.string(), productId: z.string(), item: ItemSummary, horizon: horizon.nullable(), position: z.number().int(), targetQuarter: z.string().nullable(), releaseId: z.string().nullable(), version: z.number().int(), updatedAt: timestamp.nullable() })
  .openapi('RoadmapEntry', { description: 'Where an item sits on the roadmap; version 0: never placed.' });
const Board = z.object({ productId: z.string(), now: z.array(Entry), next: z.array(Entry), later: z.array(Entry) }).openapi('RoadmapBoard');
const Placement = z
  .object({
    horizon: horizon.nullable().optional().openapi({ description: 'now, next or later; null takes the item off the board.' }),
    position: z.number().int().min(0).max(100_000).optional().openapi({ description: '0-based place in the horizon (clamped); default: the end when the horizon changes, else the current place.' }),
    targetQuarter: quarter.nullable().optional(),
    releaseId: z.string().nullable().optional().openapi({ description: 'A planned release of the same product; null: none.' }),
  })
  .strict()
  .openapi('RoadmapPlacement');
const TimelineRelease = z.object({ id: z.string(), name: z.string(), productVersion: z.string(), targetDate: z.string().nullable(), state: z.enum(['planned', 'released']) }).openapi('TimelineRelease');
const Timeline = z
  .object({
    productId: z.string(),
    by: z.enum(['release', 'quarter']),
    lanes: z.array(z.object({ key: z.string(), label: z.string(), release: TimelineRelease.nullable(), quarter: z.string().nullable(), items: z.array(Entry) })),
    unscheduled: z.array(Entry),
  })
  .openapi('RoadmapTimeline');
const NoteChange = z.object({ path: z.string(), change: z.string(), message: z.string() });
const ReleaseNotes = z
  .object({
    productName: z.string(),
    productVersion: z.string(),
    releaseName: z.string(),
    breaking: z.boolean(),
    contracts: z.array(z.object({ contractId: z.string(), externalId: z.string(), name: z.string(), fromVersion: z.string().nullable(), toVersion: z.string(), breaking: z.array(NoteChange), nonBreaking: z.array(NoteChange), informational: z.array(NoteChange) })),
    items: z.array(z.object({ id: z.string(), number: z.number().int(), title: z.string(), kind: z.enum(backlogKinds) })),
    markdown: z.string(),
  })
  .openapi('ReleaseNotes', { description: 'Generated when released: the contract diffs since the previous release and the items done in it.' });
const Release = z
  .object({
    id: z.string(),
    productId: z.string(),
    name: z.string(),
    productVersion: z.string(),
    description: z.string(),
    targetDate: z.string().nullable(),
    state: z.enum(['planned', 'released']),
    releasedAt: timestamp.nullable(),
    releasedBy: z.string().nullable(),
    notes: ReleaseNotes.nullable(),
    items: z.array(ItemSummary),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Release');
const releaseFields = {
  name: z.string().trim().min(1).max(200),
  productVersion: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/, 'Write the product version the release ships as, e.g. 1.4.0.'),
  targetDate: date.nullable().optional(),
  description: z.string().max(20_000).optional(),
};
const ReleaseCreate = z.object(releaseFields).strict().openapi('ReleaseCreate');
const ReleasePatch = z.object(releaseFields).partial().strict().openapi('ReleasePatch');
const ReleaseList = z.object({ items: z.array(Release) }).openapi('ReleaseList');
const ReleaseQuery = z.object({ state: z.enum(['planned', 'released']).optional().openapi({ description: 'released: the product’s changelog.' }) });
const TimelineQuery = z.object({ by: z.enum(['release', 'quarter']).optional().openapi({ description: 'release (default) or quarter.' }) });

/**
 * The roadmap API (issue 6): an item's state history, the now/next/later board and placements, the
 * timeline, and releases with generated notes. Handlers validate, call the services and present.
 */
export function registerRoadmapRoutes(app: App, services: Services): void {
  const { roadmap, releases, backlog } = services;

  app.openapi(
    createRoute({ method: 'get', path: '/api/backlog-items/{id}/history', tags: ['backlog'], summary: 'The states the item entered, oldest first, with who and when', request: { params: IdParam }, responses: { 200: { description: 'The history', content: json(z.object({ items: z.array(StateChange) }).openapi('BacklogStateHistory')) }, ...problemResponses(401, 404) } }),
    async (c) => c.json({ items: await backlog.history(c.req.valid('param').id) }, 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/roadmap', tags: ['roadmap'], summary: 'The product’s now / next / later board, each column in order', request: { params: IdParam }, responses: { 200: { description: 'The board', content: json(Board) }, ...problemResponses(401, 404) } }),
    async (c) => c.json(await roadmap.board(c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/roadmap/timeline', tags: ['roadmap'], summary: 'The roadmap by release (default) or by quarter; unscheduled: items with neither', request: { params: IdParam, query: TimelineQuery }, responses: { 200: { description: 'The timeline', content: json(Timeline) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json(await roadmap.timeline(c.req.valid('param').id, c.req.valid('query').by ?? 'release'), 200),
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/backlog-items/{id}/roadmap', tags: ['roadmap'], summary: 'Where the item sits on the roadmap (version 0: never placed)', request: { params: IdParam }, responses: { 200: { description: 'The entry', content: json(Entry) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const entry = await roadmap.entry(c.req.valid('param').id);
      const etag = etagFor(entry.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(entry, 200, { etag });
    },
  );
  app.openapi(
    createRoute({ method: 'put', path: '/api/backlog-items/{id}/roadmap', tags: ['roadmap'], summary: 'Place, reorder or schedule the item (horizon, position, target quarter, release); needs If-Match ("v0" before the first placement)', request: { params: IdParam, body: { content: json(Placement), required: true } }, responses: { 200: { description: 'Placed', content: json(Entry) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), async () => (await roadmap.entry(id)).version);
      const entry = await roadmap.place(c.get('actor'), { itemId: id, expectedVersion: version, placement: c.req.valid('json') });
      return c.json(entry, 200, { etag: etagFor(entry.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/products/{id}/releases', tags: ['releases'], summary: 'The product’s releases by target date with their items; state=released is its changelog (with notes)', request: { params: IdParam, query: ReleaseQuery }, responses: { 200: { description: 'The releases', content: json(ReleaseList) }, ...problemResponses(400, 401, 404) } }),
    async (c) => c.json({ items: await releases.list(c.req.valid('param').id, c.req.valid('query')) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/products/{id}/releases', tags: ['releases'], summary: 'Plan a release (a product version); needs a role in the product’s domain', request: { params: IdParam, body: { content: json(ReleaseCreate), required: true } }, responses: { 201: { description: 'Planned', content: json(Release) }, ...problemResponses(400, 401, 403, 404) } }),
    async (c) => {
      const release = await releases.create(c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
      return c.json(release, 201, { etag: etagFor(release.version), location: `/api/releases/${release.id}` });
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/api/releases/{id}', tags: ['releases'], summary: 'Read a release with its items and, once released, its notes', request: { params: IdParam }, responses: { 200: { description: 'The release', content: json(Release) }, 304: { description: 'Not modified' }, ...problemResponses(401, 404) } }),
    async (c) => {
      const release = await releases.get(c.req.valid('param').id);
      const etag = etagFor(release.version);
      if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag });
      return c.json(release, 200, { etag });
    },
  );
  const releaseVersion = (id: string) => async () => (await releases.get(id)).version;
  app.openapi(
    createRoute({ method: 'patch', path: '/api/releases/{id}', tags: ['releases'], summary: 'Change a planned release; needs If-Match', request: { params: IdParam, body: { content: json(ReleasePatch), required: true } }, responses: { 200: { description: 'Changed', content: json(Release) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), releaseVersion(id));
      const release = await releases.update(c.get('actor'), { id, expectedVersion: version, patch: c.req.valid('json') });
      return c.json(release, 200, { etag: etagFor(release.version) });
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/api/releases/{id}', tags: ['releases'], summary: 'Delete a planned release (its items stay on the roadmap); needs If-Match', request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), releaseVersion(id));
      await releases.remove(c.get('actor'), { id, expectedVersion: version });
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/api/releases/{id}/release', tags: ['releases'], summary: 'Release it: generate the notes (contract diffs since the previous release, items done) and notify subscribers and requesters; needs If-Match', request: { params: IdParam }, responses: { 200: { description: 'Released', content: json(Release) }, ...problemResponses(400, 401, 403, 404, 409, 412, 428) } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const version = await expectedVersion(readIfMatch(c.req.header('if-match')), releaseVersion(id));
      const release = await releases.release(c.get('actor'), { id, expectedVersion: version });
      return c.json(release, 200, { etag: etagFor(release.version) });
    },
  );
}
