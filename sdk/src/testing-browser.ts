/**
 * Browser-test harness: Debian's Chromium driven by playwright-core (no browser is ever downloaded).
 *
 * - `CHROMIUM_PATH` names the browser binary (default /usr/bin/chromium).
 * - `SMILE_SKIP_BROWSER=1` skips the browser suites.
 * - Without Chromium they are skipped with a message on a developer machine, and fail in CI
 *   (`CI=true`, where .ci/run installs it) or with `SMILE_REQUIRE_BROWSER=1`.
 *
 * Import it from `@smile/sdk/testing/browser` (it needs `playwright-core` and `axe-core`, installed by
 * the project that runs the tests). Usage, in a `describe`: `const b = useBrowser();` then `await b.newPage({ width, height, locale })`.
 * One browser per test file (launched in `before`, closed in `after`); one context per page.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where screenshots go: `SMILE_SCREENSHOT_DIR`, else `test-results/screenshots` under the working directory (listed by CI). */
export const SCREENSHOT_DIR = path.resolve(process.env.SMILE_SCREENSHOT_DIR ?? path.join('test-results', 'screenshots'));

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

const required = () => process.env.CI === 'true' || process.env.SMILE_REQUIRE_BROWSER === '1';
let warned = false;

export const skipBrowser = (): boolean => {
  if (process.env.SMILE_SKIP_BROWSER === '1') return true;
  if (existsSync(chromiumPath()) || required()) return false;
  if (!warned) {
    warned = true;
    process.stderr.write(`Browser tests skipped: Chromium not found at ${chromiumPath()} (apt-get install chromium, or set CHROMIUM_PATH).\n`);
  }
  return true;
};

/** Launch Chromium, or throw an error that says how to install it. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: the browser tests need it. ` +
        'Install it with `apt-get install chromium` (or set CHROMIUM_PATH to a Chromium binary); ' +
        'set SMILE_SKIP_BROWSER=1 to skip the browser tests.',
    );
  }
  // chromium.launch starts the browser with a new, empty, temporary user-data-dir and removes it at close()
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}

export interface PageOptions {
  width?: number;
  height?: number;
  /** BCP 47 locale: sets navigator.language and the Accept-Language header (default fr-FR). */
  locale?: string;
}

export interface BrowserHandle {
  readonly browser: Browser;
  /** A page in a new context (own cookies), closed with the browser or by `page.context().close()`. */
  newPage(opts?: PageOptions): Promise<Page>;
}

/**
 * Register mocha hooks launching one browser for the enclosing suite; skip the suite when
 * SMILE_SKIP_BROWSER=1. Call before registering other `before` hooks that need the browser.
 */
export function useBrowser(): BrowserHandle {
  let browser: Browser | undefined;
  before(async function () {
    if (skipBrowser()) return this.skip();
    this.timeout(60_000);
    browser = await launchBrowser();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    browser = undefined;
  });
  return {
    get browser() {
      if (!browser) throw new Error('the browser is not running (useBrowser() hooks not run)');
      return browser;
    },
    async newPage({ width = 1280, height = 800, locale = 'fr-FR' }: PageOptions = {}) {
      if (!browser) throw new Error('the browser is not running (useBrowser() hooks not run)');
      const ctx = await browser.newContext({ viewport: { width, height }, locale, reducedMotion: 'reduce' });
      ctx.setDefaultTimeout(10_000);
      return ctx.newPage();
    },
  };
}

/** Save a full-page PNG under test-results/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

export interface AxeViolation {
  id: string;
  impact?: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

let axeSource: string | undefined;
const loadAxe = () => (axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

/** Inject axe-core and run it against WCAG 2.0/2.1 A and AA rules; returns every violation. */
export async function checkA11y(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: loadAxe() });
  return page.evaluate(async () => {
    const axe = (window as any).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v: any) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n: any) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  });
}

/** Describe violations, one line each: impact, id, help and the first node targets. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const targets = v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ');
      const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
      return `  - [${v.impact}] ${v.id}: ${v.help} — ${targets}${more}`;
    })
    .join('\n');
}

/** Fail when axe finds serious or critical violations on the page, listing each of them. */
export async function expectNoSeriousA11yViolations(page: Page, label = page.url()): Promise<AxeViolation[]> {
  const all = await checkA11y(page);
  const bad = all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) throw new Error(`${bad.length} serious/critical accessibility violation(s) on ${label}:\n${formatViolations(bad)}`);
  return all;
}
