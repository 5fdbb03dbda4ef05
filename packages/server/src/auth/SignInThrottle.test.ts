import { TooManyRequestsError } from '@meshboard/model';
import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './SignInThrottle';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function lockSeconds(throttle: SignInThrottle, email: string): number | undefined {
  try {
    throttle.check(email);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(TooManyRequestsError);
    return (error as TooManyRequestsError).retryAfterSeconds;
  }
}

describe('SignInThrottle', () => {
  it('allows the free failures, then locks the address with a doubling wait up to the maximum', () => {
    const time = clock();
    const throttle = new SignInThrottle({ failuresBeforeLock: 3, firstLockMs: 60_000, maxLockMs: 300_000 }, time.now);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(lockSeconds(throttle, 'a@x.org')).toBeUndefined();
      throttle.failed('a@x.org');
    }
    expect(lockSeconds(throttle, 'A@X.org ')).toBe(60);
    expect(lockSeconds(throttle, 'b@x.org')).toBeUndefined();
    time.advance(60_000);
    expect(lockSeconds(throttle, 'a@x.org')).toBeUndefined();
    throttle.failed('a@x.org');
    expect(lockSeconds(throttle, 'a@x.org')).toBe(120);
    time.advance(120_000);
    throttle.failed('a@x.org');
    expect(lockSeconds(throttle, 'a@x.org')).toBe(240);
    time.advance(240_000);
    throttle.failed('a@x.org');
    expect(lockSeconds(throttle, 'a@x.org')).toBe(300);
  });

  it('forgets failures after a success and after the window', () => {
    const time = clock();
    const throttle = new SignInThrottle({ failuresBeforeLock: 3, windowMs: 600_000 }, time.now);
    throttle.failed('a@x.org');
    throttle.failed('a@x.org');
    throttle.succeeded('a@x.org');
    throttle.failed('a@x.org');
    throttle.failed('a@x.org');
    expect(lockSeconds(throttle, 'a@x.org')).toBeUndefined();
    time.advance(600_001);
    throttle.failed('a@x.org');
    throttle.failed('a@x.org');
    expect(lockSeconds(throttle, 'a@x.org')).toBeUndefined();
    throttle.failed('a@x.org');
    expect(lockSeconds(throttle, 'a@x.org')).toBe(60);
  });

  it('tracks a bounded number of addresses, dropping the stalest', () => {
    const throttle = new SignInThrottle({ failuresBeforeLock: 1, maxTracked: 2 });
    throttle.failed('first@x.org');
    throttle.failed('second@x.org');
    throttle.failed('third@x.org');
    expect(lockSeconds(throttle, 'first@x.org')).toBeUndefined();
    expect(lockSeconds(throttle, 'second@x.org')).toBe(60);
    expect(lockSeconds(throttle, 'third@x.org')).toBe(60);
  });
});
