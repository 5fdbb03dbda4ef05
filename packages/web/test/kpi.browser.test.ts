import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startAppServer, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { chromiumAvailable } from '../../../test-support/services';

const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAxeViolations(page), `serious/critical axe-core violations on ${where}`).toEqual([]);
}

describe.skipIf(!chromiumAvailable())('vision canvas and KPIs in Chromium against the demo mesh', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser({ viewport: { width: 1280, height: 1000 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Find data products you can trust' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the demo product's vision, saves an edit as a new version and lists the history", async () => {
    await page.goto(`${server.url}/products/sales.orders/vision`);
    await page.getByRole('heading', { name: 'Orders: vision', level: 1 }).waitFor();
    await page.getByText('One trustworthy record of every order').first().waitFor();
    expect(await page.title()).toBe('Vision · Meshboard');
    await screenshot(page, 'vision-read');
    await expectAccessible(page, 'vision');
    await page.getByRole('button', { name: 'Edit the vision' }).click();
    await page.getByLabel('Purpose').fill('Every order placed in the shop, reconciled with payments by 06:00.');
    await page.getByLabel('Use cases').fill('Daily revenue reporting\nDemand forecasting\nFraud review');
    await screenshot(page, 'vision-edit');
    await expectAccessible(page, 'vision editor');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByRole('region', { name: 'Vision canvas' }).getByText(`Version 2, saved by ${owner.email}`).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Fraud review' }).first().waitFor();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText(`Version 2 · ${owner.email}`).waitFor();
    await history.getByText('Version 1 · system:demo').click();
    await history.getByText('One trustworthy record of every order').waitFor();
    await screenshot(page, 'vision-history');
  });

  it('reports a concurrent save instead of overwriting it', async () => {
    await page.getByRole('button', { name: 'Edit the vision' }).click();
    // Someone else saves version 3 through the API meanwhile.
    const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('meshboard.session') ?? '{}') as { token?: string }).token);
    expect(token).toBeDefined();
    const other = await fetch(`${server.url}/api/products/sales.orders/vision`, { method: 'PUT', headers: { authorization: `Bearer ${token ?? ''}`, 'content-type': 'application/json', 'if-match': '"v2"' }, body: JSON.stringify({ purpose: 'Saved by a colleague.' }) });
    expect(other.status).toBe(200);
    await page.getByLabel('Purpose').fill('My concurrent edit.');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByText('Someone else saved the vision meanwhile.').waitFor();
    expect(await page.getByLabel('Purpose').inputValue()).toBe('My concurrent edit.');
    await screenshot(page, 'vision-conflict');
    await page.getByRole('button', { name: 'Load their version, keep my text' }).click();
    await page.getByText('The current version (3, by owner@demo.meshboard.local)').click();
    await page.getByRole('form', { name: 'Edit the vision canvas' }).getByText('Saved by a colleague.').waitFor();
    await screenshot(page, 'vision-conflict-compare');
    await expectAccessible(page, 'vision conflict');
    expect(await page.getByLabel('Purpose').inputValue()).toBe('My concurrent edit.');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByRole('region', { name: 'Vision canvas' }).getByText(`Version 4, saved by ${owner.email}`).waitFor();
    await page.getByText('My concurrent edit.').first().waitFor();
  });

  it("charts the product's KPIs against their targets with a table alternative, and takes manual values", async () => {
    await page.getByRole('navigation', { name: 'Product sections' }).getByRole('link', { name: 'KPIs' }).click();
    await page.getByRole('heading', { name: 'Orders: KPIs', level: 1 }).waitFor();
    for (const name of ['Weekly queries and reads', 'Consuming teams', 'Check pass rate']) await page.getByRole('heading', { name, level: 3 }).waitFor();
    const chart = page.getByRole('img', { name: /^Weekly queries and reads: 9 of 9 periods measured, latest .* target ≥ 250 events/ });
    await chart.waitFor();
    expect(await page.locator('.kpi-bar').count()).toBeGreaterThan(18);
    await screenshot(page, 'kpis-product');
    await expectAccessible(page, 'product KPIs');
    const weekly = page.getByRole('article', { name: 'Weekly queries and reads' });
    await weekly.getByText('Values as a table').click();
    expect(await weekly.getByRole('row').count()).toBe(10);
    const define = page.getByRole('form', { name: 'Define a KPI' });
    await define.getByLabel('Name').fill('Consumer NPS');
    await define.getByLabel('Source').selectOption('manual');
    await define.getByLabel('Target').fill('30');
    await define.getByLabel(/^Period/).selectOption('month');
    await define.getByLabel('Window (periods)').fill('3');
    await define.getByRole('button', { name: 'Define KPI' }).click();
    const nps = page.getByRole('article', { name: 'Consumer NPS' });
    await nps.waitFor();
    await nps.getByLabel(/^Value/).fill('42');
    await nps.getByRole('button', { name: 'Enter value' }).click();
    await nps.getByText('meets target').waitFor();
    await nps.getByText('Values as a table').click();
    await nps.getByRole('cell', { name: new RegExp(`^${owner.email}`) }).waitFor();
    await nps.scrollIntoViewIfNeeded();
    await screenshot(page, 'kpis-manual');
    await expectAccessible(page, 'product KPIs with a manual KPI');
  });

  it("shows the domain's KPIs over all its products", async () => {
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Sales' }).click();
    await page.getByRole('link', { name: 'Domain KPIs' }).click();
    await page.getByRole('heading', { name: 'Sales: KPIs', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Domain usage', level: 3 }).waitFor();
    await page.getByRole('img', { name: /^Domain usage: 9 of 9 periods measured/ }).waitFor();
    await page.getByRole('link', { name: 'Orders', exact: true }).waitFor();
    await screenshot(page, 'kpis-domain');
    await expectAccessible(page, 'domain KPIs');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'kpis-domain-dark');
    await expectAccessible(page, 'domain KPIs (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(browserErrors).toEqual([]);
  });
});
