import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, screenshot, type TestBrowser } from './browser.ts';

/**
 * Registry prefill, an officer's lookup and the "who looked at my data" page in Chromium on a
 * 360 px phone with scripts off: consent, read-only verified values, the lookup form with its
 * required purpose, and the citizen's log. Every page passes axe and fits the screen.
 */
vi.setConfig({ testTimeout: 120_000 });

const PASSWORD = 'Demo@2026pass';
let t: TestApp;
let citizen: TestBrowser;
let clerk: TestBrowser;

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  [citizen, clerk] = await Promise.all([launchBrowser({ javaScriptEnabled: false }), launchBrowser({ javaScriptEnabled: false })]);
});
afterAll(async () => {
  await Promise.all([citizen?.close(), clerk?.close()]);
  await t?.close();
});

async function check(page: Page, name: string): Promise<void> {
  await expectNoAxeViolations(page);
  const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${page.url()} is ${String(overflow)} px wider than the screen`).toBeLessThanOrEqual(0);
  await screenshot(page, `registry-${name}`);
}

async function follow(page: Page, target: Locator) {
  const [res] = await Promise.all([page.waitForNavigation(), target.click()]);
  return res;
}

async function signIn(page: Page, login: string): Promise<void> {
  await page.goto(`${t.url}/login`);
  await page.getByLabel('Số điện thoại hoặc email').fill(login);
  await page.getByLabel('Mật khẩu').fill(PASSWORD);
  await follow(page, page.getByRole('button', { name: 'Đăng nhập' }));
}

describe('the population registry in the browser', () => {
  it('prefills with consent, lets the holding agency look up with a purpose, and shows the citizen every lookup', async () => {
    const page = citizen.page;
    await signIn(page, '0912345678');
    await page.goto(`${t.url}/procedures/1.001193/apply/applicant`);
    await check(page, 'consent');

    // Without the tick nothing is fetched, and the error links to the box.
    let res = await follow(page, page.getByRole('button', { name: 'Lấy thông tin đã xác thực' }));
    expect(res?.status()).toBe(400);
    await check(page, 'consent-error');
    await page.getByLabel('Tôi đồng ý chia sẻ các thông tin trên cho mục đích giải quyết thủ tục này.').check();
    res = await follow(page, page.getByRole('button', { name: 'Lấy thông tin đã xác thực' }));
    expect(res?.status()).toBe(200);
    const name = page.getByRole('textbox', { name: /Họ và tên/ });
    expect(await name.inputValue()).toBe('Nguyễn Văn An');
    expect(await name.getAttribute('readonly')).not.toBeNull();
    await expect(page.locator('main').getByText('Đã xác thực').first().isVisible()).resolves.toBe(true);
    await check(page, 'verified');

    await page.getByLabel('Số điện thoại').fill('0912345678');
    await follow(page, page.getByRole('button', { name: 'Tiếp tục' }));
    await page.getByLabel('Cơ quan tiếp nhận').selectOption('000.00.61.H26');
    await page.locator('textarea[name="form.requestContent"]').fill('Đăng ký khai sinh cho con');
    await follow(page, page.getByRole('button', { name: 'Tiếp tục' }));
    await follow(page, page.getByRole('button', { name: 'Tiếp tục' }));
    await check(page, 'check');
    await follow(page, page.getByRole('button', { name: 'Nộp hồ sơ' }));
    const code = (await page.locator('main strong.code').first().innerText()).trim();
    expect(code).toMatch(/^000\.00\.61\.H26-/);

    // The clerk of phường Ba Đình looks the applicant up, stating why.
    await signIn(clerk.page, 'motcua.badinh@hanoi.gov.vn');
    await clerk.page.goto(`${t.url}/backoffice/dossiers/${code}`);
    await clerk.page.getByText('Tra cứu dân cư').first().click();
    await check(clerk.page, 'officer-dossier');
    res = await follow(clerk.page, clerk.page.getByRole('button', { name: 'Tra cứu' }));
    expect(res?.status()).toBe(400);
    await check(clerk.page, 'lookup-error');
    await clerk.page.getByLabel('Mục đích tra cứu').fill('Đối chiếu nơi thường trú trước khi tiếp nhận');
    res = await follow(clerk.page, clerk.page.getByRole('button', { name: 'Tra cứu' }));
    expect(res?.status()).toBe(200);
    await expect(clerk.page.locator('main').innerText()).resolves.toContain('Nguyễn Minh Khôi');
    await check(clerk.page, 'lookup-result');

    // The citizen sees both reads of their data, from the account page.
    await page.goto(`${t.url}/account`);
    await follow(page, page.getByRole('link', { name: 'Ai đã xem dữ liệu của tôi' }));
    const log = await page.locator('main .result-list').innerText();
    expect(log).toContain('Đối chiếu nơi thường trú trước khi tiếp nhận');
    expect(log).toContain('Hoàng Minh Tuấn');
    expect(log).toContain('Bạn (đồng ý điền sẵn)');
    await check(page, 'data-access');
  });
});
