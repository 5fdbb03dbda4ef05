import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  diffContracts,
  diffProducts,
  readSource,
  type Change,
  type ChangeSeverity,
  type DiffResult,
  type SourceDocument,
} from '@meshboard/model';
import type { Command } from '../main';
import { parseCommandArgs, UsageError, type Io } from '../io';

const usage = `Usage: meshboard diff <old> <new> [--format text|json] [--fail-on breaking|non-breaking|never]

Compares two versions of a data contract (ODCS) or data product (ODPS) and lists every change as
breaking, non-breaking or informational, with the next semantic version they call for.

Options:
  --format text|json     text (default): a changelog grouped by severity; json: {breaking, suggestedVersion, changes}
  --fail-on LEVEL        exit 1 when a change of LEVEL or worse is found: breaking, non-breaking, or never (default)

Exit codes: 0 compared (and nothing at --fail-on level), 1 a change at --fail-on level, 2 usage error or
unreadable, unparsable or mismatched documents.`;

type Kind = 'contract' | 'product';

/** A document read from disk for a command, or the lines explaining why it could not be read. */
type ReadResult = { ok: true; source: SourceDocument } | { ok: false; errors: string[] };

/**
 * Reads and parses a YAML/JSON file relative to `cwd`. Unreadable files and parse problems come back as
 * `file:line:column: message` lines (the command prints them and exits 2), never as exceptions.
 */
async function readDocument(cwd: string, file: string): Promise<ReadResult> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    return { ok: false, errors: [`${file}: cannot read the file (${why})`] };
  }
  const source = readSource(file, text);
  const errors = source.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0 || source.value === undefined) {
    const lines = errors.map((problem) => `${file}:${problem.line}:${problem.column}: ${problem.message}`);
    return { ok: false, errors: lines.length > 0 ? lines : [`${file}: the file is empty`] };
  }
  return { ok: true, source };
}

/** Which standard a document follows, from its `kind` (or, without one, the shape of the document). */
function kindOf(source: SourceDocument): Kind | string {
  const value = source.value;
  if (value === null || value === undefined) return 'the file is empty';
  if (typeof value !== 'object' || Array.isArray(value)) return 'the document is not a mapping of fields';
  const record = value as Record<string, unknown>;
  const kind = record['kind'];
  if (kind === 'DataContract') return 'contract';
  if (kind === 'DataProduct') return 'product';
  if (kind !== undefined) return `kind ${JSON.stringify(kind)}`;
  if (Array.isArray(record['schema']) || typeof record['dataProduct'] === 'string') return 'contract';
  if (Array.isArray(record['outputPorts']) || Array.isArray(record['inputPorts'])) return 'product';
  return 'no kind';
}

const headings: Record<ChangeSeverity, string> = {
  breaking: 'Breaking changes',
  'non-breaking': 'Non-breaking changes',
  informational: 'Informational',
};

/** Renders a diff as a changelog consumers can read. */
function renderText(result: DiffResult, files: { old: string; new: string }): string {
  const lines: string[] = [];
  const noun = result.kind === 'contract' ? 'data contract' : 'data product';
  const version = (v: string | undefined): string => (v === undefined ? '' : ` (${v})`);
  lines.push(`Changes to the ${noun} ${files.old}${version(result.oldVersion)} → ${files.new}${version(result.newVersion)}`);
  if (result.changes.length === 0) {
    lines.push('', 'No changes.');
  }
  for (const severity of ['breaking', 'non-breaking', 'informational'] as const) {
    const group: Change[] = result.changes.filter((change) => change.severity === severity);
    if (group.length === 0) continue;
    lines.push('', `${headings[severity]} (${group.length})`);
    for (const change of group) lines.push(`  - ${change.message}`);
  }
  lines.push('');
  if (result.suggestedVersion !== undefined && result.oldVersion !== undefined) {
    lines.push(
      result.suggestedVersion === result.oldVersion
        ? `Suggested version: ${result.oldVersion} (unchanged)`
        : `Suggested version: ${result.oldVersion} → ${result.suggestedVersion}`,
    );
  } else {
    lines.push('Suggested version: none');
  }
  if (result.versionNote !== undefined) lines.push(`Note: ${result.versionNote}`);
  return `${lines.join('\n')}\n`;
}

async function run(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, 'fail-on': { type: 'string', default: 'never' } },
  });
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new UsageError(`expected two files (old and new), got ${positionals.length}`);
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  const failOn = values['fail-on'];
  if (failOn !== 'breaking' && failOn !== 'non-breaking' && failOn !== 'never') {
    throw new UsageError(`--fail-on must be breaking, non-breaking or never, not "${failOn}"`);
  }
  const [oldFile = '', newFile = ''] = positionals;

  const [before, after] = await Promise.all([readDocument(io.cwd, oldFile), readDocument(io.cwd, newFile)]);
  const errors = [...(before.ok ? [] : before.errors), ...(after.ok ? [] : after.errors)];
  if (!before.ok || !after.ok) {
    io.stderr(`${errors.map((line) => `meshboard diff: ${line}`).join('\n')}\n`);
    return 2;
  }
  const kinds = [kindOf(before.source), kindOf(after.source)] as const;
  for (const [index, kind] of kinds.entries()) {
    if (kind !== 'contract' && kind !== 'product') {
      const source = index === 0 ? before.source : after.source;
      const at = source.locate('/kind');
      io.stderr(`meshboard diff: ${source.path}:${at.line}:${at.column}: not a data contract (kind: DataContract) or data product (kind: DataProduct): ${kind}\n`);
      return 2;
    }
  }
  if (kinds[0] !== kinds[1]) {
    const at = after.source.locate('/kind');
    io.stderr(`meshboard diff: ${newFile}:${at.line}:${at.column}: ${oldFile} is a data ${kinds[0]} but ${newFile} is a data ${kinds[1]}; compare two versions of the same kind\n`);
    return 2;
  }
  const result = kinds[0] === 'contract' ? diffContracts(before.source.value, after.source.value) : diffProducts(before.source.value, after.source.value);

  if (format === 'json') {
    const { breaking, suggestedVersion, changes, kind, oldVersion, newVersion, versionNote } = result;
    const json = { breaking, suggestedVersion: suggestedVersion ?? null, changes, kind, oldVersion: oldVersion ?? null, newVersion: newVersion ?? null, versionNote: versionNote ?? null };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.stdout(renderText(result, { old: oldFile, new: newFile }));
  }
  const fails =
    failOn === 'breaking' ? result.breaking : failOn === 'non-breaking' ? result.changes.some((change) => change.severity !== 'informational') : false;
  return fails ? 1 : 0;
}

/** `meshboard diff`: classify the changes between two versions of a contract or product. */
export const diffCommand: Command = {
  usage,
  run,
};
