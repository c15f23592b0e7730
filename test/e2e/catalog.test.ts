import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../src/platform/auth/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, screenshot, type TestBrowser } from './browser.ts';

/** The citizen's catalog journey and the admin's catalog pages, in a real Chromium on the demo data. */
describe.each([
  { js: true, label: 'with JavaScript' },
  { js: false, label: 'without JavaScript' },
])('catalog in the browser, $label', ({ js }) => {
  let t: TestApp;
  let b: TestBrowser;
  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    b = await launchBrowser({ javaScriptEnabled: js });
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('searching without accents lands on “Đăng ký khai sinh” with everything needed to apply', async () => {
    const { page } = b;
    await page.goto(`${t.url}/`);
    await expectNoAxeViolations(page);
    if (js) await screenshot(page, 'home-360');
    await page.getByLabel('Bạn cần làm thủ tục gì?').fill('dang ky khai sinh');
    await page.getByRole('button', { name: 'Tìm kiếm' }).click();
    await page.waitForURL(/\/procedures\?q=/);
    await expectNoAxeViolations(page);
    const first = page.locator('.result-list li a').first();
    expect((await first.textContent())?.toLowerCase()).toContain('đăng ký khai sinh');
    await first.click();
    await page.waitForURL(/\/procedures\/[\d.]+$/);
    await expectNoAxeViolations(page);
    if (js) await screenshot(page, 'procedure-360');
    const text = await page.locator('main').innerText();
    for (const label of ['Cơ quan thực hiện', 'Mức độ dịch vụ công', 'Phí, lệ phí', 'Thời hạn giải quyết', 'Thành phần hồ sơ', 'Căn cứ pháp lý']) {
      expect(text).toContain(label);
    }
    expect(text).toMatch(/Luật Hộ tịch/);
    // Nothing overflows a 360 px screen.
    const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
    expect(overflow).toBe(false);
  });

  it('switches to English and back', async () => {
    const { page } = b;
    await page.goto(`${t.url}/procedures?q=ly%20lich%20tu%20phap`);
    await page.getByRole('link', { name: 'Chuyển sang tiếng Anh' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').innerText()).toBe('Find an administrative procedure');
    await expectNoAxeViolations(page);
    await page.getByRole('link', { name: 'Switch to Vietnamese' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('vi');
  });

  it('browses a domain and the API docs page, and shows a helpful 404', async () => {
    const { page } = b;
    await page.goto(`${t.url}/`);
    await page.locator('.cards a').first().click();
    await page.waitForURL(/\/domains\//);
    expect(await page.locator('.result-list li').count()).toBeGreaterThan(0);
    await expectNoAxeViolations(page);
    await page.goto(`${t.url}/api/docs`);
    expect(await page.locator('main').innerText()).toContain('searchProcedures');
    await expectNoAxeViolations(page);
    const res = await page.goto(`${t.url}/procedures/9.999999`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('main').innerText()).toContain('Không tìm thấy thủ tục có mã 9.999999');
    await expectNoAxeViolations(page);
  });

  it('a city admin edits a procedure, and the change is in the audit trail', async () => {
    const { page } = b;
    const admin = demoAccounts.find((a) => a.role === 'city_admin');
    if (!admin) throw new Error('no demo city admin');
    await page.goto(`${t.url}/login`);
    await expectNoAxeViolations(page);
    await page.getByLabel('Số điện thoại hoặc email').fill(admin.login);
    await page.getByLabel('Mật khẩu').fill(admin.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/backoffice/);
    await page.goto(`${t.url}/admin/catalog`);
    await expectNoAxeViolations(page);
    const code = (await page.locator('tbody tr td').first().innerText()).trim();
    await page.goto(`${t.url}/admin/catalog/${code}/edit`);
    await expectNoAxeViolations(page);
    await page.getByLabel('Thời hạn giải quyết (ngày làm việc)').fill('-2');
    await page.getByRole('button', { name: 'Lưu' }).click();
    // A bad value comes back with an error summary that links to the field.
    await expect.poll(() => page.locator('.error-summary').count()).toBe(1);
    await expectNoAxeViolations(page);
    await page.getByLabel('Thời hạn giải quyết (ngày làm việc)').fill('37');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/admin\/catalog\?flash=/);
    expect(await page.locator('.notice').innerText()).toContain(code);
    await page.goto(`${t.url}/admin/catalog/audit`);
    await expectNoAxeViolations(page);
    const row = page.locator('tbody tr', { hasText: code }).first();
    expect(await row.innerText()).toContain('catalog.procedure.update');
    await page.goto(`${t.url}/procedures/${code}`);
    expect(await page.locator('main').innerText()).toContain('37 ngày làm việc');
    await page.goto(`${t.url}/admin/catalog/import`);
    await expectNoAxeViolations(page);
  });
});
