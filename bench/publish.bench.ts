/**
 * Publish benchmark (issue 4 target 4): the real `meshboard publish <dir>` CLI process against a real
 * `meshboard serve` process on a fresh embedded store (with the demo mesh, whose domains and teams the
 * documents name), publishing MESHBOARD_BENCH_PRODUCTS products (default 10000), each with its ODCS
 * contract of 10 properties: 2 × N JSON files. Target ≤ 120 s for 10,000.
 *
 * MESHBOARD_BENCH_RUNS runs (default 3), each on a fresh data directory; medians are reported. Each run
 * also re-publishes the same folder (idempotent: everything unchanged, nothing written).
 *
 * Baselines in the same run:
 * - `meshboard lint <dir>` on the same folder (the CLI reading and validating every file, which publish
 *   does first) — the ratio publish / lint shows what sending and storing adds;
 * - the one-request-per-document path the CLI used before POST /api/publish (GET for the ETag, then PUT
 *   /api/contracts|products/{id}, one document at a time), on its own fresh server, timed over the first
 *   MESHBOARD_BENCH_BASELINE_PRODUCTS products (default 500) and compared as documents per second.
 *
 * Run: `npm run bench publish`.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBin, envNumber, median, repoRoot, round, startServeProcess, writeResult } from './support';
import { syntheticDocuments } from './syntheticCatalog';

const products = envNumber('MESHBOARD_BENCH_PRODUCTS', 10_000);
const runs = envNumber('MESHBOARD_BENCH_RUNS', 3);
const baselineProducts = Math.min(products, envNumber('MESHBOARD_BENCH_BASELINE_PRODUCTS', 500));
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

/** The previous CLI's network path: per document a GET for the ETag, then a PUT with If-Match; returns ms. */
async function publishOneByOne(url: string, folder: string, count: number): Promise<number> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const files = [...Array.from({ length: count }, (_, n) => ['contracts', join(folder, 'contracts', `${n}.odcs.json`)]), ...Array.from({ length: count }, (_, n) => ['products', join(folder, 'products', `${n}.odps.json`)])];
  const started = performance.now();
  for (const [resource, path] of files) {
    const document = JSON.parse(await readFile(path ?? '', 'utf8')) as { id: string };
    const target = `${url}/api/${resource ?? ''}/${encodeURIComponent(document.id)}`;
    const current = await fetch(target, { headers });
    await current.body?.cancel();
    const etag = current.status === 200 ? current.headers.get('etag') : null;
    const response = await fetch(target, { method: 'PUT', headers: { ...headers, ...(etag === null ? {} : { 'if-match': etag }) }, body: JSON.stringify(document) });
    if (response.status !== 201) throw new Error(`PUT ${target} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    await response.body?.cancel();
  }
  return performance.now() - started;
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

  const publishMs: number[] = [];
  const republishMs: number[] = [];
  const baselineMs: number[] = [];
  const rss: number[] = [];
  for (let run = 0; run < runs; run++) {
    const server = await startServeProcess(['--data-dir', join(dir, `data-${run}`)], { MESHBOARD_ADMIN_TOKEN: adminToken });
    try {
      const publish = await cli(['publish', folder, '--url', server.url, '--token', adminToken]);
      if (publish.code !== 0) throw new Error(`meshboard publish failed (${publish.code}):\n${publish.stderr.slice(0, 2000)}`);
      const summary = publish.stdout.trim().split('\n').at(-1) ?? '';
      if (!summary.startsWith(`${2 * products} created`)) throw new Error(`unexpected summary: ${summary}`);
      const again = await cli(['publish', folder, '--url', server.url, '--token', adminToken]);
      if (again.code !== 0 || !again.stdout.startsWith('Nothing to publish')) throw new Error(`re-publish was not idempotent (${again.code}):\n${again.stdout.slice(-2000)}${again.stderr.slice(0, 2000)}`);
      publishMs.push(publish.ms);
      republishMs.push(again.ms);
      rss.push(server.peakRss());
      console.log(`run ${run + 1}/${runs}: publish ${(publish.ms / 1000).toFixed(1)} s, re-publish (all unchanged) ${(again.ms / 1000).toFixed(1)} s`);
    } finally {
      await server.stop();
    }
    await rm(join(dir, `data-${run}`), { recursive: true, force: true });
    const baselineServer = await startServeProcess(['--data-dir', join(dir, `baseline-${run}`)], { MESHBOARD_ADMIN_TOKEN: adminToken });
    try {
      baselineMs.push(await publishOneByOne(baselineServer.url, folder, baselineProducts));
      console.log(`run ${run + 1}/${runs}: one-by-one baseline, ${2 * baselineProducts} documents: ${((baselineMs.at(-1) ?? 0) / 1000).toFixed(1)} s`);
    } finally {
      await baselineServer.stop();
    }
    await rm(join(dir, `baseline-${run}`), { recursive: true, force: true });
  }
  const publishSeconds = median(publishMs) / 1000;
  const documentsPerSecond = (2 * products) / publishSeconds;
  const baselinePerSecond = (2 * baselineProducts) / (median(baselineMs) / 1000);
  console.log(`publish of ${products} products + ${products} contracts: median ${publishSeconds.toFixed(1)} s of ${runs} (${documentsPerSecond.toFixed(0)} documents/s)  target ≤ 120 s for 10,000`);
  console.log(`re-publish, all unchanged: median ${(median(republishMs) / 1000).toFixed(1)} s`);
  console.log(`baseline one request per document: median ${baselinePerSecond.toFixed(0)} documents/s (${2 * baselineProducts} documents) → batch is ${(documentsPerSecond / baselinePerSecond).toFixed(1)}× faster`);
  console.log(`baseline lint of the same folder: ${(lint.ms / 1000).toFixed(1)} s; ratio publish / lint: ${(median(publishMs) / lint.ms).toFixed(2)}×`);
  console.log(`server peak RSS: ${(Math.max(...rss) / 1024 / 1024).toFixed(0)} MiB`);
  writeResult('publish', {
    products,
    documents: 2 * products,
    runs,
    publishSeconds: round(publishSeconds, 1),
    publishRunsSeconds: publishMs.map((ms) => round(ms / 1000, 1)),
    documentsPerSecond: round(documentsPerSecond, 0),
    republishUnchangedSeconds: round(median(republishMs) / 1000, 1),
    oneByOneBaseline: { documents: 2 * baselineProducts, documentsPerSecond: round(baselinePerSecond, 0), runsSeconds: baselineMs.map((ms) => round(ms / 1000, 1)) },
    speedupOverOneByOne: round(documentsPerSecond / baselinePerSecond, 1),
    lintSeconds: round(lint.ms / 1000, 1),
    ratio: round(median(publishMs) / lint.ms),
    serverPeakRssMiB: round(Math.max(...rss) / 1024 / 1024, 0),
    target: { seconds: 120, products: 10_000 },
    // Scaled to 10,000 products when run smaller (linear; a quick trial only).
    met: publishSeconds <= (120 * products) / 10_000,
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
