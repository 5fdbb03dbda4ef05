import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readSource } from '../document/SourceDocument';
import { toYaml } from './toYaml';

describe('toYaml', () => {
  const value = {
    version: '1.0.0',
    short: '1.0',
    date: '2024-01-01',
    time: '12:30',
    yes: 'yes',
    off: 'off',
    nothing: 'null',
    octal: '012',
    count: 3,
    flag: true,
    text: 'Orders: all of them',
    list: ['a', '2024-02-02'],
  };

  it('reads back to the same value and key order in YAML 1.2 core', () => {
    const back = readSource('x', toYaml(value)).value;
    expect(JSON.stringify(back)).toBe(JSON.stringify(value));
  });

  it('reads back to the same value in a YAML 1.1 reader', () => {
    expect(parse(toYaml(value), { version: '1.1' })).toEqual(value);
  });

  it('leaves ordinary strings plain', () => {
    expect(toYaml({ name: 'orders', status: 'active' })).toBe('name: orders\nstatus: active\n');
  });

  it('leaves out undefined members', () => {
    expect(toYaml({ a: 1, b: undefined })).toBe('a: 1\n');
  });
});
