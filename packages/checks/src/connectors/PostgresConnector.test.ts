import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { OdcsContract, Server } from '@meshboard/model';
import { postgresAvailable } from '../../../../test-support/services';
import { connectorAnswer, type Connector, type ConnectorAnswer } from '../Connector';
import { runContract } from '../runContract';
import { connectorSuite, peopleRows } from './connector.case';
import { allowPrivilegedChecksVariable, PostgresConnector } from './PostgresConnector';
import { createReaderDatabase, type ReaderDatabase } from './postgresReader.case';

const available = await postgresAvailable();

const literal = (v: string | number | null): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);

async function open(server: Server, env: Record<string, string>): Promise<PostgresConnector> {
  const answer = await PostgresConnector.create({ server, env });
  if (answer.kind !== 'ok') throw new Error(answer.message);
  return answer.value;
}

const factory = (env: Record<string, string>) => async (server: Server): Promise<ConnectorAnswer<Connector>> => connectorAnswer.ok(await open(server, env));

/** Runs `body` on a fresh database with a SELECT-only role; drops both afterwards. */
async function withDatabase(prefix: string, setUp: string[], body: (db: ReaderDatabase) => Promise<void>): Promise<void> {
  const db = await createReaderDatabase(prefix);
  try {
    await db.setUp(...setUp);
    await body(db);
  } finally {
    await db.drop();
  }
}

describe.skipIf(!available)('PostgresConnector', () => {
  // The recommended set-up: the suite's custom SQL runs as a SELECT-only role.
  connectorSuite('PostgresConnector', async () => {
    const db = await createReaderDatabase('meshboard_checks');
    await db.setUp(
      'CREATE TABLE people (id integer, name varchar, email varchar, amount double precision, created timestamp)',
      `INSERT INTO people VALUES ${peopleRows.map((r) => `(${r.map(literal).join(', ')})`).join(', ')}`,
    );
    return { server: db.server, open: () => open(db.server, db.readerEnv), cleanup: db.drop };
  });
});

describe.skipIf(!available)('PostgresConnector privileged roles', () => {
  it('refuses contract SQL as a superuser, but still runs the engine\'s own aggregates', async () => {
    await withDatabase('meshboard_super', ['CREATE TABLE t AS SELECT 1 AS id'], async (db) => {
      const connector = await open(db.server, db.adminEnv);
      try {
        for (const query of ["SELECT pg_read_file('/etc/passwd')", 'SELECT pg_reload_conf()', 'SELECT count(*) FROM t']) {
          const answer = await connector.customSql(query, { timeoutMs: 5000 });
          expect(answer.kind === 'error' && answer.message).toMatch(/superuser.*SELECT-only role.*MESHBOARD_ALLOW_SUPERUSER_CHECKS=1/);
          expect(answer.kind === 'error' && answer.message).not.toMatch(/postgres/);
        }
        expect(await connector.aggregate('t', [{ alias: 'n', sql: 'CAST(count(*) AS DOUBLE PRECISION)' }])).toEqual(connectorAnswer.ok({ n: 1 }));
      } finally {
        await connector.close();
      }
      const run = await runContract({
        contract: { id: 'su', version: '1.0.0', servers: [db.server], schema: [{ name: 't', quality: [{ type: 'sql', query: 'SELECT count(*) FROM {object}', mustBe: 1 }] }] },
        connectorFactory: factory(db.adminEnv),
      });
      expect(run.checks[0]).toMatchObject({ result: 'error', message: expect.stringMatching(/superuser/) });
      expect(run.result).toBe('error');
    });
  });

  it('runs contract SQL as a superuser only with the explicit opt-in', async () => {
    await withDatabase('meshboard_optin', ['CREATE TABLE t AS SELECT 1 AS id'], async (db) => {
      const connector = await open(db.server, { ...db.adminEnv, [allowPrivilegedChecksVariable]: '1' });
      try {
        expect(await connector.customSql('SELECT CAST(count(*) AS integer) AS n FROM t', { timeoutMs: 5000 })).toEqual(connectorAnswer.ok([{ n: 1 }]));
      } finally {
        await connector.close();
      }
    });
  });

  it('refuses a member of pg_read_server_files too', async () => {
    await withDatabase('meshboard_files', ['CREATE TABLE t AS SELECT 1 AS id'], async (db) => {
      const role = db.readerEnv.MESHBOARD_POSTGRES_USER ?? '';
      await db.setUp(`GRANT pg_read_server_files TO "${role}"`);
      const connector = await open(db.server, db.readerEnv);
      try {
        const answer = await connector.customSql('SELECT count(*) FROM t', { timeoutMs: 5000 });
        expect(answer.kind === 'error' && answer.message).toMatch(/member of pg_read_server_files/);
      } finally {
        await connector.close();
        await db.setUp(`REVOKE pg_read_server_files FROM "${role}"`);
      }
    });
  });

  it('leaves a SELECT-only role unable to read server files or signal backends', async () => {
    await withDatabase('meshboard_reader', ['CREATE TABLE t AS SELECT 1 AS id'], async (db) => {
      const connector = await open(db.server, db.readerEnv);
      // A superuser session the reader must not be able to end.
      const admin = new pg.Client({ connectionString: db.database.url });
      await admin.connect();
      try {
        const pid = ((await admin.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
        expect(await connector.customSql('SELECT CAST(count(*) AS integer) AS n FROM t', { timeoutMs: 5000 })).toEqual(connectorAnswer.ok([{ n: 1 }]));
        for (const query of ["SELECT pg_read_file('/etc/passwd')", 'SELECT pg_reload_conf()', `SELECT pg_terminate_backend(${pid})`]) {
          const answer = await connector.customSql(query, { timeoutMs: 5000 });
          expect(answer.kind === 'error' && answer.message).toMatch(/permission denied|must be a superuser/);
        }
        expect((await admin.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await admin.end();
        await connector.close();
      }
    });
  });
});

describe.skipIf(!available)('PostgresConnector time zone', () => {
  it('runs its sessions in UTC even when the database defaults to another zone', async () => {
    await withDatabase('meshboard_tz', ["CREATE TABLE events AS SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' AS at, DATE '2024-01-01' AS day"], async (db) => {
      await db.setUp(`ALTER DATABASE "${db.database.name}" SET timezone TO 'Europe/Berlin'`);
      const connector = await open(db.server, db.readerEnv);
      try {
        expect(await connector.customSql("SELECT current_setting('TimeZone') AS tz", { timeoutMs: 5000 })).toEqual(connectorAnswer.ok([{ tz: 'UTC' }]));
      } finally {
        await connector.close();
      }
      const contract: OdcsContract = {
        id: 'tz',
        version: '1.0.0',
        servers: [db.server],
        schema: [{ name: 'events', properties: [{ name: 'at' }, { name: 'day' }] }],
        slaProperties: [
          { property: 'freshness', value: 1, unit: 'd', element: 'events.at' },
          { property: 'retention', value: 1, unit: 'd', element: 'events.day' },
        ],
      };
      const run = await runContract({ contract, now: () => Date.parse('2024-01-02T00:00:00Z'), connectorFactory: factory(db.readerEnv) });
      expect(run.checks.filter((c) => c.category === 'sla').map((c) => [c.result, c.measured])).toEqual([['passed', 86_400], ['passed', 86_400]]);
    });
  });
});

describe.skipIf(!available)('PostgresConnector numeric validValues', () => {
  it('compares numbers numerically on a numeric(10,2) column (2.00 is valid for 2)', async () => {
    await withDatabase('meshboard_numeric', ['CREATE TABLE prices (p numeric(10,2))', 'INSERT INTO prices VALUES (1), (2), (2.5), (NULL), (7.25)'], async (db) => {
      const contract: OdcsContract = {
        id: 'numeric',
        version: '1.0.0',
        servers: [db.server],
        schema: [{ name: 'prices', properties: [{ name: 'p', quality: [{ metric: 'invalidValues', arguments: { validValues: [1, 2, 2.5] }, mustBe: 0 }] }] }],
      };
      const run = await runContract({ contract, connectorFactory: factory(db.readerEnv) });
      expect(run.checks.find((c) => c.type === 'field_invalid_values')).toMatchObject({ result: 'failed', measured: 1, samples: [{ p: '7.25' }] });
    });
  });
});
