/**
 * The check engine's entry point: contract + server → run result. Per object: one describe, ONE aggregate
 * statement with every measure, samples for failed checks, then each custom SQL rule as its own
 * read-only statement. Connector problems become `error` results with the reason, never exceptions.
 */
import type { OdcsContract, Server } from '@meshboard/model';
import { checkResult, runOutcome, type CheckIdentity, type CheckResult, type RunOutcome } from './CheckResult';
import type { ColumnDescription, Connector, ConnectorAnswer, SqlValue } from './Connector';
import { compilePlan, type ObjectPlan, type PlanFilter, type PlannedCheck } from './compilePlan';
import { measureColumns, measureSql } from './Measure';
import { mismatchMessage, typeMismatches } from './typeConformance';

/** The JSON shape of a run (`meshboard test --format json`). */
export interface RunResult {
  result: RunOutcome;
  contract: { id: string; version: string | null };
  server: string | null;
  durationMs: number;
  /** Run-level warnings, e.g. what a DCS conversion could not carry over (so no check exists for it). */
  warnings: string[];
  checks: CheckResult[];
}

/** Progress of a run, for a terminal display. */
export interface RunProgress {
  object: string;
  done: number;
  total: number;
}

/** Creates the connector for a server (injected so the server package and tests choose). */
export type ConnectorFactory = (server: Server) => Promise<ConnectorAnswer<Connector>>;

/** Options of {@link runContract}. */
export interface RunOptions {
  contract: OdcsContract;
  /** The server to check (`servers[].server`); the first server when omitted. */
  serverName?: string | undefined;
  connectorFactory: ConnectorFactory;
  filter?: PlanFilter | undefined;
  /** Timeout of each custom SQL statement (default 60 s). */
  sqlTimeoutMs?: number | undefined;
  /** Warnings to report with the run (e.g. `LoadedContract.warnings`); they turn `passed` into `warning`. */
  warnings?: string[] | undefined;
  /** The clock for SLA ages (injected for tests). */
  now?: () => number;
  onProgress?: ((progress: RunProgress) => void) | undefined;
}

/** How many failed rows a check shows at most. */
export const maxSamples = 5;
const mask = '***';

function age(now: number, measured: SqlValue): number | undefined {
  return typeof measured === 'number' && Number.isFinite(measured) ? now - measured : undefined;
}

function formatDuration(ms: number): string {
  const hours = ms / 3_600_000;
  return hours >= 48 ? `${(hours / 24).toFixed(1)} d` : `${hours.toFixed(2)} h`;
}

function findColumn(columns: readonly ColumnDescription[], name: string): ColumnDescription | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

function maskRows(rows: Record<string, SqlValue>[], masked: readonly string[], keyColumns: readonly string[]): Record<string, unknown>[] {
  const lower = new Set(masked.map((m) => m.toLowerCase()));
  const keyMasked = keyColumns.length === 1 && lower.has((keyColumns[0] ?? '').toLowerCase());
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, lower.has(k.toLowerCase()) || (k === 'key' && keyMasked) ? mask : v])),
  );
}

/** Replaces `{object}`/`{model}`/`{table}`, `${schema}`/`{schema}` and `{property}`/`{column}`/`{field}`. */
export function expandPlaceholders(query: string, values: { object: string; schema: string; column: string | undefined }): string {
  let out = query.replace(/\$\{schema\}|\{schema\}/g, values.schema).replace(/\$?\{(object|model|table)\}/g, values.object);
  if (values.column !== undefined) out = out.replace(/\$?\{(property|column|field)\}/g, values.column);
  return out;
}

async function runObject(connector: Connector, plan: ObjectPlan, options: RunOptions, tick: () => void): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const done = (result: CheckResult): void => {
    results.push(result);
    tick();
  };
  // A check that produces no result (a type check on an untyped source) still advances the progress.
  const description = await connector.describe(plan.name);
  if (description.kind !== 'ok') {
    const presence: CheckIdentity = {
      id: `${plan.object}.object_is_present`,
      name: `${plan.object} is present`,
      category: 'schema',
      type: 'object_is_present',
      object: plan.object,
      property: null,
      dimension: 'conformity',
      severity: null,
    };
    const first = description.kind === 'notFound' ? checkResult.failed(presence, { message: description.message }) : checkResult.error(presence, description.message);
    results.push(first);
    for (const check of plan.checks) done(checkResult.skipped(check.identity, `skipped: object "${plan.object}" could not be read`));
    return results;
  }
  const { columns, typed, temporalFromText } = description.value;
  const measures: { check: Extract<PlannedCheck, { kind: 'measure' }>; alias: string; violation: string | undefined; columns: string[] }[] = [];
  const sqlChecks: Extract<PlannedCheck, { kind: 'sql' }>[] = [];
  for (const check of plan.checks) {
    switch (check.kind) {
      case 'presence':
        done(findColumn(columns, check.column) === undefined
          ? checkResult.failed(check.identity, { measured: 'absent', expected: 'present', message: `column "${check.column}" is missing in the data` })
          : checkResult.passed(check.identity, { measured: 'present', expected: 'present', message: `column "${check.column}" is present` }));
        break;
      case 'type': {
        const column = findColumn(columns, check.column);
        // Sources without declared types (CSV) make no type checks at all, as in the peer tool.
        if (!typed) {
          tick();
          break;
        }
        if (column === undefined) done(checkResult.skipped(check.identity, `skipped: column "${check.column}" is missing`));
        else {
          const errors = typeMismatches(check.property, column.type, { temporalFromText });
          const details = { measured: column.type.name, expected: check.property.logicalType ?? null, message: mismatchMessage(errors) };
          done(errors.length === 0 ? checkResult.passed(check.identity, details) : checkResult.failed(check.identity, details));
        }
        break;
      }
      case 'measure': {
        const wanted = measureColumns(check.measure);
        const resolved = wanted.map((name) => findColumn(columns, name)?.name);
        const missing = wanted.filter((_, i) => resolved[i] === undefined);
        if (missing.length > 0) {
          done(checkResult.skipped(check.identity, `skipped: column "${missing.join('", "')}" is missing`));
          break;
        }
        const names = resolved.filter((n): n is string => n !== undefined);
        const measure = renameColumns(check.measure, names);
        if (check.judgement.kind === 'maxAge') {
          const kind = findColumn(columns, names[0] ?? '')?.type.kind;
          if (kind !== 'date' && kind !== 'timestamp') {
            done(checkResult.error(check.identity, `the SLA element "${names[0] ?? ''}" is not a date or timestamp column (it is ${kind ?? 'unknown'})`));
            break;
          }
        }
        const sql = measureSql(measure, connector.dialect, columns);
        measures.push({ check: { ...check, measure }, alias: `m${measures.length}`, violation: sql.violation, columns: names });
        break;
      }
      case 'sql':
        sqlChecks.push(check);
        break;
      case 'skip':
        done(checkResult.skipped(check.identity, check.message));
        break;
      case 'invalid':
        done(checkResult.error(check.identity, check.message));
        break;
    }
  }
  if (measures.length > 0) {
    const expressions = [{ alias: 'row_count', sql: 'CAST(count(*) AS DOUBLE PRECISION)' }];
    for (const m of measures) expressions.push({ alias: m.alias, sql: measureSql(m.check.measure, connector.dialect, columns).aggregate });
    const row = await connector.aggregate(plan.name, expressions);
    const now = (options.now ?? Date.now)();
    for (const m of measures) {
      if (row.kind !== 'ok') {
        done(checkResult.error(m.check.identity, row.message));
        continue;
      }
      const rowCount = typeof row.value.row_count === 'number' ? row.value.row_count : 0;
      const measured = row.value[m.alias] ?? null;
      let result = judge(m.check, measured, rowCount, now);
      if (result.result === 'failed' || result.result === 'warning') {
        if (m.check.samples) {
          const request =
            m.check.measure.metric === 'duplicates' ? { kind: 'duplicates' as const, columns: m.columns }
            : m.violation !== undefined ? { kind: 'rows' as const, where: m.violation }
            : undefined;
          if (request !== undefined) {
            const samples = await connector.samples(plan.name, request, maxSamples);
            if (samples.kind === 'ok') {
              result = { ...result, samples: maskRows(samples.value, plan.maskedColumns, request.kind === 'duplicates' ? m.columns : []) };
            }
          }
        }
      }
      done(result);
    }
  }
  for (const check of sqlChecks) {
    const column = check.column === undefined ? undefined : (findColumn(columns, check.column)?.name ?? check.column);
    const query = expandPlaceholders(check.query, {
      object: connector.objectReference(plan.name),
      schema: connector.dialect.quote(connector.schemaName),
      column: column === undefined ? undefined : connector.dialect.quote(column),
    });
    const answer = await connector.customSql(query, { timeoutMs: options.sqlTimeoutMs ?? 60_000 });
    if (answer.kind !== 'ok') {
      done(checkResult.error(check.identity, `the SQL rule could not run: ${answer.message}`));
      continue;
    }
    const first = answer.value[0];
    const value = first === undefined ? null : (Object.values(first)[0] ?? null);
    const measured = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    const details = { measured: typeof measured === 'boolean' ? String(measured) : measured, expected: check.threshold.expected };
    done(check.threshold.holds(measured)
      ? checkResult.passed(check.identity, { ...details, message: `${String(measured)} ${check.threshold.expected}` })
      : checkResult.failed(check.identity, { ...details, message: `${String(measured)} is not ${check.threshold.expected}` }));
  }
  return results;
}

function renameColumns<M extends Extract<PlannedCheck, { kind: 'measure' }>['measure']>(measure: M, names: string[]): M {
  if (measure.metric === 'rowCount') return measure;
  if (measure.metric === 'duplicates') return { ...measure, columns: names };
  return { ...measure, column: names[0] ?? measure.column };
}

function judge(check: Extract<PlannedCheck, { kind: 'measure' }>, measured: SqlValue, rowCount: number, now: number): CheckResult {
  const j = check.judgement;
  switch (j.kind) {
    case 'zero': {
      const count = typeof measured === 'number' ? measured : Number(measured);
      const message = count === 0 ? `0 of ${rowCount} rows violate it` : `${count} of ${rowCount} rows violate it (${rowCount === 0 ? 0 : Math.round((count / rowCount) * 10000) / 100}%)`;
      const details = { measured: count, expected: '0', unit: 'rows', message };
      return count === 0 ? checkResult.passed(check.identity, details) : checkResult.failed(check.identity, details);
    }
    case 'threshold': {
      const count = typeof measured === 'number' ? measured : Number(measured);
      const value = j.percent ? (rowCount === 0 ? 0 : Math.round((count / rowCount) * 100 * 10000) / 10000) : count;
      const unit = j.percent ? 'percent' : check.measure.metric === 'rowCount' ? 'rows' : 'rows';
      const note = j.note === undefined ? '' : ` (${j.note})`;
      const details = { measured: value, expected: j.threshold.expected, unit };
      return j.threshold.holds(value)
        ? checkResult.passed(check.identity, { ...details, message: `${value} ${j.threshold.expected}${note}` })
        : checkResult.failed(check.identity, { ...details, message: `${value} is not ${j.threshold.expected}${note}` });
    }
    case 'maxAge': {
      const ageMs = age(now, measured);
      if (ageMs === undefined) {
        return checkResult.failed(check.identity, { measured: null, expected: `<= ${j.limit}`, message: 'no value to measure the age of (empty or all NULL)' });
      }
      const details = { measured: Math.round(ageMs / 1000), expected: `<= ${j.millis / 1000}`, unit: 'seconds' };
      const text = `${check.measure.metric === 'oldest' ? 'oldest' : 'newest'} value is ${formatDuration(ageMs)} old; limit ${j.limit}`;
      return ageMs <= j.millis ? checkResult.passed(check.identity, { ...details, message: text }) : checkResult.failed(check.identity, { ...details, message: text });
    }
  }
}

/** Runs a contract's checks on one of its servers. */
export async function runContract(options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const { contract } = options;
  const servers = contract.servers ?? [];
  const server = options.serverName === undefined ? servers[0] : servers.find((s) => s.server === options.serverName);
  const warnings = options.warnings ?? [];
  const base = { contract: { id: contract.id, version: contract.version ?? null }, server: server?.server ?? options.serverName ?? null };
  const fail = (message: string): RunResult => {
    const identity: CheckIdentity = { id: 'run.configuration', name: 'configuration', category: 'schema', type: 'configuration', object: null, property: null, dimension: null, severity: null };
    return { result: 'error', ...base, durationMs: Date.now() - started, warnings, checks: [checkResult.error(identity, message)] };
  };
  if (server === undefined) {
    return fail(options.serverName === undefined
      ? 'the contract has no servers[] to check'
      : `no server named "${options.serverName}" (known: ${servers.map((s) => s.server).join(', ') || 'none'})`);
  }
  const plan = compilePlan(contract, options.filter);
  const connector = await options.connectorFactory(server);
  if (connector.kind !== 'ok') return fail(`cannot connect to server "${server.server}": ${connector.message}`);
  const total = plan.objects.reduce((n, o) => n + o.checks.length, 0) + plan.orphans.length;
  let doneCount = 0;
  const checks: CheckResult[] = [];
  try {
    for (const object of plan.objects) {
      const tick = (): void => {
        doneCount++;
        options.onProgress?.({ object: object.object, done: doneCount, total });
      };
      checks.push(...(await runObject(connector.value, object, options, tick)));
    }
    for (const orphan of plan.orphans) {
      checks.push(orphan.kind === 'invalid' || orphan.kind === 'skip' ? (orphan.kind === 'invalid' ? checkResult.error(orphan.identity, orphan.message) : checkResult.skipped(orphan.identity, orphan.message)) : checkResult.error(orphan.identity, 'the check names no object'));
    }
  } finally {
    await connector.value.close();
  }
  const outcome = runOutcome(checks);
  // Something the contract asked for could not even be planned: a clean run is only a warning then.
  return { result: outcome === 'passed' && warnings.length > 0 ? 'warning' : outcome, ...base, durationMs: Date.now() - started, warnings, checks };
}
