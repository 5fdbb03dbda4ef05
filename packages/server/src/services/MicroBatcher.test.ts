import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './MicroBatcher';

/** A run that records its batches and answers each input doubled, after `gate` when one is given. */
function recorder(gate?: () => Promise<void>) {
  const batches: number[][] = [];
  const run = async (inputs: readonly number[]): Promise<Promise<number>[]> => {
    batches.push([...inputs]);
    if (gate !== undefined) await gate();
    return inputs.map(async (input) => input * 2);
  };
  return { batches, run };
}

/** One turn of the event loop (past the check phase the batcher dispatches in). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('MicroBatcher', () => {
  it('runs a lone call in the turn it arrives, without a timer', async () => {
    const { batches, run } = recorder();
    const batcher = new MicroBatcher({ run, maxSize: 10, maxInFlight: 1 });
    const answer = batcher.load(21);
    await nextTurn();
    expect(batches).toEqual([[21]]);
    expect(await answer).toBe(42);
  });

  it('coalesces the calls of one turn, and the calls that arrive while a batch runs into the next', async () => {
    let open: () => void = () => undefined;
    const { batches, run } = recorder(() => new Promise<void>((resolve) => (open = resolve)));
    const batcher = new MicroBatcher({ run, maxSize: 10, maxInFlight: 1 });
    const first = [1, 2, 3].map((n) => batcher.load(n));
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3]]);
    const second = [4, 5].map((n) => batcher.load(n));
    await nextTurn();
    // The first batch still runs: the others wait rather than start a second statement.
    expect(batches).toHaveLength(1);
    open();
    expect(await Promise.all(first)).toEqual([2, 4, 6]);
    await nextTurn();
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
    open();
    expect(await Promise.all(second)).toEqual([8, 10]);
  });

  it('takes at most maxSize calls a batch and runs at most maxInFlight batches at once', async () => {
    const opens: (() => void)[] = [];
    const { batches, run } = recorder(() => new Promise<void>((resolve) => opens.push(resolve)));
    const batcher = new MicroBatcher({ run, maxSize: 2, maxInFlight: 2 });
    const answers = [1, 2, 3, 4, 5].map((n) => batcher.load(n));
    await nextTurn();
    expect(batches).toEqual([[1, 2], [3, 4]]);
    opens.shift()?.();
    await nextTurn();
    await nextTurn();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    for (const open of opens.splice(0)) open();
    await nextTurn();
    for (const open of opens.splice(0)) open();
    expect(await Promise.all(answers)).toEqual([2, 4, 6, 8, 10]);
  });

  it('fails only the call whose answer fails, and only the batch whose run fails', async () => {
    let failRun = true;
    const batcher = new MicroBatcher<number, number>({
      maxSize: 10,
      maxInFlight: 1,
      run: async (inputs) => {
        if (failRun) {
          failRun = false;
          throw new Error('statement failed');
        }
        return inputs.map(async (input) => {
          if (input < 0) throw new Error(`negative ${input}`);
          return input;
        });
      },
    });
    const failed = await Promise.allSettled([batcher.load(1), batcher.load(2)]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason).toEqual(new Error('statement failed'));
    const mixed = await Promise.allSettled([batcher.load(3), batcher.load(-4), batcher.load(5)]);
    expect(mixed).toEqual([
      { status: 'fulfilled', value: 3 },
      { status: 'rejected', reason: new Error('negative -4') },
      { status: 'fulfilled', value: 5 },
    ]);
  });

  it('fails every call of a batch whose run throws synchronously or answers too few results, and keeps serving', async () => {
    let mode: 'throw' | 'short' | 'ok' = 'throw';
    const batcher = new MicroBatcher<number, number>({
      maxSize: 10,
      maxInFlight: 1,
      run: (inputs) => {
        if (mode === 'throw') throw new Error('synchronous');
        if (mode === 'short') return Promise.resolve(inputs.slice(1).map(async (input) => input));
        return Promise.resolve(inputs.map(async (input) => input));
      },
    });
    await expect(batcher.load(1)).rejects.toThrow('synchronous');
    mode = 'short';
    const short = await Promise.allSettled([batcher.load(1), batcher.load(2)]);
    expect(short.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
    mode = 'ok';
    expect(await batcher.load(7)).toBe(7);
  });

  it('refuses sizes below one', () => {
    const run = async (): Promise<Promise<number>[]> => [];
    expect(() => new MicroBatcher({ run, maxSize: 0, maxInFlight: 1 })).toThrow(RangeError);
    expect(() => new MicroBatcher({ run, maxSize: 1, maxInFlight: 0 })).toThrow(RangeError);
  });
});
