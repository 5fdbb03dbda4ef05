/**
 * Publish benchmark (issue 4 target 4): the real `meshboard publish <dir>` CLI process against a real
 * `meshboard serve` process on a fresh embedded store (with the demo mesh, whose domains and teams the
 * documents name), publishing MESHBOARD_BENCH_PRODUCTS products (default 10000), each with its ODCS
 * contract of 10 properties: 2 × N JSON files. Target ≤ 120 s for 10,000.
 *
 * Baseline in the same run: `meshboard lint <dir>` on the same folder (the CLI reading and validating
 * every file, which publish does first) — the ratio publish / lint shows what sending and storing adds.
 *
 * Run: `npm run bench publish`.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBin, envNumber, repoRoot, round, startServeProcess, writeResult } from './support';
import { syntheticDocuments } from './syntheticCatalog';

const products = envNumber('MESHBOARD_BENCH_PRODUCTS', 10_000);
const adminToken = 'mbt_publishbenchpublishbenchpublishbench00';

/** Runs the CLI; resolves with its exit code, output and wall time in ms. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cliBin, ...args], { cwd: repoRoot, env: { ...process.env, MESHBOARD_URL: '', MESHBOARD_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

const dir = await mkdtemp(join(tmpdir(), 'meshboard-bench-publish-'));
try {
  const folder = join(dir, 'mesh');
  await mkdir(join(folder, 'contracts'), { recursive: true });
  await mkdir(join(folder, 'products'), { recursive: true });
  for (let n = 0; n < products; n++) {
    const documents = syntheticDocuments(n, 10);
    await writeFile(join(folder, 'contracts', `${n}.odcs.json`), JSON.stringify(documents.contract, null, 2));
    await writeFile(join(folder, 'products', `${n}.odps.json`), JSON.stringify(documents.product, null, 2));
  }
  const lint = await cli(['lint', folder]);
  if (lint.code !== 0) throw new Error(`meshboard lint failed (${lint.code}):\n${lint.stderr.slice(0, 2000)}`);
  const server = await startServeProcess(['--data-dir', join(dir, 'data')], { MESHBOARD_ADMIN_TOKEN: adminToken });
  try {
    const publish = await cli(['publish', folder, '--url', server.url, '--token', adminToken]);
    if (publish.code !== 0) throw new Error(`meshboard publish failed (${publish.code}):\n${publish.stderr.slice(0, 2000)}`);
    const summary = publish.stdout.trim().split('\n').at(-1) ?? '';
    if (!summary.startsWith(`${2 * products} created`)) throw new Error(`unexpected summary: ${summary}`);
    const rss = server.peakRss();
    console.log(`publish of ${products} products + ${products} contracts: ${(publish.ms / 1000).toFixed(1)} s (${((2 * products) / (publish.ms / 1000)).toFixed(0)} documents/s)  target ≤ 120 s for 10,000`);
    console.log(`baseline lint of the same folder: ${(lint.ms / 1000).toFixed(1)} s`);
    console.log(`ratio publish / lint: ${(publish.ms / lint.ms).toFixed(2)}×`);
    console.log(`server peak RSS: ${(rss / 1024 / 1024).toFixed(0)} MiB`);
    writeResult('publish', {
      products,
      documents: 2 * products,
      publishSeconds: round(publish.ms / 1000, 1),
      lintSeconds: round(lint.ms / 1000, 1),
      ratio: round(publish.ms / lint.ms),
      serverPeakRssMiB: round(rss / 1024 / 1024, 0),
      target: { seconds: 120, products: 10_000 },
      // Scaled to 10,000 products when run smaller (linear; a quick trial only).
      met: publish.ms / 1000 <= (120 * products) / 10_000,
    });
  } finally {
    await server.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
