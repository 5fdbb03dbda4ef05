/**
 * `npm run generate:client`: builds the server's HTTP app in-process (over a query-less Kysely, so no
 * store is opened), reads `/api/openapi.json` and writes `src/generated/openapi.json` and
 * `src/generated/api.ts`. With `--check` it writes nothing and exits 1 when the committed files differ
 * (the staleness test runs it that way).
 *
 * This build-time tool is the one place the client reads the server: the client library itself only
 * knows the generated types.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
// eslint-disable-next-line no-restricted-imports -- build-time tool: it reads the server's OpenAPI document, the client library does not import the server
import { createApp, createServices } from '@meshboard/server';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { openApiToTypeScript, type OpenApiDocument } from '../src/generate/openApiToTypeScript';

const generatedDir = new URL('../src/generated/', import.meta.url);

/** The current OpenAPI document and the generated module text, as the script would write them. */
export async function generatedFiles(): Promise<{ openapi: string; types: string }> {
  const db: Parameters<typeof createServices>[0] = new Kysely({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const app = createApp({ services: createServices(db), checkStore: async () => undefined });
  const response = await app.request('/api/openapi.json');
  if (response.status !== 200) throw new Error(`GET /api/openapi.json answered ${response.status}.`);
  const document = (await response.json()) as OpenApiDocument;
  await db.destroy();
  return {
    openapi: `${JSON.stringify(document, null, 2)}\n`,
    types: openApiToTypeScript(document, 'packages/client/src/generated/openapi.json'),
  };
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const files = await generatedFiles();
  const targets: Array<[string, string]> = [
    ['openapi.json', files.openapi],
    ['api.ts', files.types],
  ];
  const stale: string[] = [];
  for (const [name, text] of targets) {
    const path = fileURLToPath(new URL(name, generatedDir));
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current === text) continue;
    stale.push(name);
    if (!check) await writeFile(path, text);
  }
  if (check) {
    if (stale.length > 0) {
      console.error(`packages/client/src/generated is stale (${stale.join(', ')}): run npm run generate:client and commit the result.`);
      return 1;
    }
    console.log('packages/client/src/generated is up to date.');
    return 0;
  }
  console.log(stale.length === 0 ? 'packages/client/src/generated was already up to date.' : `Wrote ${stale.map((name) => `packages/client/src/generated/${name}`).join(', ')}.`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main();
}
