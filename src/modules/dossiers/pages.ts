import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorFromRequest } from '../../platform/audit/index.ts';
import type { SessionAccount } from '../../platform/auth/policy.ts';
import { type StagedFile, sendAttachment } from '../../platform/files/index.ts';
import { AppError, type FieldIssue, fromZodIssues } from '../../platform/http/errors.ts';
import { html, type SafeHtml } from '../../platform/http/html.ts';
import { formValue, textInput } from '../../web/forms.ts';
import { errorSummary, fieldError, fieldId, pageContext, sendPage } from '../../web/layout.ts';
import type { CatalogService } from '../catalog/index.ts';
import { type NoticeKindName, noticeKinds, renderNotice } from './notices-for.ts';
import type { Action } from './policy.ts';
import { inboxBoxes } from './routes.ts';
import { defaultForm } from '../catalog/format.ts';
import { answersSchema, answerText, formOf } from './answers.ts';
import { type PaperSlot, paperSlots, RESULT_SLOT } from './papers.ts';
import { actionSchemas, applicantSchema, type DossierService, type DossierView, draftKey } from './service.ts';
import { alteredFields, sharedFields } from '../registry/index.ts';
import { type ApplyDraft, type ApplyStep, applySteps, applyView, myDossierView, myListView, submittedView, trackView } from './views/citizen.ts';
import { answerInputs, answersFrom } from './views/answers.ts';
import { dossierView, inboxView } from './views/officer.ts';

const stepSchemas = {
  applicant: applicantSchema.extend({ phone: z.string().trim().optional(), email: z.string().trim().optional() }).loose(),
  request: z.object({ receivingAgency: z.string().min(1, 'dossiers.wrongAgency') }).loose(),
};

/** Empty optional inputs from a form are absent, not "". */
function compact(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
}

function citizenOnly(request: FastifyRequest): SessionAccount {
  const account = request.account;
  if (!account) throw new AppError(401, 'UNAUTHENTICATED', 'http.unauthenticated');
  if (account.kind !== 'citizen') throw new AppError(403, 'FORBIDDEN', 'http.forbidden');
  return account;
}

/** The signed result's section of a dossier page, from the results module ('' when none). */
export type ResultPanel = (
  ctx: ReturnType<typeof pageContext>,
  dossierCode: string,
  audience: { kind: 'officer'; account: SessionAccount } | { kind: 'citizen'; status: string } | { kind: 'track'; secret: string; status: string },
) => Promise<SafeHtml>;

/** The payment section of a dossier page, from the payments module ('' when nothing is owed or paid). */
export type PaymentPanel = (ctx: ReturnType<typeof pageContext>, reply: FastifyReply, d: DossierView, audience: 'citizen' | 'officer') => Promise<SafeHtml>;

export function registerDossierPages(
  app: FastifyInstance,
  service: DossierService,
  catalog: CatalogService,
  opts: { timeZone: string; publicUrl?: string; trackPerMinute: number; resultPanel?: ResultPanel; paymentPanel?: PaymentPanel },
): void {
  const tz = opts.timeZone;
  const resultPanel: ResultPanel = opts.resultPanel ?? (async () => html``);
  const paymentPanel: PaymentPanel = opts.paymentPanel ?? (async () => html``);

  /** Forms 01–06 as PDFs, for whoever may read the dossier (officers of its agencies, its applicant). */
  const sendNotice = async (request: FastifyRequest, reply: FastifyReply, account: SessionAccount) => {
    const { code, kind } = request.params as { code: string; kind: string };
    const d = await service.getByCode(code, account);
    if (!d || !(noticeKinds as readonly string[]).includes(kind)) throw new AppError(404, 'NOT_FOUND', 'http.notFound');
    const pdf = await renderNotice(kind as NoticeKindName, d, {
      catalog,
      timeZone: tz,
      publicUrl: opts.publicUrl ?? `${request.protocol}://${request.host}`,
      stageDeadlines: await service.stageDeadlines(d),
    });
    if (!pdf) throw new AppError(404, 'NOT_FOUND', 'http.notFound');
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${kind}-${d.code}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  };
  /** A paper of the dossier, for whoever may read the dossier; anyone else gets 404. */
  const sendPaper = async (request: FastifyRequest, reply: FastifyReply, account: SessionAccount) => {
    const { code, id } = request.params as { code: string; id: string };
    const opened = await service.openAttachment(code, id, account);
    if (!opened) throw new AppError(404, 'NOT_FOUND', 'http.notFound');
    return sendAttachment(reply, opened);
  };
  app.get('/backoffice/dossiers/:code/papers/:id', async (request, reply) => sendPaper(request, reply, await request.authorize('backoffice.enter')));
  app.get('/my/dossiers/:code/papers/:id', async (request, reply) => sendPaper(request, reply, citizenOnly(request)));

  app.get('/backoffice/dossiers/:code/notices/:kind.pdf', async (request, reply) => sendNotice(request, reply, await request.authorize('backoffice.enter')));
  app.get('/my/dossiers/:code/notices/:kind.pdf', async (request, reply) => sendNotice(request, reply, citizenOnly(request)));

  const agencyNames = async (codes: string[]) => {
    const out = new Map<string, string>();
    for (const code of new Set(codes)) {
      const a = await catalog.getAgency(code);
      if (a) out.set(code, a.name);
    }
    return out;
  };

  /** The applicant's answers with the labels of the procedure's form as it was when submitted. */
  const answerRows = async (d: DossierView, locale: 'vi' | 'en') => {
    const p = await catalog.getProcedure(d.procedureCode, { includeRetired: true, date: d.submittedAt.slice(0, 10) });
    if (!p) return [];
    const answers = (d.form as { answers?: Record<string, string> }).answers ?? {};
    const units = new Map((await catalog.addressUnits()).map((u) => [u.code, u.name]));
    // Answers to questions the form no longer has (or the default question) are shown too.
    const fields = [...formOf(p), ...defaultForm.filter((f) => answers[f.name] !== undefined && !formOf(p).some((x) => x.name === f.name))];
    return fields.map((f) => ({ label: locale === 'en' && f.labelEn ? f.labelEn : f.label, text: answerText(f, answers, units, locale) }));
  };

  // ---- Citizens: apply page by page, with a server-side draft

  const loadProcedure = async (code: string) => {
    const p = await catalog.getProcedure(code);
    if (!p) throw new AppError(404, 'PROCEDURE_NOT_FOUND', 'catalog.notFound', { params: { code } });
    return p;
  };

  const applyPage = async (request: FastifyRequest, reply: FastifyReply, step: ApplyStep, draft: ApplyDraft, issues: FieldIssue[] = [], failure?: { status: number; notice: string }) => {
    const ctx = pageContext(request, reply);
    const { code } = request.params as { code: string };
    const p = await loadProcedure(code);
    const agencies = await catalog.receivingAgencies(p);
    const account = citizenOnly(request);
    const uploaded = await service.draftPapers(account.id, p.code);
    const papers = paperSlots(p).map((slot) => {
      const file = uploaded.find((u) => u.slot === slot.slot);
      return { slot: slot.slot, label: slot.label, file: file ? { fileName: file.fileName, size: file.size } : null };
    });
    return sendPage(
      reply,
      ctx,
      {
        title: ctx.t(`dossiers.apply.${step}`),
        body: applyView(ctx, {
          procedure: { code: p.code, name: p.body.name },
          step,
          draft,
          issues,
          agencies,
          papers,
          fields: formOf(p),
          units: await catalog.addressUnits(),
          prefill: service.registry ? { offered: service.registry.canPrefill(account), fields: sharedFields(consentProcedure(p)), notice: failure?.notice } : undefined,
        }),
      },
      failure?.status ?? (issues.length ? 400 : 200),
    );
  };

  const draftOf = async (account: SessionAccount, code: string): Promise<ApplyDraft> => {
    const row = await service.store.getDraft(account.id, code);
    if (row) return JSON.parse(row.data_json) as ApplyDraft;
    const me = await service.applicantDefaults(account.id);
    return me;
  };

  app.get('/procedures/:code/apply', async (request, reply) => {
    citizenOnly(request);
    return reply.redirect(`/procedures/${(request.params as { code: string }).code}/apply/applicant`, 303);
  });

  app.get('/procedures/:code/apply/:step', async (request, reply) => {
    const account = citizenOnly(request);
    const { code, step } = request.params as { code: string; step: string };
    if (!(applySteps as readonly string[]).includes(step)) throw new AppError(404, 'NOT_FOUND', 'http.notFound');
    await loadProcedure(code);
    return applyPage(request, reply, step as ApplyStep, await draftOf(account, code));
  });

  app.post('/procedures/:code/apply/:step', async (request, reply) => {
    const account = citizenOnly(request);
    const { code, step } = request.params as { code: string; step: string };
    const draft = await draftOf(account, code);
    if (step === 'submit') {
      try {
        const result = await service.submit(
          {
            procedureCode: code,
            receivingAgency: draft.receivingAgency ?? '',
            applicant: compact({ fullName: draft.fullName ?? '', personalId: draft.personalId ?? '', phone: draft.phone ?? '', email: draft.email ?? '', address: draft.address ?? '' }),
            form: draft.answers ?? {},
            channel: 'online',
          },
          { account, actor: actorFromRequest(request) },
          { fromDraft: draftKey(account.id, code), verified: draft.verified },
        );
        return reply.redirect(`/procedures/${code}/apply/done?code=${encodeURIComponent(result.code)}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        const fields = err.fields.map((f) => ({ ...f, field: f.field.replace(/^applicant\./, '') }));
        const first = fields.some((f) => ['fullName', 'personalId', 'phone', 'email', 'address'].includes(f.field)) ? 'applicant' : 'request';
        return applyPage(request, reply, first, draft, fields);
      }
    }
    if (step === 'consent') {
      // The citizen agrees to share their registry data for this procedure: it becomes verified claims on the draft.
      const p = await loadProcedure(code);
      if (!service.registry) throw new AppError(404, 'NOT_FOUND', 'http.notFound');
      if (formValue(request.body, 'agree') !== 'yes') return applyPage(request, reply, 'applicant', draft, [{ field: 'agree', key: 'registry.consentRequired' }]);
      try {
        const claims = await service.registry.prefill(account, consentProcedure(p), actorFromRequest(request));
        const next: ApplyDraft = { ...draft, fullName: claims.values.fullName, personalId: claims.personalId, address: claims.values.currentAddress, verified: claims };
        await service.store.saveDraft(account.id, code, next, randomUUID(), new Date().toISOString());
      } catch (err) {
        // Down, slow, or no record: say so, and the form is filled in by hand. Nothing is guessed.
        if (!(err instanceof AppError) || err.status < 403) throw err;
        return applyPage(request, reply, 'applicant', draft, [], { status: err.status, notice: pageContext(request, reply).t(err.key) });
      }
      return reply.redirect(`/procedures/${code}/apply/applicant`, 303);
    }
    if (step === 'papers') {
      const p = await loadProcedure(code);
      const slots = paperSlots(p);
      const issues: FieldIssue[] = [];
      for await (const part of request.parts()) {
        if (part.type !== 'file') continue;
        const slot = slots.find((x) => x.slot === part.fieldname);
        if (!slot || !part.filename) {
          part.file.resume();
          continue;
        }
        try {
          await service.addDraftPaper(account.id, code, slot, { fileName: part.filename, data: part.file }, actorFromRequest(request));
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          part.file.resume();
          issues.push(...(err.fields.length ? err.fields : [{ field: slot.slot, key: err.key, params: err.params }]));
        }
      }
      if (issues.length) return applyPage(request, reply, 'papers', draft, issues);
      return reply.redirect(`/procedures/${code}/apply/check`, 303);
    }
    if (step !== 'applicant' && step !== 'request') throw new AppError(404, 'NOT_FOUND', 'http.notFound');
    const body = request.body as Record<string, unknown>;
    if (step === 'request') {
      const p = await loadProcedure(code);
      const answers = answersFrom(body, formOf(p));
      const next: ApplyDraft = { ...draft, receivingAgency: formValue(body, 'receivingAgency').trim(), answers };
      await service.store.saveDraft(account.id, code, next, randomUUID(), new Date().toISOString());
      const parsed = answersSchema(formOf(p), await catalog.addressUnitCodes()).safeParse(compact(answers));
      const agency = stepSchemas.request.safeParse({ receivingAgency: next.receivingAgency });
      const issues = [...(agency.success ? [] : fromZodIssues(agency.error.issues)), ...(parsed.success ? [] : fromZodIssues(parsed.error.issues, 'form'))];
      if (issues.length) return applyPage(request, reply, step, next, issues);
      return reply.redirect(`/procedures/${code}/apply/papers`, 303);
    }
    const values = Object.fromEntries(['fullName', 'personalId', 'phone', 'email', 'address'].map((k) => [k, formValue(body, k).trim()]));
    if (draft.verified) {
      const altered = alteredFields(draft.verified, compact(values));
      if (altered.length) return applyPage(request, reply, step, draft, altered.map((field) => ({ field, key: 'registry.claimChanged' })));
      Object.assign(values, { fullName: draft.verified.values.fullName, personalId: draft.verified.personalId, address: draft.verified.values.currentAddress });
    }
    const next: ApplyDraft = { ...draft, ...values };
    await service.store.saveDraft(account.id, code, next, randomUUID(), new Date().toISOString());
    const parsed = applicantSchema.safeParse(compact(values));
    if (!parsed.success) return applyPage(request, reply, step, next, fromZodIssues(parsed.error.issues));
    return reply.redirect(`/procedures/${code}/apply/request`, 303);
  });

  app.get('/procedures/:code/apply/done', async (request, reply) => {
    const account = citizenOnly(request);
    const ctx = pageContext(request, reply);
    const { code } = z.object({ code: z.string().max(80) }).loose().parse(request.query);
    const view = await service.getByCode(code, account);
    if (!view) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
    const secret = await service.trackingSecret(view.id);
    return sendPage(reply, ctx, { title: ctx.t('dossiers.apply.done'), body: submittedView(ctx, { code: view.code, secret, paymentPanel: await paymentPanel(ctx, reply, view, 'citizen') }) });
  });

  app.get('/my/dossiers', async (request, reply) => {
    const account = citizenOnly(request);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t('dossiers.my.title'), body: myListView(ctx, await service.mine(account.id), tz) });
  });

  const myDossierPage = async (request: FastifyRequest, reply: FastifyReply, code: string, issues: FieldIssue[] = [], flash?: string) => {
    const account = citizenOnly(request);
    const ctx = pageContext(request, reply);
    const d = await service.getByCode(code, account);
    if (!d) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
    const names = await agencyNames([d.holderAgency, ...d.history.map((e) => e.actorAgency ?? '')]);
    return sendPage(reply, ctx, { title: d.code, body: myDossierView(ctx, d, { timeZone: tz, agencyNames: names, issues, flash, resultPanel: await resultPanel(ctx, d.code, { kind: 'citizen', status: d.status }), paymentPanel: await paymentPanel(ctx, reply, d, 'citizen') }) }, issues.length ? 400 : 200);
  };

  app.get('/my/dossiers/:code', async (request, reply) => {
    const { flash } = z.object({ flash: z.string().max(200).optional() }).loose().parse(request.query);
    return myDossierPage(request, reply, (request.params as { code: string }).code, [], flash);
  });

  for (const action of ['supplement', 'withdraw'] as const) {
    app.post(`/my/dossiers/:code/${action}`, async (request, reply) => {
      const account = citizenOnly(request);
      const { code } = request.params as { code: string };
      const d = await service.getByCode(code, account);
      if (!d) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
      const input = action === 'supplement' ? { note: formValue(request.body, 'note') } : { reason: formValue(request.body, 'reason') };
      try {
        await service.act(d.id, action, input, { account, actor: actorFromRequest(request) });
      } catch (err) {
        if (err instanceof AppError && err.status === 400) return myDossierPage(request, reply, code, err.fields);
        throw err;
      }
      const ctx = pageContext(request, reply);
      const flash = ctx.t('dossiers.action.done', { action: ctx.t(`dossiers.action.${action}`) });
      return reply.redirect(`/my/dossiers/${code}?flash=${encodeURIComponent(flash)}`, 303);
    });
  }

  app.get('/track', { config: { rateLimit: { max: opts.trackPerMinute, timeWindow: 60_000 } } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const q = z.object({ code: z.string().max(80).default(''), secret: z.string().max(20).default('') }).loose().parse(request.query);
    const searched = Boolean(q.code && q.secret);
    const result = searched ? await service.track(q.code.trim(), q.secret) : null;
    return sendPage(reply, ctx, { title: ctx.t('dossiers.track.title'), body: trackView(ctx, { code: q.code, secret: q.secret, result, searched, timeZone: tz, resultPanel: result ? await resultPanel(ctx, result.code, { kind: 'track', secret: q.secret, status: result.status }) : undefined }) }, searched && !result ? 404 : 200);
  });

  // ---- Officers: inbox, dossier page with its actions, counter registration

  app.get('/backoffice/inbox', async (request, reply) => {
    const account = await request.authorize('backoffice.enter');
    const ctx = pageContext(request, reply);
    const q = z.object({ box: z.enum(inboxBoxes).default('all'), q: z.string().max(100).default(''), page: z.coerce.number().int().min(1).max(100_000).default(1) }).loose().parse(request.query);
    const { items, total, totalCapped } = await service.inbox(account, q.box, { page: q.page, pageSize: 50, q: q.q });
    return sendPage(reply, ctx, {
      title: ctx.t('dossiers.inbox.title'),
      body: inboxView(ctx, { box: q.box, boxes: inboxBoxes, q: q.q, items, total, totalCapped, page: q.page, pageSize: 50, timeZone: tz, canRegister: account.roles.includes('counter_clerk') }),
    });
  });

  const dossierPage = async (request: FastifyRequest, reply: FastifyReply, code: string, extra: { issues?: FieldIssue[]; failedAction?: Action; values?: Record<string, string>; flash?: string } = {}) => {
    const account = await request.authorize('backoffice.enter');
    const ctx = pageContext(request, reply);
    const d = await service.getByCode(code, account);
    if (!d) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
    const names = await agencyNames([d.holderAgency, d.receivingAgency, ...d.history.map((e) => e.actorAgency ?? '')]);
    const specialists = d.actions.includes('assign') ? await service.specialists(d.holderAgency) : [];
    const answers = await answerRows(d, ctx.locale);
    return sendPage(
      reply,
      ctx,
      { title: d.code, body: dossierView(ctx, d, { timeZone: tz, agencyNames: names, specialists, answers, issues: extra.issues ?? [], failedAction: extra.failedAction, values: extra.values ?? {}, flash: extra.flash, resultPanel: await resultPanel(ctx, d.code, { kind: 'officer', account }), paymentPanel: await paymentPanel(ctx, reply, d, 'officer') }) },
      extra.issues?.length ? 400 : 200,
    );
  };

  app.get('/backoffice/dossiers/:code', async (request, reply) => {
    const { flash } = z.object({ flash: z.string().max(200).optional() }).loose().parse(request.query);
    return dossierPage(request, reply, (request.params as { code: string }).code, { flash });
  });

  app.post('/backoffice/dossiers/:code/actions/:action', async (request, reply) => {
    const account = await request.authorize('backoffice.enter');
    const { code, action } = request.params as { code: string; action: string };
    if (!(action in actionSchemas) || action === 'supplement' || action === 'withdraw') throw new AppError(404, 'NOT_FOUND', 'http.notFound');
    const d = await service.getByCode(code, account);
    if (!d) throw new AppError(404, 'DOSSIER_NOT_FOUND', 'dossiers.notFound');
    // The decision form is multipart: it may carry the result document.
    let body = request.body as Record<string, unknown>;
    const staged: StagedFile[] = [];
    if (request.isMultipart()) {
      body = {};
      for await (const part of request.parts()) {
        if (part.type === 'field') body[part.fieldname] = String(part.value);
        else if (part.fieldname === RESULT_SLOT.slot && part.filename && action === 'approve') {
          try {
            staged.push(await service.stagePaper({ ownerId: d.id, slot: RESULT_SLOT.slot, slotLabel: RESULT_SLOT.label, fileName: part.filename, data: part.file, allowed: RESULT_SLOT.allowed }));
          } catch (err) {
            part.file.resume();
            if (err instanceof AppError && err.status < 500) return dossierPage(request, reply, code, { issues: [{ field: RESULT_SLOT.slot, key: err.key, params: err.params }], failedAction: action as Action, values: {} });
            throw err;
          }
        } else part.file.resume();
      }
    }
    const values = Object.fromEntries(['note', 'reason', 'items', 'assigneeId', 'toAgency', 'decision', 'summary', 'method', 'newDueDate'].map((k) => [k, formValue(body, k).trim()]));
    const input = formToAction(action as Action, values);
    try {
      await service.act(d.id, action as Action, input, { account, actor: actorFromRequest(request) }, staged);
    } catch (err) {
      await service.discardPapers(staged);
      if (err instanceof AppError && err.status === 400) return dossierPage(request, reply, code, { issues: err.fields, failedAction: action as Action, values });
      throw err;
    }
    const ctx = pageContext(request, reply);
    const flash = ctx.t('dossiers.action.done', { action: ctx.t(`dossiers.action.${action}`) });
    return reply.redirect(`/backoffice/dossiers/${code}?flash=${encodeURIComponent(flash)}`, 303);
  });

  // Walk-in and postal dossiers: the clerk picks the procedure, then fills its form.
  const counterFields = ['procedureCode', 'channel', 'fullName', 'personalId', 'phone', 'email', 'address'] as const;
  const counterPage = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, answers: Record<string, string>, issues: FieldIssue[]) => {
    const ctx = pageContext(request, reply);
    const procedure = values.procedureCode ? await catalog.getProcedure(values.procedureCode) : null;
    const input = (name: (typeof counterFields)[number], label: string, autocomplete = 'off') => textInput(ctx, issues, { name, label, value: values[name], autocomplete });
    const pick = html`<form method="get" action="/backoffice/dossiers/new">
${textInput(ctx, procedure || !values.procedureCode ? issues : [{ field: 'procedureCode', key: 'catalog.notFound', params: { code: values.procedureCode } }, ...issues], { name: 'procedureCode', label: ctx.t('dossiers.counter.procedure'), value: values.procedureCode, autocomplete: 'off', hint: '1.001193' })}
<div class="actions"><button type="submit" class="secondary">${ctx.t('dossiers.apply.continue')}</button></div></form>`;
    const body = procedure
      ? html`<p class="lead">${procedure.body.name}</p>
<form method="post" action="/backoffice/dossiers/new?_csrf=${encodeURIComponent(ctx.csrf())}" enctype="multipart/form-data" novalidate>
<input type="hidden" name="procedureCode" value="${procedure.code}">
<fieldset class="field"><legend>${ctx.t('dossiers.counter.channel')}</legend>${(['counter', 'post'] as const).map((c, i) => html`<label class="choice"><input type="radio" name="channel" value="${c}" ${(values.channel || 'counter') === c ? html`checked` : ''} ${i === 0 ? html`id="${fieldId('channel')}"` : ''}> ${ctx.t(`dossiers.channel.${c}`)}</label>`)}</fieldset>
${input('fullName', ctx.t('dossiers.apply.fullName'))}
${input('personalId', ctx.t('dossiers.apply.personalId'))}
${input('phone', ctx.t('dossiers.apply.phone'))}
${input('email', ctx.t('dossiers.apply.email'))}
${input('address', ctx.t('dossiers.apply.address'))}
${answerInputs(ctx, formOf(procedure), answers, issues, await catalog.addressUnits())}
<h2>${ctx.t('dossiers.counter.scans')}</h2><p class="hint">${ctx.t('dossiers.apply.papersHint')}</p>
${paperSlots(procedure).map((p) => html`<div class="field"><label for="${fieldId(p.slot)}">${p.label}</label>${fieldError(ctx, issues, p.slot)}<input type="file" id="${fieldId(p.slot)}" name="${p.slot}" accept="application/pdf,image/jpeg,image/png"></div>`)}
<div class="actions"><button type="submit">${ctx.t('dossiers.action.receive')}</button></div></form>`
      : pick;
    return sendPage(reply, ctx, { title: ctx.t('dossiers.counter.title'), body: html`<h1>${ctx.t('dossiers.counter.title')}</h1>${errorSummary(ctx, issues)}${body}` }, issues.length ? 400 : 200);
  };

  app.get('/backoffice/dossiers/new', async (request, reply) => {
    await request.authorize('backoffice.enter');
    const { procedureCode } = z.object({ procedureCode: z.string().max(60).default('') }).loose().parse(request.query);
    return counterPage(request, reply, { procedureCode: procedureCode.trim() }, {}, []);
  });

  app.post('/backoffice/dossiers/new', async (request, reply) => {
    const account = await request.authorize('backoffice.enter');
    // The form is multipart (scanned papers come with it): fields first, then one file per paper.
    const id = randomUUID();
    const body: Record<string, string> = {};
    const staged: StagedFile[] = [];
    const issues: FieldIssue[] = [];
    let slots: PaperSlot[] | null = null;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          body[part.fieldname] = String(part.value);
          continue;
        }
        slots ??= await catalog.getProcedure(body.procedureCode ?? '').then((p) => (p ? paperSlots(p) : []));
        const slot = (slots ?? []).find((x) => x.slot === part.fieldname);
        if (!slot || !part.filename) {
          part.file.resume();
          continue;
        }
        try {
          staged.push(await service.stagePaper({ ownerId: id, slot: slot.slot, slotLabel: slot.label, fileName: part.filename, data: part.file, allowed: slot.allowed }));
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          part.file.resume();
          issues.push(...(err.fields.length ? err.fields : [{ field: slot.slot, key: err.key, params: err.params }]));
        }
      }
      const values = Object.fromEntries(counterFields.map((k) => [k, formValue(body, k).trim()]));
      const procedure = await catalog.getProcedure(values.procedureCode ?? '');
      const answers = procedure ? answersFrom(body, formOf(procedure)) : {};
      if (issues.length) {
        await service.discardPapers(staged);
        return counterPage(request, reply, values, answers, issues);
      }
      try {
        const result = await service.submit(
          {
            procedureCode: values.procedureCode,
            receivingAgency: account.agencyCode ?? '',
            applicant: compact({ fullName: values.fullName ?? '', personalId: values.personalId ?? '', phone: values.phone ?? '', email: values.email ?? '', address: values.address ?? '' }),
            form: compact(answers),
            channel: values.channel === 'post' ? 'post' : 'counter',
          },
          { account, actor: actorFromRequest(request) },
          { id, staged },
        );
        return reply.redirect(`/backoffice/dossiers/${result.code}`, 303);
      } catch (err) {
        await service.discardPapers(staged);
        if (err instanceof AppError && (err.status === 400 || err.status === 403 || err.status === 404 || err.status === 409)) {
          const fields = err.fields.length ? err.fields.map((f) => ({ ...f, field: f.field.replace(/^applicant\./, '') })) : [{ field: 'procedureCode', key: err.key, params: err.params }];
          return counterPage(request, reply, values, answers, fields);
        }
        throw err;
      }
    } catch (err) {
      await service.discardPapers(staged);
      throw err;
    }
  });
}

/** The procedure as the registry consent names it: its purpose, and whether the household is shared. */
function consentProcedure(p: { code: string; body: { name: string }; domain: { code: string } }) {
  return { code: p.code, name: p.body.name, domain: p.domain.code };
}

/** Officer form fields → the action's input (textarea lines "name | reason" become items). */
function formToAction(action: Action, v: Record<string, string>): Record<string, unknown> {
  const opt = (k: string) => (v[k] ? { [k]: v[k] } : {});
  switch (action) {
    case 'requestSupplement':
      return {
        items: (v.items ?? '')
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
          .map((l) => {
            const [name = '', ...rest] = l.split('|');
            return { name: name.trim(), reason: rest.join('|').trim() || name.trim() };
          }),
        ...opt('note'),
      };
    case 'assign':
      return { assigneeId: v.assigneeId };
    case 'transfer':
      return { toAgency: v.toAgency, ...opt('note') };
    case 'approve':
      return { decision: v.decision, summary: v.summary, ...opt('reason') };
    case 'returnResult':
      return { method: v.method || 'counter' };
    case 'issueApology':
      return { reason: v.reason, newDueDate: v.newDueDate };
    case 'receive':
    case 'sendForApproval':
      return opt('note');
    default:
      return { reason: v.reason };
  }
}
