import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * What a command may touch of the outside world besides files: its output streams and whether they
 * are terminals. Commands take an `Io` so tests can capture output without spawning a process.
 */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is a terminal: progress displays and colours are shown only then. */
  isTty: boolean;
  /** The directory relative paths are resolved against. */
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The process's real streams. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** An `Io` that records everything written, for tests. */
export function memoryIo(options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Io & {
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    isTty: false,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    out: () => out,
    err: () => err,
  };
}

/** Thrown by a command for a usage problem: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * `node:util` parseArgs whose complaints (unknown option, missing value) become `UsageError`s, so every
 * command reports them the same way: the message, the command's usage, exit code 2.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
