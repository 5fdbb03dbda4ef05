/**
 * The product and contract pages in Chromium against the real server with the demo mesh: every section
 * shows values the server measured or computed (check runs on the demo CSVs are triggered through the API
 * first), lineage navigation by mouse and keyboard, the changelog after publishing new versions through the
 * API, axe-core, and screenshots in light, dark and phone sizes.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, seriousAxeViolations, startAppServer, type AppServer, type TestBrowser } from '../../../test-support/browser';
import { chromiumAvailable } from '../../../test-support/services';

const owner = { email: 'owner@demo.meshboard.local', password: 'demo-owner-password' };
const admin = { email: 'admin@demo.meshboard.local', password: 'demo-admin-password' };

interface Json {
  [key: string]: unknown;
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await seriousAxeViolations(page), `serious/critical axe-core violations on ${where}`).toEqual([]);
}

describe.skipIf(!chromiumAvailable())('product and contract pages in Chromium', () => {
  let server: AppServer;
  let browser: TestBrowser;
  let page: Page;
  let token = '';
  const contractIds = new Map<string, string>();
  const browserErrors: string[] = [];

  /** A JSON call to the API as the demo admin; fails the test on an unexpected status. */
  async function call(method: string, path: string, options: { body?: unknown; ifMatch?: string; expect?: number } = {}): Promise<{ body: Json; etag: string | null }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch }) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBe(options.expect ?? 200);
    return { body: text === '' ? {} : (JSON.parse(text) as Json), etag: response.headers.get('etag') };
  }

  beforeAll(async () => {
    server = await startAppServer();
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
    token = ((await signIn.json()) as { token: string }).token;
    // Real check runs on the shipped demo CSVs: three each, so trends have points and trust has a window.
    for (const externalId of ['sales.customers-contract', 'sales.orders-contract']) {
      const contract = (await call('GET', `/api/contracts/${externalId}`)).body;
      contractIds.set(externalId, String(contract.id));
      for (let run = 0; run < 3; run += 1) await call('POST', `/api/contracts/${String(contract.id)}/runs?wait=true`, { body: { trigger: 'api' }, expect: 201 });
    }
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => browserErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens a demo product from search and shows owners, ports, measured quality with a trend and a computed trust badge', async () => {
    await page.goto(`${server.url}/search?q=customers`);
    await page.getByLabel('E-mail').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const results = page.getByRole('region', { name: /results?$/ });
    const started = Date.now();
    await results.getByRole('link', { name: 'Customers', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    const customers = (await call('GET', '/api/products/sales.customers')).body;
    expect(new URL(page.url()).pathname).toBe(`/products/${String(customers.id)}`);
    await page.getByText('Every customer with contact data and home country.').first().waitFor();

    // Owners from the product document: two different people for product and data ownership.
    await page.getByText('The data product owner and the data owner are two different people.').waitFor();
    const owners = page.locator('.owners');
    expect(await owners.textContent()).toContain('Olu Owner');
    expect(await owners.textContent()).toContain('Dana Data-Owner');
    // The output port links its contract.
    await page.getByRole('region', { name: 'Overview' }).getByRole('link', { name: 'Customers' }).waitFor();

    // Quality: the latest results are the values the engine measured on the demo CSV.
    const contractId = String((customers.outputPorts as Json[])[0]?.contract !== null ? ((customers.outputPorts as Json[])[0]?.contract as Json).id : '');
    const latest = (await call('GET', `/api/contracts/${contractId}/checks/latest`)).body.items as Json[];
    const failing = latest.find((item) => item.result === 'failed');
    expect(failing).toBeDefined();
    const quality = page.getByRole('region', { name: 'Quality' });
    const failingRow = quality.locator('.check-item', { hasText: String(failing?.name) }).first();
    await failingRow.waitFor();
    expect(await failingRow.locator('.check-measure strong').textContent()).toBe(String(failing?.measured));
    expect(await failingRow.locator('.check-row .result').textContent()).toBe('failed');
    // The first failing rule's trend is open: one point per stored run (at least the three above), and a table alternative.
    const history = (await call('GET', `/api/contracts/${contractId}/checks/${encodeURIComponent(String(failing?.key))}/history`)).body.items as Json[];
    expect(history.length).toBeGreaterThanOrEqual(3);
    const trend = failingRow.getByRole('img', { name: new RegExp(`${history.length} runs, 0 passed`) });
    await trend.waitFor();
    expect(await failingRow.locator('.trend-point').count()).toBe(history.length);
    await failingRow.getByText('Show the values as a table').click();
    expect(await failingRow.locator('.trend-table tbody tr').count()).toBe(history.length);
    const trust = (await call('GET', `/api/contracts/${contractId}/trust`)).body;
    expect(await quality.locator('.trust').first().textContent()).toContain(`${String(trust.score)} %`);
    await page.getByRole('region', { name: 'Lineage' }).getByRole('group', { name: /Lineage graph/ }).waitFor();
    console.log(`product page: from the sign-in click (search results, product chunk, all sections) to quality, trend and lineage in ${Date.now() - started} ms (headless Chromium)`);

    // Support channel from the product document, as a mailto link.
    const support = page.getByRole('region', { name: 'Documentation and support' }).getByRole('link', { name: 'sales-data · email' });
    expect(await support.getAttribute('href')).toBe('mailto:sales-data@demo.meshboard.local');
    // The slot other engineers fill is there and labelled.
    expect(await page.locator('section[data-slot="product-engagement"]').count()).toBe(1);
    await screenshot(page, 'product-light');
    await expectAccessible(page, 'product (light)');
  });

  it('shows declared SLA targets beside measured compliance and navigates the lineage graph by mouse and keyboard', async () => {
    await page.getByRole('link', { name: 'Sales', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Sales', level: 1 }).waitFor();
    const products = page.getByRole('region', { name: 'Data products' });
    // The domain page: products with status and their computed trust at a glance.
    const customersRow = products.getByRole('row', { name: /Customers/ }).first();
    await customersRow.locator('.trust').waitFor();
    expect(await customersRow.locator('.trust').textContent()).toMatch(/trust/);
    await screenshot(page, 'domain-products-light');
    await expectAccessible(page, 'domain with products');
    await products.getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();

    const orders = (await call('GET', `/api/contracts/${contractIds.get('sales.orders-contract') ?? ''}/sla?days=30`)).body.items as Json[];
    const freshness = orders.find((item) => String(item.name).startsWith('freshness'));
    expect(freshness?.evaluated).toBeGreaterThanOrEqual(3);
    const sla = page.getByRole('region', { name: 'SLA' });
    const row = sla.getByRole('row', { name: /freshness/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('60 d');
    expect(await row.textContent()).toContain(`${String(freshness?.compliancePercent)} %`);

    // Lineage: Orders feeds Invoices; a click on the node opens Invoices.
    const lineage = page.getByRole('region', { name: 'Lineage' });
    const graph = lineage.getByRole('group', { name: /Lineage graph/ });
    await graph.waitFor();
    expect(await lineage.getByRole('heading', { name: 'Downstream (consumers)' }).count()).toBe(1);
    await graph.getByRole('link', { name: /^Invoices active · downstream/ }).click();
    await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/products\//);
    // Finance's demo documents name one person for both roles; the input port names its producing product.
    await page.getByText('One person is both the data product owner and the data owner of the source.').waitFor();
    await page.getByRole('region', { name: 'Overview' }).getByRole('link', { name: 'Orders', exact: true }).waitFor();
    // Keyboard: focus the upstream Orders node and open it with Enter.
    const ordersNode = page.getByRole('region', { name: 'Lineage' }).getByRole('group', { name: /Lineage graph/ }).getByRole('link', { name: /^Orders active · upstream/ });
    await ordersNode.focus();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Orders/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
  });

  it('shows the changelog with classified changes after new versions are published through the API', async () => {
    const contract = await call('GET', '/api/contracts/sales.customers-contract');
    const document = contract.body.document as Json;
    const schema = document.schema as Json[];
    const object = schema[0] as Json;
    const properties = (object.properties as Json[]).filter((property) => property.name !== 'signed_up_on');
    const next = {
      ...document,
      version: '2.0.0',
      description: { ...(document.description as Json), usage: 'Demo data; the sign-up date moved to the CRM product.' },
      schema: [{ ...object, properties: [...properties, { name: 'loyalty_tier', logicalType: 'string', description: 'Loyalty programme tier' }] }],
    };
    expect((await call('PUT', '/api/contracts/sales.customers-contract', { body: next, ifMatch: contract.etag ?? '*' })).body.outcome).toBe('published');
    const product = await call('GET', '/api/products/sales.customers');
    const productDocument = product.body.document as Json;
    await call('PUT', '/api/products/sales.customers', { body: { ...productDocument, version: '1.1.0', tags: [...(productDocument.tags as string[]), 'crm'] }, ifMatch: product.etag ?? '*' });

    // Deep links use our ids (a document id such as "sales.customers" looks like a file name to the SPA fallback).
    await page.goto(`${server.url}/products/${String(product.body.id)}`);
    const changelog = page.getByRole('region', { name: 'Changelog' });
    await changelog.getByRole('heading', { name: /Version 1\.1\.0/ }).waitFor();
    await changelog.getByRole('heading', { name: /Version 1\.0\.0/ }).waitFor();
    const productDiff = (await call('GET', '/api/products/sales.customers/diff?from=1.0.0&to=1.1.0')).body.changes as Json[];
    expect(productDiff.length).toBeGreaterThan(0);
    for (const change of productDiff) await changelog.getByText(String(change.message)).first().waitFor();

    // The contract page: schema browser, and its changelog grouped Breaking / Non-breaking / Informational.
    await page.getByRole('region', { name: 'Overview' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    // Who offers and who reads this contract (from the ports of the products).
    await page.locator('.contract-usage').getByRole('link', { name: 'Customer Segments' }).waitFor();
    expect(await page.locator('.contract-usage').textContent()).toBe('Offered by Customers. Read by Customer Segments.');
    const contractDiff = (await call('GET', '/api/contracts/sales.customers-contract/diff?from=1.0.0&to=2.0.0')).body.changes as Json[];
    const contractLog = page.getByRole('region', { name: 'Changelog' });
    for (const [severity, label] of [['breaking', 'Breaking'], ['non-breaking', 'Non-breaking'], ['informational', 'Informational']] as const) {
      const count = contractDiff.filter((change) => change.severity === severity).length;
      expect(count, `the test's change has a ${severity} part`).toBeGreaterThan(0);
      expect(await contractLog.getByRole('heading', { name: `${label} ${count}`, level: 4, exact: true }).textContent()).toBe(`${label} ${count}`);
    }

    const schemaRegion = page.getByRole('region', { name: 'Schema' });
    await schemaRegion.getByRole('rowheader', { name: 'loyalty_tier' }).waitFor();
    // The demo's e-mail column is classified PII: marked, and found by filtering for it.
    await schemaRegion.getByLabel('Filter columns').fill('pii');
    await schemaRegion.getByText('1 matching column').waitFor();
    expect(await schemaRegion.getByRole('row', { name: /email/ }).locator('.badge-pii').textContent()).toBe('PII');
    await schemaRegion.getByLabel('Filter columns').fill('no-such-column');
    await schemaRegion.getByText('0 matching columns').waitFor();
    await schemaRegion.getByText('No column matches “no-such-column”.').waitFor();
    await schemaRegion.getByLabel('Filter columns').fill('');
    const toggle = schemaRegion.getByRole('button', { name: /customers/ });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'contract-light');
    await expectAccessible(page, 'contract (light)');
  });

  it('stays readable and accessible in dark mode and on a phone', async () => {
    const ordersUrl = `${server.url}/products/${String((await call('GET', '/api/products/sales.orders')).body.id)}`;
    const started = Date.now();
    await page.goto(ordersUrl);
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Quality' }).locator('.check-item').first().waitFor();
    await page.getByRole('region', { name: 'Lineage' }).getByRole('group', { name: /Lineage graph/ }).waitFor();
    console.log(`product page: full load (deep link, new document) to quality and lineage in ${Date.now() - started} ms (headless Chromium)`);
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await page.getByRole('region', { name: 'Lineage' }).getByRole('group', { name: /Lineage graph/ }).waitFor();
    await page.getByRole('region', { name: 'SLA' }).getByRole('row', { name: /freshness/ }).waitFor();
    await screenshot(page, 'product-dark');
    await expectAccessible(page, 'product (dark)');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/products/${String((await call('GET', '/api/products/sales.customers')).body.id)}`);
    await page.getByRole('region', { name: 'Quality' }).locator('.check-item').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) console.log('wider than the screen:', await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 12).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).join('\n')));
    await screenshot(page, 'product-phone-dark');
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'product (phone, dark)');
    expect(browserErrors).toEqual([]);
  });
});
