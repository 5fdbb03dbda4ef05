/** Options of a {@link MicroBatcher}. */
export interface MicroBatcherOptions<I, O> {
  /**
   * Runs one batch: answers one promise per input, in input order, as soon as the batch's shared work
   * (its statement) is done; each promise settles that input's caller alone. A rejection of `run` itself
   * fails every input of the batch.
   */
  run: (inputs: readonly I[]) => Promise<readonly Promise<O>[]>;
  /** The most inputs one batch takes; the rest wait for the next batch. */
  maxSize: number;
  /** How many batches may run at once (1 on a store with one connection). */
  maxInFlight: number;
}

interface Waiting<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces the calls waiting at the same moment into one batch (DataLoader-style, no cache). A call
 * queues its input; the queue is dispatched at the end of the event-loop turn in which it filled
 * (`setImmediate`: the check phase right after the I/O callbacks of that turn, never a timer), as long
 * as fewer than `maxInFlight` batches run; otherwise as soon as one finishes. So an idle process runs a
 * lone call in the turn it arrives, and under load the calls that arrived while a batch ran (or in the
 * same turn) share the next one.
 *
 * Why the end of the turn rather than at once: on the embedded store a statement runs synchronously on
 * this thread (PGlite) within the microtasks of the I/O callback that issued it, so a batch dispatched
 * at once would always hold one call. Sockets read in the same poll phase are only all parsed by the
 * check phase.
 */
export class MicroBatcher<I, O> {
  readonly #options: MicroBatcherOptions<I, O>;
  #queue: Waiting<I, O>[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(options: MicroBatcherOptions<I, O>) {
    if (!(options.maxSize >= 1) || !(options.maxInFlight >= 1)) throw new RangeError('MicroBatcher: maxSize and maxInFlight must be at least 1.');
    this.#options = options;
  }

  /** The answer for `input`, computed in a batch with whatever else is waiting. */
  load(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0 || this.#inFlight >= this.#options.maxInFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#options.maxInFlight) {
      const batch = this.#queue.splice(0, this.#options.maxSize);
      this.#inFlight++;
      let answers: Promise<readonly Promise<O>[]>;
      try {
        answers = this.#options.run(batch.map((waiting) => waiting.input));
      } catch (error) {
        answers = Promise.reject(error);
      }
      answers
        .then(
          (results) => {
            batch.forEach((waiting, index) => {
              const result = results[index];
              if (result === undefined) waiting.reject(new Error(`MicroBatcher: the batch answered ${results.length} results for ${batch.length} inputs.`));
              else result.then(waiting.resolve, waiting.reject);
            });
          },
          (error: unknown) => {
            for (const waiting of batch) waiting.reject(error);
          },
        )
        .finally(() => {
          this.#inFlight--;
          this.#schedule();
        });
    }
  }
}
