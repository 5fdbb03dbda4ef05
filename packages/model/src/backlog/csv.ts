/**
 * RFC 4180 CSV: quoted fields with doubled quotes, CRLF or LF line ends, a header row. Small on purpose
 * (the backlog's export/import needs nothing more) and strict: an unterminated quote is an error located
 * by line and column instead of a silently swallowed rest of the file.
 */

/** A CSV syntax error at a 1-based line and column. */
export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
  }
}

/** A parsed record with the 1-based line it starts on (a quoted field may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Parses CSV text into records (blank lines skipped); a leading byte-order mark is ignored. */
export function parseCsv(text: string): CsvRecord[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let column = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let quoteColumn = 0;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !fieldStarted)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let index = 0; index < source.length; index++) {
    const char = source[index] ?? '';
    if (quoted) {
      if (char === '"') {
        if (source[index + 1] === '"') {
          field += '"';
          index++;
          column += 2;
          continue;
        }
        quoted = false;
        const next = source[index + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvSyntaxError('a closing quote must be followed by a comma or the end of the line', line, column + 1);
      } else {
        field += char;
      }
      if (char === '\n') {
        line++;
        column = 1;
      } else column++;
      continue;
    }
    if (char === '"') {
      if (field !== '') throw new CsvSyntaxError('a quote inside an unquoted field; quote the whole field and double inner quotes', line, column);
      quoted = true;
      fieldStarted = true;
      quoteLine = line;
      quoteColumn = column;
      column++;
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
      column++;
      continue;
    }
    if (char === '\r' || char === '\n') {
      if (char === '\r' && source[index + 1] === '\n') index++;
      endRecord();
      line++;
      column = 1;
      recordLine = line;
      continue;
    }
    field += char;
    fieldStarted = true;
    column++;
  }
  if (quoted) throw new CsvSyntaxError('a quoted field is never closed', quoteLine, quoteColumn);
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();
  return records;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Writes rows as CSV with CRLF line ends (what spreadsheets expect); fields are quoted when needed. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}
