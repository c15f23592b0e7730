import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { freePort } from '../../../test/helpers/server-process.ts';
import { demoHousehold } from './generate.ts';

/**
 * Verified prefill with consent, officers' lookups for a dossier they hold, and the citizen's
 * view of every lookup of their data: through the pages and the API, on the test engine.
 */
const citizen = { login: '0912345678', password: 'Demo@2026pass' };
const apply = '/procedures/1.001193/apply';
const an = demoHousehold.members[0];
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ listen: true });
});
afterAll(() => t?.close());

async function consented(client: TestClient): Promise<void> {
  const res = await client.submit(`${apply}/applicant`, `${apply}/consent`, { agree: 'yes' });
  expect(res.status).toBe(303);
}

/** A dossier the demo citizen submits to phường Ba Đình through the API. */
async function dossierAtBaDinh(client: TestClient, applicant: Record<string, string> = {}): Promise<string> {
  const res = await client.api('POST', '/api/v1/dossiers', {
    procedureCode: '1.001193',
    receivingAgency: '000.00.61.H26',
    applicant: { fullName: an.fullName, personalId: an.personalId, address: 'Số 12 phố Phúc Xá, Phường Ba Đình, Hà Nội', ...applicant },
    form: { requestContent: 'Đăng ký khai sinh cho con' },
  });
  expect(res.status).toBe(201);
  return res.body.code;
}

describe('verified prefill', () => {
  it('asks for consent naming the purpose and the fields, then shows the registry data read-only and marked', async () => {
    const client = await new TestClient(t.url).signIn(citizen.login, citizen.password);
    const before = await (await client.get(`${apply}/applicant`)).text();
    expect(before).toContain('Mục đích: giải quyết thủ tục “Thủ tục đăng ký khai sinh”.');
    for (const field of ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Nơi thường trú', 'Nơi ở hiện tại']) expect(before).toContain(`<li>${field}</li>`);

    // Consent is an explicit tick; without it nothing is fetched.
    const refused = await client.submit(`${apply}/applicant`, `${apply}/consent`, {});
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('href="#f-agree"');

    await consented(client);
    const page = await (await client.get(`${apply}/applicant`)).text();
    expect(page).toMatch(/name="fullName" type="text" value="Nguyễn Văn An" readonly/);
    expect(page).toContain('value="Số 12 phố Phúc Xá, Phường Ba Đình, Hà Nội" readonly');
    expect(page).toContain('15/05/1990');
    expect(page).toContain('Đã xác thực');
    expect(page).not.toContain('action="/procedures/1.001193/apply/consent"');
  });

  it('refuses a request that alters a verified field, naming the field, and keeps the claim', async () => {
    const client = await new TestClient(t.url).signIn(citizen.login, citizen.password);
    await consented(client);
    const tampered = await client.submit(`${apply}/applicant`, `${apply}/applicant`, {
      fullName: 'Nguyễn Văn Ân',
      personalId: an.personalId,
      phone: '0912345678',
      address: 'Số 99 phố Khác, Phường Ba Đình, Hà Nội',
    });
    expect(tampered.status).toBe(400);
    const body = await tampered.text();
    expect(body).toContain('href="#f-fullName"');
    expect(body).toContain('href="#f-address"');
    expect(body).toContain('không được sửa');
    const again = await (await client.get(`${apply}/applicant`)).text();
    expect(again).toContain('value="Nguyễn Văn An" readonly');
  });

  it('submits with the verified values and records which fields were verified', async () => {
    const client = await new TestClient(t.url).signIn(citizen.login, citizen.password);
    await consented(client);
    let res = await client.submit(`${apply}/applicant`, `${apply}/applicant`, { fullName: an.fullName, personalId: an.personalId, phone: '0912345678', address: 'Số 12 phố Phúc Xá, Phường Ba Đình, Hà Nội' });
    expect(res.headers.get('location')).toBe(`${apply}/request`);
    res = await client.submit(`${apply}/request`, `${apply}/request`, { receivingAgency: '000.00.61.H26', 'form.requestContent': 'Đăng ký khai sinh cho con' });
    expect(res.headers.get('location')).toBe(`${apply}/papers`);
    const check = await (await client.get(`${apply}/check`)).text();
    expect(check).toContain('Đã xác thực');
    res = await client.submit(`${apply}/check`, `${apply}/submit`, {});
    expect(res.status).toBe(303);
    const code = new URL(res.headers.get('location') ?? '', t.url).searchParams.get('code');
    const dossier = await client.api('GET', `/api/v1/dossiers/${code}`);
    expect(dossier.body.form.verified).toMatchObject({ source: 'registry', fields: ['fullName', 'birthDate', 'gender', 'permanentAddress', 'currentAddress'] });
    expect(dossier.body.applicant.name).toBe(an.fullName);
  });

  it('refuses at submission a verified value that differs from the claim (the server checks again)', async () => {
    const account = await t.app.auth.service.sessionAccount((await new TestClient(t.url).signIn(citizen.login, citizen.password)).cookie('egov_session') ?? '');
    expect(account?.verifiedPersonalId).toBe(an.personalId);
    if (!account) return;
    const actor = { id: account.id, label: account.label, ip: null, requestId: null };
    const claims = await t.app.registry.service.prefill(account, { code: '1.001193', name: 'Thủ tục đăng ký khai sinh', domain: 'ho-tich' }, actor);
    const submit = (fullName: string) =>
      t.app.dossiers.service.submit(
        { procedureCode: '1.001193', receivingAgency: '000.00.61.H26', applicant: { fullName, personalId: an.personalId, address: claims.values.currentAddress }, form: { requestContent: 'x' } },
        { account, actor },
        { verified: claims },
      );
    await expect(submit('Nguyễn Văn Bình')).rejects.toMatchObject({ status: 400, code: 'VERIFIED_FIELD_CHANGED', fields: [{ field: 'applicant.fullName', key: 'registry.claimChanged' }] });
    await expect(submit(an.fullName)).resolves.toMatchObject({ code: expect.any(String) });
  });

  it('shares the household only for an enrollment, and offers nothing to an unverified citizen', async () => {
    const client = await new TestClient(t.url).signIn(citizen.login, citizen.password);
    const enrollment = await (await client.get('/procedures/3.000180/apply/applicant')).text();
    expect(enrollment).toContain('<li>Thành viên hộ gia đình</li>');
    await client.submit('/procedures/3.000180/apply/applicant', '/procedures/3.000180/apply/consent', { agree: 'yes' });
    const page = await (await client.get('/procedures/3.000180/apply/applicant')).text();
    expect(page).toContain('Nguyễn Minh Khôi (Con, 02/09/2019)');

    const stranger = new TestClient(t.url);
    const registered = await stranger.submit('/register', '/register', {
      fullName: 'Lê Thị Hoa',
      personalId: '001195012399',
      birthDate: '1995-02-02',
      gender: 'female',
      phone: '0987000111',
      password: 'Hoa@2026pass!',
      passwordConfirm: 'Hoa@2026pass!',
    });
    expect(registered.status).toBe(303);
    const unverified = await (await stranger.get(`${apply}/applicant`)).text();
    expect(unverified).not.toContain('/apply/consent');
    expect(unverified).toContain('đăng nhập VNeID');
    const forced = await stranger.submit(`${apply}/applicant`, `${apply}/consent`, { agree: 'yes' });
    expect(forced.status).toBe(403);
    expect(await forced.text()).toContain('Chỉ dùng được dữ liệu dân cư khi số định danh');
  });
});

describe('officer lookups', () => {
  it('are for an officer of the holding agency, with a purpose, for people the dossier names; each is in the citizen’s log', async () => {
    const citizenClient = await new TestClient(t.url).signIn(citizen.login, citizen.password);
    const code = await dossierAtBaDinh(citizenClient);
    const clerk = await new TestClient(t.url).signIn('motcua.badinh@hanoi.gov.vn', 'Demo@2026pass');

    const noPurpose = await clerk.api('POST', `/api/v1/dossiers/${code}/registry-lookups`, { personalId: an.personalId });
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.error.fields).toEqual([{ field: 'purpose', message: 'Vui lòng nêu mục đích tra cứu (ít nhất 10 ký tự).' }]);

    const stranger = await clerk.api('POST', `/api/v1/dossiers/${code}/registry-lookups`, { personalId: demoHousehold.members[1].personalId, purpose: 'Xem thông tin người khác' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.fields[0].field).toBe('personalId');

    const malformed = await clerk.api('POST', `/api/v1/dossiers/${code}/registry-lookups`, { personalId: '001290012345', purpose: 'Đối chiếu nơi thường trú' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.fields[0].field).toBe('personalId');

    const found = await clerk.api('POST', `/api/v1/dossiers/${code}/registry-lookups`, { personalId: an.personalId, purpose: 'Đối chiếu nơi thường trú của người nộp' });
    expect(found.status).toBe(200);
    expect(found.body.person).toMatchObject({ fullName: an.fullName, birthDate: an.birthDate, permanentAddress: { unitCode: '00004' } });
    expect(found.body.household.members).toHaveLength(4);

    // Another agency cannot look anyone up for this dossier; nobody can browse.
    const other = await new TestClient(t.url).signIn('chuyenvien.stp@hanoi.gov.vn', 'Demo@2026pass');
    expect((await other.api('POST', `/api/v1/dossiers/${code}/registry-lookups`, { personalId: an.personalId, purpose: 'Tò mò muốn xem thông tin' })).status).toBe(404);
    expect((await citizenClient.api('POST', `/api/v1/dossiers/${code}/registry-lookups`, { personalId: an.personalId, purpose: 'Tự tra cứu chính mình' })).status).toBe(403);

    // Through the page, as the clerk would.
    const page = await clerk.submit(`/backoffice/dossiers/${code}`, `/backoffice/dossiers/${code}/registry-lookup`, { personalId: an.personalId, purpose: 'Kiểm tra hộ khẩu trước khi tiếp nhận' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Phường Ba Đình');
    const pageNoPurpose = await clerk.submit(`/backoffice/dossiers/${code}`, `/backoffice/dossiers/${code}/registry-lookup`, { personalId: an.personalId, purpose: '' });
    expect(pageNoPurpose.status).toBe(400);
    expect(await pageNoPurpose.text()).toContain('href="#f-purpose"');

    const log = await citizenClient.api('GET', '/api/v1/me/data-access?pageSize=500');
    expect(log.status).toBe(200);
    const mine = log.body.items.filter((i: { dossierCode: string | null }) => i.dossierCode === code);
    expect(mine.map((i: { purpose: string }) => i.purpose).sort()).toEqual(['Kiểm tra hộ khẩu trước khi tiếp nhận', 'Đối chiếu nơi thường trú của người nộp'].sort());
    expect(mine[0]).toMatchObject({ kind: 'officer', who: 'Hoàng Minh Tuấn', agency: '000.00.61.H26', outcome: 'found' });
    expect(log.body.items.some((i: { kind: string }) => i.kind === 'prefill')).toBe(true);

    const logPage = await (await citizenClient.get('/account/data-access')).text();
    expect(logPage).toContain('Kiểm tra hộ khẩu trước khi tiếp nhận');
    expect(logPage).toContain('Ủy ban nhân dân phường Ba Đình');
    expect(await (await citizenClient.get('/account')).text()).toContain('href="/account/data-access"');

    // Each lookup has its audit entry, which names the lookup and not the person.
    const audit = await t.app.audit.list({ targetTypes: ['registry_lookup'], limit: 100 });
    expect(audit.filter((a) => a.action === 'registry.lookup')).toHaveLength(2);
    expect(audit.every((a) => !(a.after_json ?? '').includes(an.personalId))).toBe(true);
  });
});

describe('the API description', () => {
  it('documents lookupPerson (purpose required) and getMyDataAccessLog, and speaks English on request', async () => {
    const doc = await (await fetch(`${t.url}/api/openapi.json`)).json();
    const lookup = doc.paths['/api/v1/dossiers/{code}/registry-lookups'].post;
    expect(lookup.operationId).toBe('lookupPerson');
    expect(lookup.requestBody.content['application/json'].schema.required).toEqual(['personalId', 'purpose']);
    expect(doc.paths['/api/v1/me/data-access'].get.operationId).toBe('getMyDataAccessLog');

    const clerk = new TestClient(t.url, { 'accept-language': 'en' });
    await clerk.signIn('motcua.badinh@hanoi.gov.vn', 'Demo@2026pass');
    const citizenClient = await new TestClient(t.url).signIn(citizen.login, citizen.password);
    const code = await dossierAtBaDinh(citizenClient);
    const res = await clerk.api('POST', `/api/v1/dossiers/${code}/registry-lookups`, { personalId: an.personalId, purpose: 'short' });
    expect(res.body.error.fields).toEqual([{ field: 'purpose', message: 'Please state why you look this person up (at least 10 characters).' }]);
  });
});

describe('a registry that cannot answer', () => {
  let down: TestApp;
  beforeAll(async () => {
    // Nothing listens on this port: the external registry is down.
    const port = await freePort();
    down = await createTestApp({
      listen: true,
      env: { EGOV_REGISTRY_URL: `http://127.0.0.1:${port}`, EGOV_REGISTRY_CLIENT_ID: 'portal', EGOV_REGISTRY_CLIENT_SECRET: 'portal-secret', EGOV_REGISTRY_TIMEOUT_MS: '500' },
    });
  });
  afterAll(() => down?.close());

  it('leaves the form to manual entry with a clear notice, and guesses nothing', async () => {
    const client = await new TestClient(down.url).signIn(citizen.login, citizen.password);
    const res = await client.submit(`${apply}/applicant`, `${apply}/consent`, { agree: 'yes' });
    expect(res.status).toBe(503);
    const page = await res.text();
    expect(page).toContain('Hiện không kết nối được Cơ sở dữ liệu quốc gia về dân cư');
    expect(page).not.toContain('readonly');
    const manual = await client.submit(`${apply}/applicant`, `${apply}/applicant`, { fullName: 'Nguyễn Văn An', personalId: an.personalId, phone: '0912345678', address: 'Số 1 Phúc Xá' });
    expect(manual.headers.get('location')).toBe(`${apply}/request`);
    const log = await client.api('GET', '/api/v1/me/data-access');
    expect(log.body.total).toBe(0);
  });

  it('answers an officer’s lookup with 503 and records nothing', async () => {
    const citizenClient = await new TestClient(down.url).signIn(citizen.login, citizen.password);
    const code = await (async () => {
      const res = await citizenClient.api('POST', '/api/v1/dossiers', {
        procedureCode: '1.001193',
        receivingAgency: '000.00.61.H26',
        applicant: { fullName: an.fullName, personalId: an.personalId, address: 'Số 12 phố Phúc Xá' },
        form: { requestContent: 'Đăng ký khai sinh' },
      });
      return res.body.code as string;
    })();
    const clerk = await new TestClient(down.url).signIn('motcua.badinh@hanoi.gov.vn', 'Demo@2026pass');
    const res = await clerk.api('POST', `/api/v1/dossiers/${code}/registry-lookups`, { personalId: an.personalId, purpose: 'Đối chiếu nơi thường trú' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('REGISTRY_UNAVAILABLE');
    expect((await citizenClient.api('GET', '/api/v1/me/data-access')).body.total).toBe(0);
  });
});
