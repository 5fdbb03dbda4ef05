/**
 * The backlog as CSV: the Meshboard export format (round-trips through import) and a Jira CSV export's
 * usual columns. Reading returns drafts plus every problem located as row:column (row = line in the
 * file, 1 = the header; column = 1-based position and header name), so one upload shows all mistakes.
 */
import { CsvSyntaxError, parseCsv, writeCsv } from './csv';
import { checkInputs, type MoscowCategory } from './scoring';
import { backlogKinds, backlogStates, type BacklogKind, type BacklogState } from './workflow';

/** An item to create from an import; the server resolves `requester` (e-mail) and fills the rest. */
export interface BacklogDraft {
  kind: BacklogKind;
  title: string;
  description: string;
  state: BacklogState;
  declineReason: string | null;
  labels: string[];
  estimate: number | null;
  acceptanceCriteria: string[];
  inputs: Record<string, number | string>;
  /** E-mail address or name of the person who asked (matched to a user by e-mail when possible). */
  requester: string | null;
  /** When it was first reported (ISO 8601), null for now. */
  reportedAt: string | null;
  /** Where it came from, e.g. the Jira issue key. */
  source: string | null;
}

/** A located import problem: 1-based file line, 1-based column and its header. */
export interface ImportProblem {
  row: number;
  column: number;
  header: string;
  detail: string;
}

/** Drafts read from a file, or the problems that stop the import (nothing is imported then). */
export interface CsvImport {
  format: 'meshboard' | 'jira';
  drafts: BacklogDraft[];
  problems: ImportProblem[];
}

/** One item as the export writes it. */
export interface BacklogExportRow {
  number: number;
  kind: BacklogKind;
  title: string;
  description: string;
  state: BacklogState;
  declineReason: string | null;
  labels: readonly string[];
  estimate: number | null;
  acceptanceCriteria: readonly string[];
  inputs: Readonly<Record<string, number | string>>;
  requester: string | null;
  votes: number;
  duplicateOf: number | null;
  createdAt: string;
}

const fixedColumns = ['number', 'kind', 'title', 'description', 'state', 'declineReason', 'labels', 'estimate', 'acceptanceCriteria', 'requester', 'votes', 'duplicateOf', 'createdAt'] as const;
const inputPrefix = 'input:';

/** Writes the Meshboard CSV: fixed columns, then one `input:<name>` column per input any item has. Lists are joined by newlines (criteria) or `;` (labels). */
export function writeBacklogCsv(items: readonly BacklogExportRow[]): string {
  const inputNames = [...new Set(items.flatMap((item) => Object.keys(item.inputs)))].sort();
  const header = [...fixedColumns, ...inputNames.map((name) => `${inputPrefix}${name}`)];
  const rows = items.map((item) => [
    String(item.number),
    item.kind,
    item.title,
    item.description,
    item.state,
    item.declineReason ?? '',
    item.labels.join(';'),
    item.estimate === null ? '' : String(item.estimate),
    item.acceptanceCriteria.join('\n'),
    item.requester ?? '',
    String(item.votes),
    item.duplicateOf === null ? '' : String(item.duplicateOf),
    item.createdAt,
    ...inputNames.map((name) => {
      const value = item.inputs[name];
      return value === undefined ? '' : String(value);
    }),
  ]);
  return writeCsv([header, ...rows]);
}

/** Jira issue types → kinds (case-insensitive). */
const jiraKinds: Readonly<Record<string, BacklogKind>> = { story: 'story', 'user story': 'story', bug: 'defect', defect: 'defect', task: 'idea', 'sub-task': 'idea', subtask: 'idea', epic: 'idea', idea: 'idea', improvement: 'request', 'new feature': 'request', 'feature request': 'request', request: 'request' };
/** Jira statuses → states (case-insensitive). */
const jiraStates: Readonly<Record<string, BacklogState>> = {
  open: 'new', 'to do': 'new', todo: 'new', backlog: 'new', new: 'new', reopened: 'new',
  triaged: 'triaged', 'selected for development': 'planned', planned: 'planned', 'ready for development': 'planned',
  'in progress': 'in_progress', 'in review': 'in_progress', 'in development': 'in_progress',
  done: 'done', closed: 'done', resolved: 'done',
  "won't do": 'declined', 'won’t do': 'declined', "won't fix": 'declined', declined: 'declined', rejected: 'declined',
};
/** Jira priorities → MoSCoW (entered as the `moscow` input; the owner can change it). */
const jiraPriorities: Readonly<Record<string, MoscowCategory>> = { blocker: 'must', highest: 'must', critical: 'must', high: 'should', major: 'should', medium: 'could', low: 'wont', lowest: 'wont', minor: 'wont', trivial: 'wont' };
const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads a date as Jira writes it in CSV exports (`23/Nov/26 7:02 PM`, also with a 4-digit year or
 * without the time) or as ISO 8601; the result is ISO 8601 in UTC (exports carry no zone). Null when
 * unreadable.
 */
export function readJiraDate(text: string): string | null {
  const jira = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?:\s*([AaPp][Mm]))?)?$/.exec(text.trim());
  if (jira !== null) {
    const [, day = '', month = '', year = '', hour = '0', minute = '0', half] = jira;
    const monthIndex = months.indexOf(month.toLowerCase());
    if (monthIndex < 0) return null;
    let hours = Number(hour);
    if (half !== undefined) {
      if (hours < 1 || hours > 12) return null;
      hours = (hours % 12) + (half.toLowerCase() === 'pm' ? 12 : 0);
    }
    const fullYear = year.length === 2 ? 2000 + Number(year) : Number(year);
    const date = new Date(Date.UTC(fullYear, monthIndex, Number(day), hours, Number(minute)));
    if (date.getUTCDate() !== Number(day) || hours > 23 || Number(minute) > 59) return null;
    return date.toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const date = new Date(text.trim().replace(' ', 'T'));
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  return null;
}

/** Header lookup: the positions of each (case-insensitive) header name; Jira repeats `Labels`. */
function headerIndex(header: readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  header.forEach((name, position) => {
    const key = name.trim().toLowerCase();
    index.set(key, [...(index.get(key) ?? []), position]);
  });
  return index;
}

/**
 * Reads a backlog CSV: a Jira export (it has `Summary` and `Issue Type`) or the Meshboard export (it
 * has `title` and `kind`). Unknown columns are ignored; a file that is neither is one problem on row 1.
 */
export function readBacklogCsv(text: string): CsvImport {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { format: 'meshboard', drafts: [], problems: [{ row: error.line, column: error.column, header: '', detail: error.message.replace(/^line \d+, column \d+: /, '') }] };
    throw error;
  }
  const [head, ...body] = records;
  if (head === undefined) return { format: 'meshboard', drafts: [], problems: [{ row: 1, column: 1, header: '', detail: 'the file is empty; the first line must name the columns' }] };
  const index = headerIndex(head.fields);
  const format = index.has('summary') && index.has('issue type') ? 'jira' : 'meshboard';
  if (format === 'meshboard' && !(index.has('title') && index.has('kind'))) {
    return { format, drafts: [], problems: [{ row: head.line, column: 1, header: head.fields[0] ?? '', detail: 'unknown columns: a Jira export needs "Summary" and "Issue Type"; a Meshboard export needs "title" and "kind"' }] };
  }
  const problems: ImportProblem[] = [];
  const drafts: BacklogDraft[] = [];
  for (const record of body) {
    const at = (name: string): { value: string; column: number } | undefined => {
      const position = index.get(name.toLowerCase())?.[0];
      return position === undefined ? undefined : { value: (record.fields[position] ?? '').trim(), column: position + 1 };
    };
    const problem = (name: string, detail: string) => {
      const position = index.get(name.toLowerCase())?.[0] ?? 0;
      problems.push({ row: record.line, column: position + 1, header: head.fields[position] ?? name, detail });
    };
    if (record.fields.length > head.fields.length) problems.push({ row: record.line, column: head.fields.length + 1, header: '', detail: `the row has ${record.fields.length} fields, the header ${head.fields.length}` });
    const draft = format === 'jira' ? jiraDraft(record.fields, index, at, problem) : meshboardDraft(head.fields, record.fields, at, problem);
    if (draft !== null) drafts.push(draft);
  }
  if (body.length === 0) problems.push({ row: head.line, column: 1, header: head.fields[0] ?? '', detail: 'the file has a header but no items' });
  return { format, drafts, problems };
}

type Cell = (name: string) => { value: string; column: number } | undefined;
type Report = (name: string, detail: string) => void;

function readNumber(cell: Cell, name: string, report: Report): number | null {
  const value = cell(name)?.value ?? '';
  if (value === '') return null;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    report(name, `"${value}" is not a number of 0 or more`);
    return null;
  }
  return number;
}

function jiraDraft(fields: readonly string[], index: Map<string, number[]>, cell: Cell, report: Report): BacklogDraft | null {
  const title = cell('Summary')?.value ?? '';
  if (title === '') report('Summary', 'the summary is empty; every item needs a title');
  const typeText = cell('Issue Type')?.value ?? '';
  const kind = jiraKinds[typeText.toLowerCase()];
  if (kind === undefined) report('Issue Type', `unknown issue type "${typeText}"; use Story, Bug, Task, Epic, Improvement or New Feature`);
  const statusText = cell('Status')?.value ?? '';
  const state = statusText === '' ? 'new' : jiraStates[statusText.toLowerCase()];
  if (state === undefined) report('Status', `unknown status "${statusText}"; use To Do, Selected for Development, In Progress, Done or Won't Do`);
  const priorityText = cell('Priority')?.value ?? '';
  const moscow = priorityText === '' ? undefined : jiraPriorities[priorityText.toLowerCase()];
  if (priorityText !== '' && moscow === undefined) report('Priority', `unknown priority "${priorityText}"; use Highest, High, Medium, Low or Lowest`);
  const pointsColumn = index.has('story points') ? 'Story Points' : index.has('custom field (story points)') ? 'Custom field (Story Points)' : 'Story Points';
  const estimate = readNumber(cell, pointsColumn, report);
  const createdText = cell('Created')?.value ?? '';
  const reportedAt = createdText === '' ? null : readJiraDate(createdText);
  if (createdText !== '' && reportedAt === null) report('Created', `"${createdText}" is not a date like 23/Nov/26 7:02 PM or 2026-11-23`);
  const labels = (index.get('labels') ?? []).flatMap((position) => (fields[position] ?? '').split(/\s+/)).filter((label) => label !== '');
  if (kind === undefined || state === undefined || title === '') return null;
  const key = cell('Issue key')?.value ?? '';
  return {
    kind,
    title: title.slice(0, 300),
    description: cell('Description')?.value ?? '',
    state,
    declineReason: state === 'declined' ? `Closed in Jira as "${statusText}".` : null,
    labels: [...new Set(labels)],
    estimate,
    acceptanceCriteria: [],
    inputs: moscow === undefined ? {} : { moscow },
    requester: (cell('Reporter')?.value ?? '') || null,
    reportedAt,
    source: key === '' ? null : `Jira ${key}`,
  };
}

function meshboardDraft(header: readonly string[], fields: readonly string[], cell: Cell, report: Report): BacklogDraft | null {
  const title = cell('title')?.value ?? '';
  if (title === '') report('title', 'the title is empty');
  const kindText = cell('kind')?.value ?? '';
  const kind = backlogKinds.find((k) => k === kindText);
  if (kind === undefined) report('kind', `"${kindText}" is not one of ${backlogKinds.join(', ')}`);
  const stateText = cell('state')?.value ?? '';
  const state = stateText === '' ? 'new' : backlogStates.find((s) => s === stateText);
  if (state === undefined) report('state', `"${stateText}" is not one of ${backlogStates.join(', ')}`);
  const declineReason = (cell('declineReason')?.value ?? '') || null;
  if (state === 'declined' && declineReason === null) report('declineReason', 'a declined item needs a reason (the requester sees it)');
  const estimate = readNumber(cell, 'estimate', report);
  const createdText = cell('createdAt')?.value ?? '';
  const reportedAt = createdText === '' ? null : readJiraDate(createdText);
  if (createdText !== '' && reportedAt === null) report('createdAt', `"${createdText}" is not an ISO 8601 date`);
  const inputs: Record<string, number | string> = {};
  header.forEach((name, position) => {
    if (!name.startsWith(inputPrefix)) return;
    const input = name.slice(inputPrefix.length);
    const text = (fields[position] ?? '').trim();
    if (text === '') return;
    const value = input === 'moscow' ? text : Number(text);
    const [problem] = checkInputs({ [input]: typeof value === 'number' && Number.isNaN(value) ? text : value });
    if (problem !== undefined) report(name, `${input} ${problem.detail}`);
    else inputs[input] = value;
  });
  if (kind === undefined || state === undefined || title === '') return null;
  return {
    kind,
    title,
    description: cell('description')?.value ?? '',
    state,
    declineReason: state === 'declined' ? declineReason : null,
    labels: (cell('labels')?.value ?? '').split(';').map((label) => label.trim()).filter((label) => label !== ''),
    estimate,
    acceptanceCriteria: (cell('acceptanceCriteria')?.value ?? '').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== ''),
    inputs,
    requester: (cell('requester')?.value ?? '') || null,
    reportedAt,
    source: null,
  };
}

