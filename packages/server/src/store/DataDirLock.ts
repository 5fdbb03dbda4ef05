import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the lock file inside an embedded data directory. */
export const lockFileName = 'meshboard.lock';

/** Thrown when another live process already owns the embedded data directory. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Meshboard process (pid ${ownerPid}). ` +
        'Only one server may open an embedded data directory: stop that process, or talk to it over HTTP.',
    );
  }
}

/** A held lock on a data directory; `release()` removes the lock file (idempotent). */
export interface DataDirLock {
  path: string;
  release: () => void;
}

/** Whether a process with this id exists (signal 0 probes without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes exclusive ownership of `dataDir` (created if missing) by creating `meshboard.lock` with O_EXCL
 * and writing our pid into it. A lock whose pid is no longer running (a crashed or SIGKILLed server) is
 * stale and taken over; a lock held by a live process throws {@link DataDirLockedError}.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, lockFileName);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        path,
        release: () => {
          if (released) return;
          released = true;
          if (readOwner(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner !== undefined && owner !== process.pid && processAlive(owner)) {
        throw new DataDirLockedError(dataDir, owner);
      }
      if (owner === process.pid) throw new DataDirLockedError(dataDir, owner);
      // Stale (dead owner or unreadable half-written file): remove and retry the exclusive create.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${path} after removing a stale lock three times.`);
}
