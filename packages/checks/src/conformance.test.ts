/**
 * Conformance with the peer tool's fixtures (datacontract-cli tests, see /work/shared/conformance/README.md):
 * each set gives the results the peer's own tests assert. Server paths resolve against the peer's tests/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from './CheckResult';
import { createConnectorFactory } from './createConnectorFactory';
import { loadContractFile } from './loadContract';
import type { PlanFilter } from './compilePlan';
import { runContract, type RunResult } from './runContract';

const peer = fileURLToPath(new URL('../../../../shared/conformance/datacontract-cli/tests/', import.meta.url));

async function run(contractPath: string, options: { server?: string; filter?: PlanFilter; workingDir?: string } = {}): Promise<RunResult> {
  const loaded = await loadContractFile(join(peer, contractPath));
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return runContract({
    contract: loaded.contract,
    serverName: options.server,
    filter: options.filter,
    connectorFactory: createConnectorFactory({ workingDir: options.workingDir ?? peer, env: {} }),
  });
}

function check(result: RunResult, type: string, property: string | null): CheckResult {
  const found = result.checks.filter((c) => c.type === type && c.property === property);
  if (found.length !== 1) throw new Error(`expected one ${type} check on ${String(property)}, found ${found.length}`);
  return found[0] as CheckResult;
}

describe('peer fixtures: diagnostics', () => {
  it('gives the asserted failures and passes on orders.csv', async () => {
    const result = await run('fixtures/diagnostics/datacontract.yaml');
    expect(check(result, 'field_max_length', 'email')).toMatchObject({ result: 'failed', measured: 1 });
    expect(check(result, 'field_regex', 'email')).toMatchObject({ result: 'failed', measured: 1 });
    expect(check(result, 'field_regex', 'email').message).toContain('(20%)');
    expect(check(result, 'field_minimum', 'amount')).toMatchObject({ result: 'failed', measured: 1 });
    expect(check(result, 'field_required', 'email').result).toBe('passed');
    expect(check(result, 'field_unique', 'order_id')).toMatchObject({ result: 'failed', measured: 1 });
    expect(check(result, 'field_is_present', 'order_id').result).toBe('passed');
    expect(check(result, 'field_maximum', 'amount').result).toBe('failed');
    expect(check(result, 'field_min_length', 'email').result).toBe('passed');
    expect(check(result, 'field_required', 'order_id').result).toBe('passed');
    expect(result.checks.some((c) => c.type === 'field_type')).toBe(false);
    expect(result.result).toBe('failed');
  });
});

describe('peer fixtures: failed_samples', () => {
  it('shows at most 5 samples per failure with PII masked', async () => {
    const result = await run('inline-contracts/failed_samples.odcs.yaml');
    expect(result.result).toBe('failed');
    const region = check(result, 'field_required', 'region');
    expect(region.result).toBe('failed');
    expect(region.samples.map((s) => s.id)).toEqual([3, 5]);
    const amount = check(result, 'field_maximum', 'amount');
    expect(amount.samples).toEqual([expect.objectContaining({ id: 3, amount: 200 })]);
    const email = check(result, 'field_regex', 'email');
    expect(email).toMatchObject({ result: 'failed', measured: 6 });
    expect(email.samples).toHaveLength(5);
    expect(email.samples.every((s) => s.email === '***')).toBe(true);
    expect(JSON.stringify(result.checks.map((c) => c.samples))).not.toMatch(/@/);
    expect(check(result, 'field_unique', 'id').samples).toEqual([{ key: 2, duplicate_count: 2 }]);
    expect(check(result, 'field_minimum', 'amount').result).toBe('passed');
  });
});

describe('peer fixtures: metadata-only', () => {
  it('normal mode fails on unique, regex and minimum and skips nothing', async () => {
    const result = await run('inline-contracts/metadata_only_csv.odcs.yaml');
    expect(result.result).toBe('failed');
    expect(check(result, 'field_unique', 'order_id').result).toBe('failed');
    expect(check(result, 'field_regex', 'email').result).toBe('failed');
    expect(check(result, 'field_minimum', 'amount').result).toBe('failed');
    expect(result.checks.filter((c) => c.result === 'skipped')).toEqual([]);
  });

  it('metadata-only mode skips the 5 value checks and passes the 3 presence checks', async () => {
    const result = await run('inline-contracts/metadata_only_csv.odcs.yaml', { filter: { metadataOnly: true } });
    expect(result.checks.filter((c) => c.result === 'skipped').map((c) => c.type).sort()).toEqual(
      ['field_minimum', 'field_regex', 'field_required', 'field_required', 'field_unique'],
    );
    expect(result.checks.filter((c) => c.type === 'field_is_present').map((c) => c.result)).toEqual(['passed', 'passed', 'passed']);
    expect(result.result).toBe('passed');
  });

  it('metadata-only mode on parquet checks the 2 types and skips required and unique', async () => {
    const result = await run('inline-contracts/metadata_only_parquet.odcs.yaml', { filter: { metadataOnly: true } });
    expect(result.checks.filter((c) => c.type === 'field_type').map((c) => c.result)).toEqual(['passed', 'passed']);
    expect(check(result, 'field_required', 'integer_field').result).toBe('skipped');
    expect(check(result, 'field_unique', 'integer_field').result).toBe('skipped');
  });

  it('metadata-only mode skips row count, SQL and SLA checks; normal mode measures them', async () => {
    const meta = await run('inline-contracts/metadata_only_sla_and_sql.odcs.yaml', { filter: { metadataOnly: true } });
    for (const type of ['row_count', 'model_quality_sql', 'servicelevel_freshness', 'servicelevel_retention']) {
      expect(meta.checks.find((c) => c.type === type)?.result).toBe('skipped');
    }
    const normal = await run('inline-contracts/metadata_only_sla_and_sql.odcs.yaml');
    expect(normal.checks.find((c) => c.type === 'row_count')?.result).toBe('passed');
    expect(normal.checks.find((c) => c.type === 'model_quality_sql')).toMatchObject({ result: 'failed', measured: -5 });
  });
});

describe('peer fixtures: parquet', () => {
  it('combined.parquet: exactly 24 checks, all passed', async () => {
    const result = await run('fixtures/parquet/datacontract.yaml');
    expect(result.checks).toHaveLength(24);
    expect(result.checks.every((c) => c.result === 'passed')).toBe(true);
    expect(result.result).toBe('passed');
  });

  it('combined.parquet: schema-only passes, quality-only selects nothing', async () => {
    expect((await run('fixtures/parquet/datacontract.yaml', { filter: { categories: ['schema'] } })).result).toBe('passed');
    expect((await run('fixtures/parquet/datacontract.yaml', { filter: { categories: ['quality'] } })).checks).toHaveLength(0);
  });

  const perType = ['timestamp', 'timestamp_ntz', 'decimal', 'number_no_precision.odcs', 'array', 'bigint', 'binary', 'boolean', 'date', 'double', 'float', 'integer', 'map', 'string', 'struct'];
  it.each(perType)('datacontract_%s passes', async (name) => {
    const result = await run(`fixtures/parquet/datacontract_${name}.yaml`);
    expect(result.checks.filter((c) => c.result !== 'passed')).toEqual([]);
    expect(result.result).toBe('passed');
  });

  it('nested invalid logical types fail with element and field messages', async () => {
    const result = await run('fixtures/parquet/datacontract_invalid_logical_types_example.yaml');
    expect(result.result).toBe('failed');
    expect(check(result, 'field_type', 'values')).toMatchObject({ result: 'failed', message: "field '[]': expected type 'string' but got 'integer'" });
    expect(check(result, 'field_type', 'metadata')).toMatchObject({
      result: 'failed',
      message: "field 'name': expected type 'integer' but got 'string' (and 1 other error)",
    });
    expect(check(result, 'field_type', 'id').result).toBe('passed');
  });
});

describe('peer fixtures: local-json-nd', () => {
  it('passes on the newline-delimited JSON glob', async () => {
    const result = await run('fixtures/local-json-nd/datacontract.yaml');
    expect(result.checks.filter((c) => c.result !== 'passed')).toEqual([]);
    expect(result.checks.filter((c) => c.type === 'model_quality_sql')).toHaveLength(2);
    expect(result.result).toBe('passed');
  });
});

describe('peer fixtures: schema-evolution', () => {
  const v2 = 'fixtures/schema-evolution/odcs-datacontract-cities-version-2.yaml';
  it.each(['historical-csv', 'historical-parquet', 'historical-json'])('v2 on %s fails only on population presence', async (server) => {
    const result = await run(v2, { server });
    expect(result.result).toBe('failed');
    expect(result.checks.filter((c) => c.result === 'failed').map((c) => `${c.type}:${String(c.property)}`)).toEqual(['field_is_present:population']);
    expect(result.checks.filter((c) => c.type === 'field_is_present' && c.result === 'passed')).toHaveLength(2);
  });

  it.each(['current-csv', 'current-parquet', 'current-json', 'mixed-schema-csv', 'mixed-schema-parquet', 'mixed-schema-json'])('v2 on %s passes every check', async (server) => {
    const result = await run(v2, { server });
    expect(result.checks.filter((c) => c.result !== 'passed')).toEqual([]);
    expect(result.result).toBe('passed');
  });

  it.each(['current-csv-invalid', 'current-parquet-invalid'])('v2 on %s fails on the population minimum', async (server) => {
    const result = await run(v2, { server });
    expect(result.result).toBe('failed');
    expect(check(result, 'field_minimum', 'population')).toMatchObject({ result: 'failed', measured: 1 });
  });

  it.each(['historical-csv', 'historical-parquet'])('v3 (population required) on %s fails', async (server) => {
    const result = await run('fixtures/schema-evolution/odcs-datacontract-cities-version-3.yaml', { server });
    expect(result.result).toBe('failed');
  });
});

describe('peer fixtures: duckdb database', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshboard-duckdb-orders-'));
    const instance = await DuckDBInstance.create(join(dir, 'orders.duckdb'));
    const connection = await instance.connect();
    await connection.run('CREATE TABLE orders (order_id VARCHAR NOT NULL, order_total INTEGER)');
    await connection.run("INSERT INTO orders VALUES ('order-1', 100), ('order-2', 200)");
    connection.closeSync();
    instance.closeSync();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('passes both SQL rules and every schema check', async () => {
    const result = await run('inline-contracts/duckdb_orders.odcs.yaml', { workingDir: dir });
    expect(result.checks.filter((c) => c.type === 'model_quality_sql').map((c) => c.result)).toEqual(['passed', 'passed']);
    expect(result.checks.filter((c) => c.result !== 'passed')).toEqual([]);
    expect(result.result).toBe('passed');
  });

  it('reports a missing database file as an error, not a crash', async () => {
    const result = await run('inline-contracts/duckdb_orders.odcs.yaml', { workingDir: join(dir, 'nowhere') });
    expect(result.result).toBe('error');
    expect(result.checks[0]?.message).toMatch(/orders\.duckdb/);
  });
});
