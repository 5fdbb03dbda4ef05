import { describe, expect, it } from 'vitest';
import { compareLogicalTypes, comparePhysicalTypes } from './compareTypes';

describe('comparePhysicalTypes', () => {
  it.each([
    ['int', 'bigint', 'widened'],
    ['BIGINT', 'integer', 'narrowed'],
    ['varchar(50)', 'VARCHAR(100)', 'widened'],
    ['varchar(100)', 'varchar(50)', 'narrowed'],
    ['varchar(50)', 'text', 'widened'],
    ['char(10)', 'varchar(10)', 'widened'],
    ['varchar(20)', 'char(10)', 'narrowed'],
    ['decimal(10,2)', 'numeric(12,4)', 'widened'],
    ['decimal(10,2)', 'decimal(12,0)', 'changed'],
    ['int', 'double', 'widened'],
    ['double', 'int', 'narrowed'],
    ['float', 'real', 'narrowed'],
    ['date', 'varchar(10)', 'changed'],
    ['varchar(10)', 'varchar( 10 )', 'same'],
  ])('%s → %s is %s', (a, b, move) => {
    expect(comparePhysicalTypes(a, b)).toBe(move);
  });
});

describe('compareLogicalTypes', () => {
  it.each([
    ['integer', 'number', 'widened'],
    ['number', 'integer', 'narrowed'],
    ['date', 'timestamp', 'widened'],
    ['string', 'integer', 'changed'],
    ['string', 'String', 'same'],
  ])('%s → %s is %s', (a, b, move) => {
    expect(compareLogicalTypes(a, b)).toBe(move);
  });
});
