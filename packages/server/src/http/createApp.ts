import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { InputError, NotAuthenticatedError, NotFoundError, type FieldProblem } from '../errors/errors';
import type { Services } from '../services/createServices';
import { sqlState } from '../store/databaseErrors';
import { authenticatesInHandler, type App, type AppEnv } from './AppEnv';
import { bearerToken } from './bearerToken';
import { problemResponse } from './problem';
import { registerAccessRoutes } from './routes/accessRoutes';
import { registerAuditRoutes } from './routes/auditRoutes';
import { registerAuthRoutes } from './routes/authRoutes';
import { registerBacklogRoutes } from './routes/backlogRoutes';
import { registerCheckRunRoutes } from './routes/checkRunRoutes';
import { registerCrossDomainRoutes } from './routes/crossDomainRoutes';
import { registerCatalogRoutes } from './routes/catalogRoutes';
import { registerProductPageRoutes } from './routes/productPageRoutes';
import { registerPublishRoutes } from './routes/publishRoutes';
import { registerDomainRoutes } from './routes/domainRoutes';
import { registerFeedbackRoutes } from './routes/feedbackRoutes';
import { registerHealthRoutes } from './routes/healthRoutes';
import { registerTeamRoutes } from './routes/teamRoutes';
import { registerUserRoutes } from './routes/userRoutes';
import { registerProductLoopRoutes } from './routes/productLoopRoutes';
import { registerLifecycleRoutes } from './routes/lifecycleRoutes';
import { registerRoadmapRoutes } from './routes/roadmapRoutes';
import { registerSprintRoutes } from './routes/sprintRoutes';
import { registerWebApp } from './webApp';

/** What the HTTP app needs: the services, a way to ask the store whether it is up, and an error log. */
export interface AppOptions {
  services: Services;
  /** Resolves when the store answers a trivial query; used by GET /api/health. */
  checkStore: () => Promise<void>;
  /** Where unexpected errors go (their details never reach the client). */
  logError?: (error: unknown, context: { method: string; path: string }) => void;
}

/** The largest request body accepted (documents of later slices fit well within it). */
export const maxBodyBytes = 8 * 1024 * 1024;

/** Paths reachable without a bearer token. */
const publicPaths = new Set(['/api/health', '/api/openapi.json', '/api/auth/sign-in']);

function isPublic(path: string): boolean {
  return publicPaths.has(path) || path === '/api/docs' || path.startsWith('/api/docs/');
}

function escapePointer(segment: PropertyKey): string {
  return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The 400 for a URL holding a NUL character: in the path, or in which query parameter. */
function nulInUrl(url: URL): InputError {
  const message = 'The request URL holds the NUL character (%00).';
  if (url.pathname.includes('%00')) return new InputError(message, [{ parameter: 'path', detail: `Remove %00 from ${url.pathname}.` }]);
  const problems: FieldProblem[] = [];
  for (const [name, value] of url.searchParams) if (name.includes('\0') || value.includes('\0')) problems.push({ parameter: name.replaceAll('\0', '%00'), detail: 'Remove %00 from this parameter.' });
  return new InputError(message, problems.length > 0 ? problems : [{ parameter: 'query', detail: 'Remove %00 from the query.' }]);
}

/**
 * Builds the HTTP API: validation failures become `invalid-input` problems with field pointers, every
 * error goes through the one problem table, every path but health, docs and sign-in needs a bearer
 * token. Tested in-process with `app.request()`.
 */
export function createApp(options: AppOptions): App {
  const app: App = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return undefined;
      const problems: FieldProblem[] = result.error.issues.map((issue) =>
        result.target === 'json'
          ? { pointer: issue.path.length === 0 ? '' : `/${issue.path.map(escapePointer).join('/')}`, detail: issue.message }
          : { parameter: String(issue.path[0] ?? result.target), detail: issue.message },
      );
      throw new InputError(result.target === 'json' ? 'The request body is not valid.' : 'A request parameter is not valid.', problems);
    },
  });

  app.onError((error, c) => {
    // Hono's own validators throw HTTPException(400) for unreadable bodies (malformed JSON, wrong type).
    let translated = error instanceof HTTPException && error.status === 400 ? new InputError(`The request body could not be read: ${error.message}`, [{ pointer: '', detail: error.message }]) : error;
    // PostgreSQL stores no NUL character in text (22021) nor the \u0000 escape in jsonb (22P05): a value
    // in the body that holds one is the client's error, not the server's. (Path and query are checked
    // before routing, with the parameter named; see below.)
    const state = sqlState(error);
    if (state === '22021' || state === '22P05') translated = new InputError('A text value in the request holds the NUL character (U+0000), which cannot be stored.', [{ pointer: '', detail: 'Remove U+0000 from the request body.' }]);
    const response = problemResponse(translated, c.req.path);
    if (response.status >= 500) options.logError?.(error, { method: c.req.method, path: c.req.path });
    return response;
  });
  app.notFound((c) => problemResponse(new NotFoundError(`No route ${c.req.method} ${c.req.path}.`), c.req.path));

  // Bodies are read whole into memory: cap them before parsing so a hostile client cannot exhaust it.
  // GET and HEAD skip the check: no handler of theirs reads a body (the server discards one), and the
  // check itself turned Node's request into a full Fetch Request on every read (`raw.body`), about a
  // tenth of a product read's CPU (issue 4).
  const limitBody = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new InputError(`The request body is larger than ${maxBodyBytes / 1024 / 1024} MiB.`, [{ pointer: '', detail: 'Send a smaller body.' }]);
    },
  });
  // A NUL character in the URL (only ever sent as %00) can be no id, slug or filter value, and PostgreSQL
  // refuses it in text: answered as the bad input it is, naming the parameter, before any handler reads
  // it. In the same middleware as the body limit: one step less on every request.
  app.use('/api/*', (c, next) => {
    if (c.req.url.includes('%00')) throw nulInUrl(new URL(c.req.url));
    return c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next);
  });
  app.use(
    '/api/*',
    createMiddleware<AppEnv>(async (c, next) => {
      if (isPublic(c.req.path)) return next();
      const secret = bearerToken(c);
      if (secret === undefined) throw new NotAuthenticatedError('Send Authorization: Bearer <token> (sign in at POST /api/auth/sign-in or use an API token).');
      if (authenticatesInHandler(c.req.method, c.req.path)) c.set('bearer', secret);
      else c.set('actor', await options.services.auth.authenticate(secret));
      await next();
    }),
  );

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API token or a session token from POST /api/auth/sign-in.' });
  registerHealthRoutes(app, options.checkStore, () => (options.services.search.indexReady ? 'index' : 'sql'));
  registerAuthRoutes(app, options.services);
  registerDomainRoutes(app, options.services);
  registerTeamRoutes(app, options.services);
  registerUserRoutes(app, options.services);
  registerAuditRoutes(app, options.services);
  registerCheckRunRoutes(app, options.services);
  registerCatalogRoutes(app, options.services);
  registerPublishRoutes(app, options.services);
  registerAccessRoutes(app, options.services);
  registerFeedbackRoutes(app, options.services);
  registerProductPageRoutes(app, options.services);
  registerBacklogRoutes(app, options.services);
  registerCrossDomainRoutes(app, options.services);
  registerProductLoopRoutes(app, options.services);
  registerLifecycleRoutes(app, options.services);
  registerRoadmapRoutes(app, options.services);
  registerSprintRoutes(app, options.services);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Meshboard API', version: '0.1.0', description: 'The Meshboard server: domains, teams, users, tokens and the audit log. Errors are RFC 9457 problem+json.' },
    security: [{ bearer: [] }],
  });

  // The directory of the locally installed swagger-ui-dist (no CDN); resolved, not imported, to skip its bundle.
  const assets = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  app.get('/api/docs', (c) =>
    c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Meshboard API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`),
  );
  app.get('/api/docs/init.js', (c) =>
    c.body("window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' });\n", 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  const served: Record<string, string> = { 'swagger-ui.css': 'text/css; charset=utf-8', 'swagger-ui-bundle.js': 'text/javascript; charset=utf-8' };
  app.get('/api/docs/:file', async (c) => {
    const file = c.req.param('file');
    const type = served[file];
    if (type === undefined) return c.notFound();
    return c.body(await readFile(join(assets, file)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  registerWebApp(app);
  return app;
}
