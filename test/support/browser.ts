// Browser tests drive Debian's Chromium through playwright-core: no browser download, a fresh
// temporary profile per launch, and the flags from DESIGN.md §5 (without the networking flags
// Chromium keeps trying hosts this closed network refuses). A missing Chromium fails the test
// with the command that installs it — browser tests are never skipped silently (test/global-setup.ts
// installs Chromium before the run, or stops it at once with one line saying how).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumPresent } from './prerequisites';
import { DEMO_PASSWORD, startStack, type Stack } from './stack';

export { CHROMIUM_PATH };

/** where browser tests put their screenshots */
export const SCREENSHOT_DIR = process.env.KIM_SCREENSHOT_DIR ?? '/tmp';
/** a UUID inside a URL pattern (new RegExp(`/faelle/${UUID}$`)) */
export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught page errors and failed requests (e.g. blocked by the CSP) seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export function assertChromium(executable = CHROMIUM_PATH): void {
  if (!chromiumPresent(executable)) {
    throw new Error(
      `Chromium nicht gefunden unter ${executable}. Die Browser-Tests brauchen Debians Chromium: ` +
        '`npm run setup:browser` ausführen (oder CHROMIUM_PATH auf eine Chromium-Binärdatei setzen).',
    );
  }
}

/** One headless Chromium with a fresh temporary profile (German locale, Berlin time zone). */
export async function launchBrowser(opts: { baseURL?: string } = {}): Promise<TestBrowser> {
  assertChromium();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-chromium-'));
  let context: BrowserContext;
  try {
    // Playwright refuses --user-data-dir in args; the persistent context passes our fresh directory.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      baseURL: opts.baseURL,
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      viewport: { width: 1280, height: 900 },
      timeout: 30_000,
    });
  } catch (err) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`Chromium (${CHROMIUM_PATH}) ließ sich nicht starten: ${(err as Error).message}`, { cause: err });
  }
  context.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const page = context.pages()[0] ?? (await context.newPage());
  const watch = (p: Page) => {
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('requestfailed', (r) => {
      // the live view's background poll cut off by a navigation is no problem; any other failure is
      if (r.resourceType() === 'fetch' && r.failure()?.errorText === 'net::ERR_ABORTED') return;
      problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
    });
  };
  watch(page);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export type AxeViolation = Pick<Result, 'id' | 'impact' | 'help' | 'helpUrl'> & { targets: string[] };

/** axe-core with the WCAG 2.0 A/AA and 2.1 AA rules; only violations of impact serious or critical. */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Starts a test stack and the browser together; if either fails, the other is closed and the error thrown. */
export async function startStackAndBrowser(
  stackOptions: Parameters<typeof startStack>[0] = {},
): Promise<{ stack: Stack; browser: TestBrowser }> {
  const [s, br] = await Promise.allSettled([startStack(stackOptions), launchBrowser()]);
  if (s.status === 'fulfilled' && br.status === 'fulfilled') return { stack: s.value, browser: br.value };
  if (s.status === 'fulfilled') await s.value.stop();
  if (br.status === 'fulfilled') await br.value.close();
  throw br.status === 'rejected' ? br.reason : (s as PromiseRejectedResult).reason;
}

/** axe on the page: no serious or critical violations (the label names the page in a failure). */
export async function expectNoSeriousAxeViolations(page: Page, label: string) {
  const violations = await axeSerious(page);
  expect({ page: label, violations }).toEqual({ page: label, violations: [] });
}

/** Logs in through the login form as a person would; waits for the case list it lands on. */
export async function loginInBrowser(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-Mail').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await Promise.all([page.waitForURL(`${baseUrl}/faelle`), page.getByRole('button', { name: 'Anmelden' }).click()]);
}

/** Tabs from the top of the page until `target` has the focus (keyboard reachability); fails after `max` tabs. */
export async function tabTo(p: Page, target: Locator, max = 150) {
  await p.locator('body').focus();
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error('not reachable by keyboard');
}

/** The id of the element that has the focus ('' if it has none). */
export const focusedId = (p: Page) => p.evaluate(() => document.activeElement?.id ?? '');
