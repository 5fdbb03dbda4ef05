import { processIo, UsageError, type Io } from './io';

/** One CLI command: its help text and what it does (returning the exit code). */
export interface Command {
  usage: string;
  run: (args: string[], io: Io) => Promise<number>;
}

/** A registered command: its summary for the help screen, and how to load it. */
interface Entry {
  summary: string;
  load: () => Promise<Command>;
}

/**
 * The commands, loaded lazily so `meshboard lint` does not pay for the server's or DuckDB's start-up;
 * each summary is kept here so the help screen loads no command module.
 * Exit codes across commands: 0 success, 1 the checked thing failed (invalid, breaking, failing), 2 usage
 * or unreadable input.
 */
const commands: Record<string, Entry> = {
  lint: {
    summary: 'Validate data contracts (ODCS) and data products (ODPS), with DCS and DPDS files',
    load: async () => (await import('./commands/lint')).lintCommand,
  },
  diff: {
    summary: 'Compare two versions of a contract or product: breaking changes and the next version',
    load: async () => (await import('./commands/diff')).diffCommand,
  },
  init: {
    summary: 'Scaffold a new data product: an ODPS product and its ODCS contract',
    load: async () => (await import('./commands/init')).initCommand,
  },
  test: {
    summary: "Run a contract's schema, quality and SLA checks on the real data",
    load: async () => (await import('./commands/test')).testCommand,
  },
  serve: {
    summary: 'Start the Meshboard server (API and web UI) on the embedded store or PostgreSQL',
    load: async () => (await import('./commands/serve')).serveCommand,
  },
  publish: {
    summary: 'Publish every contract and product of a folder to a Meshboard server (idempotent)',
    load: async () => (await import('./commands/publish')).publishCommand,
  },
  usage: {
    summary: 'Send usage events (NDJSON or CSV) to a Meshboard server in batches, with progress',
    load: async () => (await import('./commands/usage')).usageCommand,
  },
  pull: {
    summary: 'Write the mesh of a Meshboard server back as ODCS/ODPS files by domain',
    load: async () => (await import('./commands/pull')).pullCommand,
  },
};

function help(): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((name) => name.length));
  const lines = ['Usage: meshboard <command> [options]', '', 'Commands:'];
  for (const name of names) lines.push(`  ${name.padEnd(width)}  ${commands[name]?.summary ?? ''}`);
  lines.push('', "Run `meshboard <command> --help` for a command's options.");
  return `${lines.join('\n')}\n`;
}

/** Runs the CLI with `argv` (without the node and script paths) and returns the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout('meshboard 0.1.0\n');
    return 0;
  }
  const entry = commands[name];
  if (entry === undefined) {
    io.stderr(`meshboard: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`meshboard ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}
