import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pglitePgConfig } from './pglitePgConfig';

let pglite: PGlite;
let pool: pg.Pool;
let calls = 0;

beforeAll(async () => {
  pglite = await PGlite.create();
  const exec = pglite.execProtocolStream.bind(pglite);
  pglite.execProtocolStream = (...args) => {
    calls++;
    return exec(...args);
  };
  pool = new pg.Pool(pglitePgConfig(pglite));
  await pool.query('create table items (id int primary key, label text not null, at timestamptz not null, doc jsonb)');
});
afterAll(async () => {
  await pool.end();
  await pglite.close();
});

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const before = calls;
  const result = await work();
  return { result, calls: calls - before };
}

describe('pglitePgConfig: pg over PGlite, one backend call per query', () => {
  it('sends an extended-protocol query (parse, bind, describe, execute, sync) in one call, and a prepared one again in one', async () => {
    const unnamed = await counted(() => pool.query('select $1::int + 1 as n', [41]));
    expect(unnamed.result.rows).toEqual([{ n: 42 }]);
    expect(unnamed.calls).toBe(1);
    for (let i = 0; i < 2; i++) {
      const named = await counted(() => pool.query({ name: 'plus_one', text: 'select $1::int + 1 as n', values: [i] }));
      expect(named.result.rows).toEqual([{ n: i + 1 }]);
      expect(named.calls).toBe(1);
    }
  });

  it('answers rows and types as the node-postgres adapter of PGlite does', async () => {
    await pool.query("insert into items values (1, 'one', '2026-01-02T03:04:05Z', '{\"a\": [1, 2]}'), (2, 'two', '2026-02-03T04:05:06Z', null)");
    const reference = await PGlite.create();
    const referencePool = new pg.Pool(createPgConfig(reference));
    try {
      await referencePool.query('create table items (id int primary key, label text not null, at timestamptz not null, doc jsonb)');
      await referencePool.query("insert into items values (1, 'one', '2026-01-02T03:04:05Z', '{\"a\": [1, 2]}'), (2, 'two', '2026-02-03T04:05:06Z', null)");
      const statements: [string, unknown[]][] = [
        ['select * from items order by id', []],
        ['select id, doc, at from items where label = $1', ['two']],
        ['select count(*) as n, json_agg(label order by id) as labels from items where id = any($1::int[])', [[1, 2]]],
        ['update items set label = label where id > $1 returning id', [0]],
      ];
      for (const [text, values] of statements) {
        const ours = await pool.query(text, values);
        const theirs = await referencePool.query(text, values);
        expect({ rows: ours.rows, rowCount: ours.rowCount, command: ours.command, fields: ours.fields.map((f) => [f.name, f.dataTypeID]) }).toEqual({
          rows: theirs.rows,
          rowCount: theirs.rowCount,
          command: theirs.command,
          fields: theirs.fields.map((f) => [f.name, f.dataTypeID]),
        });
      }
    } finally {
      await referencePool.end();
      await reference.close();
    }
  });

  it('fails only the query whose parse or execute fails; the connection keeps serving', async () => {
    await expect(pool.query('select $1::int from no_such_table', [1])).rejects.toThrow(/no_such_table/);
    await expect(pool.query('select 1 / $1::int as n', [0])).rejects.toThrow(/division by zero/);
    await expect(pool.query({ name: 'broken', text: 'select $1::int as n from nowhere', values: [1] })).rejects.toThrow(/nowhere/);
    expect((await pool.query('select $1::text as t', ['still here'])).rows).toEqual([{ t: 'still here' }]);
  });

  it('keeps transactions: an error aborts the transaction until rollback, and rolled-back writes are gone', async () => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('insert into items values ($1, $2, now(), null)', [10, 'ten']);
      await expect(client.query('insert into items values ($1, $2, now(), null)', [10, 'again'])).rejects.toThrow(/duplicate key/);
      await expect(client.query('select $1::int as n', [1])).rejects.toThrow(/current transaction is aborted/);
      await client.query('rollback');
      expect((await client.query('select count(*)::int as n from items where id = $1', [10])).rows).toEqual([{ n: 0 }]);
    } finally {
      client.release();
    }
  });

  it('answers each of many queries in flight with its own rows', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => pool.query({ name: 'echo', text: 'select $1::int as n, $2::text as t', values: [i, `v${i}`] })));
    expect(answers.map((answer) => answer.rows[0])).toEqual(Array.from({ length: 50 }, (_, i) => ({ n: i, t: `v${i}` })));
  });
});
