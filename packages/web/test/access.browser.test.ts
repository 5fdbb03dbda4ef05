/**
 * Access in Chromium against the real server (demo mesh): a consumer requests access to a port, the
 * domain's data product owner approves it from the inbox, the consumer sees the subscription and the
 * notification; screenshots and axe-core on every page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startAppServer, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { chromiumAvailable } from '../../../test-support/services';

const consumer = { email: 'consumer@demo.meshboard.local', password: 'demo-consumer-password' };
const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };

async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations, `serious/critical axe-core violations on ${where}`).toEqual([]);
}

describe.skipIf(!chromiumAvailable())('access requests in Chromium', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  const browserErrors: string[] = [];

  async function signIn(user: { email: string; password: string }, path: string): Promise<void> {
    await page.goto(`${server.url}${path}`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  }

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

  it('lets a consumer request access to an output port through the dialog, showing the server\'s problems', async () => {
    await signIn(consumer, '/access/requests');
    await page.getByRole('heading', { name: 'My access requests', level: 1 }).waitFor();
    expect(await page.title()).toBe('My access requests · Meshboard');
    await page.getByText('You have not requested access to anything yet.').waitFor();
    await page.getByLabel('Data product').selectOption({ label: 'Customers' });
    await page.getByLabel('Output port').selectOption('customers');
    await page.getByRole('button', { name: 'Request access' }).click();
    const dialog = page.getByRole('dialog', { name: 'Request access to Customers (customers)' });
    await dialog.waitFor();
    await dialog.getByLabel('Purpose').fill('Churn analysis for the quarterly review');
    await dialog.getByLabel('Duration').selectOption('30');
    await dialog.getByLabel('Database role (optional)').fill('bad role');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/\/dbRole/);
    await screenshot(page, 'access-request-dialog-problem');
    await expectAccessible(page, 'request dialog');
    await dialog.getByLabel('Database role (optional)').fill('');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const item = page.getByRole('listitem').filter({ hasText: 'Churn analysis for the quarterly review' });
    await item.getByText('pending', { exact: true }).waitFor();
    expect(await item.getByText('30 days').count()).toBe(1);
    expect(await item.getByText('Olu Owner').count()).toBe(1);
    await screenshot(page, 'access-requests-pending');
    await expectAccessible(page, 'my access requests');
  });

  it('offers no second request for the same port while one is pending', async () => {
    await page.getByRole('link', { name: 'Your request is waiting for a decision' }).waitFor();
    expect(await page.getByRole('button', { name: 'Request access' }).count()).toBe(0);
    await signOut();
  });

  it('shows the owner the request in the bell and the inbox, and approves it', async () => {
    await signIn(owner, '/notifications');
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    await page.getByRole('link', { name: 'consumer@demo.meshboard.local requests access to Customers (customers)' }).click();
    await page.getByRole('heading', { name: 'Requests to decide', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/access/inbox');
    expect(new URL(page.url()).searchParams.get('request')).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    const item = page.getByRole('listitem').filter({ hasText: 'Churn analysis for the quarterly review' });
    await item.getByText('consumer@demo.meshboard.local').waitFor();
    // Rejecting without a reason is refused with the field named.
    await item.getByRole('button', { name: 'Reject' }).click();
    const alert = item.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/\/reason/);
    await screenshot(page, 'access-inbox');
    await expectAccessible(page, 'inbox');
    await item.getByLabel('Reason').fill('Fine for the quarterly review.');
    await item.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing waits for your decision.').waitFor();
    await signOut();
  });

  it('shows the consumer the subscription and the notification', async () => {
    await signIn(consumer, '/access/subscriptions');
    await page.getByRole('heading', { name: 'My subscriptions', level: 1 }).waitFor();
    const card = page.getByRole('listitem').filter({ hasText: 'Customers' });
    await card.getByText('active', { exact: true }).waitFor();
    expect(await card.getByText('not applicable').count()).toBe(1);
    await screenshot(page, 'access-subscriptions');
    await expectAccessible(page, 'my subscriptions');

    const bell = page.getByRole('link', { name: 'Notifications, 1 unread' });
    await bell.click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const note = page.getByRole('link', { name: 'Your access request for Customers (customers) was approved' });
    await note.waitFor();
    await page.getByText('Fine for the quarterly review.').waitFor();
    await screenshot(page, 'notifications');
    await expectAccessible(page, 'notifications');
    await note.click();
    await page.getByRole('heading', { name: 'Subscription', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/access\/subscriptions\/[0-9a-f-]+$/);
    await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Revoke access' }).click();
    await page.getByText('revoked', { exact: true }).first().waitFor();
    await screenshot(page, 'access-subscription-revoked');
    await expectAccessible(page, 'subscription');
    expect(browserErrors).toEqual([]);
  });

  it('fits a narrow screen without horizontal scrolling and stays accessible in dark mode', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}/access/requests`);
    await page.getByRole('heading', { name: 'My access requests', level: 1 }).waitFor();
    await page.getByText('approved', { exact: true }).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'access-requests-narrow-dark');
    await expectAccessible(page, 'my access requests (dark, narrow)');
  });
});
