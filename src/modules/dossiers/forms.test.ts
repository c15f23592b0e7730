import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';

/** A procedure's own questions (marriage registration in the demo catalog) are validated from its definition. */
const WARD = '000.00.61.H26';
let t: TestApp;
let citizen: TestClient;

beforeAll(async () => {
  t = await createTestApp({ listen: true });
  citizen = await new TestClient(t.url).signIn('0912345678', 'Demo@2026pass');
});
afterAll(() => t?.close());

const base = {
  procedureCode: '1.000894',
  receivingAgency: WARD,
  applicant: { fullName: 'Nguyễn Văn An', personalId: '001090012345', phone: '0912345678', address: 'Phường Ba Đình, Hà Nội' },
};

describe('forms as data', () => {
  it('names each missing or malformed answer, in Vietnamese, and stores nothing', async () => {
    const res = await citizen.api('POST', '/api/v1/dossiers', { ...base, form: { partnerName: 'Trần Thị Bình', partnerPersonalId: '001195012346', partnerBirthDate: '1995-13-40', ceremonyPreference: 'nhay-du' } });
    expect(res.status).toBe(400);
    const fields = Object.fromEntries(res.body.error.fields.map((f: { field: string; message: string }) => [f.field, f.message]));
    expect(Object.keys(fields).sort()).toEqual(['form.ceremonyPreference', 'form.partnerBirthDate', 'form.partnerResidence', 'form.partnerResidenceUnit'].sort());
    expect(fields['form.ceremonyPreference']).toBe('Vui lòng chọn một phương án.');
    expect(fields['form.partnerResidenceUnit']).toBe('Vui lòng chọn xã, phường.');
  });

  it('accepts valid answers and shows them to the counter with the form’s labels', async () => {
    const res = await citizen.api('POST', '/api/v1/dossiers', {
      ...base,
      form: { partnerName: 'Trần Thị Bình', partnerPersonalId: '001195012346', partnerBirthDate: '1995-08-20', partnerResidence: 'Số 5 Đội Cấn', partnerResidenceUnit: WARD, ceremonyPreference: 'le-trao' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const clerk = await new TestClient(t.url).signIn('motcua.badinh@hanoi.gov.vn', 'Demo@2026pass');
    const page = await (await clerk.get(`/backoffice/dossiers/${res.body.code}`)).text();
    for (const text of ['Họ và tên người kết hôn cùng', 'Trần Thị Bình', 'Số 5 Đội Cấn, Phường Ba Đình', 'Tổ chức lễ trao trang trọng']) expect(page).toContain(text);
  });
});
