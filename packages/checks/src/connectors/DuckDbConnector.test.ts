import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OdcsContract, Server } from '@meshboard/model';
import { connectorAnswer } from '../Connector';
import { runContract } from '../runContract';
import { connectorSuite, peopleRows } from './connector.case';
import { conciseDuckDbError, DuckDbConnector, fileScope } from './DuckDbConnector';

const literal = (v: string | number | null): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);

connectorSuite('DuckDbConnector', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meshboard-duckdb-'));
  const file = join(dir, 'people.duckdb');
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  await connection.run('CREATE TABLE people (id INTEGER, name VARCHAR, email VARCHAR, amount DOUBLE, created TIMESTAMP)');
  await connection.run(`INSERT INTO people VALUES ${peopleRows.map((r) => `(${r.map(literal).join(', ')})`).join(', ')}`);
  connection.closeSync();
  instance.closeSync();
  const server = { server: 'db', type: 'duckdb', database: 'people.duckdb' };
  return {
    server,
    open: async () => {
      const answer = await DuckDbConnector.create({ server, workingDir: dir });
      if (answer.kind !== 'ok') throw new Error(answer.message);
      return answer.value;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('DuckDbConnector sandbox (contract-author SQL reads only the server\'s files)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'meshboard-sandbox-'));
    await mkdir(join(root, 'data', 'orders'), { recursive: true });
    await mkdir(join(root, 'database'), { recursive: true });
    await writeFile(join(root, 'data', 'people.csv'), 'id,name\n1,Ada\n2,Bob\n');
    await writeFile(join(root, 'data', 'orders', 'a.csv'), 'id\n1\n');
    await writeFile(join(root, 'data', 'orders', 'b.csv'), 'id\n2\n');
    await writeFile(join(root, 'secret.csv'), 'password\nhunter2\n');
    await writeFile(join(root, 'database', 'secret.csv'), 'password\nhunter2\n');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const open = async (server: Server): Promise<DuckDbConnector> => {
    const answer = await DuckDbConnector.create({ server, workingDir: root });
    if (answer.kind !== 'ok') throw new Error(answer.message);
    return answer.value;
  };
  const sql = (connector: DuckDbConnector, query: string): ReturnType<DuckDbConnector['customSql']> => connector.customSql(query, { timeoutMs: 5000 });

  it('reads its own file but refuses other files, globs elsewhere and the network', async () => {
    const connector = await open({ server: 'f', type: 'local', format: 'csv', path: 'data/people.csv' });
    try {
      expect((await connector.describe('people')).kind).toBe('ok');
      expect(await sql(connector, 'SELECT count(*) AS n FROM "people"')).toEqual(connectorAnswer.ok([{ n: 2 }]));
      for (const query of [
        `SELECT count(*) FROM read_csv('${join(root, 'secret.csv')}')`,
        `SELECT count(*) FROM read_csv('${join(root, 'data', '..', 'secret.csv')}')`,
        `SELECT count(*) FROM read_csv('${join(root, 'data', 'orders', 'a.csv')}')`,
        `SELECT count(*) FROM glob('${root}/*')`,
        "SELECT count(*) FROM read_text('/etc/passwd')",
        "SELECT count(*) FROM read_blob('/etc/passwd')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        "SELECT count(*) FROM parquet_metadata('/etc/passwd')",
        "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')",
        "SELECT count(*) FROM read_csv('https://example.com/x.csv')",
      ]) {
        const answer = await sql(connector, query);
        expect({ query, kind: answer.kind }).toEqual({ query, kind: 'error' });
        expect(answer.kind === 'error' && answer.message).toMatch(/disabled by configuration/);
      }
    } finally {
      await connector.close();
    }
  });

  it('keeps the configuration locked: external access off, no extension autoloading', async () => {
    const connector = await open({ server: 'f', type: 'local', format: 'csv', path: 'data/people.csv' });
    try {
      const answer = await sql(connector, "SELECT current_setting('enable_external_access') AS ext, current_setting('lock_configuration') AS locked, current_setting('autoload_known_extensions') AS autoload, current_setting('autoinstall_known_extensions') AS autoinstall");
      expect(answer).toEqual(connectorAnswer.ok([{ ext: false, locked: true, autoload: false, autoinstall: false }]));
      expect((await sql(connector, 'SET enable_external_access = true')).kind).toBe('error');
    } finally {
      await connector.close();
    }
  });

  it('lets a glob or {object} path read its own directory, not its siblings', async () => {
    const connector = await open({ server: 'f', type: 'local', format: 'csv', path: 'data/{object}/*.csv' });
    try {
      expect(await sql(connector, 'SELECT count(*) AS n FROM (SELECT 1)')).toEqual(connectorAnswer.ok([{ n: 1 }]));
      const aggregate = await connector.aggregate('orders', [{ alias: 'n', sql: 'CAST(count(*) AS DOUBLE)' }]);
      expect(aggregate).toEqual(connectorAnswer.ok({ n: 2 }));
      expect((await sql(connector, `SELECT count(*) FROM read_csv('${join(root, 'database', 'secret.csv')}')`)).kind).toBe('error');
      expect((await sql(connector, `SELECT count(*) FROM read_csv('${join(root, 'secret.csv')}')`)).kind).toBe('error');
    } finally {
      await connector.close();
    }
  });

  it('reads an attached database but no other file', async () => {
    const file = join(root, 'db.duckdb');
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    await connection.run('CREATE TABLE t AS SELECT 1 AS id');
    connection.closeSync();
    instance.closeSync();
    const connector = await open({ server: 'd', type: 'duckdb', database: 'db.duckdb' });
    try {
      expect(await sql(connector, 'SELECT count(*) AS n FROM t')).toEqual(connectorAnswer.ok([{ n: 1 }]));
      expect((await sql(connector, `SELECT count(*) FROM read_csv('${join(root, 'secret.csv')}')`)).kind).toBe('error');
    } finally {
      await connector.close();
    }
  });
});

describe('fileScope', () => {
  it('is the file itself without a glob, else the directory before the first glob or placeholder', () => {
    expect(fileScope('/d/people.csv')).toEqual({ paths: ['/d/people.csv'], directories: ['/d/people.csv/'] });
    expect(fileScope('/d/people/')).toEqual({ paths: ['/d/people/'], directories: ['/d/people/'] });
    expect(fileScope('/d/orders/*.parquet')).toEqual({ paths: [], directories: ['/d/orders/'] });
    expect(fileScope('/d/{object}.csv')).toEqual({ paths: [], directories: ['/d/'] });
    expect(fileScope('/d/x{model}/**/*.csv')).toEqual({ paths: [], directories: ['/d/'] });
  });
});

describe('DuckDbConnector time zone', () => {
  it('measures ages in UTC even when the process runs in another time zone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshboard-tz-'));
    const previous = process.env.TZ;
    try {
      const instance = await DuckDBInstance.create(join(dir, 'events.duckdb'));
      const connection = await instance.connect();
      await connection.run("CREATE TABLE events AS SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' AS at");
      connection.closeSync();
      instance.closeSync();
      process.env.TZ = 'Europe/Berlin';
      const server = { server: 'db', type: 'duckdb', database: 'events.duckdb' };
      const contract: OdcsContract = {
        id: 'tz',
        version: '1.0.0',
        servers: [server],
        schema: [{ name: 'events', properties: [{ name: 'at', logicalType: 'timestamp' }] }],
        slaProperties: [{ property: 'freshness', value: 1, unit: 'd', element: 'events.at' }],
      };
      const run = await runContract({
        contract,
        now: () => Date.parse('2024-01-02T00:00:00Z'),
        connectorFactory: async (s) => {
          const answer = await DuckDbConnector.create({ server: s, workingDir: dir });
          return answer.kind === 'ok' ? connectorAnswer.ok(answer.value) : answer;
        },
      });
      expect(run.checks.find((c) => c.type === 'servicelevel_freshness')).toMatchObject({ result: 'passed', measured: 86_400 });
      // The process-wide zone may already be cached by ICU, so also assert on the session setting itself.
      const connector = await DuckDbConnector.create({ server, workingDir: dir });
      if (connector.kind !== 'ok') throw new Error(connector.message);
      try {
        expect(await connector.value.customSql("SELECT current_setting('TimeZone') AS tz", { timeoutMs: 5000 })).toEqual(connectorAnswer.ok([{ tz: 'UTC' }]));
      } finally {
        await connector.value.close();
      }
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('conciseDuckDbError', () => {
  it('keeps the first meaningful lines and drops fixes, options, SQL excerpts and row content', () => {
    expect(conciseDuckDbError('Parser Error: syntax error at or near "SELEC"\n\nLINE 1: SELEC 1\n        ^')).toBe('Parser Error: syntax error at or near "SELEC"');
    expect(conciseDuckDbError('Invalid Input Error: Error when sniffing file "/d/x.csv".\nIt was not possible to automatically detect the CSV parsing dialect\nThe search space used was:\nDelimiter Candidates: \',\''))
      .toBe('Invalid Input Error: Error when sniffing file "/d/x.csv".; It was not possible to automatically detect the CSV parsing dialect');
    expect(conciseDuckDbError('Invalid Input Error: CSV Error on Line: 3\nOriginal Line: ada@example.com,1,2\nExpected Number of Columns: 2 Found: 3\nPossible fixes:\n* x\n\n  file = /d/x.csv'))
      .toBe('Invalid Input Error: CSV Error on Line: 3; Expected Number of Columns: 2 Found: 3');
  });
});
