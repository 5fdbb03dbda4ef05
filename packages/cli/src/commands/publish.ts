import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { lintDocuments, readSource } from '@meshboard/model';
import { UsageError } from '../io';
import type { Command } from '../main';
import { CatalogHttpError, connection, createCatalogHttp, type CatalogResource, type PublishAnswer } from './catalogHttp';
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
}

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
      const value = readSource(source.path, source.text).value as Record<string, unknown>;
      planned.push({ resource: file.standard === 'odcs' ? 'contracts' : 'products', id: String(value['id']), version: String(value['version'] ?? ''), path: file.path, document: value });
    }
    // Contracts first: a product's output ports must name contracts the catalog already has.
    planned.sort((a, b) => (a.resource === b.resource ? 0 : a.resource === 'contracts' ? -1 : 1));
    if (planned.length === 0) {
      io.stderr(`meshboard publish: no ODCS contract or ODPS product under ${positionals[0] ?? dir}\n`);
      return 2;
    }

    const http = createCatalogHttp({ url, token });
    const counts = { created: 0, published: 0, revised: 0, unchanged: 0, refused: 0 };
    const newContracts = new Set<string>();
    const dryRun = values['dry-run'] === true;
    const would = dryRun ? 'would be ' : '';
    for (const [index, item] of planned.entries()) {
      const noun = item.resource === 'contracts' ? 'contract' : 'product';
      if (io.isTty) io.stdout(`\r\u001b[2K[${index + 1}/${planned.length}] ${noun} ${item.id}`);
      const clear = io.isTty ? '\r\u001b[2K' : '';
      try {
        const etag = await http.currentVersion(item.resource, item.id);
        const answer = await http.publish(item.resource, item.id, item.document, { ...(etag === undefined ? {} : { ifMatch: etag }), force: values.force === true, dryRun });
        counts[answer.outcome] += 1;
        if (answer.outcome === 'created' && item.resource === 'contracts') newContracts.add(item.id);
        if (answer.outcome !== 'unchanged') io.stdout(`${clear}${describe(noun, item, answer, would)}\n`);
      } catch (error) {
        if (dryRun && error instanceof CatalogHttpError && portsNameNewContracts(error, newContracts)) {
          // In a dry run the new contracts are not written, so the server cannot bind the ports yet.
          counts.created += 1;
          io.stdout(`${clear}${noun} ${item.id} ${item.version} ${would}created (${item.path})\n`);
          continue;
        }
        counts.refused += 1;
        io.stdout(clear);
        if (error instanceof CatalogHttpError && error.status === 0) {
          io.stderr(`meshboard publish: ${error.message}\n`);
          return 2;
        }
        io.stderr(`refused ${noun} ${item.id} (${item.path}): ${error instanceof Error ? error.message : String(error)}\n`);
        if (error instanceof CatalogHttpError) for (const problem of error.problems) io.stderr(`  ${problem.pointer ?? problem.parameter ?? ''} ${problem.detail}\n`);
        if (error instanceof CatalogHttpError && error.status === 401) return 1;
      }
    }
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

function describe(noun: string, item: Planned, answer: PublishAnswer, would: string): string {
  switch (answer.outcome) {
    case 'created':
      return `${noun} ${item.id} ${item.version} ${would}created (${item.path})`;
    case 'unchanged':
      return `${noun} ${item.id} unchanged`;
    default: {
      const what = answer.outcome === 'published' ? `${would}published as version ${item.version}` : `${would}revised in place (version ${item.version} kept${answer.breaking ? ', forced' : ''})`;
      const lines = [`${noun} ${item.id} ${what}: ${answer.changeKind ?? ''} (${answer.changes.length} change${answer.changes.length === 1 ? '' : 's'})`];
      for (const change of answer.changes.slice(0, 20)) lines.push(`  ${change.severity.padEnd(13)} ${change.message}`);
      if (answer.changes.length > 20) lines.push(`  … and ${answer.changes.length - 20} more`);
      return lines.join('\n');
    }
  }
}

function portsNameNewContracts(error: CatalogHttpError, created: ReadonlySet<string>): boolean {
  if (error.status !== 400 || error.problems.length === 0) return false;
  return error.problems.every((problem) => /^\/outputPorts\/\d+\/contractId$/.test(problem.pointer ?? '') && [...created].some((id) => problem.detail.includes(`"${id}"`)));
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
