import { describe, expect, it } from 'vitest';
import { detectStandard } from './detect';

describe('detectStandard', () => {
  it('recognises an ODCS v3 contract', () => {
    expect(detectStandard({ kind: 'DataContract', apiVersion: 'v3.1.0' })).toEqual({
      ok: true,
      standard: 'odcs',
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
    });
  });
  it('recognises an ODPS product, whatever version it declares', () => {
    expect(detectStandard({ kind: 'DataProduct', apiVersion: 'v0.9.0' })).toMatchObject({ ok: true, standard: 'odps', apiVersion: 'v0.9.0' });
  });
  it('recognises DCS by its top-level marker, numbers included', () => {
    expect(detectStandard({ dataContractSpecification: '1.2.1', id: 'x' })).toMatchObject({ standard: 'dcs', apiVersion: '1.2.1' });
  });
  it('recognises DPDS by its top-level marker', () => {
    expect(detectStandard({ dataProductDescriptor: '1.0.0' })).toMatchObject({ standard: 'dpds', kind: 'DataProduct' });
  });
  it('refuses ODCS v2 with a pointer to apiVersion', () => {
    expect(detectStandard({ kind: 'DataContract', apiVersion: 'v2.2.2' })).toMatchObject({
      ok: false,
      finding: { pointer: '/apiVersion', rule: 'standard/unsupported-version' },
    });
  });
  it('refuses a mapping without markers', () => {
    expect(detectStandard({ name: 'x' })).toMatchObject({ ok: false, finding: { rule: 'standard/unknown', pointer: '' } });
  });
  it('refuses an unknown kind, pointing at it', () => {
    const result = detectStandard({ kind: 'Dataset' });
    expect(result).toMatchObject({ ok: false, finding: { pointer: '/kind' } });
    expect(result.ok ? '' : result.finding.message).toContain('"Dataset"');
  });
  it('refuses a list and a scalar', () => {
    expect(detectStandard([1])).toMatchObject({ ok: false, finding: { message: expect.stringContaining('a list') } });
    expect(detectStandard('x')).toMatchObject({ ok: false, finding: { message: expect.stringContaining('a string') } });
  });
});
