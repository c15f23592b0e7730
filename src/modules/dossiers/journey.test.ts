import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { loadTestCatalog } from '../../../test/helpers/catalog.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { testActor } from '../../../test/helpers/platform.ts';

/**
 * The one-stop shop over real HTTP on a real database: a citizen applies online, the commune
 * counter asks once for papers, the citizen supplies them, the dossier is received, assigned,
 * handed to the district and back, approved and handed over.
 */
const PASSWORD = 'Demo@2026pass';
const WARD = '000.01.01.H26';
const DISTRICT = '000.00.01.H26';

let t: TestApp;
const as = async (login: string) => new TestClient(t.url).signIn(login, PASSWORD);

beforeAll(async () => {
  t = await createTestApp({ listen: true, demo: false });
  await loadTestCatalog(t);
  await t.app.auth.service.ensureDemoAccounts();
  const auth = t.app.auth.service;
  const admin = { id: 'system', kind: 'officer' as const, label: 'system', agencyCode: '000.00.00.H26', roles: ['city_admin' as const] };
  const officers = [
    { fullName: 'Hoàng Minh Tuấn', email: 'motcua.phucxa@test.vn', agencyCode: WARD, roles: ['counter_clerk'] },
    { fullName: 'Đỗ Văn Lãnh', email: 'lanhdao.phucxa@test.vn', agencyCode: WARD, roles: ['leader'] },
    { fullName: 'Vũ Thị Chuyên', email: 'chuyenvien.phucxa@test.vn', agencyCode: WARD, roles: ['specialist'] },
    { fullName: 'Ngô Quận Trưởng', email: 'lanhdao.badinh@test.vn', agencyCode: DISTRICT, roles: ['leader'] },
    { fullName: 'Bùi Chuyên Viên', email: 'chuyenvien.badinh@test.vn', agencyCode: DISTRICT, roles: ['specialist'] },
  ];
  for (const o of officers) {
    const r = await auth.createOfficer({ ...o, password: PASSWORD, passwordConfirm: PASSWORD } as never, admin as never, testActor);
    if (!r.ok) throw new Error(`officer ${o.email}: ${JSON.stringify(r.error)}`);
  }
});
afterAll(() => t?.close());

const application = {
  procedureCode: '1.001193',
  receivingAgency: WARD,
  applicant: { fullName: 'Nguyễn Văn An', personalId: '001090012345', phone: '0912345678', email: 'citizen@example.vn', address: 'Số 1 Phúc Xá, Ba Đình, Hà Nội' },
  form: { requestContent: 'Đăng ký khai sinh cho con Nguyễn Văn Bình' },
};

describe('a dossier from submission to result', () => {
  let code = '';
  let secret = '';

  it('a citizen submits online and gets a code in the configured format', async () => {
    const citizen = await as('0912345678');
    const res = await citizen.api('POST', '/api/v1/dossiers', application);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    code = res.body.code;
    secret = res.body.trackingSecret;
    expect(code).toMatch(/^000\.01\.01\.H26-\d{6}-0001$/);
    const mine = await citizen.api('GET', `/api/v1/dossiers/${code}`);
    expect(mine.body).toMatchObject({ status: 'NEW', nationalStatus: 1, holderAgency: WARD, actions: ['withdraw'] });
  });

  it('anyone with the code and the receipt key can track it; without the key nothing is revealed', async () => {
    const ok = await fetch(`${t.url}/api/v1/track?code=${code}&secret=${secret}`);
    expect((await ok.json()).status).toBe('NEW');
    const wrong = await fetch(`${t.url}/api/v1/track?code=${code}&secret=AAAAAA`);
    expect(wrong.status).toBe(404);
  });

  it('the counter asks once for missing papers; a second request at intake is refused and changes nothing', async () => {
    const clerk = await as('motcua.phucxa@test.vn');
    const inbox = await clerk.api('GET', '/api/v1/inbox?box=new');
    expect(inbox.body.items.map((i: { code: string }) => i.code)).toContain(code);
    const asked = await clerk.api('POST', `/api/v1/dossiers/${code}/request-supplement`, { items: [{ name: 'Giấy chứng sinh', reason: 'Bản chụp bị mờ, không đọc được' }] });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    expect(asked.body.status).toBe('WAITING_SUPPLEMENT');
    const citizen = await as('0912345678');
    const supplied = await citizen.api('POST', `/api/v1/dossiers/${code}/supplement`, { note: 'Đã tải lên bản chụp rõ' });
    expect(supplied.body.status).toBe('NEW');
    const again = await clerk.api('POST', `/api/v1/dossiers/${code}/request-supplement`, { items: [{ name: 'Tờ khai', reason: 'Thiếu chữ ký' }] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SUPPLEMENT_ALREADY_REQUESTED');
    const after = await clerk.api('GET', `/api/v1/dossiers/${code}`);
    expect(after.body.history).toHaveLength(3);
  });

  it('out-of-order actions and other agencies are refused, and the dossier is unchanged', async () => {
    const districtLeader = await as('lanhdao.badinh@test.vn');
    const foreign = await districtLeader.api('GET', `/api/v1/dossiers/${code}`);
    expect(foreign.status).toBe(404);
    const justiceLeader = await as('lanhdao.stp@hanoi.gov.vn');
    expect((await justiceLeader.api('POST', `/api/v1/dossiers/${code}/approve`, { decision: 'granted', summary: 'x' })).status).toBe(404);
    const wardLeader = await as('lanhdao.phucxa@test.vn');
    const early = await wardLeader.api('POST', `/api/v1/dossiers/${code}/approve`, { decision: 'granted', summary: 'Cấp giấy khai sinh' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('DOSSIER_WRONG_STATE');
    expect(early.body.error.message).toBe('Thao tác này không thực hiện được ở trạng thái hiện tại của hồ sơ.');
    const denied = await t.app.audit.list({ targetTypes: ['dossier'] });
    expect(denied.some((r) => r.action === 'dossier.denied' && r.target_id === code)).toBe(true);
    expect((await wardLeader.api('GET', `/api/v1/dossiers/${code}`)).body.history).toHaveLength(3);
  });

  it('received with a due date, assigned, handed to the district and back, approved, returned', async () => {
    const clerk = await as('motcua.phucxa@test.vn');
    const received = await clerk.api('POST', `/api/v1/dossiers/${code}/receive`, {});
    expect(received.body.status).toBe('RECEIVED');
    expect(received.body.dueAt).toMatch(/T\d\d:00:00\.000Z$/);

    // The receipt (form 01) as a PDF, for the counter and for the applicant; not for others.
    const receipt = await clerk.get(`/backoffice/dossiers/${code}/notices/receipt.pdf`);
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await receipt.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await (await as('0912345678')).get(`/my/dossiers/${code}/notices/receipt.pdf`)).status).toBe(200);
    expect((await (await as('lanhdao.badinh@test.vn')).get(`/backoffice/dossiers/${code}/notices/receipt.pdf`)).status).toBe(404);

    const wardLeader = await as('lanhdao.phucxa@test.vn');
    const specialistId = (await t.app.dossiers.service.specialists(WARD))[0]?.id;
    const assigned = await wardLeader.api('POST', `/api/v1/dossiers/${code}/assign`, { assigneeId: specialistId });
    expect(assigned.body).toMatchObject({ status: 'PROCESSING', assigneeName: 'Vũ Thị Chuyên' });

    // The assignee is warned before the deadline, once, however often the check runs.
    const outboxRows = () => t.app.handle.db.selectFrom('outbox_messages').select('dedupe_key').where('dedupe_key', 'like', 'due-warning:%').execute();
    expect(await t.app.dossiers.service.warnDueSoon()).toBeGreaterThan(0);
    const warnings = (await outboxRows()).length;
    expect(warnings).toBeGreaterThan(0);
    await t.app.dossiers.service.warnDueSoon();
    expect((await outboxRows()).length).toBe(warnings);

    const wardSpecialist = await as('chuyenvien.phucxa@test.vn');
    const sent = await wardSpecialist.api('POST', `/api/v1/dossiers/${code}/transfer`, { toAgency: DISTRICT, note: 'Xin ý kiến quận' });
    expect(sent.status).toBe(200);
    // Once handed over, the ward can still read it but no longer act on it.
    expect((await wardSpecialist.api('GET', `/api/v1/dossiers/${code}`)).body.actions).toEqual([]);

    const districtLeader = await as('lanhdao.badinh@test.vn');
    expect((await districtLeader.api('GET', '/api/v1/inbox?box=to-assign')).body.items.map((i: { code: string }) => i.code)).toContain(code);
    const back = await districtLeader.api('POST', `/api/v1/dossiers/${code}/transfer`, { toAgency: WARD, note: 'Đồng ý' });
    expect(back.body.holderAgency).toBe(WARD);

    await wardLeader.api('POST', `/api/v1/dossiers/${code}/assign`, { assigneeId: specialistId });
    expect((await wardSpecialist.api('POST', `/api/v1/dossiers/${code}/send-for-approval`, {})).status).toBe(200);
    const approved = await wardLeader.api('POST', `/api/v1/dossiers/${code}/approve`, { decision: 'granted', summary: 'Cấp Giấy khai sinh số 123/2026' });
    expect(approved.body).toMatchObject({ status: 'DONE', nationalStatus: 9, decision: 'granted', holderRole: 'counter_clerk' });
    const returned = await clerk.api('POST', `/api/v1/dossiers/${code}/return-result`, { method: 'counter' });
    expect(returned.body).toMatchObject({ status: 'RETURNED', nationalStatus: 10, actions: [] });
    const types = returned.body.history.map((e: { data: { type: string } }) => e.data.type);
    expect(types).toEqual(['submitted', 'supplement_requested', 'supplemented', 'received', 'assigned', 'transferred', 'transferred', 'assigned', 'sent_for_approval', 'approved', 'result_returned']);
  });

  it('codes are gap-free and unique under concurrent submissions', async () => {
    const citizen = await as('0912345678');
    const results = await Promise.all(Array.from({ length: 12 }, () => citizen.api('POST', '/api/v1/dossiers', application)));
    const codes = results.map((r) => r.body.code as string);
    expect(new Set(codes).size).toBe(12);
    const seqs = codes.map((c) => Number(c.slice(-4))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
  });
});

describe('stage deadlines', () => {
  it('split the procedure’s time by its workflow and end on the dossier’s due date', async () => {
    const citizen = await as('0912345678');
    const submitted = await citizen.api('POST', '/api/v1/dossiers', { ...application, procedureCode: '2.001417', receivingAgency: '000.00.06.H26' });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const view = await t.app.dossiers.service.getByCode(submitted.body.code, { id: 'x', kind: 'officer', label: 'x', agencyCode: '000.00.06.H26', roles: ['counter_clerk'] });
    if (!view) throw new Error('no view');
    const received = await t.app.dossiers.service.act(view.id, 'receive', {}, { account: { id: 'x', kind: 'officer', label: 'x', agencyCode: '000.00.06.H26', roles: ['counter_clerk'] }, actor: testActor });
    const stages = await t.app.dossiers.service.stageDeadlines(received);
    // 10 working days: 9 for appraisal, 1 for the leader, the result on the due date.
    expect(stages.processing && stages.approval && stages.processing < stages.approval).toBe(true);
    expect(stages.result).toBe(received.dueAt);
    expect(stages.approval).toBe(received.dueAt);
  });
});

describe('a configured code format', () => {
  let other: TestApp;
  beforeAll(async () => {
    // Two numbers, one of them narrower than the numbers it will hold: it grows, never cut.
    other = await createTestApp({ listen: true, demo: false, env: { EGOV_DOSSIER_CODE_FORMAT: 'HS{seq1}.{agency}-{yyyyMMdd}-{seq3}' } });
    await loadTestCatalog(other);
    await other.app.auth.service.ensureDemoAccounts();
  });
  afterAll(() => other?.close());

  it('numbers concurrent submissions in that format, gap-free, on either database', async () => {
    const citizen = await new TestClient(other.url).signIn('0912345678', PASSWORD);
    const results = await Promise.all(Array.from({ length: 11 }, () => citizen.api('POST', '/api/v1/dossiers', application)));
    const codes = results.map((r) => r.body.code as string).sort((a, b) => a.length - b.length || a.localeCompare(b));
    const day = /-(20\d{6})-/.exec(codes[0] ?? '')?.[1];
    expect(codes).toEqual(Array.from({ length: 11 }, (_, i) => `HS${i + 1}.${WARD}-${day}-${String(i + 1).padStart(3, '0')}`));
    const stored = await other.app.dossiers.service.store.db.selectFrom('dossiers').select('code').execute();
    expect(stored.map((r) => r.code).sort()).toEqual([...codes].sort());
  });
});
