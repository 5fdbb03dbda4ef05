/**
 * The one connector suite (STYLE habit 5): every connector runs these cases on the same table
 * `people(id, name, email, amount, created)`, loaded by its own set-up, and must answer alike.
 * Implementations call {@link connectorSuite} from their own test file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OdcsContract, Server } from '@meshboard/model';
import { connectorAnswer, type Connector } from '../Connector';
import { runContract } from '../runContract';

/** The rows every connector's set-up loads (id 2 repeats; one NULL email; one bad email). */
export const peopleRows: [number, string, string | null, number, string][] = [
  [1, 'Ada', 'ada@example.com', 10.5, '2026-01-01 10:00:00'],
  [2, 'Bob', 'bob@example.com', 20, '2026-01-02 10:00:00'],
  [2, 'Bob', 'no-at-sign', -3, '2026-01-03 10:00:00'],
  [4, 'Cy', null, 300, '2026-01-04 10:00:00'],
];

/** A set-up: opens a connector on a source holding `people`; `cleanup` runs once after the suite. */
export interface ConnectorSetup {
  server: Server;
  open: () => Promise<Connector>;
  cleanup: () => Promise<void>;
}

const contract = (server: Server): OdcsContract => ({
  id: 'people-suite',
  version: '1.0.0',
  servers: [server],
  schema: [
    {
      name: 'people',
      properties: [
        { name: 'id', logicalType: 'integer', required: true, unique: true },
        { name: 'name', logicalType: 'string', logicalTypeOptions: { minLength: 2, maxLength: 3, minimum: 0 } },
        { name: 'email', logicalType: 'string', classification: 'PII', logicalTypeOptions: { pattern: '^.+@.+$' }, quality: [{ metric: 'nullValues', mustBeLessOrEqualTo: 25, unit: 'percent' }] },
        { name: 'amount', logicalType: 'number', logicalTypeOptions: { minimum: 0, maximum: 300 }, quality: [{ metric: 'invalidValues', arguments: { validValues: [10.5, 20, -3, 300] }, mustBe: 0 }] },
        { name: 'created', logicalType: 'timestamp' },
        { name: 'absent', logicalType: 'string', required: true },
      ],
      quality: [
        { metric: 'rowCount', mustBeBetween: [4, 4] },
        { metric: 'duplicateValues', arguments: { properties: ['id', 'name'] }, mustBe: 1 },
        { type: 'sql', query: 'SELECT count(*) FROM {object} WHERE amount > 100', mustBe: 1 },
        { type: 'sql', query: 'DROP TABLE {object}', mustBe: 0 },
        { type: 'sql', query: 'SELEC broken', mustBe: 0 },
      ],
    },
  ],
  slaProperties: [
    { property: 'freshness', value: 2, unit: 'd', element: 'people.created' },
    { property: 'retention', value: 1, unit: 'd', element: 'people.created' },
  ],
});

/** Runs the shared cases against one connector. */
export function connectorSuite(name: string, makeSetup: () => Promise<ConnectorSetup>): void {
  describe(`${name} (shared connector suite)`, () => {
    let setup: ConnectorSetup;
    let connector: Connector;
    beforeAll(async () => {
      setup = await makeSetup();
      connector = await setup.open();
    });
    afterAll(async () => {
      await connector?.close();
      await setup?.cleanup();
    });

    it('describes the columns with their type families', async () => {
      const answer = await connector.describe('people');
      expect(answer.kind).toBe('ok');
      if (answer.kind !== 'ok') return;
      const kinds = Object.fromEntries(answer.value.columns.map((c) => [c.name, c.type.kind]));
      expect(kinds).toEqual({ id: 'integer', name: 'string', email: 'string', amount: 'number', created: 'timestamp' });
      expect(answer.value.typed).toBe(true);
    });

    it('answers notFound for an object that does not exist', async () => {
      expect((await connector.describe('nobody')).kind).toBe('notFound');
    });

    it('computes several aggregates in one statement returning one row', async () => {
      const answer = await connector.aggregate('people', [
        { alias: 'n', sql: 'CAST(count(*) AS DOUBLE PRECISION)' },
        { alias: 'nulls', sql: 'CAST(count(*) FILTER (WHERE email IS NULL) AS DOUBLE PRECISION)' },
      ]);
      expect(answer).toEqual(connectorAnswer.ok({ n: 4, nulls: 1 }));
    });

    it('fetches failed rows and repeated keys as samples', async () => {
      const rows = await connector.samples('people', { kind: 'rows', where: 'amount < 0' }, 5);
      expect(rows.kind === 'ok' && rows.value.map((r) => r.id)).toEqual([2]);
      const keys = await connector.samples('people', { kind: 'duplicates', columns: ['id'] }, 5);
      expect(keys.kind === 'ok' && keys.value).toEqual([{ key: 2, duplicate_count: 2 }]);
    });

    it('runs a read-only SELECT written by a contract author', async () => {
      const answer = await connector.customSql(`SELECT max(amount) AS top FROM ${connector.objectReference('people')}`, { timeoutMs: 5000 });
      expect(answer).toEqual(connectorAnswer.ok([{ top: 300 }]));
    });

    it('refuses a DROP TABLE and leaves the table in place', async () => {
      const answer = await connector.customSql(`DROP TABLE ${connector.objectReference('people')}`, { timeoutMs: 5000 });
      expect(answer.kind).toBe('error');
      expect((await connector.describe('people')).kind).toBe('ok');
    });

    it('refuses two statements in one rule', async () => {
      const answer = await connector.customSql('SELECT 1; SELECT 2', { timeoutMs: 5000 });
      expect(answer.kind).toBe('error');
    });

    it('reports SQL that does not parse as an error answer', async () => {
      const answer = await connector.customSql('SELEC nothing', { timeoutMs: 5000 });
      expect(answer.kind).toBe('error');
    });

    it('stops a statement at its timeout', async () => {
      const slow = connector.dialect.name === 'postgres' ? 'SELECT pg_sleep(5)' : 'SELECT count(*) FROM range(100000000000) t(a) WHERE a % 7 = 3';
      const started = Date.now();
      const answer = await connector.customSql(slow, { timeoutMs: 300 });
      expect(answer.kind === 'error' && answer.message).toMatch(/timeout/);
      expect(Date.now() - started).toBeLessThan(4000);
    });

    it('gives the same check results through the engine', async () => {
      const now = Date.parse('2026-01-05T10:00:00Z');
      const run = await runContract({ contract: contract(setup.server), connectorFactory: async () => connectorAnswer.ok(await setup.open()), now: () => now });
      const by = Object.fromEntries(run.checks.map((c) => [c.id, c]));
      const outcome = (id: string): string | undefined => by[id]?.result;
      expect(outcome('people.id.field_type')).toBe('passed');
      expect(outcome('people.amount.field_type')).toBe('passed');
      expect(outcome('people.id.field_unique')).toBe('failed');
      expect(by['people.id.field_unique']?.samples).toEqual([{ key: 2, duplicate_count: 2 }]);
      expect(outcome('people.id.field_required')).toBe('passed');
      expect(outcome('people.name.field_min_length')).toBe('passed');
      expect(outcome('people.name.field_max_length')).toBe('passed');
      // A numeric bound on a text column: non-numbers are not counted, and nothing errors.
      expect(by['people.name.field_minimum']).toMatchObject({ result: 'passed', measured: 0 });
      expect(outcome('people.email.field_regex')).toBe('failed');
      expect(by['people.email.field_regex']?.samples).toEqual([expect.objectContaining({ id: 2, email: '***' })]);
      expect(by['people.email.field_null_values']).toMatchObject({ result: 'passed', measured: 25, unit: 'percent' });
      expect(outcome('people.amount.field_minimum')).toBe('failed');
      expect(outcome('people.amount.field_maximum')).toBe('passed');
      // Numeric validValues on a double column compare as numbers (20 is valid although DuckDB writes 20.0).
      expect(by['people.amount.field_invalid_values']).toMatchObject({ result: 'passed', measured: 0 });
      expect(outcome('people.absent.field_is_present')).toBe('failed');
      expect(outcome('people.absent.field_required')).toBe('skipped');
      expect(by['people.row_count']).toMatchObject({ result: 'passed', measured: 4 });
      expect(by['people.field_duplicate_values']).toMatchObject({ result: 'passed', measured: 1 });
      expect(by['people.model_quality_sql']).toMatchObject({ result: 'passed', measured: 1 });
      expect(outcome('people.model_quality_sql.2')).toBe('error');
      expect(outcome('people.model_quality_sql.3')).toBe('error');
      expect(by['people.created.servicelevel_freshness']).toMatchObject({ result: 'passed', measured: 86_400 });
      expect(by['people.created.servicelevel_retention']).toMatchObject({ result: 'failed', measured: 4 * 86_400 });
      expect(run.result).toBe('error');
      expect((await connector.describe('people')).kind).toBe('ok');
    });
  });
}
