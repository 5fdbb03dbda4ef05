/**
 * Shared helpers of the server benchmarks: statistics, result files, and the real `meshboard serve`
 * process (spawned through the CLI's own bin, as a user runs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const cliBin = join(repoRoot, 'packages/cli/bin/meshboard.js');

/** The value below which `p` percent of the sorted values lie (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Rounds for printing and JSON (figures in ms keep two decimals). */
export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Writes bench/results/<name>.json (the figures of one run, machine-readable). */
export function writeResult(name: string, result: unknown): void {
  const file = join(repoRoot, 'bench', 'results', `${name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`  wrote ${file}`);
}

/** An integer from the environment, or the default. */
export function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${text}"`);
  return value;
}

/** A running `meshboard serve` child process. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first `GET /api/health` answered 200. */
  healthyAfterMs: number;
  /**
   * CPU time (user + system) the server process had used by then, in milliseconds: unlike the wall
   * time it hardly depends on what else the (shared) machine is running.
   */
  healthyCpuMs: number;
  /** Peak resident set size so far (VmHWM), bytes. */
  peakRss: () => number;
  stop: () => Promise<void>;
}

/** CPU time (user + system) of a live process so far, in milliseconds (Linux: /proc/<pid>/stat, 100 ticks/s). */
export function processCpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces, hence from the last ')'): utime is the 12th, stime the 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Starts `meshboard serve` on a free port and polls `/api/health` every 10 ms until it answers 200. */
export async function startServeProcess(args: string[], env: Record<string, string> = {}, port = 0): Promise<ServerProcess> {
  const listenPort = port === 0 ? 20000 + Math.floor(Math.random() * 20000) : port;
  const started = performance.now();
  const child = spawn(process.execPath, [cliBin, 'serve', '--port', String(listenPort), '--host', '127.0.0.1', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${listenPort}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`meshboard serve exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > 300_000) throw new Error(`meshboard serve did not become healthy in 300 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const healthyAfterMs = performance.now() - started;
  return {
    url,
    child,
    healthyAfterMs,
    healthyCpuMs: processCpuMs(child.pid ?? 0),
    peakRss: () => {
      const status = readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8');
      const kib = /VmHWM:\s+([0-9]+) kB/.exec(status)?.[1];
      return Number(kib ?? 0) * 1024;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Times `fn` once in milliseconds. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Runs the app-versus-bare comparison of the product benches: one unmeasured warm-up of each side (JIT,
 * plans, caches), then `rounds` rounds of bare then app, so both see the same drift of a shared machine.
 * `report` is told each round's pair as it ends; answers every round's results per side.
 */
export async function alternatedRounds<T>(rounds: number, run: (which: 'app' | 'bare') => Promise<T>, report: (round: number, app: T, bare: T) => void): Promise<{ app: T[]; bare: T[] }> {
  await run('app');
  await run('bare');
  const app: T[] = [];
  const bare: T[] = [];
  for (let at = 1; at <= rounds; at++) {
    const bareResult = await run('bare');
    const appResult = await run('app');
    bare.push(bareResult);
    app.push(appResult);
    report(at, appResult, bareResult);
  }
  return { app, bare };
}
