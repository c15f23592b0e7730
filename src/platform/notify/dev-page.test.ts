import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testPlatform } from '../../../test/helpers/platform.ts';
import { renderErrorPage } from '../../web/layout.ts';
import { createAuth, SESSION_COOKIE } from '../auth/index.ts';
import { ping } from '../db/index.ts';
import { createHttpServer } from '../http/server.ts';
import { memoryLogger } from '../outbox/test-clock.ts';
import { createNotifications, enqueueNotification, type Notifications } from './index.ts';

/** GET /dev/messages: the sent messages, open in demo mode, for audit readers otherwise. */
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.dispose());

async function serve(demo: 'on' | 'off'): Promise<{ app: FastifyInstance; n: Notifications; auth: ReturnType<typeof createAuth> }> {
  const platform = testPlatform(t, { EGOV_DEMO: demo, EGOV_LOG_LEVEL: 'silent' });
  const auth = createAuth(platform);
  const n = createNotifications(platform, { logger: memoryLogger() });
  const app = await createHttpServer({ config: platform.config, renderErrorPage, sessionCookie: auth.sessionCookie, ready: () => ping(t.handle.db) });
  await app.register(auth.plugin);
  n.registerRoutes(app);
  await app.ready();
  return { app, n, auth };
}

async function sendSms(n: Notifications, to: string, text: string, ref?: string) {
  await t.handle.db.transaction().execute((trx) => enqueueNotification(n.outbox, trx, { channel: 'sms', to, text, ref }));
  await n.worker.runOnce();
}

describe('demo mode on', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    s = await serve('on');
  });
  afterAll(async () => {
    await s?.app.close();
    await s?.n.close();
  });

  it('lists a sent SMS, newest first, with user text escaped', async () => {
    await sendSms(s.n, '0912345678', 'Mã xác thực của bạn là 482913.', 'H26.01-260105-0001');
    await sendSms(s.n, '0987654321', 'Hồ sơ <script>alert(1)</script> đã có kết quả.');
    const res = await s.app.inject({ method: 'GET', url: '/dev/messages' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
    const page = res.body;
    expect(page).toContain('<h1>Tin nhắn đã gửi</h1>');
    expect(page).toContain('0912345678');
    expect(page).toContain('Mã xác thực của bạn là 482913.');
    expect(page).toContain('H26.01-260105-0001');
    expect(page).toContain('chỉ ghi lại, không gửi thật');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.indexOf('0987654321')).toBeLessThan(page.indexOf('0912345678'));

    const english = await s.app.inject({ method: 'GET', url: '/dev/messages?lang=en' });
    expect(english.body).toContain('<h1>Sent messages</h1>');
    const byRef = await s.app.inject({ method: 'GET', url: '/dev/messages?ref=H26.01-260105-0001' });
    expect(byRef.body).toContain('0912345678');
    expect(byRef.body).not.toContain('0987654321');
  });

  it('pages back through older messages', async () => {
    for (let i = 0; i < 55; i++) await s.n.notifier.sms({ to: `09000000${String(i).padStart(2, '0')}`, text: `tin số ${i}` });
    const first = await s.app.inject({ method: 'GET', url: '/dev/messages' });
    const older = /href="(\/dev\/messages\?before=\d+)"/.exec(first.body)?.[1];
    expect(older).toBeDefined();
    const second = await s.app.inject({ method: 'GET', url: older ?? '' });
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('0912345678');
    expect(first.body).not.toContain('0912345678');
  });
});

describe('demo mode not on', () => {
  let s: Awaited<ReturnType<typeof serve>>;
  const signIn = async (login: string, password: string) => {
    const result = await s.auth.service.login({ login, password }, { id: null, label: null, ip: '127.0.0.1', requestId: 'test' });
    if (!result.ok) throw new Error(`sign-in failed for ${login}`);
    return `${SESSION_COOKIE}=${result.value.token}`;
  };
  beforeAll(async () => {
    s = await serve('off');
    await s.auth.service.ensureDemoAccounts();
  });
  afterAll(async () => {
    await s?.app.close();
    await s?.n.close();
  });

  it('sends visitors to sign in, refuses officers without audit.read, shows it to those with it', async () => {
    const anonymous = await s.app.inject({ method: 'GET', url: '/dev/messages' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fdev%2Fmessages');

    const specialist = await s.app.inject({ method: 'GET', url: '/dev/messages', headers: { cookie: await signIn('chuyenvien.stp@hanoi.gov.vn', 'Demo@2026pass') } });
    expect(specialist.statusCode).toBe(403);
    expect(specialist.body).not.toContain('0912345678');

    const citizen = await s.app.inject({ method: 'GET', url: '/dev/messages', headers: { cookie: await signIn('0912345678', 'Demo@2026pass') } });
    expect(citizen.statusCode).toBe(403);

    // A leader reads the audit of their own agency only; the page spans the city.
    const leader = await s.app.inject({ method: 'GET', url: '/dev/messages', headers: { cookie: await signIn('lanhdao.stp@hanoi.gov.vn', 'Demo@2026pass') } });
    expect(leader.statusCode).toBe(403);

    const admin = await s.app.inject({ method: 'GET', url: '/dev/messages?ref=H26.01-260105-0001', headers: { cookie: await signIn('admin@hanoi.gov.vn', 'Admin@2026demo') } });
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('Mã xác thực của bạn là 482913.');
  });
});
