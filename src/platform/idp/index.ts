import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import type { Config, OidcConfig } from '../config/index.ts';
import { findIdentity } from './identities.ts';
import { consentPage, errorPage, loginPage, stylesheet } from './views.ts';

export { demoIdentities } from './identities.ts';

/**
 * A development identity provider standing in for VNeID (oidc-provider): the portal's client
 * registered from configuration, PKCE required, a handful of demo identities and plain
 * server-rendered sign-in and consent pages. It runs as its own process (`egov idp`), keeps
 * everything in memory and must never face the internet: anyone may sign in as anyone.
 */
export interface DevIdp {
  issuer: string;
  server: Server;
  close(): Promise<void>;
}

export async function startDevIdp(config: Config, opts: { port?: number; host?: string } = {}): Promise<DevIdp> {
  const oidc = config.oidc;
  if (!oidc) throw new Error('the development identity provider needs the OIDC settings (EGOV_DEV_IDP=on or OIDC_ISSUER)');
  const provider = await createProvider(oidc, config.secret);
  const serve = provider.callback();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', oidc.issuer);
    if (url.pathname === '/idp.css') return send(res, 200, stylesheet, 'text/css; charset=utf-8');
    const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(url.pathname);
    if (!match) return serve(req, res);
    interaction(provider, req, res, match[2]).catch((err) => {
      // An interaction that expired or belongs to another browser: oidc-provider throws SessionNotFound.
      const stale = (err as { name?: string }).name === 'SessionNotFound';
      if (!stale) console.error(err);
      if (!res.headersSent) send(res, stale ? 400 : 500, errorPage(stale ? 'Phiên đăng nhập đã hết hạn.' : 'Lỗi của nhà cung cấp định danh thử nghiệm.'));
    });
  });
  const port = opts.port ?? config.devIdp.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, opts.host ?? config.host, () => resolve());
  });
  return {
    issuer: oidc.issuer,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => server.closeAllConnections()),
  };
}

async function createProvider(oidc: OidcConfig, secret: string): Promise<Provider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const names = oidc.claims;
  const provider = new Provider(oidc.issuer, {
    clients: [
      {
        client_id: oidc.clientId,
        client_name: 'Cổng dịch vụ công',
        ...(oidc.clientSecret ? { client_secret: oidc.clientSecret, token_endpoint_auth_method: 'client_secret_basic' } : { token_endpoint_auth_method: 'none' }),
        redirect_uris: [oidc.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    pkce: { methods: ['S256'], required: () => true },
    // Claims under the names the portal is configured to read, so any mapping can be tried here.
    claims: { openid: ['sub'], profile: [names.name, names.birthDate, names.gender, names.personalId] },
    scopes: ['openid', 'profile'],
    findAccount: (_ctx: unknown, sub: string) => {
      const who = findIdentity(sub);
      if (!who) return undefined;
      return {
        accountId: who.sub,
        claims: () => ({
          sub: who.sub,
          [names.personalId]: who.personalId,
          [names.name]: who.fullName,
          [names.birthDate]: who.birthDate,
          [names.gender]: who.gender,
        }),
      };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: randomUUID(), use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [createHmac('sha256', secret).update('egov dev idp cookies').digest('base64url')] },
    renderError: async (ctx: { type: string; body: string }, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error_description ?? out.error ?? 'Yêu cầu không hợp lệ.');
    },
  });
  return provider;
}

async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse, action: string | undefined) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (!action) {
    if (req.method !== 'GET') return send(res, 405, errorPage('Phương thức không được hỗ trợ.'));
    const who = findIdentity(details.session?.accountId);
    if (prompt.name === 'consent' && who) return send(res, 200, consentPage(uid, 'Cổng dịch vụ công', who));
    return send(res, 200, loginPage(uid));
  }
  if (req.method !== 'POST') return send(res, 405, errorPage('Phương thức không được hỗ trợ.'));
  if (action === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'Người dùng đã hủy đăng nhập' }, { mergeWithLastSubmission: false });
  }
  if (action === 'login') {
    const who = findIdentity((await formBody(req)).get('identity'));
    if (!who) return send(res, 400, loginPage(uid, { error: 'Vui lòng chọn một người dùng thử.' }));
    return provider.interactionFinished(req, res, { login: { accountId: who.sub } }, { mergeWithLastSubmission: false });
  }
  // Consent: grant what was asked (the scopes and claims this prompt found missing).
  const accountId = details.session?.accountId;
  if (prompt.name !== 'consent' || !accountId) return send(res, 400, errorPage('Phiên đăng nhập không hợp lệ.'));
  const grant = (details.grantId && (await provider.Grant.find(details.grantId))) || new provider.Grant({ accountId, clientId: params.client_id });
  const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
}

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'self'" });
  res.end(body);
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}
