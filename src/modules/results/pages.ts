import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../../platform/audit/index.ts';
import { can, type SessionAccount } from '../../platform/auth/policy.ts';
import { sendAttachment } from '../../platform/files/index.ts';
import { AppError, type FieldIssue } from '../../platform/http/errors.ts';
import { html, type SafeHtml } from '../../platform/http/html.ts';
import { formValue } from '../../web/forms.ts';
import { type PageContext, pageContext, sendPage } from '../../web/layout.ts';
import { uploadedFile } from './routes.ts';
import type { ResultService, Verification } from './service.ts';
import type { ResultRow } from './tables.ts';
import { resultPanel, verifyView } from './views/pages.ts';

/** What the results pages need from the dossiers: who may read a dossier (the dossiers module decides). */
export interface DossierAccess {
  getByCode(code: string, account: SessionAccount): Promise<{ id: string; code: string; status: string } | null>;
  track(code: string, secret: string): Promise<{ code: string; status: string } | null>;
}

/**
 * Where a dossier page is shown, which decides the download link and the revocation form.
 * `status` is the dossier's: the applicant gets a result whose fee is due only once it is paid.
 */
export type PanelAudience = { kind: 'officer'; account: SessionAccount } | { kind: 'citizen'; status: string } | { kind: 'track'; secret: string; status: string };

/** A result is signed with the decision, but released to the applicant only when no fee is owed for it. */
const releasedToApplicant = (status: string) => status !== 'WAITING_PAYMENT';

export function panelFor(service: ResultService, timeZone: string) {
  return async (ctx: PageContext, dossierCode: string, audience: PanelAudience, issues: FieldIssue[] = []): Promise<SafeHtml> => {
    const row = await service.find({ dossierCode });
    if (!row) return html``;
    const code = encodeURIComponent(dossierCode);
    const downloadHref =
      audience.kind === 'officer'
        ? `/backoffice/dossiers/${code}/result.pdf`
        : !releasedToApplicant(audience.status)
          ? null
          : audience.kind === 'citizen'
            ? `/my/dossiers/${code}/result.pdf`
            : `/track/result.pdf?code=${code}&secret=${encodeURIComponent(audience.secret)}`;
    const revoke = audience.kind === 'officer' && can(audience.account, 'results.revoke', row.issuer_agency);
    return resultPanel(ctx, row, { downloadHref, revoke, issues, timeZone });
  };
}

export function registerResultPages(app: FastifyInstance, service: ResultService, dossiers: DossierAccess, opts: { timeZone: string; verifyPerMinute: number; trackPerMinute: number }): void {
  const tz = opts.timeZone;
  const limited = (max: number) => ({ config: { rateLimit: { max, timeWindow: 60_000 } } });

  const verifyPage = (request: FastifyRequest, reply: FastifyReply, verdict: Verification | null, issues: FieldIssue[] = [], status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('results.verify.title'), body: verifyView(ctx, { verdict, issues, timeZone: tz }) }, status);
  };

  // Opened from the QR code: `t` is the signed statement.
  app.get('/verify', limited(opts.verifyPerMinute), async (request, reply) => {
    const { t } = z.object({ t: z.string().max(4000).optional() }).loose().parse(request.query);
    return verifyPage(request, reply, t ? await service.verifyToken(t) : null);
  });

  app.post('/verify', limited(opts.verifyPerMinute), async (request, reply) => {
    if (!request.isMultipart()) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'http.unsupportedMedia', { params: { type: String(request.headers['content-type'] ?? '') } });
    try {
      const file = await uploadedFile(request);
      if (!file) return verifyPage(request, reply, null, [{ field: 'file', key: 'results.verify.required' }], 400);
      return verifyPage(request, reply, await service.verifyPdf(file.data, file.fileName));
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.fields.length) return verifyPage(request, reply, null, err.fields, err.status);
      throw err;
    }
  });

  const send = async (reply: FastifyReply, row: ResultRow | undefined) => {
    if (!row) throw new AppError(404, 'RESULT_NOT_FOUND', 'results.notFound');
    return sendAttachment(reply, await service.open(row));
  };
  const ofDossier = async (code: string, account: SessionAccount) => {
    const d = await dossiers.getByCode(code, account);
    return d ? service.find({ dossierId: d.id }) : undefined;
  };

  app.get('/backoffice/dossiers/:code/result.pdf', async (request, reply) => {
    const account = await request.authorize('backoffice.enter');
    return send(reply, await ofDossier((request.params as { code: string }).code, account));
  });
  app.get('/my/dossiers/:code/result.pdf', async (request, reply) => {
    const account = request.account;
    if (account?.kind !== 'citizen') throw new AppError(401, 'UNAUTHENTICATED', 'http.unauthenticated');
    const d = await dossiers.getByCode((request.params as { code: string }).code, account);
    if (d && !releasedToApplicant(d.status)) throw new AppError(409, 'PAYMENT_DUE', 'results.awaitingPayment');
    return send(reply, d ? await service.find({ dossierId: d.id }) : undefined);
  });
  // From the public tracking page: the code and the key printed on the receipt.
  app.get('/track/result.pdf', limited(opts.trackPerMinute), async (request, reply) => {
    const q = z.object({ code: z.string().max(80).default(''), secret: z.string().max(20).default('') }).loose().parse(request.query);
    const tracked = q.code && q.secret ? await dossiers.track(q.code.trim(), q.secret) : null;
    if (tracked && !releasedToApplicant(tracked.status)) throw new AppError(409, 'PAYMENT_DUE', 'results.awaitingPayment');
    return send(reply, tracked ? await service.find({ dossierCode: tracked.code }) : undefined);
  });

  const revokePage = (request: FastifyRequest, reply: FastifyReply, row: ResultRow, account: SessionAccount, issues: FieldIssue[]) => {
    const ctx = pageContext(request, reply);
    const panel = panelFor(service, tz);
    return panel(ctx, row.dossier_code, { kind: 'officer', account }, issues).then((body) =>
      sendPage(reply, ctx, { title: ctx.t('results.revoke.title'), body: html`<p class="meta"><a href="/backoffice/dossiers/${encodeURIComponent(row.dossier_code)}">${row.dossier_code}</a></p><h1>${ctx.t('results.revoke.title')}</h1>${body}` }, issues.length ? 400 : 200),
    );
  };

  const revocable = async (request: FastifyRequest) => {
    const row = await service.find({ id: (request.params as { id: string }).id });
    if (!row) throw new AppError(404, 'RESULT_NOT_FOUND', 'results.notFound');
    return { row, account: await request.authorize('results.revoke', row.issuer_agency) };
  };

  app.get('/backoffice/results/:id/revoke', async (request, reply) => {
    const { row, account } = await revocable(request);
    return revokePage(request, reply, row, account, []);
  });

  app.post('/backoffice/results/:id/revoke', async (request, reply) => {
    const { row, account } = await revocable(request);
    try {
      await service.revoke(row.id, { reason: formValue(request.body, 'reason') }, { accountId: account.id, actor: actorFromRequest(request) });
    } catch (err) {
      if (err instanceof AppError && err.status === 400) return revokePage(request, reply, row, account, err.fields);
      throw err;
    }
    const ctx = pageContext(request, reply);
    return reply.redirect(`/backoffice/dossiers/${encodeURIComponent(row.dossier_code)}?flash=${encodeURIComponent(ctx.t('results.revoke.done'))}`, 303);
  });
}
