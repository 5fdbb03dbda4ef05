/**
 * Measured cost of delay (issue 6) in Chromium, dark mode: a demo store where the Orders contract's SLA
 * check failed 14 h ago and passed 4 h ago (10 h of breach), and an item two consuming teams ask for. The
 * item panel shows WSJF's suggested time criticality with its reason, the ranking uses it, and an entered
 * value replaces it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { costOfDelayItemTitle as title, startCostOfDelayServer } from '../../../test-support/costOfDelayServer';
import { chromiumAvailable } from '../../../test-support/services';

const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAxeViolations(page), `serious/critical axe-core violations on ${where}`).toEqual([]);
}

describe.skipIf(!chromiumAvailable())('measured cost of delay in Chromium', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    server = await startCostOfDelayServer();
    browser = await launchBrowser({ colorScheme: 'dark' });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(10_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the suggested time criticality with its reason, ranks by it, and lets an entered value replace it', async () => {
    await page.goto(`${server.url}/products/sales.orders/backlog`);
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: title }).click();
    const panel = page.getByRole('complementary', { name: new RegExp(title) });
    await panel.waitFor();
    const input = panel.getByRole('spinbutton', { name: 'Time criticality' });
    expect(await input.getAttribute('placeholder')).toBe('suggested 20');
    await panel.getByText('suggested: 20 — 2 consuming teams × 10 h of SLA breach in the last 30 days').waitFor();
    await screenshot(page, 'cost-of-delay-panel');
    await expectAccessible(page, 'item panel with a suggested time criticality');

    await page.getByRole('navigation', { name: 'Backlog views' }).getByRole('link', { name: 'Ranking' }).click();
    const first = page.getByRole('table').locator('tbody tr').first();
    await first.getByText(title).waitFor();
    expect(await first.locator('td.explanation').innerText()).toBe('(8 + 20 (suggested timeCriticality) + 2) ÷ 3 = 30 ÷ 3 = 10');
    await screenshot(page, 'cost-of-delay-ranking');

    // Keyboard: enter a value and submit with Enter; the entered value wins over the suggestion.
    await page.getByRole('navigation', { name: 'Backlog views' }).getByRole('link', { name: 'Items' }).click();
    await page.getByRole('button', { name: title }).click();
    await input.focus();
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await panel.getByText(`entered by ${owner.email}`).first().waitFor();
    expect(await panel.getByText(/suggested: 20/).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Backlog views' }).getByRole('link', { name: 'Ranking' }).click();
    const row = page.getByRole('table').locator('tbody tr', { hasText: title });
    await expect.poll(() => row.locator('td.explanation').innerText()).toBe('(8 + 1 + 2) ÷ 3 = 11 ÷ 3 = 3.667');
  });
});
