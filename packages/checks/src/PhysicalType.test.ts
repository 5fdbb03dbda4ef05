import { describe, expect, it } from 'vitest';
import { parseDuckDbType, scalarType } from './PhysicalType';

describe('DuckDB type strings', () => {
  it('reads scalars including multi-word and parameterised names', () => {
    expect(parseDuckDbType('DECIMAL(10,2)').kind).toBe('number');
    expect(parseDuckDbType('TIMESTAMP WITH TIME ZONE').kind).toBe('timestamp');
    expect(parseDuckDbType('TIME').kind).toBe('time');
    expect(parseDuckDbType('HUGEINT').kind).toBe('integer');
    expect(parseDuckDbType('BLOB').kind).toBe('binary');
  });
  it('reads nested structs, lists and maps, with quoted field names', () => {
    expect(parseDuckDbType('STRUCT("a b" INTEGER, c VARCHAR[])')).toEqual({
      kind: 'struct',
      name: 'STRUCT("a b" INTEGER, c VARCHAR[])',
      fields: [
        { name: 'a b', type: { kind: 'integer', name: 'INTEGER' } },
        { name: 'c', type: { kind: 'list', name: 'VARCHAR[]', element: { kind: 'string', name: 'VARCHAR' } } },
      ],
    });
    const map = parseDuckDbType('MAP(VARCHAR, STRUCT(x DOUBLE))');
    expect(map.kind === 'map' && map.value.kind).toBe('struct');
    const nested = parseDuckDbType('INTEGER[][]');
    expect(nested.kind === 'list' && nested.element.kind).toBe('list');
  });
  it('classifies PostgreSQL spellings', () => {
    expect(scalarType('character varying').kind).toBe('string');
    expect(scalarType('double precision').kind).toBe('number');
    expect(scalarType('timestamp without time zone').kind).toBe('timestamp');
    expect(scalarType('jsonb').kind).toBe('string');
    expect(scalarType('int8').kind).toBe('integer');
    expect(scalarType('tsvector').kind).toBe('other');
  });
});
