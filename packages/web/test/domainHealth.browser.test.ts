/**
 * Domain health at a glance and catalog notifications in Chromium against the real server with the demo
 * mesh: a consumer subscribes to Orders through the access API, real check runs on the demo CSVs, the
 * owner publishes a new Orders version; the domain page shows the summary line, SLA state and adoption,
 * and the consumer's bell lists the `product.version` notification. axe-core and screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startAppServer, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { chromiumAvailable } from '../../../test-support/services';

const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };
const consumer = { email: 'consumer@demo.meshboard.local', password: 'demo-consumer-password' };

interface Json {
  [key: string]: unknown;
}

describe.skipIf(!chromiumAvailable())('domain health and catalog notifications in Chromium', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  let domainId = '';
  const browserErrors: string[] = [];

  async function token(user: { email: string; password: string }): Promise<string> {
    const response = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { token: string }).token;
  }

  /** A JSON call to the API; fails the test on an unexpected status. */
  async function call(bearer: string, method: string, path: string, options: { body?: unknown; ifMatch?: string; expect?: number } = {}): Promise<Json> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...(options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch }) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBe(options.expect ?? 200);
    return text === '' ? {} : (JSON.parse(text) as Json);
  }

  /** Waits until no check run of any contract is queued or running. */
  async function demoRunsFinished(bearer: string): Promise<void> {
    const contracts = (await call(bearer, 'GET', '/api/contracts?limit=100')).items as Json[];
    const deadline = Date.now() + 90_000;
    for (const contract of contracts) {
      for (;;) {
        const runs = (await call(bearer, 'GET', `/api/contracts/${String(contract.id)}/runs?limit=100`)).items as Json[];
        if (!runs.some((run) => run.status === 'queued' || run.status === 'running')) break;
        if (Date.now() > deadline) throw new Error(`check runs of ${String(contract.externalId)} still unfinished after 90 s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  async function signIn(user: { email: string; password: string }, path: string): Promise<void> {
    await page.goto(`${server.url}${path}`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    server = await startAppServer();
    const ownerToken = await token(owner);
    const consumerToken = await token(consumer);
    const orders = await call(ownerToken, 'GET', '/api/products/sales.orders');
    domainId = String(orders.domainId);
    // The consumer subscribes to Orders: request, then the owner approves.
    const request = await call(consumerToken, 'POST', '/api/access-requests', { body: { productId: orders.id, port: 'orders', purpose: 'Weekly revenue report' }, expect: 201 });
    await call(ownerToken, 'POST', `/api/access-requests/${String(request.id)}/decision`, { body: { decision: 'approve', reason: 'Fine' }, ifMatch: '"v1"' });
    // Real check runs on the shipped CSVs, so quality and SLA states come from measurements.
    const contract = await call(ownerToken, 'GET', '/api/contracts/sales.orders-contract');
    await call(ownerToken, 'POST', `/api/contracts/${String(contract.id)}/runs?wait=true`, { body: { trigger: 'api' }, expect: 201 });
    // The owner publishes Orders 1.1.0 (a new description: non-breaking).
    const document = orders.document as Json;
    await call(ownerToken, 'PUT', '/api/products/sales.orders', { body: { ...document, version: '1.1.0', description: { ...(document.description as Json), purpose: 'Every order placed in the shop, with its totals.' } }, ifMatch: '*' });
    // The demo queues every contract's first run at start; the summary is compared with the API's counts
    // below, so both must read the same finished runs (under load the last ones finish after the page loads).
    await demoRunsFinished(ownerToken);
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => browserErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the domain summary, SLA state and adoption per product', async () => {
    await signIn(owner, `/domains/${domainId}`);
    const products = page.getByRole('region', { name: 'Data products' });
    const summary = products.getByTestId('domain-health-summary');
    await summary.waitFor();
    const ownerToken = await token(owner);
    const counts = await call(ownerToken, 'GET', `/api/domains/${domainId}/health-summary`);
    expect(counts.activeSubscriptions).toBeGreaterThanOrEqual(1);
    expect(await summary.textContent()).toBe(
      `${String(counts.products)} products · ${String(counts.passingChecks)} passing checks · ${String(counts.failingChecks)} failing checks · ${String(counts.breachingSla)} breaching SLA · ${String(counts.activeSubscriptions)} active subscription${counts.activeSubscriptions === 1 ? '' : 's'} (${String(counts.consumers)} consumer${counts.consumers === 1 ? '' : 's'})`,
    );
    const ordersRow = products.getByRole('row', { name: /^Orders\b/ });
    await ordersRow.waitFor();
    expect(await ordersRow.getByRole('cell').nth(3).textContent()).toMatch(/^SLA (met|breached)$/);
    expect(await ordersRow.getByRole('cell').nth(4).textContent()).toBe('1 subscription1 consumer');
    const articlesRow = products.getByRole('row', { name: /^Article Catalog\b/ });
    expect(await articlesRow.getByRole('cell').nth(3).textContent()).toBe('SLA not measured');
    expect(await articlesRow.getByRole('cell').nth(4).textContent()).toBe('0 subscriptions0 consumers');
    await screenshot(page, 'domain-health-light');
    expect(await seriousAxeViolations(page), 'axe on the domain page').toEqual([]);
  });

  it("lists the new version in the consumer's notifications", async () => {
    // Start signed out whatever the previous test left (the session lives in the tab's storage).
    await page.evaluate(() => {
      sessionStorage.clear();
      localStorage.clear();
    });
    await signIn(consumer, '/notifications');
    const item = page.getByRole('link', { name: 'Orders 1.1.0 is published' });
    await item.waitFor();
    await page.getByText('Non-breaking change from 1.0.0.').waitFor();
    await screenshot(page, 'notifications-product-version');
    expect(browserErrors).toEqual([]);
  });
});
