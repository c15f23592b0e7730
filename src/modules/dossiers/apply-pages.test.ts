import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { loadTestCatalog } from '../../../test/helpers/catalog.ts';
import { csrfToken, TestClient } from '../../../test/helpers/client.ts';

/** The citizen's application pages without JavaScript: page by page, a server-side draft, papers, check, submit. */
const pdf = readFileSync(path.resolve(import.meta.dirname, '../../../test/fixtures/files/sample.pdf'));
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ listen: true, demo: false });
  await loadTestCatalog(t);
  await t.app.auth.service.ensureDemoAccounts();
});
afterAll(() => t?.close());

describe('applying online through the pages', () => {
  it('walks every step, keeps a draft across devices, and ends with the code', async () => {
    const phone = await new TestClient(t.url).signIn('0912345678', 'Demo@2026pass');
    const start = await phone.get('/procedures/1.001193/apply');
    expect(start.headers.get('location')).toBe('/procedures/1.001193/apply/applicant');
    const applicantPage = await (await phone.get('/procedures/1.001193/apply/applicant')).text();
    // Known data is prefilled from the account: no re-entry.
    expect(applicantPage).toContain('value="001090012345"');
    let res = await phone.submit('/procedures/1.001193/apply/applicant', '/procedures/1.001193/apply/applicant', {
      fullName: 'Nguyễn Văn An',
      personalId: '001090012345',
      phone: '0912345678',
      email: '',
      address: 'Số 1 Phúc Xá, Ba Đình, Hà Nội',
    });
    expect(res.headers.get('location')).toBe('/procedures/1.001193/apply/request');

    // A missing answer comes back with an error summary linking to the field.
    res = await phone.submit('/procedures/1.001193/apply/request', '/procedures/1.001193/apply/request', { receivingAgency: '000.01.01.H26', 'form.requestContent': '' });
    expect(res.status).toBe(400);
    const errorPage = await res.text();
    expect(errorPage).toContain('class="error-summary"');
    expect(errorPage).toContain('href="#f-form-requestContent"');

    // The same draft continues on another device.
    const laptop = await new TestClient(t.url).signIn('0912345678', 'Demo@2026pass');
    res = await laptop.submit('/procedures/1.001193/apply/request', '/procedures/1.001193/apply/request', { receivingAgency: '000.01.01.H26', 'form.requestContent': 'Đăng ký khai sinh cho con' });
    expect(res.headers.get('location')).toBe('/procedures/1.001193/apply/papers');

    const papersPage = await (await laptop.get('/procedures/1.001193/apply/papers')).text();
    const form = new FormData();
    form.append('giay-to-1', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'to-khai.pdf');
    res = await laptop.request('POST', `/procedures/1.001193/apply/papers?_csrf=${encodeURIComponent(csrfToken(papersPage))}`, form);
    expect(res.headers.get('location')).toBe('/procedures/1.001193/apply/check');

    const check = await (await laptop.get('/procedures/1.001193/apply/check')).text();
    for (const text of ['Nguyễn Văn An', 'Đăng ký khai sinh cho con', 'to-khai.pdf', 'Ủy ban nhân dân phường Phúc Xá']) expect(check).toContain(text);

    res = await laptop.submit('/procedures/1.001193/apply/check', '/procedures/1.001193/apply/submit', {});
    expect(res.status).toBe(303);
    const done = await laptop.follow(res);
    const page = await done.text();
    const code = /<strong class="code">(000\.01\.01\.H26-\d{6}-\d{4})<\/strong>/.exec(page)?.[1];
    expect(code).toBeDefined();
    const mine = await (await laptop.get('/my/dossiers')).text();
    expect(mine).toContain(code);
    const dossier = await laptop.api('GET', `/api/v1/dossiers/${code}`);
    expect(dossier.body.attachments.map((a: { fileName: string }) => a.fileName)).toEqual(['to-khai.pdf']);
    // The draft is gone once submitted.
    expect(await (await laptop.get('/procedures/1.001193/apply/check')).text()).not.toContain('Đăng ký khai sinh cho con');
  });

  it('is for citizens: a visitor is sent to sign in first', async () => {
    const res = await new TestClient(t.url).get('/procedures/1.001193/apply/applicant');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fprocedures%2F1.001193%2Fapply%2Fapplicant');
  });
});
