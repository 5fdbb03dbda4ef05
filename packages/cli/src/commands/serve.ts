import { resolve } from 'node:path';
import { DataDirLockedError, startServer, type StoreOptions } from '@meshboard/server';
import type { Command } from '../main';
import { parseCommandArgs, UsageError, type Io } from '../io';

const usage = `Usage: meshboard serve [options]

Starts the Meshboard server: the HTTP API under /api (OpenAPI at /api/openapi.json, docs at /api/docs).

Options:
  --port <n>             port to listen on (default: MESHBOARD_PORT or 8080)
  --host <name>          interface to bind (default: all)
  --data-dir <dir>       embedded store directory (default: ./.meshboard)
  --database-url <url>   use PostgreSQL instead (default: DATABASE_URL)
  --no-demo              do not load the demo mesh into an empty store
  --data-root <dir>      where relative file paths of contract servers resolve; check runs may not read
                         outside it (default: MESHBOARD_DATA_ROOT, else the data directory's parent, or
                         the working directory with PostgreSQL)

Environment: MESHBOARD_ADMIN_TOKEN registers a bootstrap admin token; without it one is generated and
printed once on the first start. Stops cleanly on SIGINT/SIGTERM.`;

/** Reads the options into what `startServer` needs; bad values are usage errors (exit 2). */
export function serveOptions(args: string[], io: Io): { store: StoreOptions; port: number; hostname?: string; demo: boolean; adminToken?: string; dataRoot?: string } {
  const parsed = parseCommandArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
      'data-root': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
  // An empty environment variable counts as unset.
  const env = (name: string): string | undefined => (io.env[name] === '' ? undefined : io.env[name]);
  const portText = parsed.port ?? env('MESHBOARD_PORT') ?? '8080';
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535, got "${portText}".`);
  const databaseUrl = parsed['database-url'] ?? env('DATABASE_URL');
  if (databaseUrl !== undefined && parsed['data-dir'] !== undefined) throw new UsageError('Give either --data-dir or --database-url, not both.');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError('--database-url must be a postgres:// or postgresql:// URL.');
  const store: StoreOptions =
    databaseUrl !== undefined ? { kind: 'postgres', url: databaseUrl } : { kind: 'embedded', dataDir: resolve(io.cwd, parsed['data-dir'] ?? '.meshboard') };
  const adminToken = env('MESHBOARD_ADMIN_TOKEN');
  const dataRoot = parsed['data-root'] ?? env('MESHBOARD_DATA_ROOT');
  return {
    store,
    port,
    ...(parsed.host === undefined ? {} : { hostname: parsed.host }),
    demo: !parsed['no-demo'],
    ...(adminToken === undefined ? {} : { adminToken }),
    ...(dataRoot === undefined ? {} : { dataRoot: resolve(io.cwd, dataRoot) }),
  };
}

/** `meshboard serve`: runs until SIGINT/SIGTERM, then finishes requests and closes the store. */
export const serveCommand: Command = {
  usage,
  run: async (args, io) => {
    const options = serveOptions(args, io);
    let server;
    try {
      server = await startServer({ ...options, log: (line) => io.stderr(`${line}\n`) });
    } catch (error) {
      if (error instanceof DataDirLockedError) {
        io.stderr(`meshboard serve: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const where = options.store.kind === 'embedded' ? `embedded store ${options.store.dataDir}` : 'PostgreSQL';
    io.stdout(`Meshboard is listening on ${server.url} (${where}). API docs: ${server.url}/api/docs\n`);
    const running = server;
    await new Promise<void>((done) => {
      const stop = (signal: NodeJS.Signals): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        io.stderr(`Received ${signal}; shutting down.\n`);
        void running.close().then(done, (error: unknown) => {
          io.stderr(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
          done();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
