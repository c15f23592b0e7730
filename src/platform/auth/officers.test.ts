import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';
import { demoAccounts } from './index.ts';

/** Officers: the back office, and officer administration by city and agency admins. */
let t: TestApp;
const justice = '000.00.02.H26';
const phucXa = '000.00.61.H26';

beforeAll(async () => {
  t = await createTestApp({ listen: true, demo: false });
  await t.app.auth.service.ensureDemoAccounts();
});
afterAll(() => t?.close());

const db = () => t.app.handle.db;
const demo = (role: string) => {
  const a = demoAccounts.find((d) => d.role === role);
  if (!a) throw new Error(role);
  return a;
};

async function signIn(login: string, password: string) {
  const c = new TestClient(t.url);
  const res = await c.submit('/login', '/login', { login, password });
  if (res.status !== 303) throw new Error(`sign-in of ${login} failed: ${res.status}`);
  return Object.assign(c, { landing: res.headers.get('location') });
}
const as = (role: string) => signIn(demo(role).login, demo(role).password);

const officer = (over: Record<string, string | string[]> = {}) => ({
  fullName: 'Đỗ Thị Hạnh',
  email: `hanh.${Math.random().toString(36).slice(2, 8)}@hanoi.gov.vn`,
  phone: '',
  agencyCode: justice,
  roles: ['specialist'],
  password: 'Hanh@2026secret',
  ...over,
});

describe('demo accounts and the back office', () => {
  it('creates each demo account once, and sends officers to the back office', async () => {
    await t.app.auth.service.ensureDemoAccounts();
    const rows = await db().selectFrom('accounts').select(['kind', 'agency_code']).execute();
    expect(rows).toHaveLength(demoAccounts.length);
    for (const d of demoAccounts) {
      const c = await signIn(d.login, d.password);
      expect(c.landing, d.login).toBe(d.role === 'citizen' ? '/account' : '/backoffice');
    }
    const me = await (await (await as('city_admin')).get('/api/v1/me')).json();
    expect(me).toMatchObject({ kind: 'officer', agencyCode: '000.00.00.H26', roles: ['city_admin'] });
  });

  it('shows each officer the tools their roles allow', async () => {
    const admin = await (await (await as('city_admin')).get('/backoffice')).text();
    expect(admin).toContain('href="/admin/officers"');
    expect(admin).toContain('href="/admin/catalog"');
    const specialist = await (await as('specialist')).get('/backoffice');
    expect(specialist.status).toBe(200);
    const page = await specialist.text();
    expect(page).toContain(justice);
    expect(page).toContain('Chuyên viên xử lý');
    expect(page).not.toContain('href="/admin/officers"');
  });

  it('keeps citizens out of the back office, and records the refusal', async () => {
    const citizen = await as('citizen');
    expect((await citizen.get('/backoffice')).status).toBe(403);
    const denied = await db().selectFrom('audit_log').selectAll().where('action', '=', 'auth.denied').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(denied.outcome).toBe('denied');
    expect(JSON.parse(denied.after_json ?? '{}')).toMatchObject({ permission: 'backoffice.enter', path: '/backoffice' });
  });
});

describe('officer administration', () => {
  it('lets a city admin create an officer, who can then sign in; audited without the password', async () => {
    const admin = await as('city_admin');
    const input = officer({ agencyCode: phucXa, roles: ['counter_clerk', 'leader'], phone: '024 3825 1234' });
    const res = await admin.submit('/admin/officers/new', '/admin/officers', input);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/officers?done=created');
    const list = await (await admin.follow(res)).text();
    expect(list).toContain('Đã tạo tài khoản cán bộ');
    expect(list).toContain(input.email as string);

    const created = await signIn(input.email as string, 'Hanh@2026secret');
    expect(created.landing).toBe('/backoffice');
    expect(await (await created.get('/api/v1/me')).json()).toMatchObject({ agencyCode: phucXa, roles: ['counter_clerk', 'leader'] });

    const row = await db().selectFrom('accounts').selectAll().where('email', '=', input.email as string).executeTakeFirstOrThrow();
    expect(row.phone).toBe('02438251234');
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'auth.officer.create').where('target_id', '=', row.id).executeTakeFirstOrThrow();
    expect(audit.actor_label).toBe(demo('city_admin').fullName);
    expect(audit.ip).toBe('127.0.0.1');
    expect(audit.request_id).toBeTruthy();
    expect(audit.after_json).not.toMatch(/Hanh@2026secret|scrypt|password/i);
  });

  it('refuses a specialist (403) and records it', async () => {
    const specialist = await as('specialist');
    expect((await specialist.get('/admin/officers')).status).toBe(403);
    const form = await specialist.get('/backoffice');
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const body = new URLSearchParams({ _csrf: token, ...officer(), roles: 'specialist' } as Record<string, string>);
    const res = await specialist.request('POST', '/admin/officers', body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(403);
    const me = await (await specialist.get('/api/v1/me')).json();
    const denied = await db().selectFrom('audit_log').selectAll().where('action', '=', 'auth.denied').where('actor_id', '=', me.id).execute();
    expect(denied.map((d) => JSON.parse(d.after_json ?? '{}').path)).toEqual(['/admin/officers', '/admin/officers']);
    expect(denied.every((d) => d.outcome === 'denied' && d.ip === '127.0.0.1' && d.request_id)).toBe(true);
  });

  it('keeps an agency admin inside their agency and below their own powers', async () => {
    const admin = await as('agency_admin');
    const elsewhere = await admin.submit('/admin/officers/new', '/admin/officers', officer({ agencyCode: phucXa }));
    expect(elsewhere.status).toBe(403);

    const stronger = await admin.submit('/admin/officers/new', '/admin/officers', officer({ roles: ['specialist', 'city_admin'] }));
    expect(stronger.status).toBe(400);
    expect(await stronger.text()).toContain('Bạn không được cấp vai trò &quot;city_admin&quot;');

    const form = await (await admin.get('/admin/officers/new')).text();
    expect(form).toContain(`value="${justice}"`);
    expect(form).not.toContain('value="city_admin"');

    const ok = await admin.submit('/admin/officers/new', '/admin/officers', officer({ roles: ['specialist', 'leader'] }));
    expect(ok.status).toBe(303);

    // The list holds only their own agency.
    const list = await (await admin.get('/admin/officers')).text();
    expect(list).toContain(justice);
    expect(list).not.toContain(phucXa);
  });

  it('names bad fields and keeps the values', async () => {
    const admin = await as('city_admin');
    const res = await admin.submit('/admin/officers/new', '/admin/officers', officer({ agencyCode: '000.06.H26', roles: [], email: 'not-an-email', password: 'short' }));
    expect(res.status).toBe(400);
    const page = await res.text();
    for (const field of ['agencyCode', 'roles', 'email', 'password']) expect(page).toContain(`href="#f-${field}"`);
    expect(page).toContain('Mã cơ quan có dạng 000.00.06.H26');
    expect(page).toContain('value="000.06.H26"');
    expect(page).toContain('value="not-an-email"');
  });

  it('disables an officer at once (their sessions end) and enables them again, audited before and after', async () => {
    const admin = await as('city_admin');
    const input = officer();
    expect((await admin.submit('/admin/officers/new', '/admin/officers', input)).status).toBe(303);
    const target = await signIn(input.email as string, 'Hanh@2026secret');
    const { id } = await db().selectFrom('accounts').select('id').where('email', '=', input.email as string).executeTakeFirstOrThrow();

    const res = await admin.submit('/admin/officers', `/admin/officers/${id}/status`, { status: 'disabled' });
    expect(res.status).toBe(303);
    expect((await target.get('/api/v1/me')).status).toBe(401);
    const again = await new TestClient(t.url).submit('/login', '/login', { login: input.email as string, password: 'Hanh@2026secret' });
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('Tài khoản đã bị vô hiệu hóa');

    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'auth.officer.status').where('target_id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json ?? '{}')).toMatchObject({ status: 'active' });
    expect(JSON.parse(audit.after_json ?? '{}')).toMatchObject({ status: 'disabled' });
    expect(`${audit.before_json}${audit.after_json}`).not.toMatch(/scrypt|password/i);

    expect((await admin.submit('/admin/officers', `/admin/officers/${id}/status`, { status: 'active' })).status).toBe(303);
    expect((await new TestClient(t.url).submit('/login', '/login', { login: input.email as string, password: 'Hanh@2026secret' })).status).toBe(303);
  });

  it('does not let an agency admin disable a city admin, nor anyone disable themselves', async () => {
    const city = await db().selectFrom('accounts').select('id').where('email', '=', demo('city_admin').login).executeTakeFirstOrThrow();
    // Put the agency admin in the city admin's agency: the agency alone must not be enough.
    const boss = await t.app.auth.service.createOfficer(
      officer({ agencyCode: '000.00.00.H26', roles: ['agency_admin'] }),
      { id: city.id, kind: 'officer', label: 'x', agencyCode: '000.00.00.H26', roles: ['city_admin'] },
      { id: city.id, label: 'x', ip: null, requestId: null },
    );
    if (!boss.ok) throw new Error(JSON.stringify(boss.error));
    const agencyAdmin = await signIn(boss.value.email ?? '', 'Hanh@2026secret');
    expect((await agencyAdmin.submit('/admin/officers', `/admin/officers/${city.id}/status`, { status: 'disabled' })).status).toBe(403);

    const admin = await as('city_admin');
    expect((await admin.submit('/admin/officers', `/admin/officers/${city.id}/status`, { status: 'disabled' })).status).toBe(409);
    const row = await db().selectFrom('accounts').select('status').where('id', '=', city.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('active');
  });
});
