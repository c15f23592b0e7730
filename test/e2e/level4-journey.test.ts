import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatewayEnv, startPaygateProcess } from '../../src/modules/payments/testing.ts';
import { decodeQr, renderPages } from '../../src/platform/pdf/testing.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { TestClient } from '../helpers/client.ts';
import { downloadSignedResult, uploadForVerification, verdictFact, verdict, writeTamperedCopy } from '../helpers/results.ts';
import { freePort } from '../helpers/server-process.ts';
import { applyOnThePages, expectFitsThePhone, follow, launchBrowser, mainOf as main, screenshot, signInPage, type TestBrowser } from './browser.ts';

/**
 * The level-4 journey of issue 4, end to end in Chromium with scripts off on a 360 px phone, for
 * one dossier whose fee is paid with the application: the demo citizen applies on the portal
 * pages, pays at the sandbox gateway (a separate process) and comes back to the confirmed
 * outcome; the ward's officers process it (through the API: dossiers.test.ts drives those
 * pages); the citizen downloads the signed result from "Hồ sơ của tôi" and pdfsig validates it;
 * a stranger verifies it on the public page, then a copy with one byte changed; a leader
 * revokes it on the dossier page and the QR link and the upload then say "revoked".
 */
vi.setConfig({ testTimeout: 120_000 });
const PASSWORD = 'Demo@2026pass';
const CITIZEN = '0912345678';
const PROCEDURE = '1.004873'; // Giấy xác nhận tình trạng hôn nhân: 3.000 đồng, paid with the application
const WARD = '000.00.61.H26'; // Phường Ba Đình, where the demo officers work
const LEADER = 'lanhdao.badinh@hanoi.gov.vn';

let t: TestApp;
let gate: Awaited<ReturnType<typeof startPaygateProcess>>;
let tmp = '';
let citizen: TestBrowser;
let leader: TestBrowser;
let visitor: TestBrowser;

beforeAll(async () => {
  const port = await freePort();
  t = await createTestApp({ listen: true, env: gatewayEnv(`http://127.0.0.1:${port}`) });
  gate = await startPaygateProcess({ port, ipnUrl: `${t.url}/api/v1/payments/vnpay/ipn` });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'egov-e2e-level4-'));
  [citizen, leader, visitor] = await Promise.all([
    launchBrowser({ javaScriptEnabled: false }),
    launchBrowser({ javaScriptEnabled: false }),
    // A fresh context that never signs in: anyone may check a document.
    launchBrowser({ javaScriptEnabled: false }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([citizen?.close(), leader?.close(), visitor?.close()]);
  await gate?.stop();
  await t?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const officer = (login: string) => new TestClient(t.url).signIn(login, PASSWORD);
const resultPanel = (page: Page) => page.getByRole('region', { name: 'Kết quả điện tử (đã ký số)' });
const panelFact = (page: Page, label: string) =>
  resultPanel(page).locator('dl.facts > div', { has: page.getByText(label, { exact: true }) }).locator('dd').innerText();

describe('level 4: apply, pay, get a signed result, verify it, see it revoked', () => {
  let code = '';
  let signed = '';
  /** The result as the citizen's dossier page describes it; the public page must say the same. */
  const issued = { number: '', date: '', type: '' };

  it('the citizen applies on the portal pages and pays at the gateway; the return page states the confirmed outcome', async () => {
    const page = citizen.page;
    await signInPage(page, t.url, CITIZEN, PASSWORD);
    code = await applyOnThePages(page, t.url, { procedure: PROCEDURE, agency: WARD, address: 'Số 1 Đội Cấn, Ba Đình, Hà Nội', request: 'Xác nhận tình trạng hôn nhân để đăng ký kết hôn' });

    await follow(page, page.getByRole('region', { name: 'Thanh toán phí, lệ phí' }).getByRole('button', { name: 'Thanh toán 3.000 đồng' }));
    expect(page.url().startsWith(`${gate.url}/paymentv2/vpcpay.html?`)).toBe(true);
    const ref = new URL(page.url()).searchParams.get('vnp_TxnRef') ?? '';
    await follow(page, page.getByRole('button', { name: 'Thanh toán', exact: true }));

    expect(new URL(page.url()).pathname).toBe(`/payments/${ref}`);
    expect(await main(page).getByRole('status').innerText()).toBe(`Thanh toán thành công. Hồ sơ ${code} được tiếp tục giải quyết.`);
    await expectFitsThePhone(page);
    await screenshot(page, 'level4-payment-return-360');
  });

  it('the ward receives, assigns, processes and grants it; the result is signed', async () => {
    expect((await (await officer('motcua.badinh@hanoi.gov.vn')).api('POST', `/api/v1/dossiers/${code}/receive`, {})).status).toBe(200);
    const lead = await officer(LEADER);
    const specialist = (await t.app.dossiers.service.specialists(WARD)).find((s) => s.full_name === 'Vũ Văn Chung');
    expect((await lead.api('POST', `/api/v1/dossiers/${code}/assign`, { assigneeId: specialist?.id })).status).toBe(200);
    expect((await (await officer('chuyenvien.badinh@hanoi.gov.vn')).api('POST', `/api/v1/dossiers/${code}/send-for-approval`, {})).status).toBe(200);
    const granted = await lead.api('POST', `/api/v1/dossiers/${code}/approve`, { decision: 'granted', summary: 'Cấp Giấy xác nhận tình trạng hôn nhân cho Nguyễn Văn An' });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
  });

  it('the citizen downloads the signed result from "Hồ sơ của tôi"; pdfsig finds the signature valid', async () => {
    const page = citizen.page;
    await page.goto(`${t.url}/my/dossiers`);
    await follow(page, main(page).getByRole('link', { name: code, exact: true }));
    expect(await panelFact(page, 'Tình trạng')).toBe('Còn hiệu lực');
    issued.type = await panelFact(page, 'Loại văn bản');
    issued.number = await panelFact(page, 'Số văn bản');
    issued.date = await panelFact(page, 'Ngày cấp');
    expect(issued.type).toBe('Giấy xác nhận tình trạng hôn nhân');
    expect(issued.number).toMatch(/^\d{6}\/\d{4}\/KQ$/);
    expect(issued.date).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await expectFitsThePhone(page);
    await screenshot(page, 'level4-my-dossier-result-360');
    signed = await downloadSignedResult(page, resultPanel(page).getByRole('link', { name: 'Tải kết quả (PDF đã ký số)' }), path.join(tmp, 'ket-qua.pdf'));
  });

  it('on the public page, without signing in, the file is authentic, with its issuer, type, number and date', async () => {
    const page = visitor.page;
    expect((await uploadForVerification(page, t.url, signed))?.status()).toBe(200);
    expect(await verdict(page)).toBe('Văn bản xác thực');
    expect(await verdictFact(page, 'Cơ quan cấp')).toBe('Ủy ban nhân dân phường Ba Đình');
    expect(await verdictFact(page, 'Loại văn bản')).toBe(issued.type);
    expect(await verdictFact(page, 'Số văn bản')).toBe(issued.number);
    expect(await verdictFact(page, 'Ngày cấp')).toBe(issued.date);
    expect(await verdictFact(page, 'Tình trạng')).toBe('Còn hiệu lực');
    await expectFitsThePhone(page);
    await screenshot(page, 'level4-verify-authentic-360');
  });

  it('a copy with one byte changed is reported as not authentic', async () => {
    const tampered = path.join(tmp, 'ket-qua-sua.pdf');
    writeTamperedCopy(signed, tampered);
    const page = visitor.page;
    expect((await uploadForVerification(page, t.url, tampered))?.status()).toBe(200);
    expect(await verdict(page)).toBe('Không xác thực được văn bản');
    expect(await page.locator('main section.verdict dl').count()).toBe(0);
    await expectFitsThePhone(page);
  });

  it('a leader revokes the result; its QR link and an upload then show it as revoked', async () => {
    const page = leader.page;
    await signInPage(page, t.url, LEADER, PASSWORD);
    await page.goto(`${t.url}/backoffice/dossiers/${code}`);
    await resultPanel(page).getByText('Thu hồi kết quả', { exact: true }).first().click();
    await resultPanel(page).getByLabel('Lý do thu hồi').fill('Cấp nhầm, thông tin người được cấp không đúng');
    await follow(page, resultPanel(page).getByRole('button', { name: 'Thu hồi kết quả' }));
    expect(await page.locator('main .notice.ok').innerText()).toBe('Đã thu hồi kết quả.');

    const [png] = await renderPages(readFileSync(signed), 300, { first: 1, last: 1 });
    const qr = new URL(decodeQr(png as Buffer) ?? '');
    expect(qr.pathname).toBe('/verify');
    const visit = visitor.page;
    await visit.goto(`${t.url}${qr.pathname}${qr.search}`);
    expect(await verdict(visit)).toBe('Văn bản đã bị thu hồi');
    expect(await verdictFact(visit, 'Số văn bản')).toBe(issued.number);

    expect((await uploadForVerification(visit, t.url, signed))?.status()).toBe(200);
    expect(await verdict(visit)).toBe('Văn bản đã bị thu hồi');
    expect(await verdictFact(visit, 'Tình trạng')).toBe('Đã thu hồi');
    await expectFitsThePhone(visit);
    await screenshot(visit, 'level4-verify-revoked-360');

    // The holder learns it too, on the dossier page.
    await citizen.page.goto(`${t.url}/my/dossiers/${code}`);
    expect(await panelFact(citizen.page, 'Tình trạng')).toBe('Đã thu hồi');
  });
});
