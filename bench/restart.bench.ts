/**
 * Restart benchmark (issue 4 target 3): `meshboard serve` restarted on an existing embedded data
 * directory (the demo mesh, seeded by a first start), timed from spawn to the first `GET /api/health`
 * answered 200; target ≤ 3 s, server peak RSS < 1.2 GiB.
 *
 * Baseline, measured in the same run: a bare Node process with the same TypeScript loader (tsx) that
 * listens with node:http and answers 200 — what any server pays to exist on this machine right now. The
 * ratio restart / baseline shows how much of the time is Meshboard's own.
 *
 * The data directory holds the demo mesh plus MESHBOARD_BENCH_PRODUCTS synthetic products (default
 * 10000) with their contracts. Each run restarts twice, alternated: from the CLI's bundle (the default,
 * ADR 0005) and from the sources through tsx (`MESHBOARD_BUNDLE=off`, the start before the bundle).
 *
 * Memory: after each restart from the bundle the bench waits until the server answers searches from its
 * in-memory index (built in the background after start; `GET /api/health` says `"search":"index"`), makes
 * a few reads, and takes the server's peak RSS: a serving process in its steady state, index included.
 *
 * Above 10,000 products the directory is the cached loaded catalog of bench/catalogDataDir.ts (shared
 * with the search and web benches; loading 100k products takes minutes), served in place.
 *
 * Run: `npm run bench restart`. MESHBOARD_BENCH_RUNS (default 5) restarts of each kind and baseline starts.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../packages/server/src/store/createStore';
import { catalogDataDir } from './catalogDataDir';
import { loadCatalog } from './loadCatalog';
import { envNumber, median, repoRoot, round, startServeProcess, writeResult } from './support';

const runs = envNumber('MESHBOARD_BENCH_RUNS', 5);
const products = envNumber('MESHBOARD_BENCH_PRODUCTS', 10_000);
const adminToken = 'mbt_restartbenchrestartbenchrestartbench00';

/** Spawn → first 200 of a bare node:http server under the tsx loader. */
async function baselineStart(): Promise<number> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const program = `import { register } from 'tsx/esm/api'; register(); const http = await import('node:http'); http.createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1');`;
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], { cwd: repoRoot, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/`)).status === 200) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill('SIGTERM');
  }
}

/** Waits until the server answers searches from its in-memory index; the seconds it took. */
async function indexReady(server: { url: string; child: { exitCode: number | null } }): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`restart bench: the server exited (${server.child.exitCode}) while building its search index`);
    // A kept-alive connection may be reset while the build's last synchronous step holds the event loop: ask again.
    const health = (await fetch(`${server.url}/api/health`).then((response) => response.json() as Promise<{ search?: string }>, () => ({}))) as { search?: string };
    if (health.search === 'index') return (performance.now() - started) / 1000;
    if (performance.now() - started > 15 * 60_000) throw new Error('restart bench: the search index was not ready after 15 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const cached = products > 10_000;
const dir = await mkdtemp(join(tmpdir(), 'meshboard-bench-restart-'));
try {
  let dataDir = join(dir, 'data');
  const env = { MESHBOARD_ADMIN_TOKEN: adminToken };
  if (cached) {
    const catalog = await catalogDataDir(products);
    dataDir = catalog.dataDir;
    console.log(`${catalog.reused ? 'reusing the cached catalog' : `catalog loaded in ${catalog.loadSeconds.toFixed(0)} s`}: ${dataDir}`);
  } else {
    const first = await startServeProcess(['--data-dir', dataDir], env);
    console.log(`first start (creates the store, seeds the demo mesh): ${(first.healthyAfterMs / 1000).toFixed(2)} s`);
    await first.stop();
    const store = await createStore({ kind: 'embedded', dataDir });
    try {
      const started = performance.now();
      await loadCatalog(store.db, { count: products, columns: 10 });
      console.log(`loaded ${products} products in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    } finally {
      await store.close();
    }
  }
  const args = ['--data-dir', dataDir, '--no-demo'];
  const indexSeconds: number[] = [];
  const restarts: number[] = [];
  const tsxRestarts: number[] = [];
  const cpu: number[] = [];
  const tsxCpu: number[] = [];
  const rss: number[] = [];
  const baselines: number[] = [];
  for (let run = 0; run < runs; run++) {
    baselines.push(await baselineStart());
    for (const bundle of ['on', 'off'] as const) {
      const server = await startServeProcess(args, { ...env, MESHBOARD_BUNDLE: bundle });
      // Stopped whatever happens: a server left running would hold the data directory's lock.
      try {
        (bundle === 'on' ? restarts : tsxRestarts).push(server.healthyAfterMs);
        (bundle === 'on' ? cpu : tsxCpu).push(server.healthyCpuMs);
        if (bundle === 'on') indexSeconds.push(await indexReady(server));
        // A few reads so the RSS figure includes a serving process, not just a started one.
        const headers = { authorization: `Bearer ${adminToken}` };
        for (const path of ['/api/products?limit=50', '/api/search?q=customer', '/api/contracts?limit=50']) {
          const response = await fetch(`${server.url}${path}`, { headers });
          if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
          await response.arrayBuffer();
        }
        if (bundle === 'on') rss.push(server.peakRss());
      } finally {
        await server.stop();
      }
    }
  }
  const restartMs = median(restarts);
  const tsxMs = median(tsxRestarts);
  const baselineMs = median(baselines);
  const peakRss = Math.max(...rss);
  console.log(`restart to first healthy answer: median ${(restartMs / 1000).toFixed(2)} s (runs: ${restarts.map((v) => (v / 1000).toFixed(2)).join(', ')})  target ≤ 3 s`);
  console.log(`restart from the sources through tsx (MESHBOARD_BUNDLE=off): median ${(tsxMs / 1000).toFixed(2)} s (runs: ${tsxRestarts.map((v) => (v / 1000).toFixed(2)).join(', ')})`);
  console.log(`CPU time of the server until healthy (load-independent): bundle median ${(median(cpu) / 1000).toFixed(2)} s, tsx median ${(median(tsxCpu) / 1000).toFixed(2)} s`);
  console.log(`baseline (bare node:http under tsx): median ${(baselineMs / 1000).toFixed(2)} s (runs: ${baselines.map((v) => (v / 1000).toFixed(2)).join(', ')})`);
  console.log(`ratio restart / baseline: ${(restartMs / baselineMs).toFixed(2)}×`);
  console.log(`search index ready after healthy: median ${median(indexSeconds).toFixed(1)} s`);
  console.log(`peak RSS of the server (index built, after reads): ${(peakRss / 1024 / 1024).toFixed(0)} MiB  target < 1229 MiB (1.2 GiB)`);
  writeResult('restart', {
    runs,
    products,
    restartMs: { median: round(restartMs), all: restarts.map((v) => round(v)) },
    cpuMs: { bundle: median(cpu), tsx: median(tsxCpu), allBundle: cpu, allTsx: tsxCpu },
    tsxRestartMs: { median: round(tsxMs), all: tsxRestarts.map((v) => round(v)) },
    baselineMs: { median: round(baselineMs), all: baselines.map((v) => round(v)) },
    ratio: round(restartMs / baselineMs),
    peakRssMiB: round(peakRss / 1024 / 1024, 0),
    indexReadySeconds: round(median(indexSeconds), 1),
    targets: { restartMs: 3000, peakRssMiB: 1229 },
    met: restartMs <= 3000 && peakRss < 1.2 * 1024 ** 3,
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
