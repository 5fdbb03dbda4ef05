/**
 * The peer's PostgreSQL `quality` fixture: its seeds loaded into a temporary database; the valid seed
 * passes every check, the invalid one fails on the p95 rule, the max-gap rule and rowCount > 9.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../../test-support/services';
import { createReaderDatabase } from './connectors/postgresReader.case';
import { createConnectorFactory } from './createConnectorFactory';
import { loadContractFile } from './loadContract';
import { runContract, type RunResult } from './runContract';

const fixture = fileURLToPath(new URL('../../../../shared/conformance/datacontract-cli/tests/fixtures/quality/', import.meta.url));
const available = await postgresAvailable();

async function runOnSeed(seed: string): Promise<RunResult> {
  // Contract SQL runs as the recommended SELECT-only role, not as the superuser that loads the seed.
  const db = await createReaderDatabase('meshboard_quality');
  try {
    await db.setUp(await readFile(`${fixture}data/${seed}`, 'utf8'));
    const loaded = await loadContractFile(`${fixture}datacontract.yaml`);
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    // The fixture names host localhost / database test; point it at this run's temporary database.
    const servers = (loaded.contract.servers ?? []).map((s) => ({ ...s, host: db.server.host, port: db.server.port, database: db.server.database }));
    return await runContract({
      contract: { ...loaded.contract, servers },
      connectorFactory: createConnectorFactory({ workingDir: fixture, env: db.readerEnv }),
    });
  } finally {
    await db.drop();
  }
}

describe.skipIf(!available)('peer fixtures: quality (PostgreSQL)', () => {
  it('passes every check on the valid seed', async () => {
    const result = await runOnSeed('data.valid.sql');
    expect(result.checks.filter((c) => c.result !== 'passed')).toEqual([]);
    expect(result.checks.find((c) => c.name.startsWith('95%'))?.measured).toBe(8720);
    expect(result.result).toBe('passed');
  });

  it('fails on the p95, max-gap and rowCount rules on the invalid seed, and nowhere else', async () => {
    const result = await runOnSeed('data.invalid.sql');
    expect(result.result).toBe('failed');
    const failed = result.checks.filter((c) => c.result !== 'passed');
    expect(failed.map((c) => c.type).sort()).toEqual(['field_quality_sql', 'model_quality_sql', 'row_count']);
    expect(failed.find((c) => c.type === 'row_count')?.measured).toBe(9);
    expect(failed.find((c) => c.type === 'field_quality_sql')?.measured).toBeCloseTo(87, 0);
  });
});
