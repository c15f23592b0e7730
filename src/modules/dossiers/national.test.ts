// biome-ignore-all lint/suspicious/noExplicitAny: JSON bodies in tests are checked by assertions
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { loadTestCatalog } from '../../../test/helpers/catalog.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { testActor } from '../../../test/helpers/platform.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { SessionAccount } from '../../platform/auth/policy.ts';
import { type DossierEvent, project, statuses } from './lifecycle.ts';
import {
  codeParts,
  describeEvent,
  fromNational,
  fromNationalDateTime,
  type NationalDossier,
  nationalDossierSchema,
  rebuildEvents,
  recogniseStep,
  toNationalDateTime,
} from './national.ts';
import type { Action } from './policy.ts';

/**
 * The national portal's dossier format (domain.md §8): pure mapping, then export and import
 * over real HTTP on a real database, and the round trip into a second, fresh database.
 */
const PASSWORD = 'Demo@2026pass';
const WARD = '000.01.01.H26';
const DISTRICT = '000.00.01.H26';
const TZ = 'Asia/Ho_Chi_Minh';

/** Independent of the code under test: Viet Nam has kept UTC+7 since 1975. */
const vn = (iso: string) => new Date(Date.parse(iso) + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

const officers = [
  { fullName: 'Hoàng Minh Tuấn', email: 'motcua.phucxa@test.vn', agencyCode: WARD, roles: ['counter_clerk'] },
  { fullName: 'Đỗ Văn Lãnh', email: 'lanhdao.phucxa@test.vn', agencyCode: WARD, roles: ['leader'] },
  { fullName: 'Vũ Thị Chuyên', email: 'chuyenvien.phucxa@test.vn', agencyCode: WARD, roles: ['specialist'] },
  { fullName: 'Ngô Quận Trưởng', email: 'lanhdao.badinh@test.vn', agencyCode: DISTRICT, roles: ['leader'] },
  { fullName: 'Bùi Chuyên Viên', email: 'chuyenvien.badinh@test.vn', agencyCode: DISTRICT, roles: ['specialist'] },
] as const;

const application = {
  procedureCode: '1.001193',
  receivingAgency: WARD,
  applicant: { fullName: 'Nguyễn Văn An', personalId: '001090012345', phone: '0912345678', email: 'citizen@example.vn', address: 'Số 1 Phúc Xá, Ba Đình, Hà Nội' },
  form: { requestContent: 'Đăng ký khai sinh cho con Nguyễn Văn Bình' },
};

/** The test catalog, the demo accounts and five officers of a ward and its district. */
async function prepare(t: TestApp): Promise<{ officers: SessionAccount[]; citizen: SessionAccount }> {
  await loadTestCatalog(t);
  await t.app.auth.service.ensureDemoAccounts();
  const admin = { id: 'system', kind: 'officer' as const, label: 'system', agencyCode: '000.00.00.H26', roles: ['city_admin' as const] };
  const accounts: SessionAccount[] = [];
  for (const o of officers) {
    const r = await t.app.auth.service.createOfficer({ ...o, password: PASSWORD, passwordConfirm: PASSWORD } as never, admin as never, testActor);
    if (!r.ok) throw new Error(`officer ${o.email}: ${JSON.stringify(r.error)}`);
    accounts.push({ id: r.value.id, kind: 'officer', label: o.fullName, agencyCode: o.agencyCode, roles: [...o.roles] });
  }
  const row = await t.app.handle.db.selectFrom('accounts').select(['id', 'full_name']).where('phone', '=', '0912345678').executeTakeFirstOrThrow();
  return { officers: accounts, citizen: { id: row.id, kind: 'citizen', label: row.full_name, agencyCode: null, roles: [] } };
}

// ---------------------------------------------------------------------------------------------

describe('national format: pure mapping', () => {
  it('writes and reads dates on the wall clock of the configured zone, through Intl', () => {
    expect(toNationalDateTime('2026-03-01T17:30:05.123Z', TZ)).toBe('2026-03-02 00:30:05');
    expect(fromNationalDateTime('2026-03-02 00:30:05', TZ)).toBe('2026-03-01T17:30:05.000Z');
    // No offset is built in: a zone with daylight saving gives its own, summer and winter.
    expect(toNationalDateTime('2026-07-01T10:00:00.000Z', 'Europe/Berlin')).toBe('2026-07-01 12:00:00');
    expect(toNationalDateTime('2026-01-15T10:00:00.000Z', 'Europe/Berlin')).toBe('2026-01-15 11:00:00');
    expect(fromNationalDateTime('2026-07-01 12:00:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }), (ms) => {
        const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
        expect(toNationalDateTime(iso, TZ)).toBe(vn(iso));
        expect(fromNationalDateTime(toNationalDateTime(iso, TZ), TZ)).toBe(iso);
      }),
    );
  });

  it('reads back every step description it writes', () => {
    const e = (data: DossierEvent['data'], reason: string | null = null): DossierEvent => ({ seq: 1, at: '2026-01-01T00:00:00.000Z', actorId: null, actorLabel: null, actorAgency: null, reason, data });
    const cases: [DossierEvent, string, string][] = [
      [e({ type: 'submitted', channel: 'post', receivingAgency: WARD }), 'submitted', 'qua dịch vụ bưu chính'],
      [e({ type: 'assigned', assigneeId: 'x', assigneeName: 'Vũ Thị Chuyên' }), 'assigned', 'Vũ Thị Chuyên'],
      [e({ type: 'approved', decision: 'denied', summary: 'Không đủ điều kiện' }, 'Thiếu giấy tờ'), 'denied', 'Không đủ điều kiện'],
      [e({ type: 'approved', decision: 'granted', summary: 'Cấp giấy khai sinh' }), 'granted', 'Cấp giấy khai sinh'],
      [e({ type: 'returned_for_rework' }, 'Sai họ tên'), 'returned_for_rework', ''],
      [e({ type: 'result_returned', method: 'online' }), 'result_returned', 'trực tuyến'],
      [e({ type: 'supplement_requested', stage: 'intake', items: [{ name: 'Giấy chứng sinh', reason: 'Bản chụp bị mờ' }] }, 'Gấp'), 'supplement_requested', 'Giấy chứng sinh (Bản chụp bị mờ)'],
      [e({ type: 'supplemented', dueAt: null }, 'Đã bổ sung'), 'supplemented', ''],
    ];
    for (const [event, head, detail] of cases) {
      const text = describeEvent(event);
      expect(recogniseStep(text), text).toEqual({ head, detail, reason: event.reason });
    }
    expect(describeEvent(cases[2]?.[0] as DossierEvent)).toBe('Phê duyệt, không đồng ý giải quyết: Không đủ điều kiện. Lý do: Thiếu giấy tờ');
    expect(recogniseStep('Chuyển xử lý')).toBeNull();
    expect(recogniseStep('Trả kết quảX')).toBeNull();
  });

  it('finds the day and number in codes of the configured format', () => {
    expect(codeParts(undefined, `${WARD}-260105-0042`, WARD)).toEqual({ day: '260105', seq: 42 });
    expect(codeParts(undefined, `${DISTRICT}-260105-0042`, WARD)).toBeNull();
    expect(codeParts('{agency}-{yyyyMMdd}-{seq7}', 'G09.20-20260609-0092637', 'G09.20')).toEqual({ day: '260609', seq: 92637 });
    expect(codeParts(undefined, 'G09.20-20260609-0092637', WARD)).toBeNull();
  });

  const foreign = (entries: { TrangThai: number; NoiDungXuLy?: string; PhongBanXuLy?: string; NgayKetThucTheoQuyDinh?: string }[], status: number): NationalDossier =>
    fromNational({
      MaHoSo: 'G09.20-20260609-0092637',
      MaTTHC: '1.001193',
      ChuHoSo: 'Trần Thị Bình',
      LoaiDoiTuong: 1,
      MaDonViTiepNhan: WARD,
      NgayNop: '2026-06-09 08:00:00',
      NgayHenTra: '2026-06-12 17:00:00',
      TrangThaiHoSo: status,
      ThongTinNguoiNop: { LoaiDoiTuong: 1, ThongTinChiTiet: { TenNguoiNop: 'Trần Thị Bình', SoDinhDanh: '001195012345', SoDienThoai: '', Email: null } },
      QuaTrinhXuLy: entries.map((x, i) => ({ ThoiDiemXuLy: `2026-06-09 ${String(8 + i).padStart(2, '0')}:00:00`, NguoiXuLy: 'Cán bộ', ...x })),
    });
  const ctx = { timeZone: TZ, workingDays: 3, agencyName: (c: string) => (c === DISTRICT ? 'UBND quận Ba Đình' : null), specialistId: () => null };
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      if (err instanceof AppError) return { status: err.status, fields: err.fields.map((x) => x.field) };
      throw err;
    }
    throw new Error('not refused');
  };

  it('rebuilds a portal history written by someone else from the status codes', () => {
    const input = foreign(
      [{ TrangThai: 1 }, { TrangThai: 2, NoiDungXuLy: 'Đã tiếp nhận' }, { TrangThai: 4, PhongBanXuLy: 'Phòng Tư pháp' }, { TrangThai: 4, PhongBanXuLy: DISTRICT }, { TrangThai: 9, NoiDungXuLy: 'Ký duyệt' }, { TrangThai: 10 }],
      10,
    );
    const events = rebuildEvents(input, ctx);
    expect(events.map((e) => e.data.type)).toEqual(['submitted', 'received', 'assigned', 'transferred', 'approved', 'result_returned']);
    expect(events[1]?.data).toEqual({ type: 'received', dueAt: '2026-06-12T10:00:00.000Z', workingDays: 3 });
    expect(events[1]?.reason).toBe('Đã tiếp nhận');
    expect(events[4]?.data).toEqual({ type: 'approved', decision: 'granted', summary: 'Ký duyệt' });
    expect(project(events)).toMatchObject({ status: 'RETURNED', holderAgency: WARD, involvedAgencies: [WARD, DISTRICT] });
    // A history that does not start with the submission gets one, at NgayNop.
    const later = rebuildEvents(foreign([{ TrangThai: 2 }], 2), ctx);
    expect(later.map((e) => [e.data.type, e.at])).toEqual([
      ['submitted', '2026-06-09T01:00:00.000Z'],
      ['received', '2026-06-09T01:00:00.000Z'],
    ]);
  });

  it('refuses what it cannot map, naming the field', () => {
    expect(refusal(() => rebuildEvents(foreign([{ TrangThai: 1 }, { TrangThai: 9 }], 9), ctx))).toEqual({ status: 422, fields: ['QuaTrinhXuLy.1.TrangThai'] });
    expect(refusal(() => rebuildEvents(foreign([{ TrangThai: 1 }, { TrangThai: 2 }, { TrangThai: 6 }], 6), ctx))).toEqual({ status: 422, fields: ['QuaTrinhXuLy.2.TrangThai'] });
    expect(refusal(() => rebuildEvents(foreign([{ TrangThai: 1 }, { TrangThai: 2 }], 4), ctx))).toEqual({ status: 422, fields: ['TrangThaiHoSo'] });
    expect(refusal(() => rebuildEvents(foreign([{ TrangThai: 1 }, { TrangThai: 2 }, { TrangThai: 4, PhongBanXuLy: '000.00.09.H26' }], 4), ctx))).toEqual({
      status: 422,
      fields: ['QuaTrinhXuLy.2.PhongBanXuLy'],
    });
    const noDue = { ...foreign([{ TrangThai: 1 }, { TrangThai: 2 }], 2), NgayHenTra: null };
    expect(refusal(() => rebuildEvents(noDue, ctx))).toEqual({ status: 422, fields: ['QuaTrinhXuLy.1.NgayKetThucTheoQuyDinh'] });
    expect(refusal(() => foreign([{ TrangThai: 1, NgayKetThucTheoQuyDinh: '2026-02-30 10:00:00' }], 1))).toEqual({ status: 400, fields: ['QuaTrinhXuLy.0.NgayKetThucTheoQuyDinh'] });
  });
});

// ---------------------------------------------------------------------------------------------

let t: TestApp;
let u: TestApp;
let source: { officers: SessionAccount[]; citizen: SessionAccount };
const clients = new Map<string, TestClient>();
const as = async (app: TestApp, login: string, password = PASSWORD) => {
  const key = `${app.url}|${login}`;
  let client = clients.get(key);
  if (!client) {
    client = await new TestClient(app.url).signIn(login, password);
    clients.set(key, client);
  }
  return client;
};

beforeAll(async () => {
  t = await createTestApp({ listen: true, demo: false });
  u = await createTestApp({ listen: true, demo: false });
  source = await prepare(t);
  await prepare(u);
  const other = await t.app.auth.service.registerCitizen(
    {
      fullName: 'Trần Thị Bình',
      personalId: '001195012345',
      birthDate: '1995-08-20',
      gender: 'female',
      phone: '0987654321',
      email: '',
      password: 'Binh@2026secret',
      passwordConfirm: 'Binh@2026secret',
    },
    { id: null, label: null, ip: '127.0.0.1', requestId: 'test' },
  );
  if (!other.ok) throw new Error(JSON.stringify(other.error));
}, 60_000);
afterAll(async () => {
  await t?.close();
  await u?.close();
});

describe('national format over HTTP', () => {
  let code = '';

  it('is described in the OpenAPI document', async () => {
    const doc = await (await fetch(`${t.url}/api/openapi.json`)).json();
    expect(doc.paths['/api/v1/dossiers/{code}/national'].get.operationId).toBe('exportDossierNational');
    expect(doc.paths['/api/v1/national/dossiers'].post.operationId).toBe('importDossierNational');
    expect(doc.paths['/api/v1/national/dossiers'].post.requestBody.content['application/json'].schema.properties.QuaTrinhXuLy.type).toBe('array');
  });

  it('exports a dossier with the portal’s codes, local dates and one progress entry per event', async () => {
    const citizen = await as(t, '0912345678');
    const submitted = await citizen.api('POST', '/api/v1/dossiers', application);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    code = submitted.body.code;
    await (await as(t, 'motcua.phucxa@test.vn')).api('POST', `/api/v1/dossiers/${code}/receive`, {});
    const specialist = (await t.app.dossiers.service.specialists(WARD))[0]?.id;
    const assigned = await (await as(t, 'lanhdao.phucxa@test.vn')).api('POST', `/api/v1/dossiers/${code}/assign`, { assigneeId: specialist });
    expect(assigned.status).toBe(200);
    const view = assigned.body;

    const res = await citizen.api('GET', `/api/v1/dossiers/${code}/national`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const x = res.body;
    expect(nationalDossierSchema.safeParse(x).success).toBe(true);
    expect(x).toMatchObject({
      MaHoSo: code,
      MaTTHC: '1.001193',
      MaDichVuCong: '1.001193',
      ChuHoSo: 'Nguyễn Văn An',
      LoaiDoiTuong: 0,
      MaDonViTiepNhan: WARD,
      NgayNop: vn(view.submittedAt),
      NgayTiepNhan: vn(view.receivedAt),
      NgayHenTra: vn(view.dueAt),
      TrangThaiHoSo: 4,
      ThanhPhanHoSo: [{ MaThanhPhanHoSo: 'giay-to-1', TenThanhPhanHoSo: 'Tờ khai', SoLuong: 1, LoaiBan: 0, GiayToDinhKem: [] }],
      ThongTinNguoiNop: {
        LoaiDoiTuong: 0,
        ThongTinChiTiet: {
          TenNguoiNop: 'Nguyễn Văn An',
          SoDinhDanh: '001090012345',
          SoDienThoai: '0912345678',
          Email: 'citizen@example.vn',
          DiaChiChiTiet: 'Số 1 Phúc Xá, Ba Đình, Hà Nội',
          TenChuHs: 'Nguyễn Văn An',
          SoDinhDanhChuHs: '001090012345',
        },
      },
    });
    expect(x.NgayNop).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(x.QuaTrinhXuLy).toEqual([
      {
        MaHoSo: code,
        NguoiXuLy: 'Nguyễn Văn An',
        ThoiDiemXuLy: vn(view.history[0].at),
        PhongBanXuLy: WARD,
        NoiDungXuLy: 'Nộp hồ sơ trực tuyến',
        TrangThai: 1,
        NgayBatDau: vn(view.history[0].at),
        NgayKetThucTheoQuyDinh: null,
      },
      {
        MaHoSo: code,
        NguoiXuLy: 'Hoàng Minh Tuấn',
        ThoiDiemXuLy: vn(view.history[1].at),
        PhongBanXuLy: WARD,
        NoiDungXuLy: 'Tiếp nhận hồ sơ',
        TrangThai: 2,
        NgayBatDau: vn(view.history[0].at),
        NgayKetThucTheoQuyDinh: vn(view.dueAt),
      },
      {
        MaHoSo: code,
        NguoiXuLy: 'Đỗ Văn Lãnh',
        ThoiDiemXuLy: vn(view.history[2].at),
        PhongBanXuLy: WARD,
        NoiDungXuLy: 'Phân công chuyên viên xử lý: Vũ Thị Chuyên',
        TrangThai: 4,
        NgayBatDau: vn(view.history[1].at),
        NgayKetThucTheoQuyDinh: vn(view.dueAt),
      },
    ]);
  });

  it('exports only to those who may read the dossier', async () => {
    expect((await (await as(t, '0987654321', 'Binh@2026secret')).api('GET', `/api/v1/dossiers/${code}/national`)).status).toBe(404);
    expect((await (await as(t, 'lanhdao.badinh@test.vn')).api('GET', `/api/v1/dossiers/${code}/national`)).status).toBe(404);
    expect((await fetch(`${t.url}/api/v1/dossiers/${code}/national`)).status).toBe(401);
    expect((await (await as(t, 'lanhdao.phucxa@test.vn')).api('GET', `/api/v1/dossiers/${code}/national`)).status).toBe(200);
  });

  it('imports into another database: same status, holder, due date and history; a second import is refused', async () => {
    const exported = (await (await as(t, 'motcua.phucxa@test.vn')).api('GET', `/api/v1/dossiers/${code}/national`)).body;
    const clerk = await as(u, 'motcua.phucxa@test.vn');
    const res = await clerk.api('POST', '/api/v1/national/dossiers', exported);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const original = await t.app.dossiers.service.store.load({ code });
    expect(res.body).toMatchObject({ code, status: 'PROCESSING', nationalStatus: 4, holderAgency: WARD, dueAt: original?.row.due_at, events: 3 });
    // The officer of the ward sees it as any other dossier, assigned to the same specialist.
    const view = (await clerk.api('GET', `/api/v1/dossiers/${code}`)).body;
    expect(view).toMatchObject({ status: 'PROCESSING', assigneeName: 'Vũ Thị Chuyên', channel: 'online', applicant: { name: 'Nguyễn Văn An', personalId: '001090012345' } });
    expect(view.assigneeId).toBe((await u.app.dossiers.service.specialists(WARD))[0]?.id);
    expect((await clerk.api('GET', `/api/v1/dossiers/${code}/national`)).body).toEqual(exported);
    const audit = await u.app.audit.list({ targetTypes: ['dossier'] });
    expect(audit.some((r) => r.action === 'dossier.imported' && r.target_id === code)).toBe(true);

    const again = await clerk.api('POST', '/api/v1/national/dossiers', exported);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'DOSSIER_EXISTS', message: `Hồ sơ ${code} đã có trong hệ thống.` });
  });

  it('a code in the local format moves the daily counter past it', async () => {
    const exported = (await (await as(t, 'motcua.phucxa@test.vn')).api('GET', `/api/v1/dossiers/${code}/national`)).body;
    const taken = code.replace(/-\d{4}$/, '-0050');
    const payload = { ...exported, MaHoSo: taken, QuaTrinhXuLy: exported.QuaTrinhXuLy.map((e: any) => ({ ...e, MaHoSo: taken })) };
    expect((await (await as(u, 'motcua.phucxa@test.vn')).api('POST', '/api/v1/national/dossiers', payload)).status).toBe(201);
    const next = await (await as(u, '0912345678')).api('POST', '/api/v1/dossiers', application);
    expect(next.body.code).toBe(code.replace(/-\d{4}$/, '-0051'));
  });

  it('refuses a malformed payload naming each field, in Vietnamese', async () => {
    const clerk = await as(u, 'motcua.phucxa@test.vn');
    const res = await clerk.api('POST', '/api/v1/national/dossiers', {
      MaHoSo: 'X',
      MaTTHC: '1.001193',
      ChuHoSo: 'Nguyễn Văn An',
      LoaiDoiTuong: 0,
      MaDonViTiepNhan: WARD,
      NgayNop: '09/06/2026 08:00',
      TrangThaiHoSo: 11,
      ThongTinNguoiNop: { LoaiDoiTuong: 0, ThongTinChiTiet: { TenNguoiNop: 'Nguyễn Văn An', SoDienThoai: '12345' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toEqual(
      expect.arrayContaining([
        { field: 'MaHoSo', message: 'Mã hồ sơ không hợp lệ (chỉ gồm chữ, số, dấu chấm và gạch ngang).' },
        { field: 'NgayNop', message: 'Ngày giờ phải theo định dạng yyyy-MM-dd HH:mm:ss và là ngày có thật.' },
        { field: 'TrangThaiHoSo', message: 'Giá trị lớn nhất là 10.' },
        { field: 'ThongTinNguoiNop.ThongTinChiTiet.SoDienThoai', message: 'Số điện thoại gồm 10 chữ số, bắt đầu bằng 0.' },
      ]),
    );
  });

  it('refuses a history it cannot map with 422, naming the field', async () => {
    const exported = (await (await as(t, 'motcua.phucxa@test.vn')).api('GET', `/api/v1/dossiers/${code}/national`)).body;
    const clerk = await as(u, 'motcua.phucxa@test.vn');
    const fresh = (over: Record<string, unknown>, n: number) => {
      const c = code.replace(/-\d{4}$/, `-09${n}0`);
      return { ...exported, MaHoSo: c, QuaTrinhXuLy: exported.QuaTrinhXuLy.map((e: any) => ({ ...e, MaHoSo: c })), ...over };
    };
    const payment = fresh({}, 1);
    payment.QuaTrinhXuLy[2] = { ...payment.QuaTrinhXuLy[2], TrangThai: 6 };
    const res = await clerk.api('POST', '/api/v1/national/dossiers', payment);
    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({
      code: 'NATIONAL_UNMAPPABLE',
      message: 'Không chuyển được hồ sơ vào quy trình một cửa của hệ thống. Vui lòng kiểm tra các trường được nêu.',
      fields: [{ field: 'QuaTrinhXuLy.2.TrangThai', message: 'Trạng thái 6 (Yêu cầu thực hiện nghĩa vụ tài chính) chưa được hệ thống hỗ trợ.' }],
    });
    const mismatch = await clerk.api('POST', '/api/v1/national/dossiers', fresh({ TrangThaiHoSo: 9 }, 2));
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.fields).toEqual([{ field: 'TrangThaiHoSo', message: 'Trạng thái hồ sơ 9 không khớp với trạng thái sau quá trình xử lý (4).' }]);
    const unknown = await clerk.api('POST', '/api/v1/national/dossiers', fresh({ MaTTHC: '1.999999' }, 3));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.fields).toEqual([{ field: 'MaTTHC', message: 'Thủ tục 1.999999 không có trong danh mục thủ tục hành chính.' }]);
    expect(await u.app.dossiers.service.store.load({ code: payment.MaHoSo })).toBeNull();
  });

  it('only officers of the receiving agency may import', async () => {
    const exported = (await (await as(t, 'motcua.phucxa@test.vn')).api('GET', `/api/v1/dossiers/${code}/national`)).body;
    const payload = { ...exported, MaHoSo: code.replace(/-\d{4}$/, '-0999'), QuaTrinhXuLy: [], TrangThaiHoSo: 1 };
    const district = await (await as(u, 'lanhdao.badinh@test.vn')).api('POST', '/api/v1/national/dossiers', payload);
    expect(district.status).toBe(403);
    expect(district.body.error.code).toBe('FORBIDDEN');
    expect((await (await as(u, '0912345678')).api('POST', '/api/v1/national/dossiers', payload)).status).toBe(403);
    expect((await new TestClient(u.url).api('POST', '/api/v1/national/dossiers', payload)).status).toBe(401);
    expect(await u.app.dossiers.service.store.load({ code: payload.MaHoSo })).toBeNull();
    // The same payload from the ward itself goes in (a history of just the submission).
    const ward = await (await as(u, 'motcua.phucxa@test.vn')).api('POST', '/api/v1/national/dossiers', payload);
    expect(ward.status, JSON.stringify(ward.body)).toBe(201);
    expect(ward.body).toMatchObject({ status: 'NEW', events: 1 });
  });
});

// ---------------------------------------------------------------------------------------------

const localDate = (iso: string, days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.parse(iso) + days * 86_400_000));

/** A valid input for each action, varied by `n`. */
async function inputFor(action: Action, view: { holderAgency: string; dueAt: string | null }, n: number): Promise<Record<string, unknown>> {
  const reason = n % 2 ? { reason: 'Lý do thử nghiệm số ' + n } : {};
  switch (action) {
    case 'receive':
      return n % 3 ? {} : { note: 'Đủ giấy tờ' };
    case 'requestSupplement':
      return { items: [{ name: 'Giấy chứng sinh', reason: 'Bản chụp bị mờ' }], ...(n % 2 ? { note: 'Bổ sung trong 5 ngày' } : {}) };
    case 'refuse':
    case 'returnForRework':
    case 'stop':
    case 'withdraw':
      return { reason: `Lý do ${n}` };
    case 'assign':
      return { assigneeId: (await t.app.dossiers.service.specialists(view.holderAgency))[0]?.id };
    case 'transfer':
      return { toAgency: view.holderAgency === WARD ? DISTRICT : WARD, ...(n % 2 ? { note: 'Xin ý kiến' } : {}) };
    case 'sendForApproval':
      return {};
    case 'approve':
      return { decision: n % 2 ? 'granted' : 'denied', summary: `Kết quả số ${n}`, ...reason };
    case 'returnResult':
      return { method: (['counter', 'online', 'post'] as const)[n % 3] };
    case 'issueApology':
      return { reason: 'Cần xác minh thêm', newDueDate: localDate(view.dueAt ?? new Date().toISOString(), 1 + (n % 3)) };
    case 'supplement':
      return { note: 'Đã bổ sung bản rõ' };
  }
}

const closing: ReadonlySet<Action> = new Set(['refuse', 'withdraw', 'stop']);

describe('round trip property', () => {
  it('any dossier moved through valid actions, exported and imported into a fresh database, keeps status, holder, due date and events', async () => {
    const service = t.app.dossiers.service;
    const actors = [source.citizen, ...source.officers];
    const clerk = source.officers[0] as SessionAccount;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 24 }), fc.boolean(), async (picks, atCounter) => {
        const submitted = atCounter
          ? await service.submit({ ...application, channel: 'counter' }, { account: clerk, actor: testActor })
          : await service.submit(application, { account: source.citizen, actor: testActor });
        const { id, code } = submitted;
        for (const n of picks) {
          const options: { who: SessionAccount; action: Action; view: { holderAgency: string; dueAt: string | null } }[] = [];
          for (const who of actors) {
            const view = await service.get(id, who);
            for (const action of view?.actions ?? []) if (view) options.push({ who, action, view });
          }
          // Closing steps are taken now and then, so that most walks go a long way first.
          const onward = options.filter((o) => !closing.has(o.action));
          const pool = n % 8 === 7 || onward.length === 0 ? options : onward;
          const pick = pool[n % Math.max(pool.length, 1)];
          if (!pick) break;
          await service.act(id, pick.action, await inputFor(pick.action, pick.view, Math.floor(n / 64)), { account: pick.who, actor: testActor });
        }

        const out = await (await as(t, 'motcua.phucxa@test.vn')).api('GET', `/api/v1/dossiers/${code}/national`);
        expect(out.status).toBe(200);
        expect(nationalDossierSchema.safeParse(out.body).success).toBe(true);
        const importer = await as(u, 'motcua.phucxa@test.vn');
        const res = await importer.api('POST', '/api/v1/national/dossiers', fromNational(out.body));
        expect(res.status, JSON.stringify(res.body)).toBe(201);

        const a = await service.store.load({ id });
        const b = await u.app.dossiers.service.store.load({ code });
        if (!a || !b) throw new Error('missing');
        const [sa, sb] = [project(a.events), project(b.events)];
        expect({ status: sb.status, national: statuses[sb.status], holder: sb.holderAgency, due: sb.dueAt, events: b.events.length }).toEqual({
          status: sa.status,
          national: statuses[sa.status],
          holder: sa.holderAgency,
          due: sa.dueAt,
          events: a.events.length,
        });
        expect(b.row).toMatchObject({ status: a.row.status, national_status: a.row.national_status, holder_agency: a.row.holder_agency, due_at: a.row.due_at, stage: a.row.stage });
        // Exported again from the second database, it is the same document.
        expect((await importer.api('GET', `/api/v1/dossiers/${code}/national`)).body).toEqual(out.body);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
