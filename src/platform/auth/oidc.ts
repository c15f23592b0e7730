import { createHash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcConfig } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import { type IdentityProblem, identityFromClaims, type VerifiedIdentity } from './oidc-claims.ts';
import * as store from './oidc-store.ts';

/**
 * The portal as an OpenID Connect relying party of the national identity provider (VNeID):
 * authorization code flow with PKCE (S256), state and nonce. Between `start` and `finish` the
 * browser is away at the provider; what the callback must be checked against is kept in the
 * database under the hash of a random cookie value, so any instance can take the callback and
 * nothing about a user lives in the process. Only the provider's discovery document is cached.
 */

/** Why a sign-in did not happen; each has a message `auth.vneid.<reason>`. */
export type OidcFailure = 'unavailable' | 'expired' | 'stateMismatch' | 'denied' | 'failed' | IdentityProblem;

export type FinishResult = { ok: true; identity: VerifiedIdentity; next: string | null } | { ok: false; reason: OidcFailure; error?: unknown };

/** How long a browser may stay at the provider before its pending sign-in is worthless. */
export const PENDING_MINUTES = 10;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export class VneidClient {
  private discovered: Promise<client.Configuration> | undefined;

  constructor(
    private readonly db: Db,
    readonly config: OidcConfig,
  ) {}

  /** The provider's metadata and keys, fetched once per process; a failure is not cached. */
  private provider(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret, timeoutMs } = this.config;
    this.discovered ??= client
      .discovery(new URL(issuer), clientId, undefined, clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(), {
        timeout: timeoutMs / 1000,
        // Plain HTTP only for a provider on this machine (the development one); VNeID is HTTPS.
        execute: isLocal(issuer) ? [client.allowInsecureRequests] : [],
      })
      .catch((err) => {
        this.discovered = undefined;
        throw err;
      });
    return this.discovered;
  }

  /**
   * Begins a sign-in: the URL to send the browser to, and the cookie value that binds the
   * pending sign-in to this browser. Nothing is written when the provider cannot be reached.
   */
  async start(next: string | null, now = new Date()): Promise<{ ok: true; url: URL; cookie: string; expiresAt: Date } | { ok: false; reason: 'unavailable'; error: unknown }> {
    let provider: client.Configuration;
    try {
      provider = await this.provider();
    } catch (error) {
      return { ok: false, reason: 'unavailable', error };
    }
    const cookie = randomBytes(32).toString('base64url');
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const expiresAt = new Date(now.getTime() + PENDING_MINUTES * 60_000);
    await store.insertPendingLogin(this.db, {
      id_hash: sha256(cookie),
      state,
      nonce,
      code_verifier: codeVerifier,
      next_path: next,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    });
    const url = client.buildAuthorizationUrl(provider, {
      redirect_uri: this.config.redirectUri,
      scope: this.config.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { ok: true, url, cookie, expiresAt };
  }

  /**
   * Completes a sign-in from the callback's query string: the pending sign-in is used up first
   * (a replayed callback finds nothing), then state, the provider's answer, the code exchange
   * with the PKCE verifier, the ID token (issuer, audience, signature, nonce) and the claims.
   */
  async finish(cookie: string | undefined, query: string, now = new Date()): Promise<FinishResult> {
    const pending = cookie ? await store.takePendingLogin(this.db, sha256(cookie), now.toISOString()) : undefined;
    if (!pending) return { ok: false, reason: 'expired' };
    const params = new URLSearchParams(query);
    if (params.get('state') !== pending.state) return { ok: false, reason: 'stateMismatch' };
    const error = params.get('error');
    if (error) return { ok: false, reason: error === 'access_denied' ? 'denied' : 'failed', error: `provider error: ${error}` };

    let claims: Record<string, unknown>;
    try {
      const provider = await this.provider();
      const currentUrl = new URL(this.config.redirectUri);
      currentUrl.search = params.toString();
      const tokens = await client.authorizationCodeGrant(provider, currentUrl, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) return { ok: false, reason: 'failed', error: 'no ID token' };
      claims = idToken;
      // Providers that follow the spec strictly put profile claims in UserInfo, not the ID token.
      if (idToken[this.config.claims.personalId] === undefined && provider.serverMetadata().userinfo_endpoint) {
        claims = { ...(await client.fetchUserInfo(provider, tokens.access_token, idToken.sub)), ...idToken };
      }
    } catch (err) {
      return { ok: false, reason: unreachable(err) ? 'unavailable' : 'failed', error: err };
    }
    const identity = identityFromClaims(claims, this.config.claims, now);
    return identity.ok ? { ok: true, identity: identity.identity, next: pending.next_path } : { ok: false, reason: identity.reason };
  }
}

function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** The provider did not answer (refused, reset, timed out), as opposed to answering wrongly. */
function unreachable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code, message } = e as { name?: string; code?: string; message?: string };
    if (name === 'AbortError' || name === 'TimeoutError') return true;
    if (code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR_)/.test(code)) return true;
    if (name === 'TypeError' && message === 'fetch failed') return true;
  }
  return false;
}
