import type { ChangeSeverity } from './Change';

/** A version suggestion and, when the version could not be bumped as asked, why. */
export interface VersionSuggestion {
  version: string | undefined;
  note: string | undefined;
}

interface ParsedVersion {
  prefix: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: boolean;
  padded: boolean;
}

const versionPattern = /^(v?)(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Reads `1.2.3`, `v1.2.3`, `1.2.3-rc.1`, and the short forms `1` and `1.2` (padded with zeros). */
export function parseVersion(text: string): ParsedVersion | undefined {
  const match = versionPattern.exec(text.trim());
  if (match === null) return undefined;
  const [, prefix = '', major = '0', minor, patch, prerelease] = match;
  // `2024-05` is a date, not version 2024 with pre-release 05: short forms take no pre-release tag.
  if ((minor === undefined || patch === undefined) && prerelease !== undefined) return undefined;
  return {
    prefix,
    major: Number(major),
    minor: Number(minor ?? 0),
    patch: Number(patch ?? 0),
    prerelease: prerelease !== undefined,
    padded: minor === undefined || patch === undefined,
  };
}

/**
 * The next semantic version after `old` for changes of at most `severity` (`undefined`: no change).
 * Rules (docs/diff.md): breaking → major, non-breaking → minor, informational → patch, nothing → same.
 * The same rules apply below 1.0.0 (0.4.2 → 1.0.0 on a breaking change): a contract consumers rely on is
 * treated as released whatever its number. A pre-release
 * (`2.0.0-rc.1`) is released as is when the bump it needs is already part of it. A `v` prefix is kept.
 * A version that is not semver-like yields no suggestion and a note saying why.
 */
export function suggestVersion(old: string | undefined, severity: ChangeSeverity | undefined): VersionSuggestion {
  if (old === undefined || old.trim() === '') {
    return { version: undefined, note: 'the old document has no `version`, so no next version can be suggested' };
  }
  const parsed = parseVersion(old);
  if (parsed === undefined) {
    return {
      version: undefined,
      note: `the old version "${old}" is not a semantic version (MAJOR.MINOR.PATCH), so no next version can be suggested`,
    };
  }
  const { prefix, major, minor, patch, prerelease, padded } = parsed;
  const format = (a: number, b: number, c: number): string => `${prefix}${a}.${b}.${c}`;
  const note = padded ? `the old version "${old}" was read as ${format(major, minor, patch)}` : undefined;
  if (severity === undefined) return { version: old, note: undefined };
  if (prerelease) {
    // 2.0.0-rc.1 → 2.0.0 covers any change a release of 2.0.0 may contain relative to its pre-release.
    return { version: format(major, minor, patch), note: `"${old}" is a pre-release; releasing it covers the changes` };
  }
  switch (severity) {
    case 'breaking':
      return { version: format(major + 1, 0, 0), note };
    case 'non-breaking':
      return { version: format(major, minor + 1, 0), note };
    case 'informational':
      return { version: format(major, minor, patch + 1), note };
  }
}

/** Compares two parsed versions by major, minor, patch (pre-release tags ignored). */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (x === undefined || y === undefined) return undefined;
  return x.major - y.major || x.minor - y.minor || x.patch - y.patch;
}
