import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser, screenshot } from './browser.ts';

// A well-formed page: language, title, landmark, heading. The script marks the page when it runs.
const goodPage = `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dịch vụ công trực tuyến</title></head>
<body>
<main>
<h1>Cổng dịch vụ công</h1>
<p id="js-status">Không có JavaScript</p>
<p>Tiếng Việt: đăng ký khai sinh, cấp đổi giấy phép lái xe, hộ tịch.</p>
</main>
<script>document.getElementById('js-status').textContent = 'Có JavaScript';</script>
</body>
</html>`;

// A page with three obvious faults: no lang on <html>, an image without alt text, grey on white.
const badPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Lỗi</title><style>.faint { color: #bbb; background: #fff }</style></head>
<body><main><h1>Trang lỗi</h1><img src="/x.png"><p class="faint">Chữ quá nhạt</p></main></body></html>`;

let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = req.url === '/bad' ? badPage : req.url === '/' ? goodPage : undefined;
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('browser helper', () => {
  it('opens a page, passes axe and runs scripts by default', async () => {
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      await page.goto(`${base}/`);
      expect(await page.title()).toBe('Dịch vụ công trực tuyến');
      expect(await page.locator('#js-status').textContent()).toBe('Có JavaScript');
      expect(page.viewportSize()).toEqual({ width: 360, height: 740 });
      expect(await page.evaluate(() => navigator.language)).toBe('vi-VN');
      await expectNoAxeViolations(page);
      const file = await screenshot(page, 'browser-helper/home');
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).size).toBeGreaterThan(1000);
    } finally {
      await browser.close();
    }
  });

  it('with javaScriptEnabled: false the page scripts do not run, and axe still works', async () => {
    const browser = await launchBrowser({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    try {
      const { page } = browser;
      await page.goto(`${base}/`);
      expect(await page.locator('#js-status').textContent()).toBe('Không có JavaScript');
      expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
      await expectNoAxeViolations(page);
      // Running axe did not switch the page's scripts on.
      await page.reload();
      expect(await page.locator('#js-status').textContent()).toBe('Không có JavaScript');
    } finally {
      await browser.close();
    }
  });

  it.each([true, false])('reports violations with rule ids and targets (javaScriptEnabled: %s)', async (javaScriptEnabled) => {
    const browser = await launchBrowser({ javaScriptEnabled });
    try {
      await browser.page.goto(`${base}/bad`);
      const error = await expectNoAxeViolations(browser.page).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/html-has-lang/);
      expect(error?.message).toMatch(/image-alt/);
      expect(error?.message).toMatch(/img/);
      expect(error?.message).toMatch(/color-contrast[\s\S]*Chữ quá nhạt/);
    } finally {
      await browser.close();
    }
  });
});
