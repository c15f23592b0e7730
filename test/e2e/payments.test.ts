import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatewayEnv, startPaygateProcess } from '../../src/modules/payments/testing.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { freePort } from '../helpers/server-process.ts';
import { applyOnThePages, expectFitsThePhone as check, follow, launchBrowser, mainOf as main, screenshot, signInPage, type TestBrowser } from './browser.ts';

/**
 * Paying a fee online in a real Chromium without JavaScript, on a 360 px phone: the citizen
 * applies, pays at the sandbox gateway (a separate process), comes back to a page that states
 * what the gateway confirmed, and the dossier continues; a cancelled payment can be tried
 * again; finance staff see the day and refund. Our pages are checked with axe.
 */
const PASSWORD = 'Demo@2026pass';
const PROCEDURE = '1.004873';
const WARD = '000.00.61.H26';

vi.setConfig({ testTimeout: 120_000 });

let t: TestApp;
let gate: Awaited<ReturnType<typeof startPaygateProcess>>;
const browsers: TestBrowser[] = [];

beforeAll(async () => {
  const port = await freePort();
  t = await createTestApp({ listen: true, env: gatewayEnv(`http://127.0.0.1:${port}`) });
  gate = await startPaygateProcess({ port, ipnUrl: `${t.url}/api/v1/payments/vnpay/ipn` });
}, 60_000);
afterAll(async () => {
  for (const b of browsers) await b.close();
  await gate?.stop();
  await t?.close();
});

async function signedIn(login: string): Promise<Page> {
  const b = await launchBrowser({ javaScriptEnabled: false });
  browsers.push(b);
  await signInPage(b.page, t.url, login, PASSWORD);
  return b.page;
}

describe('paying online', () => {
  let code = '';

  it('apply → pay at the gateway → the return page states the confirmed outcome → the dossier continues', async () => {
    const page = await signedIn('0912345678');
    code = await applyOnThePages(page, t.url, { procedure: PROCEDURE, agency: WARD, address: 'Số 1 Đội Cấn, Ba Đình, Hà Nội', request: 'Xác nhận tình trạng hôn nhân để đăng ký kết hôn' });
    const panel = page.getByRole('region', { name: 'Thanh toán phí, lệ phí' });
    expect(await panel.innerText()).toContain('3.000 đồng');
    await check(page);
    await screenshot(page, 'payment-due-360');

    await follow(page, panel.getByRole('button', { name: 'Thanh toán 3.000 đồng' }));
    expect(page.url().startsWith(`${gate.url}/paymentv2/vpcpay.html?`)).toBe(true);
    const ref = new URL(page.url()).searchParams.get('vnp_TxnRef') ?? '';
    expect(await page.locator('#amount').innerText()).toBe('3.000 VND');
    await follow(page, page.getByRole('button', { name: 'Thanh toán', exact: true }));

    expect(new URL(page.url()).pathname).toBe(`/payments/${ref}`);
    expect(await main(page).getByRole('status').innerText()).toBe(`Thanh toán thành công. Hồ sơ ${code} được tiếp tục giải quyết.`);
    await check(page);
    await screenshot(page, 'payment-paid-360');
    const receipt = main(page).getByRole('link', { name: /^Biên lai điện tử số \d{7}\/\d{4}$/ });
    const pdf = await page.context().request.get(`${t.url}${await receipt.getAttribute('href')}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    await follow(page, main(page).getByRole('link', { name: 'Về trang hồ sơ' }));
    expect(await main(page).locator('.status').first().innerText()).toBe('Mới đăng ký');
    expect(await main(page).innerText()).toContain('Đã thanh toán phí, lệ phí');
    await check(page);
  });

  it('a cancelled payment says nothing was charged and can be tried again', async () => {
    const page = await signedIn('0912345678');
    const res = await page.context().request.post(`${t.url}/api/v1/dossiers`, {
      headers: { 'x-csrf-token': (await page.goto(`${t.url}/`).then(() => page.locator('input[name=_csrf]').first().getAttribute('value'))) ?? '' },
      data: { procedureCode: PROCEDURE, receivingAgency: WARD, applicant: { fullName: 'Nguyễn Văn An', personalId: '001090012345', address: 'Hà Nội' }, form: { requestContent: 'Lần hai' } },
    });
    const second = (await res.json()).code as string;
    await page.goto(`${t.url}/my/dossiers/${second}`);
    await check(page);
    await follow(page, page.getByRole('button', { name: 'Thanh toán 3.000 đồng' }));
    await follow(page, page.getByRole('button', { name: 'Hủy giao dịch' }));
    expect(await main(page).getByRole('status').innerText()).toContain('Giao dịch không thành công nên chưa bị trừ tiền');
    await check(page);
    await follow(page, main(page).getByRole('link', { name: 'Thanh toán lại' }));
    expect(await main(page).locator('.status').first().innerText()).toBe('Chờ thực hiện nghĩa vụ tài chính');
    await follow(page, page.getByRole('button', { name: 'Thanh toán 3.000 đồng' }));
    await follow(page, page.getByRole('button', { name: 'Thanh toán', exact: true }));
    expect(await main(page).getByRole('status').innerText()).toContain('Thanh toán thành công');
  });

  it('finance staff reconcile the day and refund a payment', async () => {
    const page = await signedIn('ketoan.badinh@hanoi.gov.vn');
    await page.goto(`${t.url}/backoffice/payments`);
    expect(await main(page).innerText()).toContain(code);
    await check(page);
    await screenshot(page, 'payment-reconcile-360');
    const item = main(page).locator('li', { hasText: code }).first();
    await item.locator('summary').click();
    await item.getByLabel('Lý do hoàn tiền').fill('Miễn lệ phí: người thuộc hộ nghèo');
    await follow(page, item.getByRole('button', { name: 'Hoàn tiền', exact: true }));
    expect(await main(page).getByRole('status').innerText()).toMatch(/^Đã hoàn tiền giao dịch EG/);
    expect(await main(page).locator('li', { hasText: code }).first().innerText()).toContain('Đã hoàn tiền');
    await check(page);
  });
});
