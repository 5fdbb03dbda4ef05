import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, lockFileName } from './DataDirLock';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshboard-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('acquireDataDirLock', () => {
  it('creates the directory and writes our pid; release removes the file', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(join(dir, lockFileName), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(join(dir, lockFileName))).toBe(false);
    lock.release();
  });

  it('refuses a directory locked by a live process, naming the directory and pid', () => {
    const dir = tempDir();
    writeFileSync(join(dir, lockFileName), `${process.ppid}\n`);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrow(new RegExp(`${dir}.*pid ${process.ppid}`));
  });

  it('refuses a second lock from the same process', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    lock.release();
  });

  it('takes over a stale lock whose process is gone', () => {
    const dir = tempDir();
    // pid 2^22+1 exceeds Linux's pid_max default range in containers: no such process.
    writeFileSync(join(dir, lockFileName), '4194305\n');
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(join(dir, lockFileName), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over an unreadable (half-written) lock file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, lockFileName), '');
    acquireDataDirLock(dir).release();
  });

  it('does not remove a lock another process took over after ours was deemed stale', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    writeFileSync(join(dir, lockFileName), `${process.ppid}\n`);
    lock.release();
    expect(existsSync(join(dir, lockFileName))).toBe(true);
  });
});
