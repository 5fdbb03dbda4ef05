import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startAppServer, webDistDir, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { chromiumAvailable } from '../../../test-support/services';

const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };

/** The JavaScript a first visit loads before any route chunk: the entry script and its modulepreloads. */
function initialJavaScript(): Array<{ file: string; bytes: number; gzip: number }> {
  const html = readFileSync(join(webDistDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/([^"]+\.js)"/g)].map((match) => match[1] ?? '');
  return files.map((file) => {
    const body = readFileSync(join(webDistDir, file));
    return { file, bytes: body.byteLength, gzip: gzipSync(body).byteLength };
  });
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations, `serious/critical axe-core violations on ${where}`).toEqual([]);
}

describe.skipIf(!chromiumAvailable())('web app in Chromium against the real server', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => browserErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps the initial JavaScript within 350 KB gzip', () => {
    const initial = initialJavaScript();
    const total = initial.reduce((sum, file) => sum + file.gzip, 0);
    console.log(`initial JavaScript: ${initial.map((file) => `${file.file} ${(file.gzip / 1024).toFixed(1)} KB gzip`).join(', ')}; total ${(total / 1024).toFixed(1)} KB gzip`);
    expect(initial.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(350 * 1024);
  });

  it('sends a visitor without a session to sign-in and shows a wrong password as the server said it', async () => {
    await page.goto(`${server.url}/me`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/me');
    expect(await page.title()).toBe('Sign in · Meshboard');
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/e-mail address/i);
    await screenshot(page, 'sign-in-error');
    await expectAccessible(page, 'sign-in');
  });

  it('signs in and returns to the page asked for', async () => {
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Roles' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/me');
    expect(await page.title()).toBe(`${await page.getByRole('heading', { level: 1 }).innerText()} · Meshboard`);
    expect(await page.getByText('data product owner').count()).toBeGreaterThan(0);
    await screenshot(page, 'me');
    await expectAccessible(page, 'me');
  });

  it('shows the domains and teams on the home page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await page.getByRole('heading', { name: 'Find data products you can trust' }).waitFor();
    await page.getByRole('link', { name: 'Sales', exact: true }).first().waitFor();
    for (const domain of ['Sales', 'Logistics', 'Finance']) expect(await page.getByRole('heading', { name: domain, level: 3 }).count()).toBe(1);
    await page.getByRole('cell', { name: 'Marketing Insights' }).waitFor();
    expect(await page.title()).toBe('Home · Meshboard');
    await screenshot(page, 'home-light');
    await expectAccessible(page, 'home');
  });

  it('opens a domain page with its teams and people', async () => {
    await page.getByRole('heading', { name: 'Sales', level: 3 }).click();
    await page.getByRole('heading', { name: 'Sales', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/domains\/[0-9a-f-]+$/);
    await page.getByText('Sales Analytics').waitFor();
    await page.getByText('Order Platform').waitFor();
    await page.getByRole('main').getByText(owner.email, { exact: true }).waitFor();
    expect(await page.title()).toBe('Sales · Meshboard');
    await screenshot(page, 'domain-light');
    await expectAccessible(page, 'domain');
  });

  it('switches to dark mode, keeps it across a reload (deep link served by the server) and stays accessible', async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const light = await background();
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await background()).not.toBe(light);
    await page.reload();
    await page.getByRole('heading', { name: 'Sales', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'domain-dark');
    await expectAccessible(page, 'domain (dark)');
  });

  it('searches with typos, narrows by a facet, and says so when nothing matches', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
    await page.getByRole('searchbox', { name: 'Search data products' }).fill('ordrs');
    await page.keyboard.press('Enter');
    const results = page.getByRole('region', { name: /results?$/ });
    await results.getByRole('heading', { name: 'Orders', level: 3, exact: true }).first().waitFor();
    expect(await page.title()).toBe('Search: ordrs · Meshboard');
    const filters = page.getByRole('complementary', { name: 'Filters' });
    await filters.getByRole('link', { name: /^Data contracts \d+$/ }).click();
    await page.getByRole('list', { name: 'Active filters' }).getByRole('link', { name: 'Remove filter Data contracts' }).waitFor();
    expect(new URL(page.url()).searchParams.get('kind')).toBe('contract');
    const metas = await results.locator('.meta').allTextContents();
    expect(metas.length).toBeGreaterThan(0);
    for (const meta of metas) expect(meta).toMatch(/^data contract · /);
    await screenshot(page, 'search-dark');
    await expectAccessible(page, 'search (dark)');
    await page.getByRole('searchbox', { name: 'Search data products' }).fill('qqxxzzvv');
    await page.keyboard.press('Enter');
    await page.getByText('No results for “qqxxzzvv” with these filters').waitFor();
  });

  it('shows the server\'s problem detail for a domain that does not exist, and a not-found page for unknown paths', async () => {
    await page.goto(`${server.url}/domains/019a0000-0000-7000-8000-000000000000`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getByText('Not found', { exact: true }).count()).toBe(1);
    expect(await alert.textContent()).toMatch(/019a0000-0000-7000-8000-000000000000|domain/i);
    expect(await page.title()).toBe('Domain not available · Meshboard');
    expect(await alert.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(await alert.getByRole('link', { name: 'Go home' }).count()).toBe(1);
    await screenshot(page, 'domain-not-found-dark');
    await page.goto(`${server.url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await page.title()).toBe('Page not found · Meshboard');
  });

  it('can be used from the keyboard: skip link first, visible focus ring on the navigation', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Domains' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    expect(await page.getByRole('link', { name: 'Skip to content' }).isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      const style = element === null ? undefined : getComputedStyle(element);
      return { text: element?.textContent, outline: style?.outlineStyle, width: style?.outlineWidth };
    });
    expect(focused).toEqual({ text: 'Home', outline: 'solid', width: '3px' });
    await screenshot(page, 'keyboard-focus-dark');
  });

  it('goes back to sign-in when the server no longer accepts the session', async () => {
    await page.evaluate(() => sessionStorage.setItem('meshboard.session', JSON.stringify({ token: 'mbt_revoked', email: 'x@example.com' })));
    await page.goto(`${server.url}/me`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/me');
    expect(await page.evaluate(() => sessionStorage.getItem('meshboard.session'))).toBeNull();
  });

  it('lays out on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Roles' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await page.getByRole('heading', { name: 'Logistics', level: 3 }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'home-phone-dark');
    expect(browserErrors).toEqual([]);
  });
});
