import { describe, expect, it } from 'vitest';
import { compareVersions, suggestVersion } from './suggestVersion';

describe('suggestVersion', () => {
  it.each([
    ['1.2.3', 'breaking', '2.0.0'],
    ['1.2.3', 'non-breaking', '1.3.0'],
    ['1.2.3', 'informational', '1.2.4'],
    ['1.2.3', undefined, '1.2.3'],
    ['v1.0.0', 'breaking', 'v2.0.0'],
    ['0.4.2', 'breaking', '1.0.0'],
    ['2.0.0-rc.1', 'breaking', '2.0.0'],
    ['1.2', 'non-breaking', '1.3.0'],
  ] as const)('%s with %s changes → %s', (old, severity, expected) => {
    expect(suggestVersion(old, severity).version).toBe(expected);
  });

  it('explains a padded short version', () => {
    expect(suggestVersion('1', 'informational')).toEqual({ version: '1.0.1', note: 'the old version "1" was read as 1.0.0' });
  });

  it('suggests nothing for a version that is not semver, and says why', () => {
    const result = suggestVersion('2024-05', 'breaking');
    expect(result.version).toBeUndefined();
    expect(result.note).toContain('"2024-05" is not a semantic version');
  });

  it('suggests nothing without an old version', () => {
    expect(suggestVersion(undefined, 'breaking').note).toContain('no `version`');
  });

  it('compares versions by their numbers', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareVersions('x', '1.0.0')).toBeUndefined();
  });
});
