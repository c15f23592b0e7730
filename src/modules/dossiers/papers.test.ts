import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { loadTestCatalog } from '../../../test/helpers/catalog.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { testActor } from '../../../test/helpers/platform.ts';

/** Papers submitted with a dossier: checked by content, committed with it, served only to those entitled. */
const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/files');
const pdf = readFileSync(path.join(fixtures, 'sample.pdf'));
const disguised = readFileSync(path.join(fixtures, 'html-renamed.pdf'));
const WARD = '000.01.01.H26';

let t: TestApp;
let citizen: TestClient;

beforeAll(async () => {
  t = await createTestApp({ listen: true, demo: false });
  await loadTestCatalog(t);
  await t.app.auth.service.ensureDemoAccounts();
  const admin = { id: 'system', kind: 'officer' as const, label: 'system', agencyCode: '000.00.00.H26', roles: ['city_admin' as const] };
  const r = await t.app.auth.service.createOfficer(
    { fullName: 'Cán bộ Một Cửa', email: 'motcua@test.vn', agencyCode: WARD, roles: ['counter_clerk'], password: 'Demo@2026pass', passwordConfirm: 'Demo@2026pass' } as never,
    admin as never,
    testActor,
  );
  if (!r.ok) throw new Error('officer');
  citizen = await new TestClient(t.url).signIn('0912345678', 'Demo@2026pass');
});
afterAll(() => t?.close());

const payload = {
  procedureCode: '1.001193',
  receivingAgency: WARD,
  applicant: { fullName: 'Nguyễn Văn An', personalId: '001090012345', phone: '0912345678', address: 'Phúc Xá, Ba Đình, Hà Nội' },
  form: { requestContent: 'Đăng ký khai sinh cho con' },
};

function form(files: { slot: string; name: string; data: Buffer; type: string }[], body: unknown = payload): FormData {
  const f = new FormData();
  f.append('payload', JSON.stringify(body));
  for (const file of files) f.append(file.slot, new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  return f;
}

async function post(f: FormData) {
  // Reuse the client's session and CSRF header; fetch sets the multipart boundary itself.
  await citizen.api('GET', '/api/v1/me');
  const token = /name="_csrf" value="([^"]+)"/.exec(await (await citizen.get('/')).text())?.[1] ?? '';
  const res = await citizen.request('POST', '/api/v1/dossiers', f, { 'x-csrf-token': token, accept: 'application/json' });
  return { status: res.status, body: await res.json() };
}

const blobCount = () => {
  const dir = path.join(t.app.config.dataDir, 'files');
  const walk = (d: string): number => readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.tmp') ? 0 : 1), 0);
  try {
    return walk(dir);
  } catch {
    return 0;
  }
};

describe('papers with a submission', () => {
  it('stores the papers with the dossier, with their SHA-256, and serves them to the counter', async () => {
    const res = await post(form([{ slot: 'giay-to-1', name: 'Tờ khai khai sinh.pdf', data: pdf, type: 'application/pdf' }]));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const view = await citizen.api('GET', `/api/v1/dossiers/${res.body.code}`);
    expect(view.body.attachments).toHaveLength(1);
    expect(view.body.attachments[0]).toMatchObject({ slot: 'giay-to-1', fileName: 'Tờ khai khai sinh.pdf', mediaType: 'application/pdf', size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') });
    const clerk = await new TestClient(t.url).signIn('motcua@test.vn', 'Demo@2026pass');
    const file = await clerk.get(`/backoffice/dossiers/${res.body.code}/papers/${view.body.attachments[0].id}`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
    // Someone with no business with the dossier cannot fetch it, even with the id.
    const other = await new TestClient(t.url).signIn('lanhdao.stp@hanoi.gov.vn', 'Demo@2026pass');
    expect((await other.get(`/backoffice/dossiers/${res.body.code}/papers/${view.body.attachments[0].id}`)).status).toBe(404);
  });

  it('refuses a web page disguised as a PDF: 415 naming the paper, no dossier, no file kept', async () => {
    const blobs = blobCount();
    const countDossiers = async () => (await t.app.dossiers.service.store.db.selectFrom('dossiers').select('id').execute()).length;
    const dossiersBefore = await countDossiers();
    const res = await post(form([{ slot: 'giay-to-1', name: 'giay-chung-sinh.pdf', data: disguised, type: 'application/pdf' }]));
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('FILE_TYPE_NOT_ALLOWED');
    expect(res.body.error.fields[0].field).toBe('giay-to-1');
    expect(await countDossiers()).toBe(dossiersBefore);
    expect(blobCount()).toBe(blobs);
  });

  it('refuses a file for a paper the procedure does not ask for, and a payload after the files', async () => {
    const wrongSlot = await post(form([{ slot: 'giay-to-99', name: 'x.pdf', data: pdf, type: 'application/pdf' }]));
    expect(wrongSlot.status).toBe(400);
    expect(wrongSlot.body.error.fields[0].field).toBe('giay-to-99');
    const f = new FormData();
    f.append('giay-to-1', new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), 'a.pdf');
    f.append('payload', JSON.stringify(payload));
    const late = await post(f);
    expect(late.status).toBe(400);
    expect(late.body.error.fields[0].field).toBe('payload');
  });
});

describe('walk-in dossiers with scanned papers', () => {
  it('the counter registers a dossier with its scans in one step', async () => {
    const clerk = await new TestClient(t.url).signIn('motcua@test.vn', 'Demo@2026pass');
    const page = await (await clerk.get('/backoffice/dossiers/new?procedureCode=1.001193')).text();
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    expect(action).toMatch(/^\/backoffice\/dossiers\/new\?_csrf=/);
    const f = new FormData();
    for (const [k, v] of Object.entries({ procedureCode: '1.001193', channel: 'post', fullName: 'Lê Thị Hoa', personalId: '001195012346', address: 'Phúc Xá, Ba Đình', 'form.requestContent': 'Đăng ký khai sinh' })) f.append(k, v);
    f.append('giay-to-1', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'scan.pdf');
    const res = await clerk.request('POST', action ?? '', f);
    expect(res.status).toBe(303);
    const code = res.headers.get('location')?.split('/').pop() ?? '';
    const view = await clerk.api('GET', `/api/v1/dossiers/${code}`);
    expect(view.body).toMatchObject({ channel: 'post', status: 'NEW', applicant: { name: 'Lê Thị Hoa' } });
    expect(view.body.attachments.map((a: { fileName: string }) => a.fileName)).toEqual(['scan.pdf']);
  });
});

describe('the result document', () => {
  it('is attached with the decision and reaches the applicant', async () => {
    const auth = t.app.auth.service;
    const admin = { id: 'system', kind: 'officer' as const, label: 'system', agencyCode: '000.00.00.H26', roles: ['city_admin' as const] };
    for (const [email, role] of [['lanhdao@test.vn', 'leader'], ['chuyenvien@test.vn', 'specialist']] as const) {
      const r = await auth.createOfficer({ fullName: `Cán bộ ${role}`, email, agencyCode: WARD, roles: [role], password: 'Demo@2026pass', passwordConfirm: 'Demo@2026pass' } as never, admin as never, testActor);
      if (!r.ok) throw new Error(email);
    }
    const submitted = await citizen.api('POST', '/api/v1/dossiers', payload);
    const code = submitted.body.code as string;
    const clerk = await new TestClient(t.url).signIn('motcua@test.vn', 'Demo@2026pass');
    const leader = await new TestClient(t.url).signIn('lanhdao@test.vn', 'Demo@2026pass');
    const specialist = await new TestClient(t.url).signIn('chuyenvien@test.vn', 'Demo@2026pass');
    await clerk.api('POST', `/api/v1/dossiers/${code}/receive`, {});
    const specialistId = (await t.app.dossiers.service.specialists(WARD))[0]?.id;
    await leader.api('POST', `/api/v1/dossiers/${code}/assign`, { assigneeId: specialistId });
    await specialist.api('POST', `/api/v1/dossiers/${code}/send-for-approval`, {});

    const page = await (await leader.get(`/backoffice/dossiers/${code}`)).text();
    const action = /action="(\/backoffice\/dossiers\/[^"]+\/actions\/approve\?_csrf=[^"]+)" enctype="multipart\/form-data"/.exec(page)?.[1]?.replaceAll('&amp;', '&');
    expect(action).toBeDefined();
    const f = new FormData();
    f.append('decision', 'granted');
    f.append('summary', 'Cấp Giấy khai sinh bản chính');
    f.append('ket-qua', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'giay-khai-sinh.pdf');
    const res = await leader.request('POST', action ?? '', f);
    expect(res.status).toBe(303);
    const mine = await citizen.api('GET', `/api/v1/dossiers/${code}`);
    expect(mine.body).toMatchObject({ status: 'DONE', decision: 'granted' });
    const result = mine.body.attachments.find((a: { slot: string }) => a.slot === 'ket-qua');
    expect(result?.fileName).toBe('giay-khai-sinh.pdf');
    const download = await citizen.get(`/my/dossiers/${code}/papers/${result.id}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
  });
});
