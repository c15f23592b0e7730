/**
 * Browser-test helpers: playwright-core driving Debian's Chromium (apt `chromium`, installed
 * by .ci/run), axe-core accessibility checks, and screenshots for humans to look at.
 *
 *   const browser = await launchBrowser({ javaScriptEnabled: false });
 *   try {
 *     await browser.page.goto(url);
 *     await expectNoAxeViolations(browser.page);
 *   } finally {
 *     await browser.close();
 *   }
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, chromium, type Locator, type Page, type Response } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium; EGOV_CHROMIUM overrides it (e.g. another distribution's path). */
export const chromiumPath = process.env.EGOV_CHROMIUM ?? '/usr/bin/chromium';

/** True when the browser is there: use with `describe.skipIf(!hasChromium)` only for local runs. */
export const hasChromium = existsSync(chromiumPath);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

export interface LaunchOptions {
  /** false = a browser with scripts off, as many cheap phones and careful users have. */
  javaScriptEnabled?: boolean;
  /** Default 360×740, a common small Android phone. */
  viewport?: { width: number; height: number };
  /** Default vi-VN (Accept-Language and navigator.language). */
  locale?: string;
}

/**
 * Profiles still open. A test that times out never reaches its close(): Playwright kills the
 * browser when the worker exits, and this removes the profile directory then.
 */
const openProfiles = new Set<string>();
process.once('exit', () => {
  for (const dir of openProfiles) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: the worker is exiting
    }
  }
});

/** Contexts launched with scripts off: axe needs a timer shim there (see expectNoAxeViolations). */
const scriptlessContexts = new WeakSet<BrowserContext>();

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

const chromiumArgs = [
  '--no-sandbox', // CI runs as root, where Chromium's sandbox cannot start
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Containers often have a 64 MB /dev/shm; Debian's launcher means to add this flag then but
  // its size check is unreliable, so always use /tmp for shared memory.
  '--disable-dev-shm-usage',
];

/**
 * A fresh Chromium with its own throw-away profile (a persistent context: Playwright rejects
 * `--user-data-dir` in args). Always `close()` it, in a finally or afterAll.
 */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<TestBrowser> {
  if (!hasChromium) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: apt-get install -y --no-install-recommends chromium fonts-noto-core (or set EGOV_CHROMIUM)`,
    );
  }
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'egov-chromium-'));
  openProfiles.add(profileDir);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      javaScriptEnabled: opts.javaScriptEnabled ?? true,
      viewport: opts.viewport ?? { width: 360, height: 740 },
      locale: opts.locale ?? 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
  } catch (err) {
    openProfiles.delete(profileDir);
    rmSync(profileDir, { recursive: true, force: true });
    throw err;
  }
  if (opts.javaScriptEnabled === false) scriptlessContexts.add(context);
  // A persistent context opens with one blank page; use it rather than a second window.
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        openProfiles.delete(profileDir);
        rmSync(profileDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
      }
    },
  };
}

/** The WCAG levels the platform promises: 2.0, 2.1 and 2.2, A and AA. */
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core on the page as it is now and throws one Error listing every violation
 * (rule id, impact, help text, and the selector and HTML of each offending element).
 *
 * Works on pages opened with `javaScriptEnabled: false` too. There Chromium still lets
 * Playwright evaluate code, and runs promise jobs, but never fires setTimeout, queueMicrotask
 * or MutationObserver callbacks, on which axe depends: so axe runs in legacy mode (in the page
 * itself, no extra tab) after a small setTimeout shim whose due timers Node fires by polling.
 * The page's own scripts stay off.
 */
export async function expectNoAxeViolations(page: Page, opts: { disableRules?: string[] } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(axeTags);
  if (opts.disableRules?.length) builder = builder.disableRules(opts.disableRules);
  const scriptless = scriptlessContexts.has(page.context());
  const results = scriptless ? await withShimmedTimers(page, () => builder.setLegacyMode(true).analyze()) : await builder.analyze();
  if (results.violations.length === 0) return;
  const lines = results.violations.map((v) => {
    const targets = v.nodes
      .map((n) => `      ${n.target.map(String).join(' > ')}  ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`)
      .join('\n');
    return `  ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n    ${v.helpUrl}\n${targets}`;
  });
  throw new Error(`${results.violations.length} accessibility violation(s) on ${page.url()}:\n${lines.join('\n')}`);
}

/** Replaces the page's setTimeout/clearTimeout by a queue that `__egovRunTimers()` drains. */
function installTimerShim(): void {
  type Timer = { at: number; fn: unknown; args: unknown[] };
  const w = window as unknown as Record<string, unknown>;
  if (typeof w.__egovRunTimers === 'function') return;
  const timers = new Map<number, Timer>();
  let nextId = 1;
  const run = (): void => {
    const now = Date.now();
    for (const [id, t] of timers) {
      if (t.at > now) continue;
      timers.delete(id);
      try {
        if (typeof t.fn === 'function') t.fn(...t.args);
      } catch (err) {
        console.error(err);
      }
    }
  };
  w.__egovRunTimers = run;
  w.setTimeout = (fn: unknown, ms?: number, ...args: unknown[]): number => {
    const id = nextId++;
    const delay = Number(ms) || 0;
    timers.set(id, { at: Date.now() + delay, fn, args });
    // Promise jobs still run with scripts off: zero-delay timers need no polling.
    if (delay <= 0) void Promise.resolve().then(run);
    return id;
  };
  w.clearTimeout = (id: number): void => {
    timers.delete(id);
  };
}

async function withShimmedTimers<T>(page: Page, fn: () => Promise<T>): Promise<T> {
  await page.evaluate(installTimerShim);
  let busy = false;
  const tick = setInterval(() => {
    if (busy) return;
    busy = true;
    page
      .evaluate('typeof window.__egovRunTimers === "function" && window.__egovRunTimers()')
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, 25);
  try {
    return await fn();
  } finally {
    clearInterval(tick);
  }
}

/**
 * Saves a full-page PNG as test-results/screenshots/<name>.png (gitignored) and returns its
 * path. Names are reduced to [A-Za-z0-9._-].
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const safe = name.replace(/\.png$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'page';
  const file = path.join(screenshotDir, `${safe}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Clicks a link or button and waits for the page it leads to (after any redirect). */
export async function follow(page: Page, target: Locator): Promise<Response | null> {
  const [res] = await Promise.all([page.waitForNavigation(), target.click()]);
  return res;
}

/** Axe finds nothing on the page, and nothing makes the (360 px) screen scroll sideways. */
export async function expectFitsThePhone(page: Page): Promise<void> {
  await expectNoAxeViolations(page);
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${page.url()} is ${String(overflow)} px wider than the screen`).toBeLessThanOrEqual(0);
}

/** Signs in through the portal's login form, as a person would. */
export async function signInPage(page: Page, baseUrl: string, login: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Số điện thoại hoặc email').fill(login);
  await page.getByLabel('Mật khẩu').fill(password);
  await follow(page, page.getByRole('button', { name: 'Đăng nhập' }));
}

export const mainOf = (page: Page) => page.getByRole('main');

/**
 * Applies for a procedure on the portal's pages as the signed-in citizen (applicant, request,
 * papers, check, submit) and returns the dossier code from the confirmation page.
 */
export async function applyOnThePages(page: Page, baseUrl: string, o: { procedure: string; agency: string; address: string; request: string }): Promise<string> {
  await page.goto(`${baseUrl}/procedures/${o.procedure}/apply/applicant`);
  await page.getByLabel('Địa chỉ').fill(o.address);
  await follow(page, page.getByRole('button', { name: 'Tiếp tục' }));
  await page.getByLabel('Cơ quan tiếp nhận').selectOption(o.agency);
  await page.getByLabel('Nội dung yêu cầu giải quyết').fill(o.request);
  await follow(page, page.getByRole('button', { name: 'Tiếp tục' }));
  await follow(page, page.getByRole('button', { name: 'Tiếp tục' }));
  await follow(page, page.getByRole('button', { name: 'Nộp hồ sơ' }));
  expect(page.url()).toMatch(/\/apply\/done\?code=/);
  return (await mainOf(page).locator('strong.code').first().innerText()).trim();
}
