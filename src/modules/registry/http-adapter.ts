import { CircuitBreaker } from './breaker.ts';
import { type Household, type RegistryPerson, type RegistryPort, RegistryUnavailable } from './port.ts';

export interface HttpRegistryOptions {
  url: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** How long an answer may be reused for the same person AND purpose; 0 turns caching off. */
  cacheSeconds: number;
  breaker: { failures: number; resetMs: number };
}

type Cached = { expires: number; value: unknown };
const CACHE_LIMIT = 1000;

/**
 * The national registry reached over HTTP (through the data-sharing platform): OAuth 2.0
 * client credentials, a timeout on every call, a circuit breaker, and a short cache keyed by
 * person and purpose, so an answer given for one purpose is never served for another. A
 * refusal or a failure is never cached.
 */
export class HttpRegistry implements RegistryPort {
  private token: { value: string; expires: number } | null = null;
  private readonly cache = new Map<string, Cached>();
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly opts: HttpRegistryOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.breaker = new CircuitBreaker(opts.breaker, now);
  }

  findPerson(personalId: string, purpose: string): Promise<RegistryPerson | null> {
    return this.cached(personalId, purpose, 'person', () => this.get(`/v1/persons/${encodeURIComponent(personalId)}`, purpose)) as Promise<RegistryPerson | null>;
  }

  household(personalId: string, purpose: string): Promise<Household | null> {
    return this.cached(personalId, purpose, 'household', () => this.get(`/v1/persons/${encodeURIComponent(personalId)}/household`, purpose)) as Promise<Household | null>;
  }

  private async cached(personalId: string, purpose: string, what: string, load: () => Promise<unknown>): Promise<unknown> {
    const key = JSON.stringify([what, personalId, purpose]);
    const hit = this.cache.get(key);
    if (hit && hit.expires > this.now()) return structuredClone(hit.value);
    this.cache.delete(key);
    const value = await load();
    if (value !== null && this.opts.cacheSeconds > 0) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { expires: this.now() + this.opts.cacheSeconds * 1000, value: structuredClone(value) });
    }
    return value;
  }

  /** One GET through the breaker; a 401 renews the token once (it may have been revoked early). */
  private async get(path: string, purpose: string): Promise<unknown> {
    if (!this.breaker.allow()) throw new RegistryUnavailable('circuit-open');
    try {
      let res = await this.call(path, purpose);
      if (res.status === 401) {
        this.token = null;
        res = await this.call(path, purpose);
      }
      if (res.status === 404) {
        this.breaker.success();
        return null;
      }
      if (res.status === 401 || res.status === 403) {
        // The registry answered; it refuses us. Not a failure of the link, and not cached.
        this.breaker.success();
        throw new RegistryUnavailable('refused', String(res.status));
      }
      if (!res.ok) throw new RegistryUnavailable('error', `HTTP ${res.status}`);
      const body = await res.json();
      this.breaker.success();
      return body;
    } catch (err) {
      if (err instanceof RegistryUnavailable && err.reason === 'refused') throw err;
      this.breaker.failure();
      if (err instanceof RegistryUnavailable) throw err;
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new RegistryUnavailable(timedOut ? 'timeout' : 'error', err instanceof Error ? err.name : undefined);
    }
  }

  private async call(path: string, purpose: string): Promise<Response> {
    const token = await this.accessToken();
    const url = new URL(path, this.opts.url);
    url.searchParams.set('purpose', purpose);
    return fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(this.opts.timeoutMs) });
  }

  /** The client-credentials token, reused until shortly before it expires. */
  private async accessToken(): Promise<string> {
    if (this.token && this.token.expires > this.now()) return this.token.value;
    const res = await fetch(new URL('/oauth/token', this.opts.url), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.opts.clientId)}:${encodeURIComponent(this.opts.clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'registry.read' }),
      signal: AbortSignal.timeout(this.opts.timeoutMs),
    });
    if (res.status === 400 || res.status === 401) throw new RegistryUnavailable('refused', `token ${res.status}`);
    if (!res.ok) throw new RegistryUnavailable('error', `token HTTP ${res.status}`);
    const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string') throw new RegistryUnavailable('error', 'token response without access_token');
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 60;
    // Renew a little early so a token never expires between our check and the registry's.
    this.token = { value: body.access_token, expires: this.now() + Math.max(0, seconds - 10) * 1000 };
    return body.access_token;
  }
}
