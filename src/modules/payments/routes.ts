import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../../platform/audit/index.ts';
import type { ApiRegistry } from '../../platform/http/api.ts';
import { AppError } from '../../platform/http/errors.ts';
import { returnUrlFor } from './pages.ts';
import { dateSchema, type PaymentService, refundSchema } from './service.ts';
import { IpnReply } from './vnpay.ts';

const refParams = z.strictObject({ ref: z.string().regex(/^[A-Z0-9]{6,34}$/).describe('Our transaction reference at the gateway (vnp_TxnRef)') });
const codeParams = z.strictObject({ code: z.string().min(5).max(80).describe('Dossier code (mã hồ sơ)') });
const statusEnum = z.enum(['pending', 'paid', 'failed', 'expired', 'refunded']);

export const paymentSchema = z.object({
  ref: z.string(),
  dossierCode: z.string(),
  agencyCode: z.string(),
  procedureName: z.string(),
  stage: z.enum(['submission', 'result']),
  amount: z.number().int().describe('Integer VND'),
  lines: z.array(z.object({ name: z.string(), amount: z.number().int() })),
  status: statusEnum.describe('pending: waiting for the gateway; expired: pending past its deadline; paid only once the gateway confirmed it server-to-server'),
  payerName: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  paidAt: z.string().nullable(),
  transactionNo: z.string().nullable().describe('vnp_TransactionNo'),
  bankCode: z.string().nullable(),
  responseCode: z.string().nullable().describe('vnp_ResponseCode of the outcome'),
  receiptNumber: z.string().nullable().describe('E-receipt number, "0000001/2026": per agency and year, without gaps'),
  refundedAt: z.string().nullable(),
  refundReason: z.string().nullable(),
});

const totals = z.object({ count: z.number().int(), amount: z.number().int() });

export function registerPaymentApi(app: FastifyInstance, api: ApiRegistry, service: PaymentService, o: { publicUrl: string | undefined; returnUrl: string | undefined; timeZone: string }): void {
  /**
   * The gateway's IPN (server-to-server, GET). It is answered in VNPay's own format whatever
   * happens, so it stays outside the JSON API's error envelope. The gateway calls from a few
   * addresses for every payment of the city: the per-address limit for people would refuse it
   * at a busy hour, and the checksum, not the rate, is what keeps forgeries out.
   */
  app.get('/api/v1/payments/vnpay/ipn', { config: { rateLimit: { max: 20_000, timeWindow: 60_000 } } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    // A repeated parameter is not something the gateway sends: treat it as tampering.
    if (Object.values(query).some((v) => typeof v !== 'string')) return reply.send(IpnReply.invalidChecksum);
    const outcome = await service.handleIpn(query as Record<string, string>);
    request.log.info({ ipn: outcome.RspCode, ref: typeof query.vnp_TxnRef === 'string' ? query.vnp_TxnRef.slice(0, 40) : null }, 'payment IPN');
    return reply.send(outcome);
  });

  api.add({
    method: 'POST',
    url: '/api/v1/dossiers/:code/payments',
    operationId: 'startPayment',
    summary: 'Open (or reuse) the online payment of a dossier’s fee and get the gateway URL',
    description: 'For the applicant of a dossier waiting for payment (status WAITING_PAYMENT, national status 6). An open, unexpired payment is reused, so a double click opens one order.',
    tags: ['payments'],
    security: 'session',
    params: codeParams,
    response: z.object({ ref: z.string(), checkoutUrl: z.string(), reused: z.boolean() }),
    errors: { 401: 'Not signed in', 403: 'Not a citizen', 404: 'No such dossier of yours', 409: 'The dossier does not wait for a payment' },
    handler: async ({ params }, request) => {
      const account = request.account;
      if (!account) throw new AppError(401, 'UNAUTHENTICATED', 'http.unauthenticated');
      if (account.kind !== 'citizen') throw new AppError(403, 'FORBIDDEN', 'http.forbidden');
      return service.start(params.code, account, { ip: request.ip, locale: request.locale, returnUrl: returnUrlFor(request, o) });
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/payments/:ref',
    operationId: 'getPayment',
    summary: 'One payment, for its payer or the officers of its agency',
    tags: ['payments'],
    security: 'session',
    params: refParams,
    response: paymentSchema,
    errors: { 404: 'No such payment for you' },
    handler: async ({ params }, request) => {
      const p = await service.get(params.ref, request.account);
      if (!p) throw new AppError(404, 'PAYMENT_NOT_FOUND', 'payments.notFound');
      return p;
    },
  });

  api.add({
    method: 'POST',
    url: '/api/v1/payments/:ref/check',
    operationId: 'checkPaymentStatus',
    summary: 'Ask the gateway (querydr) about an open payment and record its answer',
    tags: ['payments'],
    security: 'session',
    params: refParams,
    response: paymentSchema,
    errors: { 403: 'Not finance staff of the payment’s agency', 404: 'No such payment' },
    handler: async ({ params }, request) => {
      const row = await service.store.byRef(params.ref);
      if (!row) throw new AppError(404, 'PAYMENT_NOT_FOUND', 'payments.notFound');
      const account = await request.authorize('payments.reconcile', row.agency_code);
      await service.refresh(params.ref);
      return (await service.get(params.ref, account)) as z.input<typeof paymentSchema>;
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/payments/reconciliation',
    operationId: 'getPaymentReconciliation',
    summary: 'Payments of one agency opened on one day, with totals per status (paid, pending, expired, failed, refunded)',
    tags: ['payments'],
    security: 'session',
    query: z.strictObject({ date: dateSchema.describe('Local day, YYYY-MM-DD'), agency: z.string().max(20).optional().describe('Agency code; default: your own') }),
    response: z.object({ date: z.string(), agencyCode: z.string(), items: z.array(paymentSchema), totals: z.record(statusEnum, totals) }),
    errors: { 403: 'Not finance staff of that agency' },
    handler: async ({ query }, request) => {
      const account = await request.authorize('payments.reconcile', query.agency ?? request.account?.agencyCode ?? null);
      return service.reconciliation(query.agency ?? account.agencyCode ?? '', query.date, o.timeZone);
    },
  });

  api.add({
    method: 'POST',
    url: '/api/v1/payments/:ref/refund',
    operationId: 'refundPayment',
    summary: 'Refund a paid fee in full through the gateway (audited)',
    tags: ['payments'],
    security: 'session',
    params: refParams,
    body: refundSchema,
    response: paymentSchema,
    errors: { 403: 'Not finance staff of the payment’s agency', 404: 'No such payment', 409: 'Not paid, or already refunded', 502: 'The gateway refused the refund' },
    handler: async ({ params, body }, request) => {
      const row = await service.store.byRef(params.ref);
      if (!row) throw new AppError(404, 'PAYMENT_NOT_FOUND', 'payments.notFound');
      const account = await request.authorize('payments.refund', row.agency_code);
      return service.refund(params.ref, body, account, actorFromRequest(request));
    },
  });
}
