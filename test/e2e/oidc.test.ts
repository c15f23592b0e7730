import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TestClient } from '../helpers/client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort, type ServerProcess, scratchDir, serverEnv, serverProcess, sleep, TEST_SECRET } from '../helpers/server-process.ts';
import { expectNoAxeViolations, launchBrowser, screenshot, type TestBrowser } from './browser.ts';

/**
 * Sign-in with the national identity, end to end: the development identity provider
 * (`egov idp`, oidc-provider) and the portal (`src/main.ts`) run as two processes, the portal
 * configured for the provider exactly as it would be for VNeID; Chromium (scripts off, 360 px)
 * clicks "Đăng nhập bằng VNeID", signs in at the provider and comes back signed in. Failures
 * (cancel, an ID contradicting its birth date, expiry, replay, state mismatch, provider down)
 * are driven through the same processes and must sign nobody in.
 */
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const rootDir = path.resolve(import.meta.dirname, '../..');
const BUTTON = 'Đăng nhập bằng VNeID';

let db: TestDatabase;
let scratch: ReturnType<typeof scratchDir>;
let portal: ServerProcess;
let idp: IdpProcess;
let oidcEnv: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  scratch = scratchDir();
  const idpPort = await freePort();
  // The portal's port is chosen when the process object is made; the redirect URI needs it.
  portal = await serverProcess({ env: serverEnv(db.database, scratch.dir) });
  oidcEnv = {
    OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
    OIDC_CLIENT_ID: 'egov-test',
    OIDC_CLIENT_SECRET: 'test-client-secret-0123456789',
    OIDC_REDIRECT_URI: `${portal.url}/auth/vneid/callback`,
    EGOV_DEV_IDP_PORT: String(idpPort),
  };
  idp = await startIdp({ ...oidcEnv, EGOV_SECRET: TEST_SECRET, EGOV_DATA_DIR: scratch.dir, HOST: '127.0.0.1' });
  await portal.start(oidcEnv);
});

afterAll(async () => {
  await portal?.stop();
  await idp?.stop();
  await db?.dispose();
  scratch?.remove();
});

const q = () => db.handle.db;
const accountsWith = (personalId: string) => q().selectFrom('accounts').selectAll().where('personal_id', '=', personalId).execute();
const pendingCount = async () => Number((await q().selectFrom('oidc_logins').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const sessionsOf = async (accountId: string) =>
  Number((await q().selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow()).n);

async function check(page: Page, name?: string): Promise<void> {
  await expectNoAxeViolations(page);
  expect(await page.evaluate('document.documentElement.scrollWidth > window.innerWidth'), `${page.url()} overflows`).toBe(false);
  if (name) await screenshot(page, name);
}

/**
 * From the portal's sign-in page through the provider as `who`. The provider remembers a
 * browser it has seen, so its sign-in and consent pages appear only when it asks.
 */
async function signInAtProvider(page: Page, who: string, opts: { check?: boolean; beforeLogin?: () => Promise<void>; from?: string } = {}): Promise<void> {
  await page.goto(`${portal.url}${opts.from ?? '/login'}`);
  await page.getByRole('link', { name: BUTTON }).click();
  await page.waitForURL((url) => url.port !== String(portal.port) || url.pathname !== '/login');
  if (new URL(page.url()).port === String(portal.port)) return;
  if (opts.check) await check(page, 'oidc-provider-login');
  await opts.beforeLogin?.();
  await page.getByLabel(new RegExp(who)).check();
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.waitForLoadState();
  if (new URL(page.url()).port !== String(portal.port)) {
    expect(await page.locator('h1').innerText()).toBe('Đồng ý chia sẻ thông tin');
    if (opts.check) await check(page, 'oidc-provider-consent');
    await page.getByRole('button', { name: 'Đồng ý', exact: true }).click();
    await page.waitForURL((url) => url.port === String(portal.port));
  }
}

const errorText = (page: Page) => page.locator('.error-summary').innerText();

describe('sign-in with VNeID in the browser', () => {
  let b: TestBrowser;
  afterAll(async () => b?.close());

  it('a new citizen comes back signed in and verified; the next sign-in reuses the account; a replayed callback is refused', async () => {
    b = await launchBrowser({ javaScriptEnabled: false });
    const { page } = b;
    const callbacks: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${portal.url}/auth/vneid/callback`)) callbacks.push(r.url());
    });

    await page.goto(`${portal.url}/login`);
    await check(page, 'oidc-login-button');
    await signInAtProvider(page, 'Trần Thị Bình', { check: true });
    expect(new URL(page.url()).pathname).toBe('/account');
    await check(page, 'oidc-account-verified');
    const facts = await page.locator('main dl.facts').innerText();
    expect(facts).toContain('Trần Thị Bình');
    expect(facts).toContain('001*******67');
    expect(facts).toContain('Đã xác thực qua VNeID');
    expect(facts).toContain('08/03/2001');

    const [account, ...others] = await accountsWith('001301004567');
    expect(others).toHaveLength(0);
    expect(account).toMatchObject({ kind: 'citizen', identity_source: 'vneid', full_name: 'Trần Thị Bình', gender: 'female', phone: null, email: null });
    expect(account?.identity_verified_at).toBeTruthy();
    expect(await pendingCount()).toBe(0);
    const me = await page.context().request.get(`${portal.url}/api/v1/me`, { headers: { accept: 'application/json' } });
    expect((await me.json()).id).toBe(account?.id);

    // Sign out and in again, from a page that needs it: the same account, not a second one,
    // and back on that page.
    await page.getByRole('button', { name: 'Đăng xuất', exact: true }).click();
    await page.waitForURL(/\/login\?done=out/);
    await signInAtProvider(page, 'Trần Thị Bình', { from: '/my/dossiers' });
    expect(new URL(page.url()).pathname).toBe('/my/dossiers');
    expect(await accountsWith('001301004567')).toHaveLength(1);
    const logins = await q()
      .selectFrom('audit_log')
      .select(['after_json'])
      .where('action', '=', 'auth.login')
      .where('target_id', '=', account?.id ?? '')
      .where('outcome', '=', 'ok')
      .orderBy('seq')
      .execute();
    expect(logins.map((l) => JSON.parse(l.after_json ?? '{}'))).toEqual([
      { method: 'vneid', kind: 'citizen', created: true },
      { method: 'vneid', kind: 'citizen', created: false },
    ]);

    // The provider's answer used again (a back button, a leaked URL): refused, nothing changes.
    expect(callbacks).toHaveLength(2);
    const sessions = await sessionsOf(account?.id ?? '');
    const replay = await page.goto(callbacks[1] ?? '');
    expect(replay?.status()).toBe(400);
    expect(await errorText(page)).toContain('đã hết hạn hoặc đã được sử dụng');
    await check(page, 'oidc-error');
    expect(await sessionsOf(account?.id ?? '')).toBe(sessions);
  });

  it('the demo citizen reaches the existing account, now verified by VNeID', async () => {
    const before = await accountsWith('001090012345');
    expect(before).toMatchObject([{ identity_source: 'counter', phone: '0912345678' }]);
    const fresh = await launchBrowser({ javaScriptEnabled: false });
    try {
      await signInAtProvider(fresh.page, 'Nguyễn Văn An');
      expect(new URL(fresh.page.url()).pathname).toBe('/account');
      const facts = await fresh.page.locator('main dl.facts').innerText();
      expect(facts).toContain('0912345678');
      expect(facts).toContain('Đã xác thực qua VNeID');
      expect(await accountsWith('001090012345')).toMatchObject([{ id: before[0]?.id, identity_source: 'vneid' }]);
    } finally {
      await fresh.close();
    }
  });

  it('cancelling at the provider comes back with the reason and signs nobody in', async () => {
    const fresh = await launchBrowser({ javaScriptEnabled: false });
    try {
      const { page } = fresh;
      await page.goto(`${portal.url}/login`);
      await page.getByRole('link', { name: BUTTON }).click();
      // The provider's own form names what is missing.
      await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
      expect(await page.getByRole('alert').innerText()).toBe('Vui lòng chọn một người dùng thử.');
      await check(page);
      await page.getByRole('button', { name: 'Hủy, quay lại cổng dịch vụ công' }).click();
      await page.waitForURL((url) => url.port === String(portal.port));
      expect(await errorText(page)).toContain('Bạn đã hủy hoặc không đồng ý chia sẻ thông tin trên VNeID');
      await check(page);
      expect((await fresh.context.cookies()).some((c) => c.name === 'egov_session')).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('an ID whose digits contradict the birth date from the provider is refused, nothing written', async () => {
    const fresh = await launchBrowser({ javaScriptEnabled: false });
    try {
      const { page } = fresh;
      await signInAtProvider(page, 'Phạm Văn Sai');
      expect(new URL(page.url()).pathname).toBe('/auth/vneid/callback');
      expect(await errorText(page)).toContain('không khớp với ngày sinh hoặc giới tính');
      expect(await accountsWith('001090099999')).toHaveLength(0);
      expect((await fresh.context.cookies()).some((c) => c.name === 'egov_session')).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('a sign-in left at the provider past its time is refused', async () => {
    const fresh = await launchBrowser({ javaScriptEnabled: false });
    try {
      const { page } = fresh;
      await signInAtProvider(page, 'Lê Minh Cường', {
        beforeLogin: async () => {
          await q().updateTable('oidc_logins').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
        },
      });
      expect(await errorText(page)).toContain('đã hết hạn hoặc đã được sử dụng');
      expect(await accountsWith('079085001234')).toHaveLength(0);
    } finally {
      await fresh.close();
    }
  });
});

describe('the callback over real HTTP', () => {
  /** Starts a sign-in as a browser would; returns the client (holding the pending cookie) and the state sent. */
  async function started(): Promise<{ client: TestClient; state: string }> {
    const client = new TestClient(portal.url);
    const res = await client.get('/auth/vneid');
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin).toBe(oidcEnv.OIDC_ISSUER);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(client.cookie('egov_vneid')).toMatch(/^[\w-]{43}$/);
    return { client, state: location.searchParams.get('state') ?? '' };
  }

  it('refuses an answer whose state is not the one this browser sent, and that sign-in is used up', async () => {
    const { client, state } = await started();
    const wrong = await client.get(`/auth/vneid/callback?code=forged&state=${state}x`);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('không khớp với lần đăng nhập bạn bắt đầu');
    const again = await client.get(`/auth/vneid/callback?code=forged&state=${state}`);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('đã hết hạn hoặc đã được sử dụng');
    expect(client.cookie('egov_session')).toBeUndefined();
  });

  it('refuses a callback from a browser that did not start the sign-in', async () => {
    const { state } = await started();
    const other = new TestClient(portal.url);
    const res = await other.get(`/auth/vneid/callback?code=stolen&state=${state}`);
    expect(res.status).toBe(400);
    expect(other.cookie('egov_session')).toBeUndefined();
  });

  it('says when the provider is down, at the callback and at the start, writing nothing', async () => {
    const { client, state } = await started();
    await idp.stop();
    // A well-formed answer (the provider names itself, RFC 9207), so the code exchange is tried.
    const res = await client.get(`/auth/vneid/callback?code=abc&state=${state}&iss=${encodeURIComponent(oidcEnv.OIDC_ISSUER ?? '')}`);
    expect(res.status, portal.output()).toBe(503);
    expect(await res.text()).toContain('Hiện không kết nối được với hệ thống định danh VNeID');
    // A fresh process has no cached discovery document: the start itself fails.
    await portal.stop();
    await portal.start(oidcEnv);
    const pending = await pendingCount();
    const start = await new TestClient(portal.url).get('/auth/vneid');
    expect(start.status).toBe(503);
    expect(await start.text()).toContain('Hiện không kết nối được với hệ thống định danh VNeID');
    expect(await pendingCount()).toBe(pending);
  });
});

interface IdpProcess {
  stop(): Promise<void>;
}

/** `egov idp` as its own process, ready when its discovery document answers. */
async function startIdp(env: Record<string, string>): Promise<IdpProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'idp'], {
    cwd: rootDir,
    // The provider has no database; the parent's DATABASE_URL names the test server's.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`egov idp exited:\n${output}`);
    try {
      if ((await fetch(`${env.OIDC_ISSUER}/.well-known/openid-configuration`)).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`egov idp not ready:\n${output}`);
    }
    await sleep(100);
  }
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
