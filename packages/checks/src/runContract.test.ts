/** Engine semantics at the edges (docs/checks.md), on small CSV files written per test run. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OdcsContract, QualityRule, SchemaProperty } from '@meshboard/model';
import { createConnectorFactory } from './createConnectorFactory';
import type { PlanFilter } from './compilePlan';
import { textReport } from './reports';
import { expandPlaceholders, runContract, type RunResult } from './runContract';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshboard-engine-'));
  await writeFile(join(dir, 'items.csv'), 'id,code,amount,seen\n1,A,5,2026-01-01 00:00:00\n2,B,,2026-01-02 00:00:00\n3,,7,2026-01-03 00:00:00\n4,N/A,9,2026-01-04 00:00:00\n2,B,11,2026-01-05 00:00:00\n2,C,13,2026-01-06 00:00:00\n');
  await writeFile(join(dir, 'ragged.csv'), 'a,b\n1,2\n3,4,5,6\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function contract(options: { properties?: SchemaProperty[]; quality?: QualityRule[]; path?: string; type?: string; sla?: OdcsContract['slaProperties'] }): OdcsContract {
  return {
    id: 'edges',
    version: '1.0.0',
    servers: [{ server: 'files', type: options.type ?? 'local', format: 'csv', path: options.path ?? 'items.csv' }],
    schema: [{ name: 'items', properties: options.properties ?? [{ name: 'id' }], quality: options.quality ?? [] }],
    slaProperties: options.sla,
  };
}

function run(c: OdcsContract, extra: { filter?: PlanFilter; now?: number; server?: string } = {}): Promise<RunResult> {
  return runContract({
    contract: c,
    serverName: extra.server,
    filter: extra.filter,
    now: () => extra.now ?? Date.now(),
    connectorFactory: createConnectorFactory({ workingDir: dir, env: {} }),
  });
}

async function only(c: OdcsContract, type: string): Promise<RunResult['checks'][number]> {
  const result = await run(c);
  const found = result.checks.filter((x) => x.type === type);
  expect(found).toHaveLength(1);
  return found[0] as RunResult['checks'][number];
}

describe('engine semantics', () => {
  it('reads an empty CSV cell as NULL', async () => {
    expect(await only(contract({ properties: [{ name: 'amount', required: true }] }), 'field_required')).toMatchObject({ result: 'failed', measured: 1 });
  });

  it('counts duplicates as non-null rows minus distinct values', async () => {
    expect(await only(contract({ properties: [{ name: 'id', unique: true }] }), 'field_unique')).toMatchObject({ measured: 2, samples: [{ key: 2, duplicate_count: 3 }] });
  });

  it('counts duplicates over a property set', async () => {
    const c = contract({ quality: [{ metric: 'duplicateValues', arguments: { properties: ['id', 'code'] }, mustBe: 1 }] });
    expect(await only(c, 'field_duplicate_values')).toMatchObject({ result: 'passed', measured: 1 });
  });

  it('compares percent for null, missing and invalid values', async () => {
    const c = contract({
      properties: [
        { name: 'code', quality: [{ metric: 'missingValues', arguments: { missingValues: [null, '', 'N/A'] }, mustBeLessOrEqualTo: 33.3334, unit: 'percent' }] },
      ],
    });
    expect(await only(c, 'field_missing_values')).toMatchObject({ result: 'passed', unit: 'percent', measured: 33.3333 });
  });

  it('ignores percent for rowCount, saying so', async () => {
    const check = await only(contract({ quality: [{ metric: 'rowCount', mustBe: 6, unit: 'percent' }] }), 'row_count');
    expect(check).toMatchObject({ result: 'passed', measured: 6 });
    expect(check.message).toMatch(/percent" ignored/);
  });

  it('defaults library metrics without an operator to mustBe 0 (rowCount: > 0)', async () => {
    expect(await only(contract({ properties: [{ name: 'amount', quality: [{ metric: 'nullValues' }] }] }), 'field_null_values')).toMatchObject({ result: 'failed', expected: '= 0' });
    expect(await only(contract({ quality: [{ metric: 'rowCount' }] }), 'row_count')).toMatchObject({ result: 'passed', expected: '> 0' });
  });

  it('checks invalid values against validValues and a pattern', async () => {
    const c = contract({ properties: [{ name: 'code', quality: [{ metric: 'invalidValues', arguments: { validValues: ['A', 'B', 'C'] }, mustBe: 0 }] }] });
    expect(await only(c, 'field_invalid_values')).toMatchObject({ result: 'failed', measured: 1, samples: [expect.objectContaining({ code: 'N/A' })] });
    const p = contract({ properties: [{ name: 'code', quality: [{ metric: 'invalidValues', arguments: { pattern: '^[A-Z]$' }, mustBe: 1 }] }] });
    expect((await only(p, 'field_invalid_values')).result).toBe('passed');
  });

  it('compares numeric validValues numerically on a number column (DOUBLE 1.0 is valid for 1)', async () => {
    await writeFile(join(dir, 'measures.json'), '{"n": 1.0}\n{"n": 2}\n{"n": 2.5}\n{"n": null}\n{"n": 3.25}\n');
    const numbers = (validValues: unknown[]): OdcsContract => ({
      id: 'numbers',
      version: '1.0.0',
      servers: [{ server: 'json', type: 'local', format: 'json', delimiter: 'new_line', path: 'measures.json' }],
      schema: [{ name: 'measures', properties: [{ name: 'n', quality: [{ metric: 'invalidValues', arguments: { validValues }, mustBe: 0 }] }] }],
    });
    expect(await only(numbers([1, 2, 2.5, 3.25]), 'field_invalid_values')).toMatchObject({ result: 'passed', measured: 0 });
    expect(await only(numbers([1, 2, 2.5]), 'field_invalid_values')).toMatchObject({ result: 'failed', measured: 1, samples: [{ n: 3.25 }] });
    // Mixed lists stay text comparisons, and a text column (CSV) compares as text too.
    expect(await only(numbers([1, '2', 2.5, 3.25]), 'field_invalid_values')).toMatchObject({ result: 'failed', measured: 2 });
    const text = contract({ properties: [{ name: 'amount', quality: [{ metric: 'invalidValues', arguments: { validValues: [5, 7, 9, 11, 13] }, mustBe: 0 }] }] });
    expect(await only(text, 'field_invalid_values')).toMatchObject({ result: 'passed', measured: 0 });
  });

  it('reports run warnings and turns a clean pass into a warning', async () => {
    const c = contract({ quality: [{ metric: 'rowCount' }] });
    const clean = await run(c);
    expect(clean).toMatchObject({ result: 'passed', warnings: [] });
    const warned = await runContract({ contract: c, warnings: ['c.yaml:3:1: dropped'], connectorFactory: createConnectorFactory({ workingDir: dir, env: {} }) });
    expect(warned).toMatchObject({ result: 'warning', warnings: ['c.yaml:3:1: dropped'] });
    expect(textReport(warned)).toMatch(/^WARNING {2}c\.yaml:3:1: dropped$/m);
    const failing = await runContract({ contract: contract({ quality: [{ metric: 'rowCount', mustBe: 0 }] }), warnings: ['w'], connectorFactory: createConnectorFactory({ workingDir: dir, env: {} }) });
    expect(failing.result).toBe('failed');
  });

  it('skips invalidValues with neither validValues nor pattern, saying why', async () => {
    const check = await only(contract({ properties: [{ name: 'code', quality: [{ metric: 'invalidValues', mustBe: 0 }] }] }), 'field_invalid_values');
    expect(check.result).toBe('skipped');
  });

  it('downgrades a failure to a warning for warning-like severities only', async () => {
    const warn = await run(contract({ quality: [{ metric: 'rowCount', mustBeGreaterThan: 100, severity: 'minor' }] }));
    expect(warn.result).toBe('warning');
    const fail = await run(contract({ quality: [{ metric: 'rowCount', mustBeGreaterThan: 100, severity: 'error' }] }));
    expect(fail.result).toBe('failed');
  });

  it('reports text rules as not executable and custom rules as skipped with their engine', async () => {
    const result = await run(contract({ quality: [{ type: 'text', description: 'be nice' }, { type: 'custom', engine: 'soda' }] }));
    expect(result.checks.filter((c) => c.category === 'quality').map((c) => [c.result, c.message])).toEqual([
      ['skipped', expect.stringMatching(/not executable/)],
      ['skipped', expect.stringMatching(/"soda"/)],
    ]);
    expect(result.result).toBe('passed');
  });

  it('reports an unknown metric and a rule with two operators as errors', async () => {
    const result = await run(contract({ quality: [{ metric: 'averageValue', mustBe: 1 }, { metric: 'rowCount', mustBe: 1, mustBeLessThan: 4 }] }));
    expect(result.checks.filter((c) => c.category === 'quality').map((c) => c.result)).toEqual(['error', 'error']);
    expect(result.result).toBe('error');
  });

  it('expands {object} and {property} in SQL rules', async () => {
    const c = contract({ properties: [{ name: 'amount', quality: [{ type: 'sql', query: 'SELECT max({property}) FROM {object}', mustBe: 13 }] }] });
    expect(await only(c, 'field_quality_sql')).toMatchObject({ result: 'passed', measured: 13 });
    expect(expandPlaceholders('SELECT 1 FROM ${schema}.{table}', { object: '"t"', schema: '"s"', column: undefined })).toBe('SELECT 1 FROM "s"."t"');
  });

  it('refuses a write in a SQL rule', async () => {
    const result = await run(contract({ quality: [{ type: 'sql', query: `COPY (SELECT 1) TO '${join(dir, 'x.csv')}'`, mustBe: 0 }] }));
    // Refused twice over: the sandbox forbids the file at bind time, and a COPY is not a SELECT anyway.
    expect(result.checks.find((c) => c.type === 'model_quality_sql')).toMatchObject({ result: 'error', message: expect.stringMatching(/read-only SELECT|disabled by configuration/) });
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it('measures freshness and retention against the clock', async () => {
    const sla = [
      { property: 'freshness', value: 1, unit: 'd', element: 'items.seen' },
      { property: 'retention', value: 3, unit: 'days', element: 'items.seen' },
    ];
    const now = Date.parse('2026-01-06T12:00:00Z');
    const result = await run(contract({ properties: [{ name: 'seen' }], sla }), { now });
    expect(result.checks.find((c) => c.type === 'servicelevel_freshness')).toMatchObject({ result: 'passed', measured: 43_200 });
    expect(result.checks.find((c) => c.type === 'servicelevel_retention')).toMatchObject({ result: 'failed', measured: 5.5 * 86_400 });
  });

  it('reports an unknown SLA unit as an error', async () => {
    const result = await run(contract({ sla: [{ property: 'latency', value: 1, unit: 'fortnight', element: 'items.seen' }] }));
    expect(result.checks.find((c) => c.type === 'servicelevel_latency')).toMatchObject({ result: 'error' });
  });

  it('applies filters before anything runs', async () => {
    const c = contract({
      properties: [{ name: 'id', required: true, unique: true }],
      quality: [{ metric: 'rowCount', mustBe: 6, dimension: 'completeness', tags: ['daily'] }, { metric: 'rowCount', mustBe: 6, id: 'rc-2' }],
    });
    expect((await run(c, { filter: { tags: ['daily'] } })).checks.map((x) => x.id)).toEqual(['items.row_count']);
    expect((await run(c, { filter: { dimensions: ['uniqueness'] } })).checks.map((x) => x.type)).toEqual(['field_unique']);
    expect((await run(c, { filter: { ids: ['rc-2'] } })).checks.map((x) => x.id)).toEqual(['rc-2']);
    expect((await run(c, { filter: { categories: ['quality'] } })).checks).toHaveLength(2);
  });

  it('reports a row with too many columns past the sniffed sample by line and file, without the row', async () => {
    const lines = ['id,code'];
    for (let i = 0; i < 30_000; i++) lines.push(`${i},c${i}`);
    lines.push('30000,secret@example.com,extra', '');
    await writeFile(join(dir, 'late.csv'), lines.join('\n'));
    const result = await run(contract({ path: 'late.csv', quality: [{ metric: 'rowCount' }] }));
    const check = result.checks.find((c) => c.type === 'row_count');
    expect(check?.result).toBe('error');
    expect(check?.message).toContain(join(dir, 'late.csv'));
    expect(check?.message).toMatch(/CSV Error on Line: 30002; Expected Number of Columns: 2 Found: 3$/);
    expect(check?.message).not.toMatch(/secret|\n|Possible fixes/);
  });

  it('turns a missing file, a ragged CSV, an unknown server and an unsupported type into errors', async () => {
    const missing = await run(contract({ path: 'nope/*.csv' }));
    expect(missing.result).toBe('error');
    expect(missing.checks[0]?.message).toMatch(/nope/);
    // A missing single file reads as missing, not as a sandbox refusal.
    const absent = await run(contract({ path: 'absent.csv' }));
    expect(absent.checks[0]).toMatchObject({ result: 'error', message: expect.stringMatching(/absent\.csv.*No files found/) });
    const ragged = await run(contract({ path: 'ragged.csv' }));
    expect(ragged.result).toBe('error');
    // One readable line naming the file, not DuckDB's multi-line sniffer dump.
    const message = ragged.checks[0]?.message ?? '';
    expect(message).toContain(join(dir, 'ragged.csv'));
    expect(message).toMatch(/not possible to automatically detect the CSV parsing dialect/);
    expect(message).not.toMatch(/\n|search space|Possible fixes|LINE 1/);
    expect((await run(contract({}), { server: 'elsewhere' })).checks[0]?.message).toMatch(/no server named "elsewhere"/);
    expect((await run(contract({ type: 'snowflake' }))).checks[0]?.message).toMatch(/not supported/);
  });
});
