import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { TestClient } from '../../../test/helpers/client.ts';

/** Citizens: registration, sign-in, lockout, sessions and sign-out, through real HTTP. */
let t: TestApp;
const citizenPassword = 'Demo@2026pass';

beforeAll(async () => {
  t = await createTestApp({ listen: true, demo: false });
  await t.app.auth.service.ensureDemoAccounts();
});
afterAll(() => t?.close());

const db = () => t.app.handle.db;
const client = () => new TestClient(t.url);

async function signIn(login: string, password: string, c = client()) {
  const res = await c.submit('/login', '/login', { login, password });
  return { c, res };
}

const withCookie = (cookie: string, path: string) => fetch(new URL(path, t.url), { headers: { cookie }, redirect: 'manual' });

const registration = (over: Record<string, string> = {}) => ({
  fullName: 'Trần Thị Bình',
  personalId: '001195012345',
  birthDate: '1995-08-20',
  gender: 'female',
  phone: '0987 654 321',
  email: '',
  password: 'Binh@2026secret',
  passwordConfirm: 'Binh@2026secret',
  ...over,
});

describe('registration', () => {
  it('registers, signs in and shows the account; the password is stored only as a scrypt hash', async () => {
    const c = client();
    const res = await c.submit('/register', '/register', registration());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('egov_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Expires=/);

    const page = await (await c.follow(res)).text();
    expect(page).toContain('Trần Thị Bình');
    expect(page).toContain('001*******45');
    expect(page).not.toContain('001195012345');
    expect(page).toContain('action="/logout-all"');

    const row = await db().selectFrom('accounts').selectAll().where('phone', '=', '0987654321').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'citizen', personal_id: '001195012345', birth_date: '1995-08-20', gender: 'female', email: null });
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain('Binh@2026secret');
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'auth.register').where('target_id', '=', row.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.after_json).not.toMatch(/scrypt|Binh@2026secret/);

    // The database keeps only the hash of the session token.
    const token = c.cookie('egov_session') ?? '';
    const sessions = await db().selectFrom('sessions').selectAll().where('account_id', '=', row.id).execute();
    expect(sessions.map((s) => s.id_hash)).toEqual([createHash('sha256').update(token).digest('hex')]);

    const again = await signIn('+84 987 654 321', 'Binh@2026secret');
    expect(again.res.headers.get('location')).toBe('/account');
  });

  it('names each bad field, keeps what was typed except passwords, and writes nothing', async () => {
    const before = await db().selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const cases: [Record<string, string>, string, string][] = [
      [{ gender: 'male', personalId: '001195099999', phone: '0911111111' }, 'personalId', 'Chữ số thứ 4 của số định danh (giới tính)'],
      [{ birthDate: '1996-08-20', personalId: '001195099998', phone: '0911111112' }, 'personalId', 'Chữ số thứ 4–6 của số định danh'],
      [{ personalId: '003195099997', phone: '0911111113' }, 'personalId', 'không phải mã tỉnh nơi sinh'],
      [{ phone: '', email: '' }, 'phone', 'ít nhất một'],
      [{ phone: '0912345678' }, 'phone', 'Số điện thoại này đã được dùng'],
      [{ personalId: '001090012345', birthDate: '1990-05-15', gender: 'male', phone: '0911111114' }, 'personalId', 'Số định danh này đã có tài khoản'],
      [{ passwordConfirm: 'Binh@2026secreT', phone: '0911111115' }, 'passwordConfirm', 'Hai mật khẩu chưa giống nhau'],
      [{ password: '12345678901', passwordConfirm: '12345678901', phone: '0911111116' }, 'password', 'không được chỉ gồm chữ số'],
      [{ birthDate: '31/02/1995', phone: '0911111117' }, 'birthDate', 'ngày/tháng/năm'],
    ];
    for (const [over, field, message] of cases) {
      const res = await client().submit('/register', '/register', registration({ personalId: '001195077777', ...over }));
      const page = await res.text();
      expect(res.status, message).toBe(400);
      expect(page).toContain(`href="#f-${field}"`);
      expect(page).toContain(message);
      expect(page).toContain('value="Trần Thị Bình"');
      expect(page).not.toContain('Binh@2026secret');
    }
    const after = await db().selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('accepts a date typed as dd/mm/yyyy where the browser has no date picker', async () => {
    const res = await client().submit('/register', '/register', registration({ birthDate: '05/03/2001', personalId: '001301000001', phone: '', email: 'Lan@Example.VN' }));
    expect(res.status).toBe(303);
    const row = await db().selectFrom('accounts').select(['birth_date', 'email']).where('personal_id', '=', '001301000001').executeTakeFirstOrThrow();
    expect(row).toEqual({ birth_date: '2001-03-05', email: 'lan@example.vn' });
  });
});

describe('sign-in', () => {
  it('sends a citizen to /account and shows the same message for an unknown login and a wrong password', async () => {
    const ok = await signIn('citizen@example.vn', citizenPassword);
    expect(ok.res.status).toBe(303);
    expect(ok.res.headers.get('location')).toBe('/account');

    const unknown = await signIn('nobody@example.vn', citizenPassword);
    const wrong = await signIn('0912345678', 'Wrong@2026pass');
    expect(unknown.res.status).toBe(401);
    expect(wrong.res.status).toBe(401);
    const message = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0];
    const [a, b] = [await unknown.res.text(), await wrong.res.text()];
    expect(message(a)).toContain('Số điện thoại/email hoặc mật khẩu không đúng');
    expect(message(a)).toBe(message(b));
    expect(b).toContain('value="0912345678"');
    expect(b).not.toContain('Wrong@2026pass');
    await t.app.handle.db.updateTable('accounts').set({ failed_logins: 0 }).where('phone', '=', '0912345678').execute();
  });

  it('locks the account after too many wrong passwords, even against the right one, and audits every attempt', async () => {
    const reg = await t.app.auth.service.registerCitizen(
      registration({ fullName: 'Lê Văn Cường', personalId: '001088000111', birthDate: '1988-01-01', gender: 'male', phone: '0900000001' }),
      { id: null, label: null, ip: '127.0.0.1', requestId: 'test' },
    );
    if (!reg.ok) throw new Error(JSON.stringify(reg.error));
    const id = reg.value.id;
    const max = t.app.config.login.maxFailures;
    const statuses: number[] = [];
    for (let i = 0; i < max; i++) statuses.push((await signIn('0900000001', `Wrong@${i}password`)).res.status);
    expect(statuses).toEqual([...Array(max - 1).fill(401), 423]);

    const right = await signIn('0900000001', 'Binh@2026secret');
    expect(right.res.status).toBe(423);
    expect(await right.res.text()).toContain('Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau');
    expect(right.c.cookie('egov_session')).toBeUndefined();

    const row = await db().selectFrom('accounts').select(['locked_until']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(Date.parse(row.locked_until ?? '')).toBeGreaterThan(Date.now() + (t.app.config.login.lockMinutes - 1) * 60_000);

    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'auth.login').where('target_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => a.outcome)).toEqual([...Array(max).fill('failed'), 'denied']);
    for (const a of audit) {
      expect(a.ip).toBe('127.0.0.1');
      expect(a.request_id).toBeTruthy();
      expect(`${a.after_json}`).not.toMatch(/Wrong@|Binh@2026secret/);
    }

    // The lock lives in the database: once it has passed, the right password works and the count starts again.
    await db().updateTable('accounts').set({ locked_until: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).execute();
    expect((await signIn('0900000001', 'Binh@2026secret')).res.status).toBe(303);
    const reset = await db().selectFrom('accounts').select(['failed_logins', 'locked_until']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(reset).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('follows a local `next` only', async () => {
    const evil = await client().get('/login?next=https://evil.example');
    expect(await evil.text()).not.toContain('evil.example');
    for (const next of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      const c = client();
      const page = await c.get(`/login?next=${encodeURIComponent(next)}`);
      const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const posted = await c.request('POST', '/login', new URLSearchParams({ _csrf: token, login: 'citizen@example.vn', password: citizenPassword, next }), {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(posted.headers.get('location'), next).toBe('/account');
    }
    const local = await client().submit('/login', '/login', { login: 'citizen@example.vn', password: citizenPassword, next: '/procedures?q=khai%20sinh' });
    expect(local.headers.get('location')).toBe('/procedures?q=khai%20sinh');
  });

  it('refuses a POST without its CSRF token', async () => {
    const { c } = await signIn('citizen@example.vn', citizenPassword);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await c.request('POST', '/logout-all', new URLSearchParams({}), form)).status).toBe(403);
    expect((await c.request('POST', '/login', new URLSearchParams({ login: 'citizen@example.vn', password: citizenPassword }), form)).status).toBe(403);
    expect((await c.get('/api/v1/me')).status).toBe(200);
  });
});

describe('sessions', () => {
  it('sends a browser without a session to the sign-in form, and an API client a 401', async () => {
    const page = await client().get('/account');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Faccount');
    const api = await client().get('/api/v1/me');
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe('UNAUTHENTICATED');
    // A forged or stale cookie counts as no session, and is cleared.
    const res = await withCookie(`egov_session=${'A'.repeat(43)}`, '/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie().some((l) => /^egov_session=;.*Expires=Thu, 01 Jan 1970/i.test(l))).toBe(true);
  });

  it('tells the API who is signed in', async () => {
    const { c } = await signIn('0912345678', citizenPassword);
    const me = await (await c.get('/api/v1/me')).json();
    expect(me).toEqual({ id: expect.any(String), kind: 'citizen', fullName: 'Nguyễn Văn An', agencyCode: null, roles: [] });
  });

  it('gives a new session id on every sign-in and ends the old one', async () => {
    const { c } = await signIn('citizen@example.vn', citizenPassword);
    const first = c.cookie('egov_session');
    await signIn('citizen@example.vn', citizenPassword, c);
    const second = c.cookie('egov_session');
    expect(second).not.toBe(first);
    expect((await withCookie(`egov_session=${first}`, '/api/v1/me')).status).toBe(401);
    expect((await withCookie(`egov_session=${second}`, '/api/v1/me')).status).toBe(200);
  });

  it('logs out one device, or every device', async () => {
    const a = (await signIn('citizen@example.vn', citizenPassword)).c;
    const b = (await signIn('0912345678', citizenPassword)).c;
    const c = (await signIn('0912345678', citizenPassword)).c;

    const out = await a.submit('/account', '/logout', {});
    expect(out.headers.get('location')).toBe('/login?done=out');
    expect(a.cookie('egov_session')).toBeUndefined();
    expect((await b.get('/api/v1/me')).status).toBe(200);

    const accountPage = await (await b.get('/account')).text();
    expect(accountPage).toMatch(/đăng nhập trên \d+ thiết bị/);
    const all = await b.submit('/account', '/logout-all', {});
    expect(all.status).toBe(303);
    expect(all.headers.get('location')).toBe('/login?done=outAll');
    expect((await b.get('/api/v1/me')).status).toBe(401);
    expect((await c.get('/api/v1/me')).status).toBe(401);
    expect((await c.get('/account')).headers.get('location')).toBe('/login?next=%2Faccount');
    const id = (await db().selectFrom('accounts').select('id').where('phone', '=', '0912345678').executeTakeFirstOrThrow()).id;
    expect(await db().selectFrom('sessions').selectAll().where('account_id', '=', id).execute()).toEqual([]);
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'auth.logoutAll').where('target_id', '=', id).execute();
    expect(audit).toHaveLength(1);
  });
});

describe('throttling', () => {
  it('limits sign-in attempts per IP and minute', async () => {
    const small = await createTestApp({ listen: true, demo: false, env: { EGOV_LOGIN_RATE_LIMIT_PER_MIN: '3' } });
    try {
      const c = new TestClient(small.url);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await c.submit('/login', '/login', { login: 'nobody@example.vn', password: 'Wrong@2026pass' })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      // The sign-in form itself is not throttled by that limit.
      expect((await c.get('/login')).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('leaves the audit chain intact', async () => {
    expect(await t.app.audit.verify()).toMatchObject({ ok: true });
  });
});
