// The CLI's bundled entry (ADR 0005): packages/cli/src/main.ts, the workspace sources it imports
// (model, checks, server, client) and the plain-JavaScript packages they use, compiled by esbuild into
// packages/cli/dist/<build>/main.js. Packages that find files or native code next to themselves stay
// external (loaded by Node from node_modules as usual): see `externalPackages`. Starting from it skips
// tsx's loader hooks, which dominated `meshboard serve`'s restart time (issue 4), and the resolution,
// reading and compiling of ~700 separate ES/CommonJS module files of node_modules (kysely alone has 264).
//
// `node packages/cli/scripts/bundle.mjs` builds when stale (`npm start` runs it); bin/meshboard.js asks
// `freshBundle()` and builds on `serve` when stale, falling back to tsx when a build fails.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('..', import.meta.url));
const packages = join(cli, '..');
const dist = join(cli, 'dist');
const pointer = join(dist, 'current.json');
/** Builds kept besides the current one: a running server may still lazily import chunks of its own. */
const keptBuilds = 3;

/**
 * What a bundle is built from: the sources of the packages the CLI imports, their manifests, this script,
 * and the installed packages (bundled too): npm rewrites `node_modules/.package-lock.json` (one for the
 * whole workspace, nested installs such as the model's ajv included) on every install, update or
 * removal, and `package-lock.json` when the wanted versions change.
 */
const sources = [
  ...['model', 'checks', 'server', 'client', 'cli'].flatMap((name) => [join(packages, name, 'src'), join(packages, name, 'package.json')]),
  fileURLToPath(import.meta.url),
  join(packages, '..', 'package-lock.json'),
  join(packages, '..', 'node_modules', '.package-lock.json'),
];

/**
 * Third-party packages that stay external (imported from node_modules at run time) instead of being
 * bundled: they load files or native code from their own directory (PGlite's WASM, data and extension
 * bundles; argon2's and DuckDB's native modules; swagger-ui's assets, whose directory is resolved), or
 * are only needed by tooling (tsx, esbuild), or are optional and not installed (pg-native, which `pg`
 * requires only when `pg.native` is read). Every other package is plain JavaScript and is bundled.
 */
const externalPackages = ['@electric-sql/pglite', '@node-rs/argon2', '@duckdb/node-api', '@duckdb/node-bindings', 'swagger-ui-dist', 'tsx', 'esbuild', 'pg-native', 'pg-cloudflare'];

/** The newest modification time under `path` (0 when it does not exist). */
function newest(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), info.mtimeMs);
}

/** The current build's entry, or undefined when there is none. */
function currentEntry() {
  try {
    const { build, startedAt } = JSON.parse(readFileSync(pointer, 'utf8'));
    const entry = join(dist, build, 'main.js');
    return { entry, startedAt: Number(startedAt), exists: statSync(entry).isFile() };
  } catch {
    return undefined;
  }
}

/**
 * The file URL of the bundled CLI entry when a build exists and is newer than every source it was
 * built from; undefined when there is none or it is stale (then run the sources through tsx, or build).
 */
export function freshBundle() {
  const current = currentEntry();
  if (current === undefined || !current.exists) return undefined;
  return current.startedAt >= Math.max(...sources.map(newest)) ? pathToFileURL(current.entry).href : undefined;
}

/** The directory of package `name` as Node finds it from `dir` (walking up node_modules), or undefined. */
function packageDir(name, dir) {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(at) === at) return undefined;
  }
}

/** The package name of a bare import (`@scope/name` or `name`). */
function packageName(specifier) {
  return specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/**
 * A bare import of a source, as the bundle in `outdir` must write it so that Node's ESM resolution
 * finds the same file the source found through tsx. tsx resolves like CommonJS, so a source may import
 * a file of a package without `exports` and without its extension (`ajv/dist/2019`); and a package may
 * be installed for one workspace only (`packages/model/node_modules/ajv` is ajv 8, the root one ajv 6).
 * A package without `exports` is therefore imported by the relative path of the file it resolves to
 * from the source; one with `exports` must resolve to the same directory from the bundle (else the
 * build fails and the CLI falls back to tsx).
 */
function nodeSpecifier(specifier, resolveDir, outdir) {
  if (specifier.startsWith('node:')) return specifier;
  const name = packageName(specifier);
  const fromSource = packageDir(name, resolveDir);
  if (fromSource === undefined) return specifier; // A Node built-in without `node:`, or truly missing.
  const manifest = JSON.parse(readFileSync(join(fromSource, 'package.json'), 'utf8'));
  if (manifest.exports === undefined) {
    const file = createRequire(join(resolveDir, 'noop.js')).resolve(specifier);
    const path = relative(outdir, file).split(sep).join('/');
    return path.startsWith('.') ? path : `./${path}`;
  }
  if (packageDir(name, outdir) !== fromSource) throw new Error(`${specifier}: the bundle would load another copy of ${name} than ${resolveDir} does`);
  return specifier;
}

/**
 * Builds the bundle into a new directory and then points `dist/current.json` at it (written to a
 * temporary file and renamed, so a concurrent start sees either the old or the new build, never half
 * of one). Returns the entry's file URL.
 */
export async function buildBundle() {
  // esbuild is tsx's own dependency (tsx is the CLI's), so it is resolved through tsx.
  const require = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  const esbuild = require('esbuild');
  // A source saved while building is newer than the start, so the next start rebuilds.
  const startedAt = Date.now();
  const build = `${startedAt.toString(36)}-${process.pid}`;
  const outdir = join(dist, build);
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { main: join(cli, 'src', 'main.ts') },
    outdir,
    bundle: true,
    // Lazy imports (commands, the DuckDB connector) stay lazy: each becomes a chunk loaded on first use.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    // Bundled CommonJS packages (pg, pg-boss, ajv, …) call require() for Node's built-ins, which an ES
    // module does not have: each output file gets its own.
    banner: { js: "import { createRequire as __meshboardCreateRequire } from 'node:module';\nconst require = __meshboardCreateRequire(import.meta.url);" },
    plugins: [
      {
        name: 'meshboard-sources',
        setup(build) {
          // Workspace and plain-JavaScript packages are bundled (esbuild resolves them from the importing
          // file as Node would, so each importer gets the copy it gets at run time, e.g. the model's ajv 8);
          // the external ones stay runtime imports of node_modules.
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            externalPackages.includes(packageName(args.path)) ? { path: nodeSpecifier(args.path, args.resolveDir, outdir), external: true } : undefined,
          );
          // `import.meta.url` keeps meaning the source file's URL (demo data, the web build, swagger-ui's
          // directory are found relative to it): rewritten as a path relative to the bundle's directory.
          build.onLoad({ filter: /\.tsx?$/ }, (args) => {
            const text = readFileSync(args.path, 'utf8');
            if (!text.includes('import.meta.url')) return undefined;
            const fromBundle = relative(outdir, args.path).split(sep).join('/');
            return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: args.path.endsWith('x') ? 'tsx' : 'ts', resolveDir: dirname(args.path) };
          });
        },
      },
    ],
  });
  const temporary = `${pointer}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ build, startedAt })}\n`);
  renameSync(temporary, pointer);
  // Older builds beyond the kept few are removed (best effort: another process may be removing them too).
  const builds = readdirSync(dist, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== build)
    .map((entry) => ({ name: entry.name, time: statSync(join(dist, entry.name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of builds.slice(keptBuilds)) rmSync(join(dist, old.name), { recursive: true, force: true });
  return pathToFileURL(join(outdir, 'main.js')).href;
}

// Run as a script: build when stale.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (freshBundle() !== undefined) console.log('meshboard: the CLI bundle (packages/cli/dist) is up to date.');
  else {
    console.log('meshboard: bundling the CLI and server (packages/cli/dist)…');
    await buildBundle();
  }
}
