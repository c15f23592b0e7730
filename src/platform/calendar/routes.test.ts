import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../../test/helpers/client.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testPlatform } from '../../../test/helpers/platform.ts';
import { renderErrorPage } from '../../web/layout.ts';
import { createAuth, demoAccounts } from '../auth/index.ts';
import { ApiRegistry } from '../http/api.ts';
import { createHttpServer } from '../http/server.ts';
import { registerCalendarRoutes, WorkingCalendar } from './index.ts';

/** The calendar routes with the auth plugin on a small server, wired the way src/app.ts does. */
describe('calendar API and admin page over HTTP', () => {
  let t: TestDatabase;
  let http: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    const platform = testPlatform(t, { EGOV_LOG_LEVEL: 'silent', EGOV_RATE_LIMIT_PER_MIN: '100000', EGOV_LOGIN_RATE_LIMIT_PER_MIN: '1000' });
    const auth = createAuth(platform);
    await auth.service.ensureDemoAccounts();
    const calendar = new WorkingCalendar(platform);
    await calendar.ensureSeeded();
    http = await createHttpServer({ config: platform.config, renderErrorPage, sessionCookie: auth.sessionCookie, ready: async () => {} });
    const api = new ApiRegistry(http);
    await http.register(auth.plugin);
    registerCalendarRoutes(http, api, calendar);
    await http.listen({ port: 0, host: '127.0.0.1' });
    const address = http.server.address();
    url = address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : '';
  });
  afterAll(async () => {
    await http.close();
    await t.dispose();
  });

  const signIn = async (role: string) => {
    const demo = demoAccounts.find((d) => d.role === role);
    if (!demo) throw new Error(role);
    const c = new TestClient(url);
    expect((await c.submit('/login', '/login', { login: demo.login, password: demo.password })).status).toBe(303);
    return c;
  };

  it('computeDueDate answers a citizen’s “when will it be ready”', async () => {
    const res = await fetch(`${url}/api/v1/calendar/due-date?receivedAt=${encodeURIComponent('2025-01-24T14:00:00+07:00')}&workingDays=5&cutoffHour=15`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      receivedAt: '2025-01-24T14:00:00+07:00',
      workingDays: 5,
      effectiveStart: '2025-01-24',
      dueDate: '2025-02-07',
      dueAt: '2025-02-07T17:00:00+07:00',
      provisional: false,
    });
    const late = await (await fetch(`${url}/api/v1/calendar/due-date?receivedAt=2025-04-29T08:30:00Z&workingDays=3&cutoffHour=15`)).json();
    expect(late).toMatchObject({ receivedAt: '2025-04-29T15:30:00+07:00', effectiveStart: '2025-05-05', dueDate: '2025-05-08' });
  });

  it('computeDueDate names bad parameters', async () => {
    const res = await fetch(`${url}/api/v1/calendar/due-date?receivedAt=yesterday&workingDays=-1&cutoffHour=25`, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['cutoffHour', 'receivedAt', 'workingDays']);
  });

  it('getCalendarYear lists the days of a year', async () => {
    const body = await (await fetch(`${url}/api/v1/calendar/2025`)).json();
    expect(body).toMatchObject({ year: 2025, workingDays: 250, configured: true });
    expect(body.days).toHaveLength(13);
    expect(body.days.find((d: { date: string }) => d.date === '2025-04-26')).toEqual({
      date: '2025-04-26',
      kind: 'working-weekend',
      name: 'Làm bù cho ngày nghỉ thứ Sáu 02/05/2025',
      nameEn: 'Worked in exchange for Friday 2 May 2025',
      legalBasis: 'unconfirmed',
    });
    expect(await (await fetch(`${url}/api/v1/calendar/2040`)).json()).toMatchObject({ configured: false, days: [] });
    expect((await fetch(`${url}/api/v1/calendar/1999`)).status).toBe(400);
  });

  it('the admin page is for city admins only', async () => {
    const anonymous = await new TestClient(url).get('/admin/calendar');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login?next=%2Fadmin%2Fcalendar');
    const specialist = await signIn('specialist');
    expect((await specialist.get('/admin/calendar')).status).toBe(403);
  });

  it('a city admin adds, corrects and removes a day without JavaScript', async () => {
    const admin = await signIn('city_admin');
    const page = await (await admin.get('/admin/calendar?year=2026')).text();
    expect(page).toContain('Lịch làm việc, ngày nghỉ năm 2026');
    expect(page).toContain('Nghỉ Tết Nguyên đán Bính Ngọ');
    expect(page).toContain('Năm 2026 có 250 ngày làm việc.');

    const wrong = await admin.submit('/admin/calendar?year=2026', '/admin/calendar', { date: '2026-11-25', kind: 'working-weekend', name: 'Thử', nameEn: '', legalBasis: '' });
    expect(wrong.status).toBe(400);
    const wrongPage = await wrong.text();
    expect(wrongPage).toContain('class="error-summary"');
    expect(wrongPage).toContain('Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.');
    expect(wrongPage).toContain('value="2026-11-25"');

    const saved = await admin.submit('/admin/calendar?year=2026', '/admin/calendar', {
      date: '2026-11-24',
      kind: 'holiday',
      name: 'Ngày Văn hoá Việt Nam',
      nameEn: 'Vietnam Culture Day',
      legalBasis: 'unconfirmed',
    });
    expect(saved.status).toBe(303);
    const after = await (await admin.follow(saved)).text();
    expect(after).toContain('Đã lưu ngày 24/11/2026.');
    expect(after).toContain('Ngày Văn hoá Việt Nam');
    expect(after).toContain('Năm 2026 có 249 ngày làm việc.');

    const english = await (await admin.get('/admin/calendar?year=2026&lang=en')).text();
    expect(english).toContain('Vietnam Culture Day');
    expect(english).toContain('2026 has 249 working days.');

    const removed = await admin.submit('/admin/calendar?year=2026&lang=vi', '/admin/calendar/2026-11-24/delete', {});
    expect(removed.status).toBe(303);
    expect(await (await admin.follow(removed)).text()).toContain('Đã xoá ngày 24/11/2026 khỏi lịch.');
    expect((await admin.submit('/admin/calendar?year=2026', '/admin/calendar/2026-11-24/delete', {})).status).toBe(404);
  });

  it('refuses a form without its CSRF token', async () => {
    const admin = await signIn('city_admin');
    const res = await admin.request('POST', '/admin/calendar', new URLSearchParams({ date: '2026-11-24', kind: 'holiday', name: 'x' }), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(403);
  });
});
