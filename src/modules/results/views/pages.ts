import type { FieldIssue } from '../../../platform/http/errors.ts';
import { html, type SafeHtml } from '../../../platform/http/html.ts';
import { formatDate } from '../../../platform/i18n/index.ts';
import { civilDateTime } from '../../../platform/pdf/index.ts';
import { csrfField } from '../../../web/forms.ts';
import { errorSummary, fieldError, fieldId, type PageContext } from '../../../web/layout.ts';
import type { Verification } from '../service.ts';
import type { ResultRow } from '../tables.ts';

/** dd/mm/yyyy of an instant in the city's zone: dates are what the documents print. */
function date(iso: string, timeZone: string): string {
  const c = civilDateTime(new Date(iso), timeZone);
  return formatDate(`${c.year}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`);
}

/** The public verification page: the upload form, and the verdict when there is one. */
export function verifyView(ctx: PageContext, o: { verdict: Verification | null; issues: FieldIssue[]; timeZone: string }): SafeHtml {
  const id = fieldId('file');
  const invalid = o.issues.some((i) => i.field === 'file');
  return html`<h1>${ctx.t('results.verify.title')}</h1>
${errorSummary(ctx, o.issues)}
${o.verdict ? verdictView(ctx, o.verdict, o.timeZone) : ''}
<p class="lead">${ctx.t('results.verify.lead')}</p>
<form method="post" action="/verify?_csrf=${encodeURIComponent(ctx.csrf())}" enctype="multipart/form-data" novalidate>
<div class="field"><label for="${id}">${ctx.t('results.verify.file')}</label>
<p class="hint" id="${id}-hint">${ctx.t('results.verify.fileHint')}</p>
${fieldError(ctx, o.issues, 'file')}
<input type="file" id="${id}" name="file" accept="application/pdf" aria-describedby="${id}-hint${invalid ? html` ${id}-error` : ''}"${invalid ? html` aria-invalid="true"` : ''}></div>
<div class="actions"><button type="submit">${ctx.t('results.verify.button')}</button></div></form>`;
}

function verdictView(ctx: PageContext, v: Verification, timeZone: string): SafeHtml {
  const r = v.result;
  if (!v.authentic || !r) {
    return html`<section class="panel verdict invalid" role="status" aria-labelledby="verdict"><h2 id="verdict">${ctx.t('results.verify.invalid')}</h2><p>${ctx.t('results.verify.invalidLead')}</p></section>`;
  }
  const state = r.revoked ? 'revoked' : 'authentic';
  return html`<section class="panel verdict ${state}" role="status" aria-labelledby="verdict"><h2 id="verdict">${ctx.t(`results.verify.${state}`)}</h2>
<p>${ctx.t(`results.verify.${state}Lead`)}</p>
<dl class="facts">
<div><dt>${ctx.t('results.field.status')}</dt><dd>${ctx.t(r.revoked ? 'results.status.revoked' : 'results.status.valid')}</dd></div>
<div><dt>${ctx.t('results.field.type')}</dt><dd>${r.documentType}</dd></div>
<div><dt>${ctx.t('results.field.number')}</dt><dd>${r.number}</dd></div>
<div><dt>${ctx.t('results.field.issuer')}</dt><dd>${r.issuer}</dd></div>
<div><dt>${ctx.t('results.field.issuedAt')}</dt><dd>${date(r.issuedAt, timeZone)}</dd></div>
${r.revokedAt ? html`<div><dt>${ctx.t('results.field.revokedAt')}</dt><dd>${date(r.revokedAt, timeZone)}</dd></div>` : ''}
</dl></section>`;
}

/**
 * The result section of a dossier page: the signed PDF to download, its state, and for an
 * officer allowed to, the revocation form.
 */
export function resultPanel(ctx: PageContext, row: ResultRow, o: { downloadHref: string | null; revoke: boolean; issues: FieldIssue[]; timeZone: string }): SafeHtml {
  const reasonId = fieldId('revoke-reason');
  const invalid = o.issues.some((i) => i.field === 'reason');
  // A region, not a section.panel: on the dossier pages those are the action forms.
  return html`<div class="panel" role="region" aria-labelledby="signed-result"><h2 id="signed-result">${ctx.t('results.panel.title')}</h2>
<dl class="facts">
<div><dt>${ctx.t('results.field.type')}</dt><dd>${row.document_type}</dd></div>
<div><dt>${ctx.t('results.field.number')}</dt><dd>${row.number}</dd></div>
<div><dt>${ctx.t('results.field.issuedAt')}</dt><dd>${date(row.issued_at, o.timeZone)}</dd></div>
<div><dt>${ctx.t('results.field.status')}</dt><dd>${ctx.t(row.revoked_at ? 'results.status.revoked' : 'results.status.valid')}</dd></div>
</dl>
<p>${o.downloadHref ? html`<a href="${o.downloadHref}">${ctx.t('results.panel.download')}</a>` : ctx.t('results.panel.payFirst')} · <a href="/verify">${ctx.t('results.panel.verify')}</a></p>
${
  o.revoke && !row.revoked_at
    ? html`<details class="panel"${invalid ? html` open` : ''}><summary>${ctx.t('results.revoke.title')}</summary>
${errorSummary(ctx, o.issues, { reason: reasonId })}
<form method="post" action="/backoffice/results/${row.id}/revoke">${csrfField(ctx)}
<label for="${reasonId}">${ctx.t('results.revoke.reason')}</label>${fieldError(ctx, o.issues, 'reason')}
<textarea id="${reasonId}" name="reason" rows="2"${invalid ? html` aria-invalid="true" aria-describedby="${fieldId('reason')}-error"` : ''}></textarea>
<div class="actions"><button type="submit" class="button warning">${ctx.t('results.revoke.button')}</button></div></form></details>`
    : ''
}</div>`;
}
