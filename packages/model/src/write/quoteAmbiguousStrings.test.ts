import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isAmbiguousString } from './quoteAmbiguousStrings';

const misread = [
  'yes', 'No', 'ON', 'off', 'y', 'n', 'true', 'False', '~', 'null', 'NULL', '0', '12', '-3', '+7', '012', '0x1F', '0b101',
  '1_000', '190:20:30', '12:30', '1.0', '.5', '-1.5e3', '1e3', '.inf', '-.Inf', '.nan', '2024-01-01', '2024-1-2',
  '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '.', 'e3',
];
const plain = ['hello', 'v1.0.0', '1.0.0', '09:00-08:00', '2024-05', 'a1', '1a', 'yes please', '12:30 pm', 'P1D', '1d', '1.2.3', 'orders'];

describe('isAmbiguousString', () => {
  it.each(misread)('quotes %j, which a YAML 1.1 reader reads as a non-string', (text) => {
    expect(typeof parse(text, { version: '1.1' })).not.toBe('string');
    expect(isAmbiguousString(text)).toBe(true);
  });

  it.each(plain)('leaves %j plain, which every reader reads as a string', (text) => {
    expect(parse(text, { version: '1.1' })).toBe(text);
    expect(isAmbiguousString(text)).toBe(false);
  });
});
