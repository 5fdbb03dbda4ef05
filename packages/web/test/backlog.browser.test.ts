/** The backlog pages (issue 6) in Chromium against the real server with the demo mesh. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startAppServer, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { chromiumAvailable } from '../../../test-support/services';

const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAxeViolations(page), `serious/critical axe-core violations on ${where}`).toEqual([]);
}

describe.skipIf(!chromiumAvailable())('backlog pages in Chromium', () => {
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
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in straight into a demo product’s backlog and filters it', async () => {
    await page.goto(`${server.url}/products/sales.orders/backlog`);
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Backlog: Orders', level: 1 }).waitFor();
    expect(await page.title()).toBe('Backlog · Orders · Meshboard');
    const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
    expect(await breadcrumb.getByRole('link', { name: 'Orders' }).getAttribute('href')).toBe('/products/sales.orders');
    const rows = page.locator('.backlog-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(5);
    await screenshot(page, 'backlog-items');
    await expectAccessible(page, 'backlog items');
    await page.getByLabel('State').first().selectOption('declined');
    await page.waitForURL(/itemState=declined/);
    await page.getByRole('button', { name: 'Expose raw clickstream per order' }).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('State').first().selectOption('');
    await expect.poll(() => rows.count()).toBe(5);
  });

  it('files an item with the keyboard, scores it, moves it and shows who entered what', async () => {
    await page.getByRole('textbox', { name: 'Title' }).focus();
    await page.keyboard.type('Publish orders as Parquet for the lakehouse');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('complementary', { name: /#6 Publish orders as Parquet/ });
    await panel.waitFor();
    await panel.getByRole('spinbutton', { name: 'Reach' }).fill('6');
    await panel.getByRole('spinbutton', { name: 'Impact' }).fill('2');
    await panel.getByRole('spinbutton', { name: 'Confidence %' }).fill('50');
    await panel.getByRole('spinbutton', { name: 'Effort' }).fill('2');
    await panel.getByRole('button', { name: 'Save inputs' }).click();
    await panel.getByText(`entered by ${owner.email}`).first().waitFor();
    await panel.getByRole('combobox', { name: 'Move to' }).selectOption('declined');
    await panel.getByRole('button', { name: 'Change state' }).click();
    // The browser's own validation stops a decline without a reason.
    expect(await panel.getByText('Declined:').count()).toBe(0);
    await panel.getByRole('textbox', { name: 'Reason (the requester sees it)' }).fill('The lakehouse team exports it themselves.');
    await panel.getByRole('button', { name: 'Change state' }).click();
    await panel.getByText('The lakehouse team exports it themselves.').waitFor();
    await screenshot(page, 'backlog-item-declined');
    await expectAccessible(page, 'backlog item panel');
    await panel.getByRole('combobox', { name: 'Move to' }).selectOption('new');
    await panel.getByRole('button', { name: 'Change state' }).click();
    await panel.locator('.badge-accent', { hasText: 'New' }).waitFor();
  });

  it('merges a duplicate: its votes move and it is marked', async () => {
    await page.getByRole('button', { name: 'Add the order channel (web, app, store)' }).click();
    const panel = page.getByRole('complementary', { name: /#1 Add the order channel/ });
    await panel.waitFor();
    await panel.getByRole('combobox', { name: 'Duplicate' }).selectOption({ label: '#6 Publish orders as Parquet for the lakehouse' });
    await panel.getByRole('button', { name: 'Merge into this item' }).click();
    await panel.getByText(/Merged duplicate #6/).waitFor();
    const row = page.locator('.backlog-table tbody tr', { hasText: 'Publish orders as Parquet' });
    await row.getByText('duplicate').waitFor();
  });

  it('ranks by value with the formula filled in, and tries another framework', async () => {
    await page.getByRole('navigation', { name: 'Backlog views' }).getByRole('link', { name: 'Ranking' }).click();
    await page.getByRole('heading', { name: 'Ranking by value' }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Backlog views' });
    expect(await tabs.getByRole('link', { name: 'Ranking' }).getAttribute('aria-current')).toBe('page');
    expect(await tabs.getByRole('link', { name: 'Items' }).getAttribute('aria-current')).toBeNull();
    const table = page.getByRole('table');
    await table.waitFor();
    const first = await table.locator('tbody tr').first().locator('td.explanation').innerText();
    expect(first).toBe('4 × 2 × 80% ÷ 1 = 6.4');
    expect(await page.getByText('reach × impact × confidence ÷ effort').count()).toBe(1);
    await screenshot(page, 'backlog-ranking');
    await expectAccessible(page, 'backlog ranking');
    await page.getByRole('combobox', { name: 'Framework' }).selectOption('wsjf');
    await page.getByText(/Not scored: enter businessValue/).first().waitFor();
  });

  it('saves the framework with If-Match and refuses an invalid custom formula with its location', async () => {
    await page.getByRole('navigation', { name: 'Backlog views' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Prioritisation settings' }).waitFor();
    await page.getByRole('radio', { name: 'Custom formula' }).check();
    await page.getByRole('textbox', { name: 'Name' }).fill('Reach first');
    await page.getByRole('textbox', { name: 'Input 1' }).fill('Reach!');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('/custom/terms/0/input');
    await page.getByRole('textbox', { name: 'Input 1' }).fill('reach');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved. The ranking now uses Custom formula.').waitFor();
    await screenshot(page, 'backlog-settings');
    await expectAccessible(page, 'backlog settings');
  });

  it('imports a Jira CSV export: row:column errors first, then the items', async () => {
    await page.getByRole('navigation', { name: 'Backlog views' }).getByRole('link', { name: 'Items' }).click();
    const transfer = page.getByRole('region', { name: 'Export and import' });
    const file = transfer.getByLabel('File (Meshboard CSV or JSON export, or a Jira CSV export)');
    const header = 'Summary,Issue Type,Status,Priority,Story Points,Created,Reporter';
    await file.setInputFiles({ name: 'jira.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\nRegion column,Spike,To Do,High,3,23/Nov/26 7:02 PM,consumer@demo.meshboard.local\n`) });
    await transfer.getByRole('checkbox', { name: 'Only check the file (dry run)' }).uncheck();
    await transfer.getByRole('button', { name: 'Import' }).click();
    await transfer.getByRole('alert').getByText(/row 2, column 2 \(Issue Type\): unknown issue type "Spike"/).waitFor();
    await screenshot(page, 'backlog-import-error');
    await file.setInputFiles({ name: 'jira.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\nRegion column,Story,To Do,High,3,23/Nov/26 7:02 PM,consumer@demo.meshboard.local\n`) });
    await transfer.getByRole('button', { name: 'Import' }).click();
    await transfer.getByText('Imported 1 item (jira-csv).').waitFor();
    await page.getByRole('button', { name: 'Region column' }).click();
    const panel = page.getByRole('complementary', { name: /Region column/ });
    await panel.getByText(/requested by consumer@demo\.meshboard\.local/).waitFor();
    expect(browserErrors).toEqual([]);
  });
});
