import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One event read from a file, with the line it came from (for error messages). */
export interface FileEvent {
  line: number;
  event: Record<string, unknown>;
}

/** A line of the file that is not an event. */
export class UsageFileError extends Error {
  override name = 'UsageFileError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const numeric = new Set(['rows', 'bytes']);

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
export function splitCsvLine(text: string, line: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  if (quoted) throw new UsageFileError('a quoted field is not closed', line);
  fields.push(field);
  return fields;
}

/**
 * Reads usage events from NDJSON (one JSON object a line) or CSV (a header row naming the API's
 * fields: product, kind, occurredAt, and optionally id, outputPort, consumerTeam, consumerUser, rows,
 * bytes; empty cells are left out), streaming: the file is never held in memory whole. Blank lines are
 * skipped. The server validates the events themselves.
 */
export async function* readUsageFile(path: string, format: 'ndjson' | 'csv'): AsyncGenerator<FileEvent> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let header: string[] | undefined;
  let number = 0;
  for await (const text of lines) {
    number += 1;
    if (text.trim() === '') continue;
    if (format === 'ndjson') {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new UsageFileError(`not JSON (${error instanceof Error ? error.message : String(error)})`, number);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageFileError('each line must be one JSON object (an event)', number);
      yield { line: number, event: value as Record<string, unknown> };
      continue;
    }
    const fields = splitCsvLine(text.replace(/^\uFEFF/, ''), number);
    if (header === undefined) {
      header = fields.map((name) => name.trim());
      if (!header.includes('product') || !header.includes('kind') || !header.includes('occurredAt')) throw new UsageFileError('the header must name at least product, kind and occurredAt', number);
      continue;
    }
    if (fields.length !== header.length) throw new UsageFileError(`${fields.length} fields, the header has ${header.length}`, number);
    const event: Record<string, unknown> = {};
    header.forEach((name, index) => {
      const cell = fields[index] ?? '';
      if (cell === '') return;
      event[name] = numeric.has(name) && /^-?[0-9]+$/.test(cell) ? Number(cell) : cell;
    });
    yield { line: number, event };
  }
}
