import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../audit/index.ts';
import type { ApiRegistry } from '../http/api.ts';
import { wantsJson } from '../http/server.ts';
import type { Platform } from '../index.ts';
import './messages.ts';
import { can, NotAuthenticated, PermissionDenied, type Permission, roles, type SessionAccount } from './policy.ts';
import { VneidClient } from './oidc.ts';
import { registerOidcRoutes } from './oidc-routes.ts';
import { registerRoutes, SESSION_COOKIE } from './routes.ts';
import { AuthService } from './service.ts';

export { demoAccounts, type AccountView, type DemoAccount, AuthService } from './service.ts';
export { checkPersonalId, maskPersonalId, parsePersonalId, personalIdSchema, refinePersonalIdFacts } from './personal-id.ts';
export { passwordSchema } from './passwords.ts';
export { SESSION_COOKIE, safeNext } from './routes.ts';

const meSchema = z.object({
  id: z.string(),
  kind: z.enum(['citizen', 'officer']),
  fullName: z.string(),
  agencyCode: z.string().nullable().describe('The officer’s agency (mã định danh cơ quan); null for citizens'),
  roles: z.array(z.enum(roles)),
});

/**
 * Accounts, sessions and authorization for the whole app. `plugin` sets `request.account` from
 * the session cookie (one query per request; nothing kept in the process, so any instance can
 * serve any request), adds `request.authorize`, and serves the sign-in, registration, account,
 * back-office home and officer administration pages.
 */
export function createAuth(platform: Platform) {
  const service = new AuthService(platform);
  const vneid = platform.config.oidc ? new VneidClient(platform.db, platform.config.oidc) : null;

  async function refuse(request: FastifyRequest, permission: Permission, targetAgency?: string | null): Promise<never> {
    const account = request.account;
    if (!account) throw new NotAuthenticated();
    const actor = actorFromRequest(request);
    await platform.audit.record({
      actorId: actor.id,
      actorLabel: actor.label,
      ip: actor.ip,
      requestId: actor.requestId,
      action: 'auth.denied',
      outcome: 'denied',
      targetType: 'permission',
      targetId: permission,
      after: { permission, targetAgency: targetAgency ?? null, method: request.method, path: request.url.split('?')[0] },
    });
    throw new PermissionDenied(permission);
  }

  async function authorize(this: FastifyRequest, permission: Permission, targetAgency?: string | null): Promise<SessionAccount> {
    if (this.account && can(this.account, permission, targetAgency)) return this.account;
    return refuse(this, permission, targetAgency);
  }

  async function plugin(app: FastifyInstance): Promise<void> {
    app.decorateRequest('account', null);
    app.decorateRequest('authorize', authorize);

    // Callback-style hooks: anonymous requests (most of the portal's) wait for nothing here.
    app.addHook('onRequest', (request, reply, done) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token || request.url.startsWith('/static/')) return done();
      const found = /^[\w-]{43}$/.test(token) ? service.sessionAccount(token) : Promise.resolve(null);
      found.then((account) => {
        request.account = account;
        if (!account) reply.clearCookie(SESSION_COOKIE, { path: '/' });
        done();
      }, done);
    });

    // The shared error handler renders a 401 as a page; a browser asking for a page is sent to
    // the sign-in form instead, and comes back after.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (reply.statusCode !== 401 || request.method !== 'GET' || wantsJson(request)) return done(null, payload);
      reply.code(303).header('location', `/login?next=${encodeURIComponent(request.url)}`);
      done(null, '');
    });

    registerRoutes(app, { service, config: platform.config, refuse });
    if (vneid) registerOidcRoutes(app, { service, vneid, config: platform.config, audit: platform.audit });
  }
  // Applies to the whole app rather than an encapsulated child (what fastify-plugin does).
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });

  function registerApi(api: ApiRegistry): void {
    api.add({
      method: 'GET',
      url: '/api/v1/me',
      operationId: 'getMe',
      summary: 'The signed-in account',
      description: 'Public fields of the account that owns the session cookie.',
      tags: ['accounts'],
      security: 'session',
      response: meSchema,
      errors: { 401: 'Not signed in' },
      handler: async (_input, request) => {
        const account = request.account;
        if (!account) throw new NotAuthenticated();
        return { id: account.id, kind: account.kind, fullName: account.label, agencyCode: account.agencyCode, roles: account.roles };
      },
    });
  }

  return { service, plugin, sessionCookie: SESSION_COOKIE, registerApi };
}

export type Auth = ReturnType<typeof createAuth>;
