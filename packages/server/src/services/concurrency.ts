import { PreconditionFailedError } from '../errors/errors';

/**
 * Checks the caller's expected version against the locked current row. Services read the row with
 * `FOR UPDATE` inside the mutation's transaction first, so a concurrent writer waits for the lock and
 * then sees the new version here: two writers holding the same stale version give one success and one
 * {@link PreconditionFailedError}, never a lost update.
 */
export function assertVersion(what: string, current: number, expected: number): void {
  if (current !== expected) {
    throw new PreconditionFailedError(
      `${what} was changed by someone else (your version ${expected}, current ${current}); reload and retry.`,
      current,
    );
  }
}
