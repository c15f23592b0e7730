// biome-ignore-all lint/suspicious/noExplicitAny: JSON bodies in tests are checked by assertions
/**
 * A small HTTP client for tests that behaves like a browser without JavaScript: it keeps
 * cookies, and `submit` posts a form with the CSRF token read from the page that holds it.
 */
export class TestClient {
  private readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string, private readonly headers: Record<string, string> = {}) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request('GET', path, undefined, headers);
  }

  async request(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      body,
      redirect: 'manual',
      headers: { ...this.headers, ...headers, cookie: this.cookieHeader() },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** GETs `formPage`, then POSTs `fields` (urlencoded) plus its CSRF token to `action`. */
  async submit(formPage: string, action: string, fields: Record<string, string | string[]>): Promise<Response> {
    const page = await this.get(formPage);
    const token = csrfToken(await page.text());
    const params = new URLSearchParams();
    params.set('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    return this.request('POST', action, params, { 'content-type': 'application/x-www-form-urlencoded' });
  }

  /** Follows one redirect, as a browser would after a POST. */
  async follow(res: Response): Promise<Response> {
    const location = res.headers.get('location');
    if (!location) throw new Error(`expected a redirect, got ${res.status}`);
    return this.get(location);
  }

  /** Signs in through the login form, as a person would. */
  async signIn(login: string, password: string): Promise<this> {
    const res = await this.submit('/login', '/login', { login, password });
    if (res.status !== 303) throw new Error(`sign-in failed for ${login}: ${res.status}`);
    return this;
  }

  private apiToken: string | undefined;

  /** Calls the JSON API with the session cookie and a CSRF header (read once from a page). */
  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    if (method !== 'GET' && !this.apiToken) this.apiToken = /name="_csrf" value="([^"]+)"/.exec(await (await this.get('/')).text())?.[1];
    const res = await this.request(method, path, body === undefined ? undefined : JSON.stringify(body), {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(this.apiToken ? { 'x-csrf-token': this.apiToken } : {}),
      accept: 'application/json',
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export function csrfToken(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}
