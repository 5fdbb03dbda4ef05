/**
 * Feedback in Chromium against the real server with the demo mesh: a consumer rates a product and
 * reports an issue on a column; the owner finds it (new) in the inbox, replies and resolves it with a
 * reason; the consumer sees the owner's reply and the state. axe-core on every screen; screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startAppServer, type AppServer, type TestBrowser, signInAs, signOut } from '../../../test-support/browser';
import { chromiumAvailable } from '../../../test-support/services';

const consumer = { email: 'consumer@demo.meshboard.local', password: 'demo-consumer-password' };
const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAxeViolations(page), `serious/critical axe-core violations on ${where}`).toEqual([]);
}

describe.skipIf(!chromiumAvailable())('feedback in Chromium against the real server', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  let productId = '';
  const browserErrors: string[] = [];


  beforeAll(async () => {
    server = await startAppServer();
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(consumer) });
    const { token } = (await signIn.json()) as { token: string };
    const product = await fetch(`${server.url}/api/products/sales.customers`, { headers: { authorization: `Bearer ${token}` } });
    productId = ((await product.json()) as { id: string }).id;
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => browserErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets a consumer rate the product and report an issue on a column', async () => {
    await signInAs(page, server.url, consumer, `/products/${productId}/feedback`);
    await page.getByRole('heading', { name: 'Feedback on Customers', level: 1 }).waitFor();
    expect(await page.title()).toBe('Feedback on Customers · Meshboard');
    await page.getByText('Not rated yet').or(page.getByLabel('Not rated yet')).first().waitFor();

    await page.getByRole('radio', { name: '4 stars' }).check();
    await page.getByLabel(/^Review/).fill('Complete and well documented, a few e-mails missing.');
    await page.getByRole('button', { name: 'Submit rating' }).click();
    await page.getByLabel('Average rating 4.0 of 5').waitFor();
    await page.getByRole('button', { name: 'Update rating' }).waitFor();

    await page.getByLabel('Kind').selectOption('issue');
    await page.getByLabel('Title').fill('E-mail addresses missing');
    await page.getByLabel('About').selectOption({ label: 'customers.email' });
    await page.getByLabel('Details').fill('About 3 % of the customers have no e-mail address.');
    await page.getByRole('button', { name: 'Post issue' }).click();
    const issue = page.getByRole('article', { name: 'E-mail addresses missing' });
    await issue.waitFor();
    expect(await issue.textContent()).toContain('column customers.email');
    expect(await issue.getByText('Open', { exact: true }).count()).toBe(1);
    // A consumer has no state actions.
    expect(await issue.getByRole('button', { name: 'Resolve' }).count()).toBe(0);

    await page.getByLabel('Kind').selectOption('feature_request');
    await page.getByLabel('Title').fill('Add the customer segment');
    await page.getByRole('button', { name: 'Post feature request' }).click();
    const request = page.getByRole('article', { name: 'Add the customer segment' });
    await request.waitFor();
    const vote = request.getByRole('button', { name: /\+1 vote for/ });
    expect(await vote.getAttribute('aria-pressed')).toBe('false');
    await vote.click();
    await request.getByRole('button', { name: /1 vote$/ }).waitFor();
    expect(await vote.getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'feedback-consumer-reported');
    await expectAccessible(page, 'product feedback (consumer)');
    await signOut(page);
  });

  it('shows the owner the new issue in the inbox; the owner replies and resolves it with a reason', async () => {
    await signInAs(page, server.url, owner, '/inbox/feedback');
    await page.getByRole('heading', { name: 'Feedback inbox', level: 1 }).waitFor();
    const issue = page.getByRole('article', { name: 'E-mail addresses missing' });
    await issue.waitFor();
    expect(await issue.getByText('New', { exact: true }).count()).toBe(1);
    expect(await issue.getByRole('link', { name: 'Customers' }).count()).toBe(1);
    await page.getByText(/3 threads have new activity/).waitFor();
    await page.getByLabel('Kind').selectOption('issue');
    await page.waitForURL((url) => url.searchParams.get('show') === 'issue');
    // The filtered list is fetched after the URL changes: wait for it to settle on the one issue.
    await expect.poll(() => page.getByRole('article').count(), { timeout: 10_000 }).toBe(1);
    await issue.waitFor();
    await screenshot(page, 'feedback-inbox-new');
    await expectAccessible(page, 'feedback inbox');

    await issue.getByRole('button', { name: 'Reply' }).click();
    await issue.getByLabel('Your reply').fill('Thanks! The CRM export dropped them; we backfill tonight.');
    await issue.getByRole('button', { name: 'Post reply' }).click();
    await issue.getByText('The CRM export dropped them; we backfill tonight.', { exact: false }).waitFor();
    // The owner's own activity marks the thread read.
    await issue.getByText('New', { exact: true }).waitFor({ state: 'detached' });
    await issue.getByLabel(/Reason shown to the reporter/).fill('Backfilled on 23 Nov; the export is fixed.');
    await issue.getByRole('button', { name: 'Resolve' }).click();
    await issue.getByText('Resolved', { exact: true }).waitFor();
    await issue.getByRole('button', { name: 'Reopen' }).waitFor();
    await screenshot(page, 'feedback-inbox-resolved');
    await expectAccessible(page, 'feedback inbox (resolved)');

    // The owner turns the report into a backlog defect that keeps the feedback as its evidence.
    await issue.getByRole('button', { name: 'Add to backlog' }).click();
    const created = issue.getByRole('link', { name: /^backlog item #\d+$/ });
    await created.waitFor();
    await created.click();
    await page.waitForURL((url) => url.pathname.endsWith('/backlog') && url.searchParams.has('item'));
    const evidence = page.getByRole('region', { name: 'Evidence' });
    const linked = evidence.getByRole('listitem').filter({ hasText: 'issue report' });
    await linked.waitFor();
    expect(await linked.locator('.badge').innerText()).toBe('feedback');
    await signOut(page);
  });

  it('shows the consumer the owner reply and the resolution', async () => {
    await signInAs(page, server.url, consumer, `/products/${productId}/feedback`);
    const issue = page.getByRole('article', { name: 'E-mail addresses missing' });
    await issue.waitFor();
    await issue.getByText('Resolved', { exact: true }).waitFor();
    await issue.getByText('Backfilled on 23 Nov; the export is fixed.').waitFor();
    const replies = issue.getByRole('list', { name: 'Replies' });
    expect(await replies.getByText('Owner', { exact: true }).count()).toBe(1);
    expect(await replies.textContent()).toContain('Olu Owner');
    await page.getByLabel('Average rating 4.0 of 5').waitFor();
    await screenshot(page, 'feedback-consumer-resolved');
    await expectAccessible(page, 'product feedback (resolved)');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await screenshot(page, 'feedback-consumer-resolved-dark');
    await expectAccessible(page, 'product feedback (dark)');
    expect(browserErrors).toEqual([]);
  });
});
