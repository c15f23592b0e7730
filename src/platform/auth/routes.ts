import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../audit/index.ts';
import type { Config } from '../config/index.ts';
import { AppError, type FieldIssue, notFound, validate } from '../http/errors.ts';
import { paging } from '../http/api.ts';
import { secureCookies } from '../http/server.ts';
import { formatDateTime } from '../i18n/index.ts';
import { pageContext, sendPage } from '../../web/layout.ts';
import type { AuthService, NewSession } from './service.ts';
import { agencyCodeSchema } from './schemas.ts';
import { can, canAssignRole, canManageOfficer, NotAuthenticated, type Permission, roles } from './policy.ts';
import { formValue } from '../../web/forms.ts';
import { newOfficerPage, officersPage } from './views/officers.ts';
import { accountPage, backofficePage, loginPage, registerPage } from './views/pages.ts';

export const SESSION_COOKIE = 'egov_session';

export interface RouteDeps {
  service: AuthService;
  config: Config;
  /** Audits the refusal and throws 401/403. */
  refuse(request: FastifyRequest, permission: Permission, targetAgency?: string | null): Promise<never>;
}

/** A local path to return to after sign-in; anything else (another host, `//host`, `/\host`) is dropped. */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 500) return null;
  if (!/^\/(?![/\\])/.test(value) || /[\\\p{Cc}]/u.test(value)) return null;
  return value;
}

const doneQuery = z.object({ next: z.string().optional(), done: z.enum(['out', 'outAll']).optional() });
const listQuery = z.object({ page: paging.page, agency: agencyCodeSchema.optional(), done: z.enum(['created', 'updated']).optional() });
const statusBody = z.object({ status: z.enum(['active', 'disabled']) });

/** The session cookie, for every way of signing in. */
export function sessionCookies(config: Config, service: AuthService) {
  const options = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: secureCookies(config) };
  const start = (reply: FastifyReply, session: NewSession) => reply.setCookie(SESSION_COOKIE, session.token, { ...options, expires: session.expiresAt });
  return {
    start,
    end: (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, options),
    /** A sign-in in a browser that already had a session ends that one first. */
    replace: async (request: FastifyRequest, reply: FastifyReply, session: NewSession) => {
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await service.logout(previous, actorFromRequest(request));
      start(reply, session);
    },
  };
}

export const homeOf = (kind: 'citizen' | 'officer') => (kind === 'officer' ? '/backoffice' : '/account');

export function registerRoutes(app: FastifyInstance, { service, config, refuse }: RouteDeps): void {
  const { start: startSession, end: endSession, replace: replaceSession } = sessionCookies(config, service);
  const vneid = Boolean(config.oidc);

  app.get('/login', async (request, reply) => {
    const query = validate(doneQuery, request.query);
    const ctx = pageContext(request, reply);
    const notice = query.done ? ctx.t(query.done === 'out' ? 'auth.login.signedOut' : 'auth.login.signedOutAll') : undefined;
    return sendPage(reply, ctx, loginPage(ctx, { next: safeNext(query.next), notice, vneid }));
  });

  app.post('/login', { config: { rateLimit: { max: config.login.ratePerMinute, timeWindow: 60_000 } } }, async (request, reply) => {
    const body = request.body;
    const next = safeNext(formValue(body, 'next'));
    const actor = actorFromRequest(request);
    const result = await service.login({ login: formValue(body, 'login'), password: formValue(body, 'password') }, actor);
    if (result.ok) {
      await replaceSession(request, reply, result.value);
      return reply.redirect(next ?? homeOf(result.value.account.kind), 303);
    }
    const ctx = pageContext(request, reply);
    const error = result.error;
    const [status, summary]: [number, FieldIssue[]] =
      error.reason === 'locked'
        ? [423, [{ field: 'login', key: 'auth.login.locked', params: { time: formatDateTime(error.until, ctx.locale, config.timeZone) } }]]
        : error.reason === 'disabled'
          ? [403, [{ field: 'login', key: 'auth.login.disabled' }]]
          : error.issues.length
            ? [400, []]
            : [401, [{ field: 'login', key: 'auth.login.invalid' }]];
    const fieldIssues = error.reason === 'invalid' ? error.issues : [];
    return sendPage(reply, ctx, loginPage(ctx, { body, next, fieldIssues, summary, vneid }), status);
  });

  app.get('/register', async (request, reply) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, registerPage(ctx, {}));
  });

  app.post('/register', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const actor = actorFromRequest(request);
    const result = await service.registerCitizen(
      {
        fullName: formValue(body, 'fullName'),
        personalId: formValue(body, 'personalId'),
        birthDate: formValue(body, 'birthDate'),
        gender: formValue(body, 'gender'),
        phone: formValue(body, 'phone'),
        email: formValue(body, 'email'),
        password: formValue(body, 'password'),
        passwordConfirm: formValue(body, 'passwordConfirm'),
      },
      actor,
    );
    if (!result.ok) {
      const ctx = pageContext(request, reply);
      return sendPage(reply, ctx, registerPage(ctx, { body, issues: result.error }), 400);
    }
    startSession(reply, await service.startSession(result.value.id, actor));
    return reply.redirect('/account', 303);
  });

  app.post('/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await service.logout(token, actorFromRequest(request));
    endSession(reply);
    return reply.redirect('/login?done=out', 303);
  });

  app.post('/logout-all', async (request, reply) => {
    if (!request.account) throw new NotAuthenticated();
    await service.logoutEverywhere(request.account.id, actorFromRequest(request));
    endSession(reply);
    return reply.redirect('/login?done=outAll', 303);
  });

  app.get('/account', async (request, reply) => {
    if (!request.account) throw new NotAuthenticated();
    if (request.account.kind === 'officer') return reply.redirect('/backoffice', 303);
    const account = await service.getAccount(request.account.id);
    if (!account) throw new NotAuthenticated();
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, accountPage(ctx, account, await service.countSessions(account.id)));
  });

  app.get('/backoffice', async (request, reply) => {
    const by = await request.authorize('backoffice.enter');
    const account = await service.getAccount(by.id);
    if (!account) throw new NotAuthenticated();
    const ctx = pageContext(request, reply);
    const links = [
      ...(can(by, 'officers.manage') ? [{ href: '/admin/officers', label: ctx.t('auth.backoffice.officers') }] : []),
      ...(can(by, 'catalog.manage') ? [{ href: '/admin/catalog', label: ctx.t('auth.backoffice.catalog') }] : []),
      ...(can(by, 'payments.reconcile') ? [{ href: '/backoffice/payments', label: ctx.t('auth.backoffice.payments') }] : []),
    ];
    return sendPage(reply, ctx, backofficePage(ctx, account, { sessions: await service.countSessions(by.id), links }));
  });

  app.get('/admin/officers', async (request, reply) => {
    const by = await request.authorize('officers.manage');
    const query = validate(listQuery, request.query);
    const list = await service.listOfficers(by, { agencyCode: query.agency, page: query.page, pageSize: 50 });
    const items = list.items.map((o) => ({ ...o, manageable: o.id !== by.id && canManageOfficer(by, o) }));
    const ctx = pageContext(request, reply);
    const notice = query.done ? ctx.t(query.done === 'created' ? 'auth.officers.created' : 'auth.officers.updated') : undefined;
    return sendPage(reply, ctx, officersPage(ctx, { ...list, items, notice, agency: query.agency }));
  });

  const assignable = (by: NonNullable<FastifyRequest['account']>) => roles.filter((r) => canAssignRole(by, r, by.agencyCode ?? ''));

  app.get('/admin/officers/new', async (request, reply) => {
    const by = await request.authorize('officers.manage');
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, newOfficerPage(ctx, { roles: assignable(by), defaultAgency: by.agencyCode ?? '' }));
  });

  app.post('/admin/officers', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const agency = agencyCodeSchema.safeParse(formValue(body, 'agencyCode'));
    const by = await request.authorize('officers.manage', agency.success ? agency.data : undefined);
    const result = await service.createOfficer(
      {
        fullName: formValue(body, 'fullName'),
        email: formValue(body, 'email'),
        phone: formValue(body, 'phone'),
        agencyCode: formValue(body, 'agencyCode'),
        roles: body.roles,
        password: formValue(body, 'password'),
      },
      by,
      actorFromRequest(request),
    );
    if (!result.ok) {
      const ctx = pageContext(request, reply);
      return sendPage(reply, ctx, newOfficerPage(ctx, { body, issues: result.error, roles: assignable(by), defaultAgency: by.agencyCode ?? '' }), 400);
    }
    return reply.redirect('/admin/officers?done=created', 303);
  });

  app.post<{ Params: { id: string } }>('/admin/officers/:id/status', async (request, reply) => {
    const { status } = validate(statusBody, request.body ?? {});
    const officer = await service.getAccount(request.params.id);
    if (officer?.kind !== 'officer') throw notFound();
    const by = await request.authorize('officers.manage', officer.agencyCode);
    const result = await service.setOfficerStatus(officer.id, status, by, actorFromRequest(request));
    if (!result.ok) {
      if (result.error === 'forbidden') return refuse(request, 'officers.manage', officer.agencyCode);
      if (result.error === 'self') throw new AppError(409, 'CANNOT_DISABLE_SELF', 'auth.officers.cannotSelf');
      throw notFound();
    }
    return reply.redirect('/admin/officers?done=updated', 303);
  });
}
