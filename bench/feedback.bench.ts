// Benchmark of the feedback reads on PGlite, in-process through FeedbackService: a product's first
// page, a deep page (cursor), the owner inbox (all, unread only, a later page) and the product summary,
// over a mesh of 20 products with BENCH_FEEDBACK_THREADS root items (default 20,000: issues, requests,
// comments, ratings) and as many replies, half of the threads read by the owner. Bulk rows are inserted
// with SQL (the write path is not what is measured). Prints p50/p95 per query; writes
// bench/results/feedback.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createServices, createStore } from '@meshboard/server';

const threads = Number(process.env.BENCH_FEEDBACK_THREADS ?? 20_000);
const runs = Number(process.env.BENCH_REPETITIONS ?? 40);
const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'feedback.json');
const system = { userId: null, label: 'system:bench', isAdmin: true, domainRoles: new Map() };

function uuid(n: number, salt: number): string {
  // Time-ordered like the server's UUID v7 (ids sort by creation), unique per (salt, n).
  const hex = (n + salt * 10_000_000).toString(16).padStart(20, '0');
  return `019a${hex.slice(0, 4)}-${hex.slice(4, 8)}-7${hex.slice(8, 11)}-8${hex.slice(11, 14)}-${hex.slice(14, 20)}000000`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

async function time(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return { p50: Math.round(percentile(samples, 50) * 100) / 100, p95: Math.round(percentile(samples, 95) * 100) / 100 };
}

const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-bench-feedback-'));
const store = await createStore({ kind: 'embedded', dataDir });
try {
  const services = createServices(store.db);
  const domain = await services.domains.create(system, { slug: 'bench', name: 'Bench' });
  const owner = await services.users.create(system, { email: 'owner@bench.local', name: 'Owner', roles: [{ domainId: domain.id, role: 'data_product_owner' }] });
  const consumers = await Promise.all(Array.from({ length: 10 }, (_, i) => services.users.create(system, { email: `c${i}@bench.local`, name: `Consumer ${i}` })));
  const productIds: string[] = [];
  for (let p = 0; p < 20; p++) {
    const contractId = `bench.contract-${p}`;
    await services.contracts.publish(system, {
      document: { apiVersion: 'v3.1.0', kind: 'DataContract', id: contractId, name: `Contract ${p}`, version: '1.0.0', status: 'active', domain: 'bench', schema: [{ name: 'rows', properties: [{ name: 'id', logicalType: 'string', required: true }] }] },
    });
    const product = await services.products.publish(system, { document: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: `bench.product-${p}`, name: `Product ${p}`, version: '1.0.0', status: 'active', domain: 'bench', outputPorts: [{ name: 'rows', version: '1.0.0', contractId }] } });
    productIds.push(product.item.id);
  }
  const kinds = ['issue', 'feature_request', 'comment', 'rating'] as const;
  const seedStarted = performance.now();
  for (let start = 0; start < threads; start += 1000) {
    const roots = Array.from({ length: Math.min(1000, threads - start) }, (_, i) => {
      const n = start + i;
      // One rating per (product, author): authors and products repeat every 20 items, so only the first 20 rate.
      const kind = n % 4 === 3 && n >= 20 ? 'comment' : (kinds[n % 4] ?? 'comment');
      return {
        id: uuid(n, 1),
        product_id: productIds[n % 20] ?? '',
        kind,
        author_id: consumers[n % 10]?.id ?? null,
        team_id: null,
        parent_id: null,
        thread_id: null,
        rating: kind === 'rating' ? (n % 5) + 1 : null,
        title: kind === 'issue' || kind === 'feature_request' ? `Thread ${n}` : '',
        body: `Feedback number ${n} with a sentence of text.`,
        target_kind: null,
        target_contract_id: null,
        target_ref: null,
        state: kind === 'issue' || kind === 'feature_request' ? (['open', 'acknowledged', 'resolved', 'declined'] as const)[n % 4] ?? 'open' : null,
        state_reason: null,
        state_changed_by: null,
        state_changed_at: null,
        last_activity_at: new Date(Date.UTC(2026, 0, 1) + n * 1000),
        deleted_at: null,
      };
    });
    await store.db.insertInto('feedback').values(roots).execute();
    await store.db
      .insertInto('feedback')
      .values(roots.map((root, i) => ({ ...root, id: uuid(start + i, 2), kind: 'comment' as const, parent_id: root.id, thread_id: root.id, rating: null, title: '', state: null, author_id: owner.id })))
      .execute();
    await store.db
      .insertInto('feedback_reads')
      .values(roots.filter((_, i) => i % 2 === 0).map((root) => ({ feedback_id: root.id, user_id: owner.id, read_at: new Date(Date.UTC(2027, 0, 1)) })))
      .execute();
  }
  await sql`analyze`.execute(store.db);
  const seedMs = Math.round(performance.now() - seedStarted);
  const ownerActor = { userId: owner.id, label: owner.email, isAdmin: false, domainRoles: new Map([[domain.id, new Set(['data_product_owner' as const])]]) };
  const viewer = { userId: consumers[0]?.id ?? null, label: 'c0', isAdmin: false, domainRoles: new Map() };
  const product = productIds[0] ?? '';
  let deepCursor: string | undefined;
  let page = await services.feedback.list(viewer, product, { limit: 50 });
  for (let i = 0; i < 5 && page.nextCursor !== null; i++) {
    deepCursor = page.nextCursor;
    page = await services.feedback.list(viewer, product, { limit: 50, cursor: deepCursor });
  }
  const inboxSecond = (await services.feedback.inbox(ownerActor, { limit: 50 })).nextCursor ?? undefined;
  const figures = {
    threads,
    replies: threads,
    products: 20,
    seedMs,
    productFirstPage: await time(() => services.feedback.list(viewer, product, { limit: 50 })),
    productDeepPage: await time(() => services.feedback.list(viewer, product, { limit: 50, ...(deepCursor === undefined ? {} : { cursor: deepCursor }) })),
    inboxFirstPage: await time(() => services.feedback.inbox(ownerActor, { limit: 50 })),
    inboxUnreadIssues: await time(() => services.feedback.inbox(ownerActor, { limit: 50, unread: true, kind: 'issue' })),
    inboxSecondPage: await time(() => services.feedback.inbox(ownerActor, { limit: 50, ...(inboxSecond === undefined ? {} : { cursor: inboxSecond }) })),
    summary: await time(() => services.feedback.summary(product)),
  };
  console.log(`feedback on PGlite: ${threads} threads + ${threads} replies over 20 products (seeded in ${seedMs} ms), ${runs} runs each, ms:`);
  for (const [name, value] of Object.entries(figures)) if (typeof value === 'object') console.log(`  ${name.padEnd(18)} p50 ${value.p50}  p95 ${value.p95}`);
  await mkdir(dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
