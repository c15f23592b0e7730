import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatDossierCode } from '../../src/modules/dossiers/code.ts';
import { type DossierEvent, project, statuses } from '../../src/modules/dossiers/lifecycle.ts';
import { ruleSetOn } from '../../src/modules/dossiers/service.ts';
import { involved } from '../../src/modules/dossiers/store.ts';
import { zonedInstant } from '../../src/platform/calendar/index.ts';
import { formatDateTime } from '../../src/platform/i18n/index.ts';
import { fold } from '../../src/platform/text/fold.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { loadTestCatalog } from '../helpers/catalog.ts';
import { testActor } from '../helpers/platform.ts';
import { expectNoAxeViolations, launchBrowser, screenshot, type TestBrowser } from './browser.ts';

/**
 * The one-stop shop in a real Chromium on a 360 px phone screen: citizens and officers, each
 * in their own browser and signed in through /login, take dossiers through their pages: an
 * online application to its result (with and without JavaScript), a ward dossier handed to
 * the district and back, and a late dossier with an apology. Every page visited is checked
 * for horizontal overflow, and with axe (once per page state, see `check`).
 */
const PASSWORD = 'Demo@2026pass';
const CITIZEN = '0912345678';
const WARD = '000.01.01.H26';
const DISTRICT = '000.00.01.H26';
const PROCEDURE = '1.001193';
const CLERK = 'motcua.phucxa@test.vn';
const WARD_LEADER = 'lanhdao.phucxa@test.vn';
const WARD_SPECIALIST = 'chuyenvien.phucxa@test.vn';
const DISTRICT_LEADER = 'lanhdao.badinh@test.vn';
const SAMPLE_PDF = path.resolve(import.meta.dirname, '../fixtures/files/sample.pdf');

// A journey step visits up to a dozen pages, each checked by axe (about a second each on two
// busy cores): more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ listen: true, demo: false });
  await loadTestCatalog(t);
  await t.app.auth.service.ensureDemoAccounts();
  const admin = { id: 'system', kind: 'officer' as const, label: 'system', agencyCode: '000.00.00.H26', roles: ['city_admin' as const] };
  const officers = [
    { fullName: 'Hoàng Minh Tuấn', email: CLERK, agencyCode: WARD, roles: ['counter_clerk'] },
    { fullName: 'Đỗ Văn Lãnh', email: WARD_LEADER, agencyCode: WARD, roles: ['leader'] },
    { fullName: 'Vũ Thị Chuyên', email: WARD_SPECIALIST, agencyCode: WARD, roles: ['specialist'] },
    { fullName: 'Ngô Quận Trưởng', email: DISTRICT_LEADER, agencyCode: DISTRICT, roles: ['leader'] },
  ];
  for (const o of officers) {
    const r = await t.app.auth.service.createOfficer({ ...o, password: PASSWORD, passwordConfirm: PASSWORD } as never, admin as never, testActor);
    if (!r.ok) throw new Error(`officer ${o.email}: ${JSON.stringify(r.error)}`);
  }
});
afterAll(async () => {
  await Promise.all([withJs.close(), withoutJs.close()]);
  await t?.close();
});

/** Pages of the browsers with scripts off. */
const scriptless = new WeakSet<Page>();
/** The page states axe has passed, and the kinds of page it has passed with scripts off. */
const checkedStates = new Set<string>();
const checkedKindsWithoutJs = new Set<string>();

/**
 * What axe's verdict depends on, without the words: the page (path and title, codes blanked),
 * the inbox box, the sections, and which messages and tags are shown. Two visits with the same
 * state differ only in text such as codes, names and dates.
 */
function pageState(page: Page): Promise<{ kind: string; state: string }> {
  return page.evaluate(() => {
    const kind = `${location.pathname}|${document.title}`.replace(/\d/g, '0');
    const q = (selector: string) => (document.querySelector(selector) ? 1 : 0);
    const sections = [...document.querySelectorAll('main h2')].map((h) => h.textContent).join(',');
    const flags = [q('.error-summary'), q('main .notice'), q('main .late'), q('main tbody tr')].join('');
    return { kind, state: [kind, new URLSearchParams(location.search).get('box'), sections, flags].join('|') };
  });
}

/**
 * Axe finds nothing, and nothing makes a 360 px screen scroll sideways. Axe (about a second of
 * CPU a page, the bulk of this file's time) runs once per page state: revisiting a state, or
 * the same state in the other journey, is not checked again. With scripts off, where axe runs
 * through browser.ts's timer shim, it still runs once on every kind of page.
 */
async function check(page: Page): Promise<void> {
  const { kind, state } = await pageState(page);
  const withoutJs = scriptless.has(page);
  if (!checkedStates.has(state) || (withoutJs && !checkedKindsWithoutJs.has(kind))) {
    await expectNoAxeViolations(page);
    checkedStates.add(state);
    if (withoutJs) checkedKindsWithoutJs.add(kind);
  }
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${page.url()} is ${String(overflow)} px wider than the screen`).toBeLessThanOrEqual(0);
}

async function open(page: Page, url: string): Promise<Response | null> {
  const res = await page.goto(`${t.url}${url}`);
  await check(page);
  return res;
}

/** Clicks a button or link and waits for the page it leads to (after any redirect). */
async function follow(page: Page, target: Locator): Promise<Response | null> {
  const [res] = await Promise.all([page.waitForNavigation(), target.click()]);
  return res;
}

const main = (page: Page) => page.getByRole('main');
/** The form of one action on the officer's dossier page (a section labelled by its heading). */
const actionPanel = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const flash = (page: Page) => page.locator('main .notice.ok').innerText();
const statusOf = (page: Page) => page.locator('main .status').first().innerText();
/** An instant as the (Vietnamese) pages print it. */
const shown = (iso: string) => formatDateTime(iso, 'vi', t.app.config.timeZone);
const fact = (page: Page, label: string) => page.locator('main dl.facts > div', { has: page.getByText(label, { exact: true }) }).locator('dd').innerText();

/** Runs one action form (fields filled by `fill`) and expects the “done” notice. */
async function act(page: Page, action: string, fill: (panel: Locator) => Promise<unknown> = async () => {}): Promise<void> {
  const panel = actionPanel(page, action);
  await fill(panel);
  const res = await follow(page, panel.getByRole('button', { name: action, exact: true }));
  expect(res?.status(), `${action} on ${page.url()}`).toBe(200);
  expect(await flash(page)).toBe(`Đã thực hiện: ${action}.`);
  await check(page);
}

/** A notice linked from the page is a real PDF for whoever is signed in there. */
async function expectPdfLink(page: Page, name: string): Promise<void> {
  const href = await main(page).getByRole('link', { name, exact: true }).getAttribute('href');
  expect(href).toMatch(/\/notices\/[a-z-]+\.pdf$/);
  const res = await page.context().request.get(`${t.url}${href}`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('application/pdf');
  expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');
}

/** Each person in their own browser, signed in through the login form on first use. */
function people(js: boolean) {
  const browsers = new Map<string, TestBrowser>();
  return {
    async as(login: string): Promise<Page> {
      const known = browsers.get(login);
      if (known) return known.page;
      const b = await launchBrowser({ javaScriptEnabled: js });
      browsers.set(login, b);
      const { page } = b;
      if (!js) scriptless.add(page);
      await open(page, '/login');
      await page.getByLabel('Số điện thoại hoặc email').fill(login);
      await page.getByLabel('Mật khẩu').fill(PASSWORD);
      await follow(page, page.getByRole('button', { name: 'Đăng nhập' }));
      expect(new URL(page.url()).pathname).toMatch(login === CITIZEN ? /^\/account/ : /^\/backoffice/);
      return page;
    },
    async close(): Promise<void> {
      await Promise.all([...browsers.values()].map((b) => b.close()));
      browsers.clear();
    },
  };
}

/** Opens the dossier from an inbox box, checking it is listed there. */
async function fromInbox(page: Page, box: string, code: string): Promise<void> {
  await open(page, `/backoffice/inbox?box=${box}`);
  const link = main(page).getByRole('link', { name: code, exact: true });
  expect(await link.count(), `${code} in box ${box}`).toBe(1);
  await follow(page, link);
  expect(new URL(page.url()).pathname).toBe(`/backoffice/dossiers/${code}`);
  await check(page);
}

/** One browser per person and per mode, shared by the journeys below (closed in afterAll). */
const withJs = people(true);
const withoutJs = people(false);

describe.each([
  { js: true, label: 'with JavaScript' },
  { js: false, label: 'without JavaScript' },
])('an online dossier from application to result, $label', ({ js }) => {
  const cast = js ? withJs : withoutJs;
  let code = '';

  it('the citizen applies page by page, gets a code and a tracking key, and tracks it', async () => {
    const page = await cast.as(CITIZEN);
    await open(page, `/procedures/${PROCEDURE}`);
    await follow(page, main(page).getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }));
    expect(page.url()).toMatch(/\/apply\/applicant$/);
    await check(page);
    // Prefilled from the account.
    expect(await page.getByLabel('Họ và tên').inputValue()).toBe('Nguyễn Văn An');
    expect(await page.getByLabel('Số định danh cá nhân').inputValue()).toBe('001090012345');
    await page.getByLabel('Địa chỉ').fill('Số 1 Phúc Xá, Ba Đình, Hà Nội');
    await follow(page, page.getByRole('button', { name: 'Tiếp tục' }));
    expect(page.url()).toMatch(/\/apply\/request$/);
    await check(page);
    await page.getByLabel('Cơ quan tiếp nhận').selectOption(WARD);
    await page.getByLabel('Nội dung yêu cầu giải quyết').fill('Đăng ký khai sinh cho con Nguyễn Văn Bình');
    await follow(page, page.getByRole('button', { name: 'Tiếp tục' }));
    // One upload per paper the procedure asks for (the test catalog asks for “Tờ khai”).
    expect(page.url()).toMatch(/\/apply\/papers$/);
    await check(page);
    await page.getByLabel('Tờ khai').setInputFiles(SAMPLE_PDF);
    await follow(page, page.getByRole('button', { name: 'Tiếp tục' }));
    expect(page.url()).toMatch(/\/apply\/check$/);
    await check(page);
    const answers = await main(page).locator('dl.facts').innerText();
    expect(answers).toContain('Số 1 Phúc Xá, Ba Đình, Hà Nội');
    expect(answers).toContain('Ủy ban nhân dân phường Phúc Xá');
    expect(answers).toContain('Đăng ký khai sinh cho con Nguyễn Văn Bình');
    expect(answers).toContain('sample.pdf');
    await follow(page, page.getByRole('button', { name: 'Nộp hồ sơ' }));
    expect(page.url()).toMatch(/\/apply\/done\?code=/);
    await check(page);
    if (js) await screenshot(page, 'dossier-submitted-360');
    const codes = main(page).locator('strong.code');
    code = (await codes.nth(0).innerText()).trim();
    const secret = (await codes.nth(1).innerText()).trim();
    expect(code).toMatch(/^000\.01\.01\.H26-\d{6}-\d{4}$/);
    expect(secret).toMatch(/^[A-Z2-9]{6}$/);

    await follow(page, main(page).getByRole('link', { name: 'Tra cứu hồ sơ' }));
    await check(page);
    expect(await page.getByLabel('Mã hồ sơ').inputValue()).toBe(code);
    await page.getByLabel('Mã tra cứu', { exact: false }).fill(secret);
    await follow(page, main(page).getByRole('button', { name: 'Tra cứu' }));
    await check(page);
    const result = await main(page).getByRole('region', { name: code }).innerText();
    expect(result).toContain('Mới đăng ký');
    expect(result).toContain('Nộp hồ sơ');
  });

  it('the counter cannot refuse without a reason, asks for a paper once; another agency sees no such dossier', async () => {
    const clerk = await cast.as(CLERK);
    await fromInbox(clerk, 'new', code);
    if (js) await screenshot(clerk, 'officer-dossier-360');
    expect(await statusOf(clerk)).toBe('Mới đăng ký');
    // The uploaded paper is there for the counter to open.
    const paper = await clerk.context().request.get(`${t.url}${await main(clerk).getByRole('link', { name: 'sample.pdf' }).getAttribute('href')}`);
    expect(paper.status()).toBe(200);
    expect((await paper.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // Refusing is drawn as a warning (red) button, unlike the other actions.
    const background = (name: string) => clerk.getByRole('button', { name }).evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(await background('Từ chối tiếp nhận')).toBe('rgb(164, 22, 26)');
    expect(await background('Tiếp nhận hồ sơ')).not.toBe('rgb(164, 22, 26)');

    const refuse = actionPanel(clerk, 'Từ chối tiếp nhận');
    const refused = await follow(clerk, refuse.getByRole('button', { name: 'Từ chối tiếp nhận' }));
    expect(refused?.status()).toBe(400);
    await check(clerk);
    const summary = clerk.locator('.error-summary');
    expect(await summary.count()).toBe(1);
    const link = summary.getByRole('link');
    expect(await link.count()).toBe(1);
    const reason = refuse.getByLabel('Lý do');
    expect(await link.getAttribute('href')).toBe(`#${await reason.getAttribute('id')}`);
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    // With scripts, the summary takes focus so a screen reader reads it first.
    if (js) expect(await clerk.evaluate('document.activeElement?.className')).toBe('error-summary');
    await link.click();
    await expect.poll(() => clerk.evaluate('document.activeElement?.id')).toBe(await reason.getAttribute('id'));
    expect(await statusOf(clerk)).toBe('Mới đăng ký');

    await act(clerk, 'Yêu cầu bổ sung', (p) => p.getByLabel('Giấy tờ cần bổ sung', { exact: false }).fill('Giấy chứng sinh | Bản chụp bị mờ, không đọc được'));
    expect(await statusOf(clerk)).toBe('Chờ bổ sung hồ sơ');
    expect(await main(clerk).locator('section.panel').count()).toBe(0);
    await expectPdfLink(clerk, 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ');

    const district = await cast.as(DISTRICT_LEADER);
    const foreign = await open(district, `/backoffice/dossiers/${code}`);
    expect(foreign?.status()).toBe(404);
    expect(await main(district).innerText()).toContain('Không tìm thấy hồ sơ.');
  });

  it('the citizen sees what is missing and supplies it', async () => {
    const page = await cast.as(CITIZEN);
    await open(page, '/my/dossiers');
    await follow(page, main(page).getByRole('link', { name: code, exact: true }));
    await check(page);
    expect(await statusOf(page)).toBe('Chờ bổ sung hồ sơ');
    const panel = main(page).locator('section.panel');
    expect(await panel.innerText()).toContain('Giấy chứng sinh: Bản chụp bị mờ, không đọc được');
    await expectPdfLink(page, 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ');
    await panel.getByLabel('Ghi chú').fill('Đã mang bản chính giấy chứng sinh đến Bộ phận một cửa');
    await follow(page, panel.getByRole('button', { name: 'Gửi bổ sung' }));
    await check(page);
    expect(await flash(page)).toBe('Đã thực hiện: Gửi bổ sung.');
    expect(await statusOf(page)).toBe('Mới đăng ký');
    expect(await main(page).locator('section.panel').count()).toBe(0);
  });

  it('the counter is not offered a second request at intake, and receives the dossier', async () => {
    const clerk = await cast.as(CLERK);
    await fromInbox(clerk, 'new', code);
    expect(await clerk.getByRole('button', { name: 'Yêu cầu bổ sung' }).count()).toBe(0);
    expect(await actionPanel(clerk, 'Yêu cầu bổ sung').count()).toBe(0);
    expect(await clerk.getByRole('button', { name: 'Từ chối tiếp nhận' }).count()).toBe(1);
    await act(clerk, 'Tiếp nhận hồ sơ');
    expect(await statusOf(clerk)).toBe('Đã tiếp nhận');
    const row = (await t.app.dossiers.service.store.load({ code }))?.row;
    expect(row?.due_at).toBeTruthy();
    expect(await fact(clerk, 'Hạn trả')).toBe(shown(row?.due_at ?? ''));
    await expectPdfLink(clerk, 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
  });

  it('the leader assigns, the specialist sends it for approval, the leader grants it, the counter hands it over', async () => {
    const leader = await cast.as(WARD_LEADER);
    await fromInbox(leader, 'to-assign', code);
    await act(leader, 'Phân công', (p) => p.getByLabel('Chuyên viên xử lý').selectOption({ label: 'Vũ Thị Chuyên' }));
    expect(await statusOf(leader)).toBe('Đang xử lý');
    expect(await fact(leader, 'Cơ quan đang xử lý')).toBe('Ủy ban nhân dân phường Phúc Xá – Vũ Thị Chuyên');

    const specialist = await cast.as(WARD_SPECIALIST);
    await fromInbox(specialist, 'mine', code);
    await act(specialist, 'Trình phê duyệt', (p) => p.getByLabel('Ghi chú').fill('Hồ sơ đầy đủ, đề nghị cấp'));

    await fromInbox(leader, 'approval', code);
    if (js) await screenshot(leader, 'officer-dossier-approval-360');
    await act(leader, 'Phê duyệt', async (p) => {
      await p.getByLabel('Giải quyết (cấp kết quả)').check();
      await p.getByLabel('Nội dung kết quả').fill('Cấp Giấy khai sinh số 123/2026');
    });
    expect(await statusOf(leader)).toBe('Đã có kết quả');

    const clerk = await cast.as(CLERK);
    await fromInbox(clerk, 'results', code);
    await act(clerk, 'Trả kết quả', (p) => p.getByLabel('Trực tuyến').check());
    expect(await statusOf(clerk)).toBe('Đã trả kết quả');
    expect(await main(clerk).locator('section.panel').count()).toBe(0);
  });

  it('the citizen sees the result and the whole history', async () => {
    const page = await cast.as(CITIZEN);
    await open(page, '/my/dossiers');
    const row = main(page).locator('li', { has: page.getByRole('link', { name: code, exact: true }) });
    expect(await row.innerText()).toContain('Đã trả kết quả');
    await follow(page, row.getByRole('link', { name: code, exact: true }));
    await check(page);
    expect(await statusOf(page)).toBe('Đã trả kết quả');
    expect(await fact(page, 'Quyết định')).toBe('Được giải quyết');
    const history = await main(page).locator('table tbody tr td:nth-child(2) strong').allInnerTexts();
    expect(history).toEqual([
      'Nộp hồ sơ',
      'Yêu cầu bổ sung hồ sơ',
      'Đã bổ sung hồ sơ',
      'Tiếp nhận hồ sơ',
      'Phân công xử lý',
      'Trình lãnh đạo phê duyệt',
      'Phê duyệt kết quả',
      'Trả kết quả',
    ]);
    expect(await main(page).locator('table').innerText()).toContain('Được giải quyết: Cấp Giấy khai sinh số 123/2026');
    expect(await main(page).getByRole('link', { name: 'sample.pdf' }).count()).toBe(1);
  });
});

describe('a ward dossier handed to the district and back', () => {
  const cast = withJs;
  let code = '';

  it('the counter registers a postal dossier, fixing what the form reports, and receives it', async () => {
    const clerk = await cast.as(CLERK);
    await open(clerk, '/backoffice/inbox');
    await follow(clerk, main(clerk).getByRole('link', { name: 'Tiếp nhận hồ sơ trực tiếp / bưu chính' }));
    expect(new URL(clerk.url()).pathname).toBe('/backoffice/dossiers/new');
    await check(clerk);
    // First the procedure, then its form.
    await clerk.getByLabel('Mã thủ tục').fill(PROCEDURE);
    await follow(clerk, main(clerk).getByRole('button', { name: 'Tiếp tục' }));
    await check(clerk);
    expect(await main(clerk).locator('.lead').innerText()).toBe('Thủ tục đăng ký khai sinh');
    await clerk.getByLabel('Bưu chính').check();
    await clerk.getByLabel('Họ và tên').fill('Trần Thị Bưu');
    await clerk.getByLabel('Số định danh cá nhân').fill('0011900');
    await clerk.getByLabel('Địa chỉ').fill('Số 5 Phúc Xá, Ba Đình, Hà Nội');
    await clerk.getByLabel('Nội dung yêu cầu giải quyết').fill('Đăng ký khai sinh (hồ sơ gửi qua bưu chính)');
    const bad = await follow(clerk, main(clerk).getByRole('button', { name: 'Tiếp nhận hồ sơ' }));
    expect(bad?.status()).toBe(400);
    await check(clerk);
    const link = clerk.locator('.error-summary').getByRole('link');
    expect(await link.count()).toBe(1);
    expect(await link.getAttribute('href')).toBe(`#${await clerk.getByLabel('Số định danh cá nhân').getAttribute('id')}`);
    // What was typed is kept.
    expect(await clerk.getByLabel('Bưu chính').isChecked()).toBe(true);
    expect(await clerk.getByLabel('Họ và tên').inputValue()).toBe('Trần Thị Bưu');
    await clerk.getByLabel('Số định danh cá nhân').fill('001190012346');
    await follow(clerk, main(clerk).getByRole('button', { name: 'Tiếp nhận hồ sơ' }));
    code = decodeURIComponent(new URL(clerk.url()).pathname.split('/').pop() ?? '');
    expect(code).toMatch(/^000\.01\.01\.H26-\d{6}-\d{4}$/);
    await check(clerk);
    expect(await main(clerk).locator('table').innerText()).toContain('Nộp hồ sơ');
    await act(clerk, 'Tiếp nhận hồ sơ');
  });

  it('the ward specialist hands it to the district; the ward can still read it but not act', async () => {
    const leader = await cast.as(WARD_LEADER);
    await fromInbox(leader, 'to-assign', code);
    await act(leader, 'Phân công', (p) => p.getByLabel('Chuyên viên xử lý').selectOption({ label: 'Vũ Thị Chuyên' }));
    const specialist = await cast.as(WARD_SPECIALIST);
    await fromInbox(specialist, 'mine', code);
    await act(specialist, 'Chuyển cơ quan khác', async (p) => {
      await p.getByLabel('Mã cơ quan nhận').fill(DISTRICT);
      await p.getByLabel('Ghi chú').fill('Xin ý kiến Ủy ban nhân dân quận');
    });
    expect(await fact(specialist, 'Cơ quan đang xử lý')).toBe('Ủy ban nhân dân quận Ba Đình');
    expect(await main(specialist).locator('section.panel').count()).toBe(0);
  });

  it('the district leader finds it in “Chờ phân công” and hands it back', async () => {
    const district = await cast.as(DISTRICT_LEADER);
    await open(district, '/backoffice/inbox');
    await follow(district, main(district).getByRole('link', { name: 'Chờ phân công' }));
    expect(await main(district).getByRole('link', { name: 'Chờ phân công' }).getAttribute('aria-current')).toBe('page');
    await check(district);
    await follow(district, main(district).getByRole('link', { name: code, exact: true }));
    await check(district);
    expect(await main(district).locator('table').innerText()).toContain('Xin ý kiến Ủy ban nhân dân quận');
    await act(district, 'Chuyển cơ quan khác', async (p) => {
      await p.getByLabel('Mã cơ quan nhận').fill(WARD);
      await p.getByLabel('Ghi chú').fill('Đồng ý, trả phường giải quyết');
    });
    expect(await fact(district, 'Cơ quan đang xử lý')).toBe('Ủy ban nhân dân phường Phúc Xá');
    expect(await main(district).locator('section.panel').count()).toBe(0);

    const leader = await cast.as(WARD_LEADER);
    await fromInbox(leader, 'to-assign', code);
    const rows = await main(leader).locator('table tbody tr', { hasText: 'Chuyển hồ sơ' }).allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Ủy ban nhân dân quận Ba Đình');
    expect(rows[1]).toContain('Ủy ban nhân dân phường Phúc Xá');
    expect(rows[1]).toContain('Ngô Quận Trưởng');
    expect(await actionPanel(leader, 'Phân công').count()).toBe(1);
  });
});

/** YYMMDD of an instant in the city's time zone (the day part of a dossier code). */
function localDay(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: t.app.config.timeZone, year: '2-digit', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}`;
}

/**
 * A dossier of the demo citizen submitted and received three weeks ago, so that it is truly
 * late now. The server reads the real clock, so the history is written as it would have been
 * then: the same `submitted` and `received` events the service appends, back-dated, with the
 * due date the working-day calendar gives, and the row projected from them by `project()`.
 */
async function seedLateDossier(): Promise<{ code: string; dueAt: string }> {
  const service = t.app.dossiers.service;
  const db = service.store.db;
  const citizen = await db.selectFrom('accounts').select(['id', 'full_name']).where('phone', '=', CITIZEN).executeTakeFirstOrThrow();
  const clerk = await db.selectFrom('accounts').select(['id', 'full_name']).where('email', '=', CLERK).executeTakeFirstOrThrow();
  const procedure = await t.app.catalog.service.getProcedure(PROCEDURE);
  if (!procedure) throw new Error(`no procedure ${PROCEDURE}`);
  const submittedAt = new Date(Date.now() - 21 * 86_400_000);
  const receivedAt = new Date(submittedAt.getTime() + 20 * 60_000);
  const workingDays = procedure.body.processingDays;
  const { dueAt } = await t.app.calendar.dueDate({ receivedAt, workingDays });
  const events: DossierEvent[] = [
    { seq: 1, at: submittedAt.toISOString(), actorId: citizen.id, actorLabel: citizen.full_name, actorAgency: null, reason: null, data: { type: 'submitted', channel: 'online', receivingAgency: WARD } },
    { seq: 2, at: receivedAt.toISOString(), actorId: clerk.id, actorLabel: clerk.full_name, actorAgency: WARD, reason: null, data: { type: 'received', dueAt: dueAt.toISOString(), workingDays } },
  ];
  const s = project(events);
  const applicant = { fullName: citizen.full_name, personalId: '001090012345', phone: CITIZEN, email: 'citizen@example.vn', address: 'Số 1 Phúc Xá, Ba Đình, Hà Nội' };
  const id = randomUUID();
  const day = localDay(submittedAt);
  const code = await service.store.transaction(async (trx) => {
    const code = formatDossierCode(undefined, { agency: WARD, day, seq: await service.store.nextSequence(trx, WARD, day) });
    await service.store.insertDossier(trx, {
      id,
      code,
      tracking_secret: 'LATE23',
      procedure_code: procedure.code,
      procedure_version: procedure.version,
      procedure_name: procedure.body.name,
      rule_set: ruleSetOn(submittedAt.toISOString()),
      channel: 'online',
      receiving_agency: WARD,
      holder_agency: s.holderAgency,
      holder_role: s.holderRole,
      assignee_id: s.assigneeId,
      stage: s.stage,
      status: s.status,
      national_status: statuses[s.status],
      applicant_account_id: citizen.id,
      applicant_name: applicant.fullName,
      applicant_name_folded: fold(applicant.fullName),
      applicant_personal_id: applicant.personalId,
      applicant_phone: applicant.phone,
      applicant_email: applicant.email,
      form_json: JSON.stringify({ applicant, answers: { requestContent: 'Đăng ký khai sinh cho con Nguyễn Thị Chậm' } }),
      submitted_at: submittedAt.toISOString(),
      received_at: s.receivedAt,
      due_at: s.dueAt,
      paused_at: s.pausedAt,
      closed_at: s.closedAt,
      involved_agencies: involved(s.involvedAgencies),
      event_count: events.length,
      updated_at: receivedAt.toISOString(),
    });
    for (const e of events) await service.store.appendEvent(trx, id, e);
    return code;
  });
  return { code, dueAt: dueAt.toISOString() };
}

describe('a late dossier: the leader apologises with a new date', () => {
  const cast = withJs;
  let code = '';
  const newDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(Date.now() + 10 * 86_400_000));
  /** The promise is the end of office hours that day, as the pages print it. */
  const newDue = () => shown(zonedInstant(newDate, t.app.calendar.officeHours.end, t.app.config.timeZone).toISOString());

  it('the leader finds it in “Quá hạn”, must give a date and a reason, and apologises', async () => {
    const seeded = await seedLateDossier();
    code = seeded.code;
    expect(seeded.dueAt < new Date().toISOString()).toBe(true);
    const leader = await cast.as(WARD_LEADER);
    await open(leader, '/backoffice/inbox?box=late');
    const row = main(leader).locator('tbody tr', { hasText: code });
    expect(await row.count()).toBe(1);
    expect(await row.locator('.late').innerText()).toBe('Quá hạn');
    await fromInbox(leader, 'late', code);
    expect(await main(leader).locator('p .late').innerText()).toBe('Quá hạn');

    const apology = actionPanel(leader, 'Xin lỗi, hẹn lại ngày trả');
    const bad = await follow(leader, apology.getByRole('button', { name: 'Xin lỗi, hẹn lại ngày trả' }));
    expect(bad?.status()).toBe(400);
    await check(leader);
    // Each message in the summary links to its field, in the order the fields appear.
    const links = leader.locator('.error-summary').getByRole('link');
    expect(await links.count()).toBe(2);
    const ids = [await apology.getByLabel('Ngày hẹn trả mới').getAttribute('id'), await apology.getByLabel('Lý do').getAttribute('id')];
    expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(ids.map((id) => `#${id}`));
    for (const id of ids) expect(await leader.locator(`#${id}`).getAttribute('aria-invalid')).toBe('true');

    await act(leader, 'Xin lỗi, hẹn lại ngày trả', async (p) => {
      await p.getByLabel('Ngày hẹn trả mới').fill(newDate);
      await p.getByLabel('Lý do').fill('Cần xác minh thêm thông tin với cơ quan công an');
    });
    expect(await main(leader).locator('p .late').count()).toBe(0);
    expect(await fact(leader, 'Hạn trả')).toBe(newDue());
    await expectPdfLink(leader, 'Văn bản xin lỗi và hẹn lại ngày trả kết quả');
    await open(leader, '/backoffice/inbox?box=late');
    expect(await main(leader).locator('tbody tr', { hasText: code }).count()).toBe(0);
  });

  it('the citizen sees the apology in the history and can open the apology letter (PDF)', async () => {
    const page = await cast.as(CITIZEN);
    await open(page, `/my/dossiers/${code}`);
    const row = main(page).locator('table tbody tr', { hasText: 'Xin lỗi và hẹn lại ngày trả' });
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain('Cần xác minh thêm thông tin với cơ quan công an');
    expect(await fact(page, 'Hạn trả')).toBe(newDue());
    await expectPdfLink(page, 'Văn bản xin lỗi và hẹn lại ngày trả kết quả');
  });
});
