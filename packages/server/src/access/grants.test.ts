import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../store/Database';
import { databaseRoleProblem, grantStatements, quoteIdentifier, revokeStatements } from './GrantExecutor';
import { parseGrantConnections } from './grantConnections';
import { planGrant } from './grantTarget';
import { contractApproverNames } from './resolveApprovers';

const server = { server: 'prod', type: 'postgres', host: 'DB.example', port: 6543, database: 'warehouse', schema: 'sales' };

describe('grant connections (MESHBOARD_GRANT_CONNECTIONS)', () => {
  it('keys connections by lower-case host, port (default 5432) and database', () => {
    expect(parseGrantConnections('postgres://g:pw@DB.example:6543/warehouse, postgresql://g@other/db').map((c) => c.key)).toEqual(['db.example:6543/warehouse', 'other:5432/db']);
    expect(parseGrantConnections(undefined)).toEqual([]);
    expect(parseGrantConnections('  ')).toEqual([]);
  });
  it('names a malformed entry by position without echoing it', () => {
    expect(() => parseGrantConnections('postgres://g:s3cret@host/db mysql://u:s3cret@h/db')).toThrow(/entry 2 must be a postgres:\/\/ URL/);
    expect(() => parseGrantConnections('postgres://g:s3cret@host/')).toThrow(/entry 1 needs a host and a database/);
    try {
      parseGrantConnections('not a url with s3cret');
    } catch (error) {
      expect(String(error)).not.toContain('s3cret');
    }
  });
});

describe('planGrant', () => {
  it('grants SELECT on every object (physicalName first) through the matching connection', () => {
    const contract: JsonValue = { servers: [server], schema: [{ name: 'orders', physicalName: 'orders_v2' }, { name: 'customers' }] };
    expect(planGrant(contract, new Set(['db.example:6543/warehouse']))).toEqual({ kind: 'grant', target: { connection: 'db.example:6543/warehouse', schema: 'sales', tables: ['orders_v2', 'customers'] } });
  });
  it('is not applicable without a PostgreSQL server, without a configured connection, or without tables', () => {
    expect(planGrant({ servers: [{ server: 'f', type: 'local' }], schema: [{ name: 'a' }] }, new Set())).toMatchObject({ kind: 'not_applicable', reason: expect.stringMatching(/no PostgreSQL server/) });
    expect(planGrant({ servers: [server], schema: [{ name: 'a' }] }, new Set())).toMatchObject({ kind: 'not_applicable', reason: expect.stringMatching(/No grant connection is configured for db.example:6543\/warehouse/) });
    expect(planGrant({ servers: [server], schema: [] }, new Set(['db.example:6543/warehouse']))).toMatchObject({ kind: 'not_applicable', reason: expect.stringMatching(/no tables/) });
    expect(planGrant(null, new Set())).toMatchObject({ kind: 'not_applicable' });
  });
});

describe('GRANT statements', () => {
  it('quotes every identifier, doubling embedded quotes', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    const target = { connection: 'k', schema: 'my schema', tables: ['t"1', 'orders'] };
    expect(grantStatements(target, 'analyst')).toEqual(['GRANT USAGE ON SCHEMA "my schema" TO "analyst"', 'GRANT SELECT ON TABLE "my schema"."t""1", "my schema"."orders" TO "analyst"']);
    expect(revokeStatements(target, 'analyst')).toEqual(['REVOKE SELECT ON TABLE "my schema"."t""1", "my schema"."orders" FROM "analyst"']);
  });
  it('accepts plain role names only, never PUBLIC or pg_ roles', () => {
    expect(databaseRoleProblem('analyst_1')).toBeUndefined();
    expect(databaseRoleProblem('Team_Reporting')).toBeUndefined();
    for (const bad of ['1abc', 'a-b', 'x; drop table y', 'a"b', '', 'a'.repeat(64)]) expect(databaseRoleProblem(bad)).toMatch(/letter or _/);
    expect(databaseRoleProblem('public')).toMatch(/everyone/);
    expect(databaseRoleProblem('pg_read_all_data')).toMatch(/system roles/);
  });
});

describe('contract approvers', () => {
  const contract: JsonValue = {
    roles: [
      { role: 'analyst', firstLevelApprovers: 'ana@example.com; Head of sales', secondLevelApprovers: 'cfo@example.com' },
      { role: 'admin_role', firstLevelApprovers: 'dba@example.com' },
    ],
  };
  it('uses the role entry matching the requested database role, both levels', () => {
    expect(contractApproverNames(contract, 'ANALYST')).toEqual(['ana@example.com', 'Head of sales', 'cfo@example.com']);
  });
  it('uses every entry when no role matches, and nothing without roles', () => {
    expect(contractApproverNames(contract, null)).toEqual(['ana@example.com', 'Head of sales', 'cfo@example.com', 'dba@example.com']);
    expect(contractApproverNames({}, 'analyst')).toEqual([]);
  });
});
