/**
 * The marketplace with more products than one page shows, in Chromium against the real server: the
 * demo mesh plus 200 synthetic products bulk-loaded (bench/loadCatalog.ts, as the web benchmark does).
 * The domain page pages its products table (50, then "Show more products", with "N of M shown"); a
 * search hit's product is fetched on hover (the route loader's prefetch) and the page uses that answer
 * instead of asking again. Keyboard, dark mode and axe-core on the paged table; screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { startCatalogServer } from '../../../test-support/catalogServer';
import { chromiumAvailable } from '../../../test-support/services';

const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };
const synthetic = 200;

describe.skipIf(!chromiumAvailable())('a catalog larger than a page, in Chromium', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  let token = '';
  const browserErrors: string[] = [];
  const productGets: string[] = [];

  async function get<T>(path: string): Promise<T> {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    server = await startCatalogServer(synthetic);
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) });
    token = ((await signIn.json()) as { token: string }).token;
    browser = await launchBrowser({ colorScheme: 'dark' });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (/^\/api\/products\/[^/]+$/.test(path)) productGets.push(path);
    });
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The sign-in page has an h1 of its own: wait until the app has left it (argon2 takes its time on a
    // loaded machine), or the first test navigates away before the session exists.
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('pages the domain products table: 50 rows, then "Show more products" by keyboard', async () => {
    const domains = await get<{ items: Array<{ id: string; slug: string }> }>('/api/domains?limit=50');
    const sales = domains.items.find((domain) => domain.slug === 'sales');
    expect(sales).toBeDefined();
    const summary = await get<{ products: number }>(`/api/domains/${sales?.id ?? ''}/health-summary`);
    // A third of the synthetic products are in sales, plus the demo's: more than one page, less than two.
    expect(summary.products).toBeGreaterThan(50);
    expect(summary.products).toBeLessThanOrEqual(100);
    await page.goto(`${server.url}/domains/${sales?.id ?? ''}`);
    const table = page.getByRole('table', { name: /^Data products of/ });
    const rows = table.locator('tbody > tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(50);
    await expect.poll(() => page.getByText(`50 of ${summary.products} shown`).count()).toBe(1);
    expect(await seriousAxeViolations(page), 'axe on the paged domain table (dark)').toEqual([]);
    await screenshot(page, 'large-domain-paged-dark');
    const more = page.getByRole('button', { name: 'Show more products' });
    await more.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBe(summary.products);
    // The last page: the button and the count go away; the rows are distinct products.
    expect(await more.count()).toBe(0);
    const names = await table.locator('tbody > tr > th').allInnerTexts();
    expect(new Set(names).size).toBe(summary.products);
  });

  it('fetches a search hit\'s product on hover and opens the page without asking again', async () => {
    await page.goto(`${server.url}/search?q=ledger&kind=product`);
    const link = page.locator('section.results[data-results-for="ledger"] a.hit-link').first();
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/products\//);
    const path = `/api${href}`;
    productGets.length = 0;
    await link.hover();
    // The router's intent preload runs the route loader, which prefetches GET /api/products/{id}.
    await expect.poll(() => productGets.filter((p) => p === path).length).toBe(1);
    await link.click();
    const expected = await get<{ name: string }>(path);
    await page.getByRole('heading', { level: 1, name: expected.name }).waitFor();
    await page.locator('#lineage').waitFor();
    expect(productGets.filter((p) => p === path)).toHaveLength(1);
    await screenshot(page, 'large-product-from-hover-dark');
  });

  it('had no uncaught errors in the page', () => {
    expect(browserErrors).toEqual([]);
  });
});
