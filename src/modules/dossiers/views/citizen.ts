import { formatBytes } from '../../../platform/files/index.ts';
import type { FormField } from '../../catalog/format.ts';
import { answerText } from '../answers.ts';
import { answerInputs, inputName } from './answers.ts';
import type { FieldIssue } from '../../../platform/http/errors.ts';
import { html, type SafeHtml } from '../../../platform/http/html.ts';
import { csrfField, inFormOrder, textInput } from '../../../web/forms.ts';
import { errorSummary, fieldError, fieldId, type PageContext } from '../../../web/layout.ts';
import type { DossierView } from '../service.ts';
import { claimedApplicant, type VerifiedClaims } from '../../registry/index.ts';
import { claimFacts, consentPanel, verifiedInput, verifiedTag } from '../../registry/views.ts';
import { historyTable, noticeLinks, paperLinks, statusTag, when } from './shared.ts';

export interface ApplyDraft {
  fullName?: string;
  personalId?: string;
  phone?: string;
  email?: string;
  address?: string;
  receivingAgency?: string;
  /** Answers to the procedure's own questions, by field name. */
  answers?: Record<string, string>;
  /** What the registry answered, with the citizen's consent: shown read-only, checked at submit. */
  verified?: VerifiedClaims;
}

/** Registry prefill on the applicant step: offered (with the fields it shares), or why not. */
export interface PrefillOffer {
  offered: boolean;
  fields: string[];
  /** Set when the registry could not answer: the form is filled in by hand. */
  notice?: string;
}

export const applySteps = ['applicant', 'request', 'papers', 'check'] as const;
export type ApplyStep = (typeof applySteps)[number];

const applicantFields = ['fullName', 'personalId', 'phone', 'email', 'address'] as const;

export interface DraftPaper {
  slot: string;
  label: string;
  file: { fileName: string; size: number } | null;
}

export function applyView(
  ctx: PageContext,
  o: {
    procedure: { code: string; name: string };
    step: ApplyStep;
    draft: ApplyDraft;
    issues: FieldIssue[];
    agencies: { code: string; name: string }[];
    papers: DraftPaper[];
    fields: FormField[];
    units: readonly { code: string; name: string }[];
    prefill?: PrefillOffer;
  },
): SafeHtml {
  const n = applySteps.indexOf(o.step) + 1;
  const issues = inFormOrder(o.issues, [...applicantFields, 'receivingAgency', ...o.fields.map((f) => inputName(f.name))]);
  const head = html`<p class="steps-indicator">${ctx.t('dossiers.apply.step', { n, total: applySteps.length })}</p>
<h1>${ctx.t(`dossiers.apply.${o.step}`)}</h1><p class="lead">${o.procedure.name}</p>${errorSummary(ctx, issues)}`;
  const action = `/procedures/${o.procedure.code}/apply/${o.step}`;
  const d = o.draft;
  if (o.step === 'applicant') {
    // A verified value is shown read-only and marked; the rest are typed as usual.
    const claimed = d.verified ? claimedApplicant(d.verified) : {};
    const input = (name: 'fullName' | 'personalId' | 'address', label: string, rest: { autocomplete: string; inputmode?: 'numeric'; maxlength?: number }) =>
      claimed[name] !== undefined ? verifiedInput(ctx, issues, { name, label, value: claimed[name] }) : textInput(ctx, issues, { name, label, value: d[name], ...rest });
    const p = o.prefill;
    return html`${head}${p?.notice ? html`<div class="notice" role="alert">${p.notice}</div>` : ''}
${!d.verified && p?.offered && !p.notice ? consentPanel(ctx, { action: `/procedures/${o.procedure.code}/apply/consent`, procedureName: o.procedure.name, fields: p.fields, issues }) : ''}
${!d.verified && p && !p.offered ? html`<p class="hint">${ctx.t('registry.consent.needsVerifiedId')}</p>` : ''}
${d.verified ? claimFacts(ctx, d.verified) : ''}
<form method="post" action="${action}" novalidate>${csrfField(ctx)}
${input('fullName', ctx.t('dossiers.apply.fullName'), { autocomplete: 'name' })}
${input('personalId', ctx.t('dossiers.apply.personalId'), { autocomplete: 'off', inputmode: 'numeric', maxlength: 12 })}
${textInput(ctx, issues, { name: 'phone', label: ctx.t('dossiers.apply.phone'), value: d.phone, type: 'tel', autocomplete: 'tel', inputmode: 'tel' })}
${textInput(ctx, issues, { name: 'email', label: ctx.t('dossiers.apply.email'), value: d.email, type: 'email', autocomplete: 'email' })}
${input('address', ctx.t('dossiers.apply.address'), { autocomplete: 'street-address' })}
<p class="hint">${ctx.t('dossiers.apply.draftSaved')}</p>
<div class="actions"><button type="submit">${ctx.t('dossiers.apply.continue')}</button></div></form>`;
  }
  if (o.step === 'request') {
    return html`${head}<form method="post" action="${action}" novalidate>${csrfField(ctx)}
<label for="${fieldId('receivingAgency')}">${ctx.t('dossiers.apply.agency')}</label>${fieldError(ctx, issues, 'receivingAgency')}
<select id="${fieldId('receivingAgency')}" name="receivingAgency">${o.agencies.map((a) => html`<option value="${a.code}" ${a.code === d.receivingAgency ? html`selected` : ''}>${a.name}</option>`)}</select>
${answerInputs(ctx, o.fields, d.answers ?? {}, issues, o.units)}
<div class="actions"><button type="submit">${ctx.t('dossiers.apply.continue')}</button></div></form>`;
  }
  if (o.step === 'papers') {
    // multipart bodies are read by the handler, after the CSRF check: the token rides in the URL.
    return html`${head}<p>${ctx.t('dossiers.apply.papersHint')}</p>
<form method="post" action="${action}?_csrf=${encodeURIComponent(ctx.csrf())}" enctype="multipart/form-data" novalidate>
${o.papers.map(
  (p) => html`<div class="field"><label for="${fieldId(p.slot)}">${p.label}</label>
${p.file ? html`<p class="hint" id="${fieldId(p.slot)}-hint">${ctx.t('dossiers.apply.uploaded', { name: p.file.fileName, size: formatBytes(p.file.size) })}</p>` : ''}
${fieldError(ctx, issues, p.slot)}
<input type="file" id="${fieldId(p.slot)}" name="${p.slot}" accept="application/pdf,image/jpeg,image/png" ${p.file ? html`aria-describedby="${fieldId(p.slot)}-hint"` : ''}></div>`,
)}
<div class="actions"><button type="submit">${ctx.t('dossiers.apply.continue')}</button></div></form>`;
  }
  const agencyName = o.agencies.find((a) => a.code === d.receivingAgency)?.name ?? d.receivingAgency ?? '';
  const row = (label: string, value: string | undefined, step: ApplyStep) =>
    html`<div><dt>${label}</dt><dd>${value || '—'} <a href="/procedures/${o.procedure.code}/apply/${step}">${ctx.t('dossiers.apply.change')}<span class="visually-hidden"> ${label}</span></a></dd></div>`;
  // A verified value cannot be changed: no "change" link, the mark instead.
  const verifiedRow = (label: string, value: string) => html`<div><dt>${label}</dt><dd>${value} ${verifiedTag(ctx)}</dd></div>`;
  const claimed = d.verified ? claimedApplicant(d.verified) : {};
  const applicantRow = (name: 'fullName' | 'personalId' | 'address', label: string) =>
    claimed[name] !== undefined ? verifiedRow(label, claimed[name]) : row(label, d[name], 'applicant');
  return html`${head}<dl class="facts">
${applicantRow('fullName', ctx.t('dossiers.apply.fullName'))}
${applicantRow('personalId', ctx.t('dossiers.apply.personalId'))}
${row(ctx.t('dossiers.apply.phone'), d.phone, 'applicant')}
${row(ctx.t('dossiers.apply.email'), d.email, 'applicant')}
${applicantRow('address', ctx.t('dossiers.apply.address'))}
${row(ctx.t('dossiers.apply.agency'), agencyName, 'request')}
${o.fields.map((f) => row(ctx.locale === 'en' && f.labelEn ? f.labelEn : f.label, answerText(f, d.answers ?? {}, new Map(o.units.map((u) => [u.code, u.name])), ctx.locale), 'request'))}
${o.papers.map((p) => row(p.label, p.file?.fileName ?? ctx.t('dossiers.apply.noFile'), 'papers'))}
</dl>
${d.verified ? claimFacts(ctx, d.verified) : ''}
<form method="post" action="/procedures/${o.procedure.code}/apply/submit">${csrfField(ctx)}
<div class="actions"><button type="submit">${ctx.t('dossiers.apply.submit')}</button></div></form>`;
}

export function submittedView(ctx: PageContext, o: { code: string; secret: string; paymentPanel?: SafeHtml }): SafeHtml {
  return html`<div class="notice ok" role="status"><h1>${ctx.t('dossiers.apply.done')}</h1>
<p>${ctx.t('dossiers.apply.doneCode')}: <strong class="code">${o.code}</strong></p>
<p>${ctx.t('dossiers.apply.doneSecret')}: <strong class="code">${o.secret}</strong></p></div>
${o.paymentPanel ?? ''}
<p>${ctx.t('dossiers.apply.doneNext')}</p>
<p><a href="/my/dossiers/${o.code}">${ctx.t('dossiers.my.title')}</a> · <a href="/track?code=${encodeURIComponent(o.code)}">${ctx.t('dossiers.track.title')}</a></p>`;
}

type MyRow = { code: string; procedure_name: string; status: string; submitted_at: string; due_at: string | null };

export function myListView(ctx: PageContext, rows: MyRow[], timeZone: string): SafeHtml {
  return html`<h1>${ctx.t('dossiers.my.title')}</h1>
${
  rows.length
    ? html`<ul class="result-list">${rows.map(
        (r) => html`<li><a class="code" href="/my/dossiers/${r.code}">${r.code}</a><p class="meta">${r.procedure_name}</p><p class="meta">${statusTag(ctx, r.status)} · ${ctx.t('dossiers.submitted')}: ${when(ctx, r.submitted_at, timeZone)}${r.due_at ? ` · ${ctx.t('dossiers.col.due')}: ${when(ctx, r.due_at, timeZone)}` : ''}</p></li>`,
      )}</ul>`
    : html`<p>${ctx.t('dossiers.inbox.empty')}</p>`
}`;
}

export function myDossierView(ctx: PageContext, d: DossierView, o: { timeZone: string; agencyNames: Map<string, string>; issues: FieldIssue[]; flash?: string; resultPanel?: SafeHtml; paymentPanel?: SafeHtml }): SafeHtml {
  const requested = [...d.history].reverse().find((e) => e.data.type === 'supplement_requested');
  const invalid = (field: string) => (o.issues.some((i) => i.field === field) ? html` aria-invalid="true" aria-describedby="${fieldId(field)}-error"` : '');
  return html`<p class="meta"><a href="/my/dossiers">${ctx.t('dossiers.my.title')}</a></p>
<h1><span class="code">${d.code}</span></h1>
${o.flash ? html`<p class="notice ok" role="status">${o.flash}</p>` : ''}
${errorSummary(ctx, o.issues, { reason: fieldId('withdraw-reason') })}
<p>${d.procedureName}</p>
<p>${statusTag(ctx, d.status, d.late)}</p>
<dl class="facts">
<div><dt>${ctx.t('dossiers.holder')}</dt><dd>${o.agencyNames.get(d.holderAgency) ?? d.holderAgency}</dd></div>
<div><dt>${ctx.t('dossiers.col.due')}</dt><dd>${when(ctx, d.dueAt, o.timeZone)}</dd></div>
${d.decision ? html`<div><dt>${ctx.t('dossiers.field.decision')}</dt><dd>${ctx.t(`dossiers.decision.${d.decision}`)}</dd></div>` : ''}
</dl>
${
  d.actions.includes('supplement') && requested?.data.type === 'supplement_requested'
    ? html`<section class="panel"><h2>${ctx.t('dossiers.action.supplement')}</h2><ul>${requested.data.items.map((i) => html`<li><strong>${i.name}</strong>: ${i.reason}</li>`)}</ul>
<form method="post" action="/my/dossiers/${d.code}/supplement">${csrfField(ctx)}
<label for="${fieldId('note')}">${ctx.t('dossiers.field.note')}</label>${fieldError(ctx, o.issues, 'note')}<textarea id="${fieldId('note')}" name="note" rows="3"${invalid('note')}></textarea>
<div class="actions"><button type="submit">${ctx.t('dossiers.action.supplement')}</button></div></form></section>`
    : ''
}
${
  d.actions.includes('withdraw')
    ? html`<details class="panel"${o.issues.some((i) => i.field === 'reason') ? html` open` : ''}><summary>${ctx.t('dossiers.action.withdraw')}</summary><form method="post" action="/my/dossiers/${d.code}/withdraw">${csrfField(ctx)}
<label for="${fieldId('withdraw-reason')}">${ctx.t('dossiers.field.reason')}</label>${fieldError(ctx, o.issues, 'reason')}<textarea id="${fieldId('withdraw-reason')}" name="reason" rows="2" required${invalid('reason')}></textarea>
<div class="actions"><button type="submit" class="button warning">${ctx.t('dossiers.action.withdraw')}</button></div></form></details>`
    : ''
}
${o.paymentPanel ?? ''}
${o.resultPanel ?? ''}
${paperLinks(ctx, d, '/my/dossiers')}
${noticeLinks(ctx, d, '/my/dossiers')}
<h2>${ctx.t('dossiers.history')}</h2>
${historyTable(ctx, d.history, o.timeZone, o.agencyNames)}`;
}

type Tracked = { code: string; procedureName: string; status: string; holderAgencyName: string; submittedAt: string; dueAt: string | null; late: boolean; paused: boolean; decision: string | null; steps: { at: string; type: string }[] };

export function trackView(ctx: PageContext, o: { code: string; secret: string; result: Tracked | null; searched: boolean; timeZone: string; resultPanel?: SafeHtml }): SafeHtml {
  const r = o.result;
  return html`<h1>${ctx.t('dossiers.track.title')}</h1>
${o.searched && !r ? html`<div class="error-summary" role="alert" tabindex="-1"><p>${ctx.t('dossiers.track.notFound')}</p></div>` : ''}
<form method="get" action="/track">
${textInput(ctx, [], { name: 'code', label: ctx.t('dossiers.track.code'), value: o.code, autocomplete: 'off' })}
${textInput(ctx, [], { name: 'secret', label: ctx.t('dossiers.track.secret'), value: o.secret, autocomplete: 'off' })}
<div class="actions"><button type="submit">${ctx.t('dossiers.track.button')}</button></div></form>
${
  r
    ? html`<section class="panel" aria-labelledby="track-result"><h2 id="track-result" class="code">${r.code}</h2><p>${r.procedureName}</p>
<p>${statusTag(ctx, r.status, r.late)} ${r.paused ? html`<span class="meta">${ctx.t('dossiers.paused')}</span>` : ''}</p>
${r.status === 'WAITING_PAYMENT' ? html`<p><a href="/my/dossiers/${r.code}#payment-title">${ctx.t('dossiers.track.pay')}</a></p>` : ''}
<dl class="facts"><div><dt>${ctx.t('dossiers.holder')}</dt><dd>${r.holderAgencyName}</dd></div>
<div><dt>${ctx.t('dossiers.submitted')}</dt><dd>${when(ctx, r.submittedAt, o.timeZone)}</dd></div>
<div><dt>${ctx.t('dossiers.col.due')}</dt><dd>${when(ctx, r.dueAt, o.timeZone)}</dd></div></dl>
<ol>${r.steps.map((s) => html`<li>${when(ctx, s.at, o.timeZone)}: ${ctx.t(`dossiers.event.${s.type}`)}</li>`)}</ol></section>${o.resultPanel ?? ''}`
    : ''
}`;
}
