import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import { secureCookies } from '../http/server.ts';
import { pageContext, sendPage } from '../../web/layout.ts';
import { type OidcFailure, PENDING_MINUTES, type VneidClient } from './oidc.ts';
import { homeOf, safeNext, sessionCookies } from './routes.ts';
import type { AuthService } from './service.ts';
import { loginPage } from './views/pages.ts';

/** Binds a pending VNeID sign-in to the browser that started it; only its hash is stored. */
export const VNEID_COOKIE = 'egov_vneid';
const CALLBACK_PATH = '/auth/vneid/callback';

export interface OidcRouteDeps {
  service: AuthService;
  vneid: VneidClient;
  config: Config;
  audit: AuditLog;
}

/** What each failure answers: the provider's own trouble is 502/503, the rest the browser's 400. */
const statusOf: Record<OidcFailure, number> = {
  unavailable: 503,
  failed: 502,
  expired: 400,
  stateMismatch: 400,
  denied: 400,
  missingPersonalId: 422,
  missingName: 422,
  badPersonalId: 422,
  mismatch: 422,
};

/**
 * `GET /auth/vneid` (a link on the sign-in page) sends the browser to the identity provider,
 * which sends it back to `GET /auth/vneid/callback`.
 * A failure shows the sign-in page again with the reason, and signs nobody in.
 */
export function registerOidcRoutes(app: FastifyInstance, { service, vneid, config, audit }: OidcRouteDeps): void {
  const sessions = sessionCookies(config, service);
  // Sent back on the provider's redirect (a top-level GET from another site): SameSite=Lax.
  const cookieOptions = { path: '/auth/vneid', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(config) };

  async function refuse(request: FastifyRequest, reply: FastifyReply, reason: OidcFailure, next: string | null, error?: unknown) {
    const actor = actorFromRequest(request);
    // The reason only: no claims, no tokens, no personal ID in logs or the audit log.
    if (error) request.log.warn({ reason, error: describe(error) }, 'VNeID sign-in failed');
    await audit.record({
      actorId: actor.id,
      actorLabel: actor.label,
      ip: actor.ip,
      requestId: actor.requestId,
      action: 'auth.login',
      outcome: 'failed',
      targetType: 'account',
      targetId: null,
      after: { method: 'vneid', reason },
    });
    const ctx = pageContext(request, reply);
    const summary = [{ field: 'vneid', key: `auth.vneid.${reason}` }];
    return sendPage(reply, ctx, loginPage(ctx, { next, summary, vneid: true }), statusOf[reason]);
  }

  app.get('/auth/vneid', { config: { rateLimit: { max: config.login.ratePerMinute, timeWindow: 60_000 } } }, async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    const started = await vneid.start(next);
    if (!started.ok) return refuse(request, reply, started.reason, next, started.error);
    reply.setCookie(VNEID_COOKIE, started.cookie, { ...cookieOptions, maxAge: PENDING_MINUTES * 60 });
    return reply.redirect(started.url.href, 303);
  });

  app.get(CALLBACK_PATH, async (request, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const result = await vneid.finish(request.cookies[VNEID_COOKIE], query);
    reply.clearCookie(VNEID_COOKIE, cookieOptions);
    if (!result.ok) return refuse(request, reply, result.reason, null, result.error);
    const signedIn = await service.signInVerified(result.identity, actorFromRequest(request));
    if (!signedIn.ok) {
      const ctx = pageContext(request, reply);
      return sendPage(reply, ctx, loginPage(ctx, { next: null, summary: [{ field: 'vneid', key: 'auth.login.disabled' }], vneid: true }), 403);
    }
    await sessions.replace(request, reply, signedIn.value);
    return reply.redirect(result.next ?? homeOf(signedIn.value.account.kind), 303);
  });
}

/** An error for the log: its kind and message, never a response body with claims in it. */
function describe(error: unknown): Record<string, unknown> | string {
  if (!(error instanceof Error)) return String(error);
  const { name, message } = error;
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
  return { name, message, code, cause };
}
