import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createValidator } from './createValidator';
import { lintDocuments, validateOdcs, validateOdps } from './lintDocuments';
import { mutate, validContract } from './rules/fixture';

const validator = createValidator();
const lintText = (text: string, path = 'c.odcs.yaml') => lintDocuments([{ path, text }], { validator }).files[0];

const product = (contractId: string) =>
  stringify({ apiVersion: 'v1.0.0', kind: 'DataProduct', id: 'p1', status: 'active', outputPorts: [{ name: 'o', version: '1', contractId }] });

describe('lintDocuments', () => {
  it('accepts the valid fixture', () => {
    expect(lintText(stringify(validContract()))).toMatchObject({ valid: true, problems: [], standard: 'odcs', apiVersion: 'v3.1.0' });
  });
  it('locates a schema problem at its line and column', () => {
    const text = stringify(mutate(['schema', 0, 'properties', 0, 'logicalType'], 'strin'));
    const line = text.split('\n').findIndex((l) => l.includes('logicalType: strin')) + 1;
    const [problem] = lintText(text)?.problems ?? [];
    expect(problem).toMatchObject({ line, pointer: '/schema/0/properties/0/logicalType', rule: 'schema/enum' });
    expect(problem?.column).toBe(text.split('\n')[line - 1]!.indexOf('strin') + 1);
  });
  it('keeps a file with only warnings valid', () => {
    const file = lintText(stringify(mutate(['slaProperties', 1, 'unit'], 'parsecs')));
    expect(file).toMatchObject({ valid: true, problems: [expect.objectContaining({ severity: 'warning' })] });
  });
  it('resolves a product\'s contract within the set, across files', () => {
    const report = lintDocuments([{ path: 'c.yaml', text: stringify(validContract()) }, { path: 'p.yaml', text: product('orders-contract') }], { validator });
    expect(report.valid).toBe(true);
    expect(report.files[1]?.problems).toEqual([]);
  });
  it('errs on a product\'s contract missing from a set that has contracts', () => {
    const text = product('other');
    const line = text.split('\n').findIndex((l) => l.includes('contractId: other')) + 1;
    const report = lintDocuments([{ path: 'c.yaml', text: stringify(validContract()) }, { path: 'p.yaml', text }], { validator });
    expect(report.files[1]?.problems).toEqual([expect.objectContaining({ rule: 'semantic/port-contract', severity: 'error', line })]);
  });
  it('warns on the same contract id and version in two files of the set', () => {
    const text = stringify(validContract());
    const report = lintDocuments([{ path: 'a.yaml', text }, { path: 'b.yaml', text }], { validator });
    expect(report.files[0]?.problems).toEqual([]);
    expect(report.files[1]?.problems).toEqual([
      expect.objectContaining({ pointer: '/id', rule: 'semantic/duplicate-contract', severity: 'warning', message: 'contract "orders-contract" version 1.0.0 is also defined in a.yaml' }),
    ]);
  });
  it('accepts two versions of one contract in the set', () => {
    const report = lintDocuments([{ path: 'a.yaml', text: stringify(validContract()) }, { path: 'b.yaml', text: stringify(mutate(['version'], '2.0.0')) }], { validator });
    expect(report.valid).toBe(true);
  });
  it('reports an unrecognised document', () => {
    expect(lintText('name: x\n')).toMatchObject({ valid: false, standard: 'unknown', problems: [expect.objectContaining({ rule: 'standard/unknown' })] });
  });
  it('reports an empty file', () => {
    expect(lintText('')).toMatchObject({ valid: false, problems: [expect.objectContaining({ rule: 'standard/unknown', message: expect.stringContaining('got nothing') })] });
  });
});

describe('validateOdcs / validateOdps', () => {
  it('validate parsed values without positions', () => {
    expect(validateOdcs(validContract(), { validator })).toEqual({ valid: true, findings: [] });
    const result = validateOdcs(mutate(['status'], 3), { validator });
    expect(result.valid).toBe(false);
    expect(result.findings[0]).toMatchObject({ pointer: '/status', rule: 'schema/type' });
  });
  it('refuse the other standard', () => {
    expect(validateOdps(validContract(), { validator }).findings[0]?.rule).toBe('standard/unexpected');
  });
  it('check ODPS ports against the given contract ids', () => {
    const value = { apiVersion: 'v1.0.0', kind: 'DataProduct', id: 'p', status: 'active', outputPorts: [{ name: 'o', version: '1', contractId: 'x' }] };
    expect(validateOdps(value, { validator, contractIds: new Set(['x']) })).toEqual({ valid: true, findings: [] });
    expect(validateOdps(value, { validator, contractIds: new Set(['y']) }).valid).toBe(false);
  });
});

describe('hostile input gives a clear error quickly, never a crash or a hang', () => {
  const timed = (text: string) => {
    const started = performance.now();
    const file = lintText(text);
    return { file, ms: performance.now() - started };
  };
  it('binary content', () => {
    const { file } = timed(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2) + 'x'.repeat(100));
    expect(file).toMatchObject({ valid: false, problems: [expect.objectContaining({ rule: 'syntax/binary' })] });
  });
  it('a 50 MB file', () => {
    const { file, ms } = timed(`description: "${'a'.repeat(50 * 1024 * 1024)}"\n`);
    expect(file).toMatchObject({ valid: false, problems: [expect.objectContaining({ rule: 'syntax/too-large' })] });
    expect(ms).toBeLessThan(5000);
  });
  it('deeply nested flow YAML', () => {
    const { file } = timed(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(file).toMatchObject({ valid: false, problems: [expect.objectContaining({ rule: 'syntax/too-deep' })] });
  });
  it('deeply nested block YAML', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
    expect(timed(text).file?.valid).toBe(false);
  });
  it('a YAML bomb (billion laughs)', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const { file, ms } = timed(bomb.join('\n'));
    expect(file).toMatchObject({ valid: false, problems: [expect.objectContaining({ rule: 'syntax/alias-limit' })] });
    expect(ms).toBeLessThan(5000);
  });
  it('duplicate keys', () => {
    const { file } = timed('kind: DataContract\nkind: DataProduct\n');
    expect(file).toMatchObject({ valid: false, problems: [expect.objectContaining({ rule: 'syntax/duplicate-key', line: 2 })] });
  });
  it('a contract that is a scalar', () => {
    expect(timed('42').file?.problems[0]?.message).toContain('got a number');
  });
});
