import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../../platform/audit/index.ts';
import type { SessionAccount } from '../../platform/auth/policy.ts';
import { can } from '../../platform/auth/policy.ts';
import { AppError, type FieldIssue } from '../../platform/http/errors.ts';
import { formValue } from '../../web/forms.ts';
import { pageContext, sendPage } from '../../web/layout.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { PaymentService } from './service.ts';
import { outcomeView, reconcileView } from './views.ts';

export interface PagesOptions {
  timeZone: string;
  publicUrl: string | undefined;
  returnUrl: string | undefined;
  gatewayUrl: string;
}

/**
 * A page whose form posts "pay" is answered with a redirect to the gateway; Chromium applies
 * form-action to that redirect too, so such pages let forms go to the gateway's origin.
 */
export function allowFormsToGateway(reply: FastifyReply, gatewayUrl: string): void {
  const csp = String(reply.getHeader('content-security-policy') ?? '');
  if (!csp) return;
  const origin = new URL(gatewayUrl).origin;
  reply.header('content-security-policy', csp.replace(/form-action ([^;]*)/, (_m, sources: string) => `form-action ${sources} ${origin}`));
}

function citizen(request: FastifyRequest): SessionAccount {
  const account = request.account;
  if (!account) throw new AppError(401, 'UNAUTHENTICATED', 'http.unauthenticated');
  if (account.kind !== 'citizen') throw new AppError(403, 'FORBIDDEN', 'http.forbidden');
  return account;
}

export function returnUrlFor(request: FastifyRequest, o: Pick<PagesOptions, 'publicUrl' | 'returnUrl'>): string {
  return o.returnUrl ?? `${(o.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '')}/payments/vnpay/return`;
}

export function registerPaymentPages(app: FastifyInstance, service: PaymentService, catalog: CatalogService, o: PagesOptions): void {
  const tz = o.timeZone;
  const refParam = (request: FastifyRequest) => z.object({ ref: z.string().regex(/^[A-Z0-9]{6,34}$/) }).parse(request.params).ref;

  // ---- Citizens

  /** "Pay": opens (or reuses, on a double click) the payment and sends the browser to the gateway. */
  app.post('/my/dossiers/:code/pay', async (request, reply) => {
    const account = citizen(request);
    const { code } = request.params as { code: string };
    const started = await service.start(code, account, { ip: request.ip, locale: request.locale, returnUrl: returnUrlFor(request, o) });
    return reply.redirect(started.checkoutUrl, 303);
  });

  /** Back from the gateway: the redirect's claims are checked, then the gateway is asked; never trusted alone. */
  app.get('/payments/vnpay/return', async (request, reply) => {
    citizen(request);
    const params = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const row = await service.returned(params);
    if (row && row.payer_account_id === request.account?.id) return reply.redirect(`/payments/${row.txn_ref}`, 303);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('payments.title'), body: outcomeView(ctx, null, { timeZone: tz, stillDue: false }) }, 400);
  });

  app.get('/payments/:ref', async (request, reply) => {
    const account = citizen(request);
    const ref = refParam(request);
    const { check } = z.object({ check: z.string().optional() }).loose().parse(request.query);
    if (check && (await service.get(ref, account))) await service.refresh(ref);
    const p = await service.get(ref, account);
    if (!p) throw new AppError(404, 'PAYMENT_NOT_FOUND', 'payments.notFound');
    const stillDue = await service.stillDue(p.dossierCode, account);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('payments.title'), body: outcomeView(ctx, p, { timeZone: tz, stillDue }) });
  });

  const sendReceipt = async (reply: FastifyReply, ref: string, account: SessionAccount | null) => {
    const r = await service.receipt(ref, account, tz);
    if (!r) throw new AppError(404, 'PAYMENT_NOT_FOUND', 'payments.notFound');
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="bien-lai-${r.number.replace('/', '-')}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(r.pdf);
  };
  app.get('/payments/:ref/receipt.pdf', async (request, reply) => sendReceipt(reply, refParam(request), citizen(request)));
  app.get('/backoffice/payments/:ref/receipt.pdf', async (request, reply) => sendReceipt(reply, refParam(request), await request.authorize('backoffice.enter')));

  // ---- Finance staff: reconciliation per day and agency, status queries, refunds

  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date());
  const reconcilePage = async (request: FastifyRequest, reply: FastifyReply, date: string, extra: { flash?: string; issues?: FieldIssue[]; failedRef?: string } = {}) => {
    const account = await request.authorize('payments.reconcile');
    const ctx = pageContext(request, reply);
    const agencyCode = account.agencyCode ?? '';
    let report: Awaited<ReturnType<PaymentService['reconciliation']>>;
    let issues = extra.issues ?? [];
    try {
      report = await service.reconciliation(agencyCode, date, tz);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      issues = err.fields;
      report = await service.reconciliation(agencyCode, today(), tz);
    }
    const agency = await catalog.getAgency(agencyCode);
    return sendPage(
      reply,
      ctx,
      {
        title: ctx.t('payments.reconcile.title'),
        body: reconcileView(ctx, report, { timeZone: tz, agencyName: agency?.name ?? agencyCode, canRefund: can(account, 'payments.refund', agencyCode), flash: extra.flash, issues, failedRef: extra.failedRef }),
      },
      issues.length ? 400 : 200,
    );
  };

  app.get('/backoffice/payments', async (request, reply) => {
    const q = z.object({ date: z.string().max(20).optional(), flash: z.string().max(200).optional() }).loose().parse(request.query);
    return reconcilePage(request, reply, q.date || today(), { flash: q.flash });
  });

  /** The payment's agency decides who may act on it; unknown and foreign payments look the same. */
  const paymentFor = async (request: FastifyRequest, permission: 'payments.reconcile' | 'payments.refund') => {
    const ref = refParam(request);
    const row = await service.store.byRef(ref);
    if (!row) throw new AppError(404, 'PAYMENT_NOT_FOUND', 'payments.notFound');
    const account = await request.authorize(permission, row.agency_code);
    return { ref, row, account };
  };
  const dayOf = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(iso));

  app.post('/backoffice/payments/:ref/check', async (request, reply) => {
    const { ref, row } = await paymentFor(request, 'payments.reconcile');
    const status = (await service.refresh(ref)) ?? row.status;
    const ctx = pageContext(request, reply);
    const flash = ctx.t('payments.reconcile.checked', { ref, status: ctx.t(`payments.status.${status}`) });
    return reply.redirect(`/backoffice/payments?date=${dayOf(row.created_at)}&flash=${encodeURIComponent(flash)}`, 303);
  });

  app.post('/backoffice/payments/:ref/refund', async (request, reply) => {
    const { ref, row, account } = await paymentFor(request, 'payments.refund');
    try {
      await service.refund(ref, { reason: formValue(request.body, 'reason').trim() }, account, actorFromRequest(request));
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return reconcilePage(request, reply, dayOf(row.created_at), { issues: err.fields, failedRef: ref });
      throw err;
    }
    const ctx = pageContext(request, reply);
    return reply.redirect(`/backoffice/payments?date=${dayOf(row.created_at)}&flash=${encodeURIComponent(ctx.t('payments.refund.done', { ref }))}`, 303);
  });
}
