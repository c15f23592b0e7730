import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { expectNoAxeViolations, launchBrowser, type TestBrowser } from './browser.ts';

/**
 * Every page not walked by a journey elsewhere, opened as its user would, checked with axe and
 * for overflow on a 360 px screen.
 */
const pages: { who: string | null; password?: string; paths: string[] }[] = [
  { who: null, paths: ['/register', '/login', '/track', '/track?code=000.00.61.H26-260101-0001&secret=ABCDEF'] },
  { who: '0912345678', paths: ['/account', '/my/dossiers', '/procedures/1.001193/apply/applicant', '/procedures/1.001193/apply/request', '/procedures/1.001193/apply/papers', '/procedures/1.001193/apply/check'] },
  { who: 'motcua.badinh@hanoi.gov.vn', paths: ['/backoffice', '/backoffice/inbox', '/backoffice/inbox?box=late', '/backoffice/dossiers/new'] },
  { who: 'admin@hanoi.gov.vn', password: 'Admin@2026demo', paths: ['/admin/officers', '/admin/officers/new', '/admin/calendar', '/admin/calendar?year=2025', '/dev/messages', '/admin/catalog/new'] },
];

describe('accessibility of every page', () => {
  let t: TestApp;
  let b: TestBrowser;
  beforeAll(async () => {
    t = await createTestApp({ listen: true });
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it.each(pages)('pages of $who pass axe at 360 px', async ({ who, password, paths }) => {
    b = await launchBrowser();
    try {
      const { page } = b;
      if (who) {
        await page.goto(`${t.url}/login`);
        await page.getByLabel('Số điện thoại hoặc email').fill(who);
        await page.getByLabel('Mật khẩu').fill(password ?? 'Demo@2026pass');
        await page.getByRole('button', { name: 'Đăng nhập' }).click();
        await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      }
      for (const path of paths) {
        const res = await page.goto(`${t.url}${path}`);
        expect(res?.status(), path).toBeLessThan(500);
        expect(await page.locator('h1').count(), path).toBe(1);
        await expectNoAxeViolations(page);
        expect(await page.evaluate('document.documentElement.scrollWidth > window.innerWidth'), `${path} overflows`).toBe(false);
      }
    } finally {
      await b.close();
    }
  });
});
