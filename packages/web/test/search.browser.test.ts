/**
 * The search page in Chromium against the real server with the demo mesh, after every demo contract's
 * checks ran once (so quality and SLA states are real): browse mode, instant results as you type with
 * aborted superseded requests, the quality facet, sort, keyboard use, accessibility in light and dark.
 */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startAppServer, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { chromiumAvailable } from '../../../test-support/services';

const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };

async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations, `serious/critical axe-core violations on ${where}`).toEqual([]);
}

/** Signs in through the API and runs every demo contract's checks once, in the request (wait=true). */
async function runAllChecks(url: string): Promise<string[]> {
  const signIn = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) });
  const { token } = (await signIn.json()) as { token: string };
  const admin = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@demo.meshboard.local', password: 'demo-admin-password' }) });
  const adminToken = ((await admin.json()) as { token: string }).token;
  const contracts = (await (await fetch(`${url}/api/contracts?limit=100`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: Array<{ id: string }> };
  const statuses: string[] = [];
  for (const contract of contracts.items) {
    const run = await fetch(`${url}/api/contracts/${contract.id}/runs?wait=true`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(run.status).toBe(201);
    statuses.push(((await run.json()) as { status: string }).status);
  }
  return statuses;
}

describe.skipIf(!chromiumAvailable())('search page in Chromium against the real server', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  let runStatuses: string[] = [];
  const browserErrors: string[] = [];
  const searchRequests: string[] = [];
  const abortedSearches: string[] = [];
  const results = () => page.getByRole('region', { name: /(results?|data products)$/ });
  const hitTitles = () => results().locator('.results-list > li h3').allInnerTexts();
  const searchbox = () => page.getByRole('searchbox', { name: 'Search data products' });

  beforeAll(async () => {
    server = await startAppServer();
    runStatuses = await runAllChecks(server.url);
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => browserErrors.push(error.message));
    page.on('request', (request: Request) => {
      if (new URL(request.url()).pathname === '/api/search') searchRequests.push(request.url());
    });
    page.on('requestfailed', (request: Request) => {
      if (new URL(request.url()).pathname === '/api/search') abortedSearches.push(`${request.url()} ${request.failure()?.errorText ?? ''}`);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('browses every data product by name when there is no text', async () => {
    // The demo data has checks that pass and checks that fail, so the facets below have something to show.
    expect(new Set(runStatuses).size).toBeGreaterThan(1);
    await page.goto(`${server.url}/sign-in?redirect=${encodeURIComponent('/search')}`);
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Browse data products', level: 1 }).waitFor();
    await results().getByRole('heading', { name: /^\d+ data products$/ }).waitFor();
    const titles = await hitTitles();
    expect(titles.length).toBeGreaterThan(10);
    expect(titles).toEqual([...titles].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(await page.getByRole('combobox', { name: 'Sort by' }).inputValue()).toBe('name');
    // Every hit says its quality and SLA state in words.
    const badges = await results().getByRole('list', { name: 'Quality and SLA' }).first().innerText();
    expect(badges).toMatch(/(Checks passed|Checks warn|Checks failed|Checks errored|Not checked yet)/);
    expect(badges).toMatch(/SLA (met|breached|unknown)/);
    const firstLink = results().locator('a.hit-link').first();
    expect(await firstLink.getAttribute('href')).toMatch(/^\/products\/[0-9a-f-]{36}$/);
    expect(await page.title()).toBe('Browse data products · Meshboard');
    await screenshot(page, 'search-browse-light');
    await expectAccessible(page, 'search browse (light)');
  });

  it('updates the results while typing, replacing the URL instead of adding history entries', async () => {
    const historyBefore = await page.evaluate(() => history.length);
    const requestsBefore = searchRequests.length;
    await searchbox().click();
    await page.keyboard.type('ordrs', { delay: 40 });
    // No Enter: the results follow the text.
    await results().getByRole('heading', { name: /^\d+ results?$/ }).waitFor();
    await results().getByRole('heading', { name: 'Orders', level: 3, exact: true }).first().waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('ordrs');
    expect(await page.evaluate(() => history.length)).toBe(historyBefore);
    expect(await page.title()).toBe('Search: ordrs · Meshboard');
    // Debounced: five keystrokes 40 ms apart make far fewer than five requests.
    expect(searchRequests.length - requestsBefore).toBeLessThan(4);
    expect(await page.getByRole('combobox', { name: 'Sort by' }).inputValue()).toBe('relevance');
  });

  it('keeps the previous results while the next load and aborts a superseded request', async () => {
    // Slow answers make the overlap observable: a request outlives the next keystrokes.
    await page.route('**/api/search?**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      await route.continue().catch(() => undefined);
    });
    try {
      const abortedBefore = abortedSearches.length;
      await searchbox().fill('');
      await searchbox().pressSequentially('cust', { delay: 20 });
      await page.waitForTimeout(350); // the debounce fired; "cust" is in flight
      await searchbox().pressSequentially('omer', { delay: 20 });
      // While "customer" loads, the "ordrs" results stay on screen, marked busy.
      await page.locator('section.results[aria-busy="true"]').waitFor();
      expect(await results().locator('.results-list > li').count()).toBeGreaterThan(0);
      await page.locator('section.results[aria-busy="false"]').waitFor({ timeout: 10_000 });
      expect(new URL(page.url()).searchParams.get('q')).toBe('customer');
      expect((await hitTitles()).some((title) => /customer/i.test(title))).toBe(true);
      const aborted = abortedSearches.slice(abortedBefore);
      expect(aborted.map((entry) => new URL(entry.split(' ')[0] ?? '').searchParams.get('q'))).toContain('cust');
    } finally {
      await page.unroute('**/api/search?**');
    }
  });

  it('filters by the quality facet and shows the state on every hit', async () => {
    await searchbox().fill('');
    await results().getByRole('heading', { name: /^\d+ data products$/ }).waitFor();
    const filters = page.getByRole('complementary', { name: 'Filters' });
    const quality = filters.getByRole('region', { name: 'Data quality' });
    const options = await quality.getByRole('link').allInnerTexts();
    expect(options.length).toBeGreaterThan(0);
    const failing = quality.getByRole('link', { name: /^(Checks failed|Checks errored) \d+$/ }).first();
    const label = (await failing.innerText()).includes('Checks failed') ? 'Checks failed' : 'Checks errored';
    const expected = Number((await failing.innerText()).match(/(\d+)$/)?.[1]);
    await failing.click();
    await page.getByRole('list', { name: 'Active filters' }).getByRole('link', { name: `Remove filter ${label}` }).waitFor();
    expect(new URL(page.url()).searchParams.get('quality')).toBe(label === 'Checks failed' ? 'failed' : 'error');
    await results().getByRole('heading', { name: new RegExp(`^${expected} data products?$`) }).waitFor();
    const states = await results().getByRole('list', { name: 'Quality and SLA' }).allInnerTexts();
    expect(states).toHaveLength(expected);
    for (const state of states) expect(state).toContain(label);
    await screenshot(page, 'search-quality-filter-light');
    await expectAccessible(page, 'search quality filter (light)');
    await page.getByRole('list', { name: 'Active filters' }).getByRole('link', { name: `Remove filter ${label}` }).click();
    await page.waitForURL((url) => !url.searchParams.has('quality'));
  });

  it('sorts by name and by recently updated', async () => {
    await searchbox().fill('sales');
    await results().getByRole('heading', { name: /^\d+ results?$/ }).waitFor();
    await page.waitForURL((url) => url.searchParams.get('q') === 'sales');
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('name');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'name');
    await page.locator('section.results[aria-busy="false"]').waitFor();
    const titles = await hitTitles();
    expect(titles.length).toBeGreaterThan(1);
    expect(titles).toEqual([...titles].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('updated');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'updated');
    await page.locator('section.results[aria-busy="false"]').waitFor();
    expect(await page.getByRole('combobox', { name: 'Sort by' }).inputValue()).toBe('updated');
  });

  it('is usable with the keyboard alone: "/" to the box, arrows through the hits, Escape to clear', async () => {
    await page.getByRole('heading', { level: 1 }).click(); // focus leaves the box
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
    await page.keyboard.press('ArrowDown');
    const links = results().locator('a.hit-link');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('hit-link');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(await links.nth(0).innerText());
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(await links.nth(1).innerText());
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
    await page.keyboard.press('Escape');
    expect(await searchbox().inputValue()).toBe('');
    await page.getByRole('heading', { name: 'Browse data products', level: 1 }).waitFor();
    expect(new URL(page.url()).searchParams.get('q') ?? '').toBe('');
  });

  it('offers browse shortcuts on the home page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await page.getByRole('list', { name: 'Browse' }).getByRole('link', { name: 'Products with failing checks' }).click();
    await page.getByRole('heading', { name: 'Browse data products', level: 1 }).waitFor();
    expect(new URL(page.url()).searchParams.get('quality')).toBe('failed');
    await results().getByRole('heading', { name: /^\d+ data products?$/ }).waitFor();
    const states = await results().getByRole('list', { name: 'Quality and SLA' }).allInnerTexts();
    expect(states.length).toBeGreaterThan(0);
    for (const state of states) expect(state).toContain('Checks failed');
  });

  it('stays accessible in dark mode with a text, facets and badges', async () => {
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await searchbox().fill('customer');
    await results().getByRole('heading', { name: /^\d+ results?$/ }).waitFor();
    await page.locator('section.results[aria-busy="false"]').waitFor();
    await screenshot(page, 'search-instant-dark');
    await expectAccessible(page, 'search (dark)');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
  });

  it('lays out on a phone-sized screen without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await searchbox().fill('orders');
    await results().getByRole('heading', { name: /^\d+ results?$/ }).waitFor();
    await page.locator('section.results[aria-busy="false"]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'search-phone-light');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(browserErrors).toEqual([]);
  });
});
