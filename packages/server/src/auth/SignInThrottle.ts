import { TooManyRequestsError } from '../errors/errors';

/** The policy of a {@link SignInThrottle}. */
export interface SignInThrottlePolicy {
  /** Failed attempts for one e-mail address that lock it (default 5). */
  failuresBeforeLock: number;
  /** Failures older than this are forgotten (default 15 min). */
  windowMs: number;
  /** The first lock (default 1 min); each further failure doubles it. */
  firstLockMs: number;
  /** The longest lock (default 15 min). */
  maxLockMs: number;
  /** Addresses tracked at once; beyond it the stalest entry is dropped, so a spray cannot exhaust memory. */
  maxTracked: number;
}

const defaultPolicy: SignInThrottlePolicy = { failuresBeforeLock: 5, windowMs: 15 * 60_000, firstLockMs: 60_000, maxLockMs: 15 * 60_000, maxTracked: 10_000 };

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/**
 * Slows password guessing per e-mail address: after `failuresBeforeLock` wrong passwords within `windowMs`, the
 * address is locked for `firstLockMs`, doubling with every further failure up to `maxLockMs`. While
 * locked, sign-in is refused before the password is checked (429 with Retry-After), even with the right
 * password; a successful sign-in clears the record. API tokens are not affected, so a locked person can
 * still be helped by an admin, and an attacker can lock an address for at most `maxLockMs` at a time.
 * State is per server process (several processes on one PostgreSQL each count on their own).
 */
export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly policy: SignInThrottlePolicy;

  constructor(
    policy: Partial<SignInThrottlePolicy> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.policy = { ...defaultPolicy, ...policy };
  }

  /** Throws {@link TooManyRequestsError} while `email` is locked. */
  check(email: string): void {
    const entry = this.current(email);
    if (entry === undefined) return;
    const waitMs = entry.lockedUntil - this.now();
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new TooManyRequestsError(`Too many wrong passwords for this e-mail address. Try again in ${seconds} s, or ask an admin for help.`, seconds);
    }
  }

  /** Counts a wrong password (or unknown address) for `email`, locking it from the `failuresBeforeLock`th on. */
  failed(email: string): void {
    const key = normalise(email);
    const now = this.now();
    const entry = this.current(email) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    entry.failures += 1;
    entry.lastFailureAt = now;
    const beyond = entry.failures - this.policy.failuresBeforeLock;
    if (beyond >= 0) entry.lockedUntil = now + Math.min(this.policy.maxLockMs, this.policy.firstLockMs * 2 ** Math.min(beyond, 30));
    // Re-inserting keeps the Map in least-recently-failed order for the eviction below.
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.policy.maxTracked) {
      const stalest = this.entries.keys().next().value;
      if (stalest === undefined) break;
      this.entries.delete(stalest);
    }
  }

  /** Forgets the failures of `email` after a successful sign-in. */
  succeeded(email: string): void {
    this.entries.delete(normalise(email));
  }

  /** The live entry for `email`: failures outside the window (and not locked) are forgotten. */
  private current(email: string): Entry | undefined {
    const key = normalise(email);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.now();
    if (entry.lockedUntil <= now && now - entry.lastFailureAt > this.policy.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

function normalise(email: string): string {
  return email.trim().toLowerCase();
}
