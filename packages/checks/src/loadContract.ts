/**
 * Reads a contract file for checking: YAML/JSON through the model's safe reader, DCS documents converted
 * to ODCS on the fly, then the engine's typed view. Every problem comes back with file:line:column.
 */
import { readFile } from 'node:fs/promises';
import { dcsToOdcs, isDcsDocument, parseOdcsContract, readSource, type OdcsContract } from '@meshboard/model';

/**
 * A loaded contract, or the problems that stop it from being checked (each "file:line:column: message").
 * `warnings` says what a DCS conversion could not carry over (e.g. an unreadable SLA duration, whose
 * check is then missing), in the same form; the run reports them.
 */
export type LoadedContract = { ok: true; contract: OdcsContract; format: 'odcs' | 'dcs'; warnings: string[] } | { ok: false; problems: string[] };

/** Loads a contract from text (path only names it in messages). */
export function loadContractText(path: string, text: string): LoadedContract {
  const source = readSource(path, text);
  const blocking = source.problems.filter((p) => p.severity === 'error');
  if (blocking.length > 0) return { ok: false, problems: blocking.map((p) => `${path}:${p.line}:${p.column}: ${p.message}`) };
  const dcs = isDcsDocument(source.value);
  const conversion = dcs ? dcsToOdcs(source.value as Record<string, unknown>) : undefined;
  const value = conversion === undefined ? source.value : conversion.odcs;
  const warnings = (conversion?.notes ?? []).map((note) => {
    const at = source.locate(note.pointer);
    return `${path}:${at.line}:${at.column}: ${note.pointer}: ${note.message} (not converted from DCS, so not checked)`;
  });
  const parsed = parseOdcsContract(value);
  if (!parsed.ok) {
    return {
      ok: false,
      problems: parsed.issues.map((issue) => {
        const at = dcs ? { line: 1, column: 1 } : source.locate(issue.pointer);
        return `${path}:${at.line}:${at.column}: ${issue.pointer}: ${issue.message}${dcs ? ' (in the ODCS converted from this DCS document)' : ''}`;
      }),
    };
  }
  return { ok: true, contract: parsed.contract, format: dcs ? 'dcs' : 'odcs', warnings };
}

/** Loads a contract file; an unreadable file is a problem, not an exception. */
export async function loadContractFile(path: string): Promise<LoadedContract> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, problems: [`${path}: cannot read the file (${error instanceof Error ? error.message : String(error)})`] };
  }
  return loadContractText(path, text);
}
