import { toPointer } from '../document/problem';
import { severityOrder, type Change, type ChangeSeverity, type DiffResult } from './Change';
import { compareVersions, suggestVersion } from './suggestVersion';

/** Collects changes while a diff walks two documents; turns them into a `DiffResult` at the end. */
export class ChangeLog {
  readonly changes: Change[] = [];

  /** Records one change at `path` (segments, turned into a JSON pointer). */
  add(path: readonly (string | number)[], change: string, severity: ChangeSeverity, message: string): void {
    this.changes.push({ path: toPointer(path), change, severity, message });
  }

  /** Sorts by severity (stable within one), computes `breaking` and the suggested version. */
  result(kind: DiffResult['kind'], oldVersion: string | undefined, newVersion: string | undefined): DiffResult {
    const changes = [...this.changes].sort((a, b) => severityOrder.indexOf(a.severity) - severityOrder.indexOf(b.severity));
    const top = changes[0]?.severity;
    const { version, note } = suggestVersion(oldVersion, top);
    let versionNote = note;
    const declared = version === undefined || newVersion === undefined ? undefined : compareVersions(newVersion, version);
    if (declared !== undefined && declared < 0 && top !== undefined) {
      versionNote = [note, `the new document declares ${newVersion}, lower than the ${version} these changes call for`]
        .filter(Boolean)
        .join('; ');
    }
    return {
      kind,
      breaking: top === 'breaking',
      oldVersion,
      newVersion,
      suggestedVersion: version,
      versionNote,
      changes,
    };
  }
}
