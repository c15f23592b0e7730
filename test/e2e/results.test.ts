import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeQr, renderPages } from '../../src/platform/pdf/testing.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { loadTestCatalog } from '../helpers/catalog.ts';
import { TestClient } from '../helpers/client.ts';
import { testActor } from '../helpers/platform.ts';
import { downloadSignedResult, uploadForVerification, verdictFact as fact, verdict, writeTamperedCopy } from '../helpers/results.ts';
import { expectFitsThePhone as check, follow, launchBrowser, mainOf as main, screenshot, signInPage, type TestBrowser } from './browser.ts';

/**
 * A signed result in a real Chromium on a 360 px phone: the leader grants a dossier on its
 * page, the citizen downloads the signed PDF from the public tracking page, and anyone checks
 * it on the public verification page (scripts off, no sign-in): the file is authentic, a copy
 * with one byte changed is not, a picture is refused with a message, the QR link opens the
 * verdict, and after the leader revokes the result the page says so. pdfsig (poppler) checks
 * the downloaded file independently.
 */
vi.setConfig({ testTimeout: 120_000 });
const PASSWORD = 'Demo@2026pass';
const WARD = '000.01.01.H26';
const LEADER = 'lanhdao.phucxa@test.vn';

let t: TestApp;
let tmp = '';
let leader: TestBrowser;
let visitor: TestBrowser;
const as = async (login: string) => new TestClient(t.url).signIn(login, PASSWORD);

beforeAll(async () => {
  t = await createTestApp({ listen: true, demo: false });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'egov-e2e-results-'));
  await loadTestCatalog(t);
  await t.app.auth.service.ensureDemoAccounts();
  const admin = { id: 'system', kind: 'officer' as const, label: 'system', agencyCode: '000.00.00.H26', roles: ['city_admin' as const] };
  for (const o of [
    { fullName: 'Hoàng Minh Tuấn', email: 'motcua.phucxa@test.vn', agencyCode: WARD, roles: ['counter_clerk'] },
    { fullName: 'Đỗ Văn Lãnh', email: LEADER, agencyCode: WARD, roles: ['leader'] },
    { fullName: 'Vũ Thị Chuyên', email: 'chuyenvien.phucxa@test.vn', agencyCode: WARD, roles: ['specialist'] },
  ]) {
    const r = await t.app.auth.service.createOfficer({ ...o, password: PASSWORD, passwordConfirm: PASSWORD } as never, admin as never, testActor);
    if (!r.ok) throw new Error(`officer ${o.email}: ${JSON.stringify(r.error)}`);
  }
  leader = await launchBrowser();
  // The public checks a document without scripts, as a cheap phone or a careful bank clerk would.
  visitor = await launchBrowser({ javaScriptEnabled: false });
});
afterAll(async () => {
  await Promise.all([leader?.close(), visitor?.close()]);
  await t?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const upload = (page: Page, file: string): Promise<Response | null> => uploadForVerification(page, t.url, file);

const countResults = async () => Number((await t.app.handle.db.selectFrom('results' as never).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('a signed result, from the decision to public verification', () => {
  let code = '';
  let secret = '';
  let signed = '';

  it('the leader grants the dossier on its page and the signed result appears there', async () => {
    // Submitted, received, assigned and sent for approval through the API (dossiers.test.ts drives those pages).
    const citizen = await as('0912345678');
    const submitted = await citizen.api('POST', '/api/v1/dossiers', {
      procedureCode: '1.001193',
      receivingAgency: WARD,
      applicant: { fullName: 'Nguyễn Văn An', personalId: '001090012345', phone: '0912345678', email: 'citizen@example.vn', address: 'Số 1 Phúc Xá, Ba Đình, Hà Nội' },
      form: { requestContent: 'Đăng ký khai sinh cho con Nguyễn Văn Bình' },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    code = submitted.body.code;
    secret = submitted.body.trackingSecret;
    expect((await (await as('motcua.phucxa@test.vn')).api('POST', `/api/v1/dossiers/${code}/receive`, {})).status).toBe(200);
    const specialistId = (await t.app.dossiers.service.specialists(WARD))[0]?.id;
    expect((await (await as(LEADER)).api('POST', `/api/v1/dossiers/${code}/assign`, { assigneeId: specialistId })).status).toBe(200);
    expect((await (await as('chuyenvien.phucxa@test.vn')).api('POST', `/api/v1/dossiers/${code}/send-for-approval`, {})).status).toBe(200);

    const page = leader.page;
    await signInPage(page, t.url, LEADER, PASSWORD);
    await page.goto(`${t.url}/backoffice/dossiers/${code}`);
    const approve = page.getByRole('region', { name: 'Phê duyệt', exact: true });
    await approve.getByLabel('Giải quyết (cấp kết quả)').check();
    await approve.getByLabel('Nội dung kết quả').fill('Cấp Giấy khai sinh cho cháu Nguyễn Văn Bình');
    const res = await follow(page, approve.getByRole('button', { name: 'Phê duyệt', exact: true }));
    expect(res?.status()).toBe(200);
    const panel = page.getByRole('region', { name: 'Kết quả điện tử (đã ký số)' });
    expect(await panel.innerText()).toContain('Giấy khai sinh');
    expect(await panel.innerText()).toContain('Còn hiệu lực');
    await check(page);
    await screenshot(page, 'result-officer-360');
  });

  it('the citizen downloads the signed PDF from the tracking page; pdfsig finds the signature valid', async () => {
    const page = visitor.page;
    await page.goto(`${t.url}/track?code=${encodeURIComponent(code)}&secret=${secret}`);
    await check(page);
    signed = await downloadSignedResult(page, main(page).getByRole('link', { name: 'Tải kết quả (PDF đã ký số)' }), path.join(tmp, 'ket-qua.pdf'));
  });

  it('anyone verifies the file on the public page, without signing in or scripts', async () => {
    const page = visitor.page;
    const res = await upload(page, signed);
    expect(res?.status()).toBe(200);
    expect(await verdict(page)).toBe('Văn bản xác thực');
    expect(await fact(page, 'Loại văn bản')).toBe('Giấy khai sinh');
    expect(await fact(page, 'Cơ quan cấp')).toBe('Ủy ban nhân dân phường Phúc Xá');
    expect(await fact(page, 'Tình trạng')).toBe('Còn hiệu lực');
    expect(await fact(page, 'Số văn bản')).toMatch(/^\d{6}\/\d{4}\/KQ$/);
    // Nothing beyond what is printed: not the holder's personal ID, phone or dossier answers.
    const text = await main(page).innerText();
    for (const secretFact of ['001090012345', '0912345678', 'citizen@example.vn']) expect(text).not.toContain(secretFact);
    await check(page);
    await screenshot(page, 'result-verify-authentic-360');
  });

  it('a copy with one byte changed is reported as not authentic', async () => {
    const tampered = path.join(tmp, 'ket-qua-sua.pdf');
    writeTamperedCopy(signed, tampered);
    const page = visitor.page;
    expect((await upload(page, tampered))?.status()).toBe(200);
    expect(await verdict(page)).toBe('Không xác thực được văn bản');
    expect(await page.locator('main section.verdict dl').count()).toBe(0);
    await check(page);
  });

  it('a picture is refused with a message linked to the field, and nothing is stored', async () => {
    const before = await countResults();
    const page = visitor.page;
    const res = await upload(page, path.resolve(import.meta.dirname, '../fixtures/files/sample.png'));
    expect(res?.status()).toBe(415);
    const link = page.locator('.error-summary').getByRole('link');
    expect(await link.innerText()).toBe('Tệp «sample.png» không phải là tệp PDF. Vui lòng tải lên đúng tệp PDF kết quả đã nhận.');
    expect(await link.getAttribute('href')).toBe(`#${await page.getByLabel('Tệp kết quả (PDF)').getAttribute('id')}`);
    expect(await page.locator('main section.verdict').count()).toBe(0);
    await check(page);
    await screenshot(page, 'result-verify-not-pdf-360');
    expect(await countResults()).toBe(before);
  });

  it('the QR code on the document opens the verdict', async () => {
    const [png] = await renderPages(readFileSync(signed), 300, { first: 1, last: 1 });
    const qr = new URL(decodeQr(png as Buffer) ?? '');
    const page = visitor.page;
    await page.goto(`${t.url}${qr.pathname}${qr.search}`);
    expect(await verdict(page)).toBe('Văn bản xác thực');
    expect(await fact(page, 'Loại văn bản')).toBe('Giấy khai sinh');
  });

  it('the leader revokes the result with a reason; the public page then shows it as revoked', async () => {
    const page = leader.page;
    await page.goto(`${t.url}/backoffice/dossiers/${code}`);
    const panel = page.getByRole('region', { name: 'Kết quả điện tử (đã ký số)' });
    await panel.getByText('Thu hồi kết quả', { exact: true }).first().click();
    // A reason is required.
    const bad = await follow(page, panel.getByRole('button', { name: 'Thu hồi kết quả' }));
    expect(bad?.status()).toBe(400);
    await check(page);
    await page.getByLabel('Lý do thu hồi').fill('Cấp nhầm, thông tin người được cấp không đúng');
    await follow(page, page.getByRole('button', { name: 'Thu hồi kết quả' }));
    expect(new URL(page.url()).pathname).toBe(`/backoffice/dossiers/${code}`);
    expect(await page.locator('main .notice.ok').innerText()).toBe('Đã thu hồi kết quả.');
    expect(await page.getByRole('region', { name: 'Kết quả điện tử (đã ký số)' }).innerText()).toContain('Đã thu hồi');

    const visit = visitor.page;
    expect((await upload(visit, signed))?.status()).toBe(200);
    expect(await verdict(visit)).toBe('Văn bản đã bị thu hồi');
    expect(await fact(visit, 'Tình trạng')).toBe('Đã thu hồi');
    await check(visit);
    await screenshot(visit, 'result-verify-revoked-360');
  });
});
