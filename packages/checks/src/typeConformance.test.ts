import { describe, expect, it } from 'vitest';
import { parseDuckDbType } from './PhysicalType';
import { mismatchMessage, typeMismatches } from './typeConformance';

describe('type conformance', () => {
  it('number accepts integers; integer refuses decimals', () => {
    expect(typeMismatches({ name: 'a', logicalType: 'number' }, parseDuckDbType('BIGINT'))).toEqual([]);
    expect(typeMismatches({ name: 'a', logicalType: 'integer' }, parseDuckDbType('DECIMAL(10,2)'))).toEqual([
      "field 'a': expected type 'integer' but got 'number'",
    ]);
  });
  it('checks array elements and struct fields', () => {
    const property = { name: 's', logicalType: 'object', properties: [{ name: 'x', logicalType: 'string' }, { name: 'gone', logicalType: 'string' }] };
    const errors = typeMismatches(property, parseDuckDbType('STRUCT(x INTEGER)'));
    expect(mismatchMessage(errors)).toBe("field 'x': expected type 'string' but got 'integer' (and 1 other error)");
    expect(typeMismatches({ name: 'l', logicalType: 'array', items: { logicalType: 'integer' } }, parseDuckDbType('INTEGER[]'))).toEqual([]);
  });
  it('JSON text dates satisfy string only when temporal types were inferred from text', () => {
    expect(typeMismatches({ name: 'd', logicalType: 'string' }, parseDuckDbType('DATE'))).toHaveLength(1);
    expect(typeMismatches({ name: 'd', logicalType: 'string' }, parseDuckDbType('DATE'), { temporalFromText: true })).toEqual([]);
  });
  it('makes no check for missing or unknown logical types', () => {
    expect(typeMismatches({ name: 'b' }, parseDuckDbType('BLOB'))).toEqual([]);
    expect(typeMismatches({ name: 'b', logicalType: 'blob' }, parseDuckDbType('BLOB'))).toEqual([]);
  });
});
