/**
 * `meshboard test <contract>`: runs a contract's schema, quality and SLA checks on the real data of one
 * of its servers. Exit 0 passed/warning, 1 failed, 2 error (configuration, connection, unreadable input).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  createConnectorFactory,
  jsonReport,
  junitReport,
  loadContractFile,
  runContract,
  textReport,
  type CheckCategory,
  type RunResult,
} from '@meshboard/checks';
import { parseCommandArgs, UsageError, type Io } from '../io';
import type { Command } from '../main';

const usage = `Usage: meshboard test <contract> [options]

Runs the contract's schema, quality and SLA checks on the data of one of its servers.
Takes ODCS v3 contracts and Data Contract Specification (DCS) contracts.

Options:
  --server NAME          the server to check (default: the first in servers[])
  --format FORMAT        text (default), json or junit
  --output FILE          write the report to FILE instead of stdout
  --check-types LIST     comma-separated: schema,quality,sla (default: all)
  --tag TAG              only checks whose rule or property has this tag (repeatable)
  --dimension DIM        only checks of this quality dimension (repeatable)
  --id ID                only the check with this id, or ids starting with ID. (repeatable)
  --metadata-only        check presence and types only; read no values
  --base-dir DIR         resolve relative server paths against DIR (default: current directory)
  --sql-timeout SECONDS  timeout of each SQL rule (default 60)

PostgreSQL credentials: MESHBOARD_POSTGRES_USER and MESHBOARD_POSTGRES_PASSWORD (or PGUSER/PGPASSWORD).
SQL rules refuse to run as a PostgreSQL superuser unless MESHBOARD_ALLOW_SUPERUSER_CHECKS=1.
Exit codes: 0 passed or warning, 1 failed, 2 error or usage problem.`;

const categories: readonly CheckCategory[] = ['schema', 'quality', 'sla'];

function exitCode(run: RunResult): number {
  switch (run.result) {
    case 'passed':
    case 'warning':
    case 'unknown':
      return 0;
    case 'failed':
      return 1;
    case 'error':
      return 2;
  }
}

/** Options parsed from the command line. */
function parse(args: string[]): {
  contract: string;
  server: string | undefined;
  format: 'text' | 'json' | 'junit';
  output: string | undefined;
  categories: CheckCategory[] | undefined;
  tags: string[] | undefined;
  dimensions: string[] | undefined;
  ids: string[] | undefined;
  metadataOnly: boolean;
  baseDir: string | undefined;
  sqlTimeoutMs: number;
} {
  const parsed = parseCommandArgs({
    args,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      'check-types': { type: 'string' },
      tag: { type: 'string', multiple: true },
      dimension: { type: 'string', multiple: true },
      id: { type: 'string', multiple: true },
      'metadata-only': { type: 'boolean', default: false },
      'base-dir': { type: 'string' },
      'sql-timeout': { type: 'string' },
    },
  });
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError('give exactly one contract file');
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'junit') throw new UsageError(`--format must be text, json or junit (got "${format}")`);
  let selected: CheckCategory[] | undefined;
  if (values['check-types'] !== undefined) {
    const wanted = values['check-types'].split(',').map((s) => s.trim()).filter((s) => s !== '');
    const unknown = wanted.filter((w) => !(categories as readonly string[]).includes(w));
    if (unknown.length > 0 || wanted.length === 0) throw new UsageError(`--check-types takes schema,quality,sla (got "${values['check-types']}")`);
    selected = wanted as CheckCategory[];
  }
  let sqlTimeoutMs = 60_000;
  if (values['sql-timeout'] !== undefined) {
    const seconds = Number(values['sql-timeout']);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--sql-timeout must be a positive number of seconds');
    sqlTimeoutMs = seconds * 1000;
  }
  return {
    contract: positionals[0],
    server: values.server,
    format,
    output: values.output,
    categories: selected,
    tags: values.tag,
    dimensions: values.dimension,
    ids: values.id,
    metadataOnly: values['metadata-only'] ?? false,
    baseDir: values['base-dir'],
    sqlTimeoutMs,
  };
}

/** The `test` command. */
export const testCommand: Command = {
  usage,
  run: async (args: string[], io: Io): Promise<number> => {
    const options = parse(args);
    const path = resolve(io.cwd, options.contract);
    const loaded = await loadContractFile(path);
    if (!loaded.ok) {
      io.stderr(`${loaded.problems.join('\n')}\n`);
      return 2;
    }
    let progressShown = false;
    const run = await runContract({
      contract: loaded.contract,
      serverName: options.server,
      warnings: loaded.warnings,
      connectorFactory: createConnectorFactory({ workingDir: resolve(io.cwd, options.baseDir ?? '.'), env: io.env }),
      filter: {
        categories: options.categories,
        tags: options.tags,
        dimensions: options.dimensions,
        ids: options.ids,
        metadataOnly: options.metadataOnly,
      },
      sqlTimeoutMs: options.sqlTimeoutMs,
      onProgress: io.isTty
        ? (p) => {
            progressShown = true;
            io.stderr(`\r\u001b[2K[${p.done}/${p.total}] ${p.object}`);
          }
        : undefined,
    });
    if (progressShown) io.stderr('\r\u001b[2K');
    const report = options.format === 'json' ? jsonReport(run) : options.format === 'junit' ? junitReport(run) : textReport(run);
    if (options.output !== undefined) {
      const target = resolve(io.cwd, options.output);
      try {
        await writeFile(target, report);
      } catch (error) {
        io.stderr(`cannot write ${target}: ${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
      }
      io.stdout(`${run.result}: report written to ${target}\n`);
    } else {
      io.stdout(report);
    }
    return exitCode(run);
  },
};
