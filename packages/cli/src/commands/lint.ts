import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { lintDocuments, type LintedFile, type LintReport } from '@meshboard/model';
import type { Command } from '../main';
import { parseCommandArgs, UsageError, type Io } from '../io';

const usage = `Usage: meshboard lint <file-or-dir>... [--format text|json]

Validates ODCS data contracts, ODPS data products, and DCS/DPDS files (the standard is read from each
document). Directories are walked for *.yaml, *.yml and *.json. Files are linted as one set, so ODPS
ports are checked against the contracts given alongside.

Options:
  --format text|json   output format (default text)

Exit codes: 0 every file valid, 1 some file invalid, 2 usage error or unreadable input.`;

const extensions = new Set(['.yaml', '.yml', '.json']);
/** Files larger than this are not read into memory: lint reports them as too large instead. */
const maxBytes = 20_000_000;

/** `meshboard lint`: reads the files, lints them as one set and prints the problems. */
export const lintCommand: Command = {
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseOptions(args);
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json; got "${format}"`);
    if (positionals.length === 0) throw new UsageError('give at least one file or directory');

    const paths: string[] = [];
    for (const argument of positionals) {
      const absolute = resolve(io.cwd, argument);
      try {
        paths.push(...(await collect(absolute)));
      } catch (error) {
        io.stderr(`meshboard lint: cannot read ${argument}: ${reason(error)}\n`);
        return 2;
      }
    }
    // A file named twice (or inside two given directories) is linted once.
    paths.splice(0, paths.length, ...new Set(paths));
    if (paths.length === 0) {
      io.stderr(`meshboard lint: no *.yaml, *.yml or *.json files in ${positionals.join(', ')}\n`);
      return 2;
    }
    const sources: { path: string; text: string }[] = [];
    const tooLarge = new Map<string, LintedFile>();
    for (const path of paths) {
      const shown = shownPath(io.cwd, path);
      try {
        const size = (await stat(path)).size;
        if (size > maxBytes) tooLarge.set(shown, oversized(shown, size));
        else sources.push({ path: shown, text: await readFile(path, 'utf8') });
      } catch (error) {
        io.stderr(`meshboard lint: cannot read ${shown}: ${reason(error)}\n`);
        return 2;
      }
    }
    const linted = new Map(lintDocuments(sources).files.map((file) => [file.path, file]));
    const files = paths
      .map((path) => shownPath(io.cwd, path))
      .flatMap((shown) => tooLarge.get(shown) ?? linted.get(shown) ?? []);
    const report: LintReport = { files, valid: files.every((file) => file.valid) };
    io.stdout(format === 'json' ? `${JSON.stringify(toJson(report), null, 2)}\n` : toText(report, io));
    return report.valid ? 0 : 1;
  },
};

/** A file over the size limit, reported without reading it into memory. */
function oversized(path: string, size: number): LintedFile {
  const megabytes = (n: number): string => `${(n / 1_000_000).toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
  return {
    path,
    standard: 'unknown',
    apiVersion: '',
    kind: '',
    schema: undefined,
    valid: false,
    problems: [
      {
        pointer: '',
        line: 1,
        column: 1,
        message: `file is too large to be a contract or product (${megabytes(size)}; the limit is ${megabytes(maxBytes)})`,
        rule: 'syntax/too-large',
        severity: 'error',
      },
    ],
  };
}

/** A path as printed: relative to the working directory when inside it, absolute otherwise. */
function shownPath(cwd: string, path: string): string {
  const shown = relative(cwd, path);
  return shown === '' || shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}

function parseOptions(args: string[]): { values: { format?: string }; positionals: string[] } {
  return parseCommandArgs({ args, options: { format: { type: 'string' } }, allowPositionals: true, strict: true });
}

/** The files under `path`, sorted; a file given explicitly is kept whatever its extension. */
export async function collect(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  const walk = async (directory: string): Promise<void> => {
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(directory, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && extensions.has(extname(entry.name).toLowerCase())) found.push(full);
    }
  };
  await walk(path);
  return found;
}

/** A short reason for a file-system error (ENOENT → "no such file or directory"). */
export function reason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file or directory';
    if (code === 'EACCES') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    return error.message;
  }
  return String(error);
}

/** The `--format json` shape: errors and warnings listed apart, each with its place and rule. */
export function toJson(report: LintReport): unknown {
  return {
    files: report.files.map((file) => {
      const entry = (p: (typeof file.problems)[number]) => ({ pointer: p.pointer, line: p.line, column: p.column, message: p.message, rule: p.rule });
      return {
        path: file.path,
        standard: file.standard,
        apiVersion: file.apiVersion,
        kind: file.kind,
        valid: file.valid,
        errors: file.problems.filter((p) => p.severity === 'error').map(entry),
        warnings: file.problems.filter((p) => p.severity === 'warning').map(entry),
      };
    }),
  };
}

function toText(report: LintReport, io: Io): string {
  const colour = io.isTty && io.env.NO_COLOR === undefined;
  const paint = (code: number, text: string): string => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of report.files) {
    for (const problem of file.problems) {
      if (problem.severity === 'error') errors++;
      else warnings++;
      // Errors read `path:line:column pointer message [rule]`; warnings say so before the message.
      const message = problem.severity === 'error' ? paint(31, problem.message) : `${paint(33, 'warning:')} ${problem.message}`;
      lines.push(`${file.path}:${problem.line}:${problem.column} ${problem.pointer || '/'} ${message} ${paint(2, `[${problem.rule}]`)}`);
    }
  }
  const invalid = report.files.filter((file) => !file.valid).length;
  const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const summary = `${count(report.files.length, 'file')} linted: ${count(report.files.length - invalid, 'valid file')}, ${count(invalid, 'invalid file')} (${count(errors, 'error')}, ${count(warnings, 'warning')})`;
  lines.push(invalid === 0 ? paint(32, summary) : paint(31, summary));
  return `${lines.join('\n')}\n`;
}
