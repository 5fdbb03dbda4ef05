/**
 * Browser-test support: Debian's Chromium driven by playwright-core (no downloaded browsers), one fresh
 * profile per launch, screenshots into the git-ignored test-results/screenshots, and axe-core checks.
 * Use with `describe.skipIf(!chromiumAvailable())` from ./services (which fails under strict mode).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath } from './services';

/** Flags that keep headless Chromium quiet, offline from Google and deterministic in containers. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A running browser with its own profile; `close()` ends it and deletes the profile. */
export interface TestBrowser {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** Launches Chromium with a fresh temporary profile (nothing leaks between runs). */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'meshboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The repository's git-ignored folder for screenshots. */
export const screenshotDir = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

/** Saves a full-page screenshot as test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** One axe-core violation, reduced to what a failing test should print. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/** Runs axe-core (the installed 4.14) on the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    interface AxeResult {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
    }
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.map(String).join(' ')) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** The web app's build directory (served by the server at `/`). */
export const webDistDir = fileURLToPath(new URL('../packages/web/dist/', import.meta.url));

/** A real Meshboard server for browser tests: embedded store in a temp dir, demo mesh, ephemeral port. */
export interface AppServer {
  url: string;
  close: () => Promise<void>;
}


/**
 * Signs `user` in through the sign-in page and waits until the app has landed on `to` (a path, optionally
 * with a query): only then does the session exist, so the caller's next navigation is signed in.
 */
export async function signInAs(page: Page, serverUrl: string, user: { email: string; password: string }, to: string): Promise<void> {
  await page.goto(`${serverUrl}/sign-in?redirect=${encodeURIComponent(to)}`);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === to.split('?')[0]);
}

/** Signs out through the header and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

/**
 * Makes sure packages/web/dist is current (builds it when missing or stale, as `npm start` does), then
 * starts the real server in-process on an ephemeral port over a fresh PGlite store with the demo mesh.
 */
export async function startAppServer(): Promise<AppServer> {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [fileURLToPath(new URL('../packages/web/scripts/buildIfStale.mjs', import.meta.url))], { stdio: 'pipe' });
  const { startServer } = await import('@meshboard/server');
  const dataDir = mkdtempSync(join(tmpdir(), 'meshboard-browser-'));
  const log: string[] = [];
  const server = await startServer({ store: { kind: 'embedded', dataDir }, port: 0, hostname: '127.0.0.1', demo: true, log: (line) => log.push(line) });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
