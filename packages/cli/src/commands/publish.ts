import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError, createClient, type OperationResult } from '@meshboard/client';
import { lintDocuments, readSource } from '@meshboard/model';
import { UsageError } from '../io';
import type { Command } from '../main';
import { connection, type CatalogResource } from './catalogHttp';
import { collect, reason } from './lint';

const usage = `Usage: meshboard publish <dir> --url URL --token TOKEN [--force] [--dry-run]

Publishes every ODCS data contract and ODPS data product under <dir> to a Meshboard server: lints the
folder first (nothing is sent when a file is invalid), then upserts the contracts, then the products.
Idempotent: a document the server already has is "unchanged" and nothing is written. A changed
document becomes a new version in its history (or a revision when it keeps its version).

Options:
  --url URL      the server (or MESHBOARD_URL), e.g. http://localhost:8080
  --token TOKEN  an API token (or MESHBOARD_TOKEN); needs a role in each document's domain
  --force        publish breaking changes that keep their version (otherwise refused)
  --dry-run      show what would change; write nothing

Exit codes: 0 everything published or unchanged, 1 a file invalid or a publish refused, 2 usage error
or unreadable input.`;

/** One document of the folder, in publish order. */
interface Planned {
  resource: CatalogResource;
  id: string;
  version: string;
  path: string;
  document: unknown;
  /** The file's text: its length sizes the requests; read again with positions only to locate a refusal. */
  text: string;
}

type BatchAnswer = OperationResult<'POST /api/publish'>;
type BatchResult = BatchAnswer['results'][number];

/** Documents per POST /api/publish (the server takes up to 1,000) and characters of source per request (the body limit is 8 MiB). */
const batchDocuments = 250;
const batchCharacters = 4 * 1024 * 1024;

/** `meshboard publish`: lint, then upsert every contract and product of a folder over HTTP. */
export const publishCommand: Command = {
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseOptions(args);
    const { url, token } = connection(values, io.env);
    if (positionals.length !== 1) throw new UsageError('give exactly one folder to publish');
    if (url === undefined) throw new UsageError('give the server with --url (or MESHBOARD_URL)');
    if (token === undefined) throw new UsageError('give an API token with --token (or MESHBOARD_TOKEN)');
    const dir = resolve(io.cwd, positionals[0] ?? '.');

    let paths: string[];
    const sources: { path: string; text: string }[] = [];
    try {
      paths = await collect(dir);
      for (const path of paths) sources.push({ path: relative(io.cwd, path) || path, text: await readFile(path, 'utf8') });
    } catch (error) {
      io.stderr(`meshboard publish: cannot read ${positionals[0] ?? dir}: ${reason(error)}\n`);
      return 2;
    }
    const report = lintDocuments(sources);
    if (!report.valid) {
      for (const file of report.files) {
        for (const problem of file.problems.filter((p) => p.severity === 'error')) io.stderr(`${file.path}:${problem.line}:${problem.column} ${problem.message} [${problem.rule}]\n`);
      }
      io.stderr(`meshboard publish: ${report.files.filter((file) => !file.valid).length} invalid file(s); nothing was published (see \`meshboard lint\`).\n`);
      return 1;
    }
    const planned: Planned[] = [];
    for (const [index, file] of report.files.entries()) {
      const source = sources[index];
      if (source === undefined) continue;
      if (file.standard !== 'odcs' && file.standard !== 'odps') {
        io.stdout(`skipped ${file.path}: ${file.standard === 'unknown' ? 'not a data contract or product' : `${file.standard.toUpperCase()} is linted but not published; convert it to ODCS/ODPS`}\n`);
        continue;
      }
      const value = parse(source.path, source.text);
      planned.push({ resource: file.standard === 'odcs' ? 'contracts' : 'products', id: String(value['id']), version: String(value['version'] ?? ''), path: file.path, document: value, text: source.text });
    }
    // Contracts first: a product's output ports must name contracts the catalog already has.
    planned.sort((a, b) => (a.resource === b.resource ? 0 : a.resource === 'contracts' ? -1 : 1));
    if (planned.length === 0) {
      io.stderr(`meshboard publish: no ODCS contract or ODPS product under ${positionals[0] ?? dir}\n`);
      return 2;
    }

    const client = createClient({ baseUrl: url.replace(/\/+$/, ''), token: () => token });
    const counts = { created: 0, published: 0, revised: 0, unchanged: 0, refused: 0 };
    const newContracts = new Set<string>();
    const dryRun = values['dry-run'] === true;
    const would = dryRun ? 'would be ' : '';
    const clear = io.isTty ? '\r\u001b[2K' : '';
    let done = 0;
    for (const batch of batches(planned)) {
      if (io.isTty) io.stdout(`${clear}[${done}/${planned.length}] publishing ${batch.length} document(s)…`);
      let answer: BatchAnswer;
      try {
        answer = await client.call('POST /api/publish', { body: { documents: batch.map((item) => ({ kind: item.resource === 'contracts' ? ('contract' as const) : ('product' as const), document: item.document as Record<string, unknown> })), force: values.force === true, dryRun } });
      } catch (error) {
        io.stdout(clear);
        io.stderr(`meshboard publish: the server refused the request (${done} of ${planned.length} document(s) before it were answered): ${error instanceof Error ? error.message : String(error)}\n`);
        return error instanceof ApiError && error.status === 0 ? 2 : 1;
      }
      for (const result of answer.results) {
        const item = batch[result.index];
        if (item === undefined) continue;
        const noun = item.resource === 'contracts' ? 'contract' : 'product';
        if (result.outcome !== 'refused') {
          counts[result.outcome] += 1;
          if (result.outcome === 'created' && item.resource === 'contracts') newContracts.add(item.id);
          if (result.outcome !== 'unchanged') io.stdout(`${clear}${describe(noun, item, result, would)}\n`);
          continue;
        }
        const problems = result.error?.problems ?? [];
        if (dryRun && portsNameNewContracts(problems, newContracts)) {
          // A dry run rolls each request back, so contracts new in an earlier request cannot bind ports yet.
          counts.created += 1;
          io.stdout(`${clear}${noun} ${item.id} ${item.version} ${would}created (${item.path})\n`);
          continue;
        }
        counts.refused += 1;
        io.stdout(clear);
        io.stderr(`refused ${noun} ${item.id} (${item.path}): ${result.error?.detail ?? 'refused'}\n`);
        const located = problems.length === 0 ? undefined : readSource(item.path, item.text);
        for (const problem of problems) {
          const at = problem.pointer === undefined || located === undefined ? { line: 1, column: 1 } : located.locate(problem.pointer);
          io.stderr(`  ${item.path}:${at.line}:${at.column} ${problem.pointer ?? problem.parameter ?? ''} ${problem.detail}\n`);
        }
      }
      done += batch.length;
    }
    if (io.isTty) io.stdout(clear);
    const total = planned.length;
    if (counts.unchanged === total) {
      io.stdout(`Nothing to publish: the catalog already has all ${total} document(s) of ${positionals[0] ?? dir} unchanged.\n`);
      return 0;
    }
    io.stdout(
      `${dryRun ? 'Dry run: ' : ''}${counts.created} ${would}created, ${counts.published} ${would}published as new versions, ${counts.revised} ${would}revised, ${counts.unchanged} unchanged${counts.refused > 0 ? `, ${counts.refused} refused` : ''}.\n`,
    );
    return counts.refused > 0 ? 1 : 0;
  },
};

/**
 * The value of a file lint already found valid. JSON files (what generators write, thousands at a time)
 * take the fast JSON.parse; YAML needs the model's reader. Positions are only needed for a refusal.
 */
function parse(path: string, text: string): Record<string, unknown> {
  if (/\.json$/i.test(path)) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Lint accepted it (e.g. JSON with comments the YAML reader allows): read it the model's way.
    }
  }
  return readSource(path, text).value as Record<string, unknown>;
}

/** Splits the planned documents, in order, into requests of at most {@link batchDocuments} documents and about {@link batchCharacters} characters. */
function batches(planned: readonly Planned[]): Planned[][] {
  const result: Planned[][] = [];
  let current: Planned[] = [];
  let characters = 0;
  for (const item of planned) {
    if (current.length > 0 && (current.length === batchDocuments || characters + item.text.length > batchCharacters)) {
      result.push(current);
      current = [];
      characters = 0;
    }
    current.push(item);
    characters += item.text.length;
  }
  if (current.length > 0) result.push(current);
  return result;
}

function describe(noun: string, item: Planned, answer: BatchResult, would: string): string {
  switch (answer.outcome) {
    case 'created':
      return `${noun} ${item.id} ${item.version} ${would}created (${item.path})`;
    case 'unchanged':
      return `${noun} ${item.id} unchanged`;
    default: {
      const what = answer.outcome === 'published' ? `${would}published as version ${item.version}` : `${would}revised in place (version ${item.version} kept${answer.breaking ? ', forced' : ''})`;
      const changes = answer.changes ?? [];
      const lines = [`${noun} ${item.id} ${what}: ${answer.changeKind ?? ''} (${changes.length} change${changes.length === 1 ? '' : 's'})`];
      for (const change of changes.slice(0, 20)) lines.push(`  ${change.severity.padEnd(13)} ${change.message}`);
      if (changes.length > 20) lines.push(`  … and ${changes.length - 20} more`);
      return lines.join('\n');
    }
  }
}

function portsNameNewContracts(problems: readonly { pointer?: string; detail: string }[], created: ReadonlySet<string>): boolean {
  if (problems.length === 0) return false;
  return problems.every((problem) => /^\/outputPorts\/\d+\/contractId$/.test(problem.pointer ?? '') && [...created].some((id) => problem.detail.includes(`"${id}"`)));
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { url: { type: 'string' }, token: { type: 'string' }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
