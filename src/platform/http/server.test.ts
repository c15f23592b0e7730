import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

describe('HTTP platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ listen: true, demo: false });
  });
  afterAll(() => t.close());

  it('serves health, readiness and Prometheus metrics', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('egov_http_requests_total');
    expect(metrics).toContain('process_cpu_user_seconds_total');
  });

  it('counts requests per route and status, with a cumulative duration histogram', async () => {
    for (let i = 0; i < 3; i++) await fetch(`${t.url}/api/v1/no-such-thing-${i}`);
    for (let i = 0; i < 2; i++) await fetch(`${t.url}/readyz`);
    const text = await (await fetch(`${t.url}/metrics`)).text();
    const sample = (name: string, labels: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
      return line === undefined ? undefined : Number(line.split(' ').pop());
    };
    expect(sample('egov_http_requests_total', 'method="GET",route="/readyz",status="200"')).toBeGreaterThanOrEqual(2);
    expect(sample('egov_http_requests_total', 'method="GET",route="unmatched",status="404"')).toBe(3);
    const count = sample('egov_http_request_duration_seconds_count', 'route="unmatched"');
    expect(count).toBe(3);
    const buckets = text.split('\n').filter((l) => l.startsWith('egov_http_request_duration_seconds_bucket{') && l.includes('route="unmatched"')).map((l) => Number(l.split(' ').pop()));
    expect(buckets).toHaveLength(12);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(buckets.at(-1)).toBe(3);
    expect(text).toMatch(/# TYPE egov_http_request_duration_seconds histogram/);
  });

  it('sends security headers: a CSP without inline script, no framing, a request id', async () => {
    const res = await fetch(`${t.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('sends the API the same policy without the document-only headers', async () => {
    const res = await fetch(`${t.url}/api/v1/domains`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-dns-prefetch-control')).toBeNull();
    expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
  });

  it('renders a 404 page for browsers and JSON for the API', async () => {
    const page = await fetch(`${t.url}/khong-co-trang-nay`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Không tìm thấy trang');
    const api = await fetch(`${t.url}/api/v1/khong-co`);
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('NOT_FOUND');
  });

  it('refuses a state-changing form post without a CSRF token', async () => {
    const res = await fetch(`${t.url}/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Phiên làm việc của biểu mẫu đã hết hạn');
  });

  it('switches language with ?lang=en and remembers it in a cookie', async () => {
    const res = await fetch(`${t.url}/?lang=en`);
    expect(await res.text()).toContain('<html lang="en">');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lang=en'));
    expect(cookie).toBeDefined();
    const again = await fetch(`${t.url}/`, { headers: { cookie: 'lang=en' } });
    expect(await again.text()).toContain('Find an administrative procedure');
  });
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ listen: true, demo: false, env: { EGOV_RATE_LIMIT_PER_MIN: '3' } });
  });
  afterAll(() => t.close());

  it('answers 429 with a retry time once a client exceeds its budget; health checks are exempt', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${t.url}/api/v1/domains`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await fetch(`${t.url}/api/v1/domains`);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const { error } = await limited.json();
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toMatch(/^Bạn thao tác quá nhanh/);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});

describe('tracking limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ listen: true, demo: false, env: { EGOV_TRACK_RATE_LIMIT_PER_MIN: '2' } });
  });
  afterAll(() => t.close());

  it('stops guessing receipt keys after a few tries a minute', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${t.url}/api/v1/track?code=000.00.61.H26-260101-0001&secret=ABCD${i}X`)).status);
    expect(statuses).toEqual([404, 404, 429]);
  });
});
