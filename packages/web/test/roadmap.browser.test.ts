import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startAppServer, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { chromiumAvailable } from '../../../test-support/services';

const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };
const consumer = { email: 'consumer@demo.meshboard.local', password: 'demo-consumer-password' };

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAxeViolations(page), `serious/critical axe-core violations on ${where}`).toEqual([]);
}

/** The titles of a board column's cards, in order. */
async function column(page: Page, name: 'Now' | 'Next' | 'Later'): Promise<string[]> {
  const links = page.getByRole('region', { name: new RegExp(`^${name}`) }).locator('.roadmap-card > a');
  return (await links.allTextContents()).map((text) => text.trim());
}

describe.skipIf(!chromiumAvailable())('roadmap and releases in Chromium against the demo mesh', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  const browserErrors: string[] = [];

  const signIn = async (who: { email: string; password: string }) => {
    const response = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    return ((await response.json()) as { token: string }).token;
  };

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

  it('shows the demo board and reorders and moves cards with the keyboard', async () => {
    await page.goto(`${server.url}/products/sales.returns`);
    await page.getByRole('navigation', { name: 'Product tools' }).getByRole('link', { name: 'Roadmap' }).click();
    await page.getByRole('heading', { name: 'Roadmap: Returns', level: 1 }).waitFor();
    await page.getByRole('link', { name: /^#1 Return reason codes/ }).waitFor();
    expect(await page.title()).toBe('Roadmap · Returns · Meshboard');
    expect(await column(page, 'Now')).toEqual(['#1 Return reason codes as a lookup table', '#2 Refund amount per returned line']);
    expect(await column(page, 'Next')).toEqual(['#3 Returns without an order line']);
    expect(await column(page, 'Later')).toEqual(['#4 Weekly return rate per article']);
    await screenshot(page, 'roadmap-board');
    await expectAccessible(page, 'roadmap board');

    // Keyboard: the move button, then Alt+→ from the focus that stays on the moved card.
    await page.getByRole('button', { name: 'Move #1 down' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Moved #1 Return reason codes as a lookup table to Now, place 2.' }).waitFor({ state: 'attached' });
    expect(await column(page, 'Now')).toEqual(['#2 Refund amount per returned line', '#1 Return reason codes as a lookup table']);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Move #1 up');
    await page.keyboard.press('Alt+ArrowRight');
    await page.getByRole('status').filter({ hasText: 'to Next, place 2' }).waitFor({ state: 'attached' });
    expect(await column(page, 'Next')).toEqual(['#3 Returns without an order line', '#1 Return reason codes as a lookup table']);
    await screenshot(page, 'roadmap-board-keyboard');
  });

  it('moves a card by dragging it to another column', async () => {
    const card = page.getByRole('listitem', { name: /^#4 Weekly return rate/ });
    await card.dragTo(page.getByRole('region', { name: /^Now/ }).getByRole('heading', { name: /^Now/ }));
    await page.getByRole('status').filter({ hasText: 'Moved #4 Weekly return rate per article to Now' }).waitFor({ state: 'attached' });
    expect(await column(page, 'Now')).toEqual(['#2 Refund amount per returned line', '#4 Weekly return rate per article']);
    expect(await column(page, 'Later')).toEqual([]);
  });

  it('lays out the timeline by release and by quarter', async () => {
    await page.getByRole('link', { name: 'Timeline by release' }).click();
    await page.getByRole('heading', { name: 'Launch (1.0.0)' }).waitFor();
    const next = page.getByRole('region', { name: 'Reasons and refunds (1.1.0)' });
    await next.getByRole('link', { name: /^#1 Return reason codes/ }).waitFor();
    await next.getByRole('link', { name: /^#2 Refund amount/ }).waitFor();
    await screenshot(page, 'roadmap-timeline-release');
    await expectAccessible(page, 'timeline by release');
    await page.getByRole('link', { name: 'Timeline by quarter' }).click();
    await page.getByRole('heading', { name: /^\d{4} Q[1-4]$/ }).first().waitFor();
    await screenshot(page, 'roadmap-timeline-quarter');
  });

  it('releases the planned release: notes on the release page and the changelog, the requester notified', async () => {
    // Finish item #1 (requested by the demo consumer) through the API, as the team would on the backlog.
    const token = await signIn(owner);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const items = (await (await fetch(`${server.url}/api/products/sales.returns/backlog?limit=10`, { headers })).json()) as { items: { id: string; number: number; version: number }[] };
    const first = items.items.find((item) => item.number === 1);
    let version = first?.version ?? 0;
    for (const state of ['planned', 'in_progress', 'done']) {
      const moved = await fetch(`${server.url}/api/backlog-items/${first?.id ?? ''}`, { method: 'PATCH', headers: { ...headers, 'if-match': `"v${version}"` }, body: JSON.stringify({ state }) });
      expect(moved.status).toBe(200);
      version = ((await moved.json()) as { version: number }).version;
    }
    await page.getByRole('link', { name: 'Releases' }).click();
    await page.getByRole('heading', { name: 'Releases: Returns', level: 1 }).waitFor();
    await screenshot(page, 'releases-list');
    await expectAccessible(page, 'releases list');
    await page.getByRole('link', { name: 'Reasons and refunds' }).click();
    await page.getByRole('heading', { name: /^Reasons and refunds/, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Release 1.1.0…' }).click();
    await page.getByRole('button', { name: 'Release and notify' }).click();
    const notes = page.getByRole('region', { name: 'Release notes' });
    await notes.getByRole('link', { name: '#1 Return reason codes as a lookup table' }).waitFor();
    await notes.getByText('(unchanged at 1.0.0)', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: /^Release 1.1.0/ }).count()).toBe(0);
    await screenshot(page, 'release-notes');
    await expectAccessible(page, 'released release');

    const consumerToken = await signIn(consumer);
    const inbox = (await (await fetch(`${server.url}/api/notifications?limit=20`, { headers: { authorization: `Bearer ${consumerToken}` } })).json()) as { items: { kind: string; title: string; body: string }[] };
    expect(inbox.items.find((item) => item.kind === 'release.published')).toMatchObject({ title: 'Returns 1.1.0 is released', body: expect.stringContaining('you asked for') as unknown });

    await page.goto(`${server.url}/products/sales.returns#changelog`);
    const changelog = page.getByRole('region', { name: 'Changelog' });
    await changelog.getByRole('link', { name: 'Reasons and refunds 1.1.0' }).waitFor();
    await changelog.getByText('Release notes').first().click();
    await changelog.scrollIntoViewIfNeeded();
    await screenshot(page, 'product-changelog-releases');
    await expectAccessible(page, 'product changelog with releases');

    await page.goto(`${server.url}/products/sales.returns/backlog?item=${first?.id ?? ''}`);
    const history = page.getByRole('region', { name: 'State history' });
    await history.getByText('in progress → done').waitFor();
    await history.scrollIntoViewIfNeeded();
    await screenshot(page, 'backlog-state-history');
  });

  it('stays accessible in dark mode and shows consumers a read-only board', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}/products/sales.returns/roadmap`);
    await page.getByRole('link', { name: /^#2 Refund amount/ }).waitFor();
    await screenshot(page, 'roadmap-board-dark');
    await expectAccessible(page, 'roadmap board (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
    const token = await signIn(consumer);
    await page.evaluate((session) => sessionStorage.setItem('meshboard.session', session), JSON.stringify({ token, email: consumer.email }));
    await page.goto(`${server.url}/products/sales.returns/roadmap`);
    await page.getByRole('link', { name: /^#2 Refund amount/ }).waitFor();
    expect(await page.getByRole('button', { name: /^Move #/ }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Add an item to the roadmap' }).count()).toBe(0);
    expect(browserErrors).toEqual([]);
  });
});
