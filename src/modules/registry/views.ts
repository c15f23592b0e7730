import type { FieldIssue } from '../../platform/http/errors.ts';
import { html, type SafeHtml } from '../../platform/http/html.ts';
import { formatDate, formatDateTime } from '../../platform/i18n/index.ts';
import { csrfField, inFormOrder } from '../../web/forms.ts';
import { errorSummary, fieldError, fieldId, type PageContext } from '../../web/layout.ts';
import type { VerifiedClaims } from './claims.ts';
import { addressText, type Household, type RegistryPerson } from './port.ts';

/** The "Verified" mark beside every value that came from the registry. */
export function verifiedTag(ctx: PageContext): SafeHtml {
  return html`<span class="tag full">${ctx.t('registry.verified')}</span>`;
}

/** The consent choice: the purpose (this procedure), the fields shared, and an explicit tick. */
export function consentPanel(ctx: PageContext, o: { action: string; procedureName: string; fields: string[]; issues: FieldIssue[] }): SafeHtml {
  const invalid = o.issues.some((i) => i.field === 'agree');
  return html`<section class="panel" aria-labelledby="consent-title"><h2 id="consent-title">${ctx.t('registry.consent.title')}</h2>
<p>${ctx.t('registry.consent.lead')}</p>
<p><strong>${ctx.t('registry.consent.purpose', { name: o.procedureName })}</strong></p>
<form method="post" action="${o.action}" novalidate>${csrfField(ctx)}
<fieldset class="field"><legend>${ctx.t('registry.consent.fields')}</legend>
<ul>${o.fields.map((f) => html`<li>${ctx.t(`registry.field.${f}`)}</li>`)}</ul>
${fieldError(ctx, o.issues, 'agree')}
<label class="choice"><input type="checkbox" id="${fieldId('agree')}" name="agree" value="yes"${invalid ? html` aria-invalid="true" aria-describedby="${fieldId('agree')}-error"` : ''}> ${ctx.t('registry.consent.agree')}</label>
</fieldset>
<div class="actions"><button type="submit" class="secondary">${ctx.t('registry.consent.submit')}</button></div></form>
<p class="hint">${ctx.t('registry.consent.manual')}</p></section>`;
}

/** The verified claims as read-only facts: what the registry said, marked as verified. */
export function claimFacts(ctx: PageContext, claims: VerifiedClaims): SafeHtml {
  const v = claims.values;
  const row = (label: string, value: string) => html`<div><dt>${label}</dt><dd>${value} ${verifiedTag(ctx)}</dd></div>`;
  return html`<dl class="facts">
${row(ctx.t('registry.field.birthDate'), formatDate(v.birthDate))}
${row(ctx.t('registry.field.gender'), ctx.t(`registry.gender.${v.gender}`))}
${row(ctx.t('registry.field.permanentAddress'), v.permanentAddress)}
${
  claims.household?.length
    ? html`<div><dt>${ctx.t('registry.field.household')}</dt><dd><ul>${claims.household.map((m) => html`<li>${m.fullName} (${ctx.t(`registry.relation.${m.relation}`)}, ${formatDate(m.birthDate)})</li>`)}</ul>${verifiedTag(ctx)}</dd></div>`
    : ''
}
</dl>`;
}

/** A read-only input for a verified value: submitted with the form, checked again on the server. */
export function verifiedInput(ctx: PageContext, issues: FieldIssue[], o: { name: string; label: string; value: string }): SafeHtml {
  const id = fieldId(o.name);
  return html`<div class="field">
<label for="${id}">${o.label} ${verifiedTag(ctx)}</label>
<p class="hint" id="${id}-hint">${ctx.t('registry.verifiedFrom')}</p>
${fieldError(ctx, issues, o.name)}
<input id="${id}" name="${o.name}" type="text" value="${o.value}" readonly aria-describedby="${id}-hint">
</div>`;
}

export function lookupForm(ctx: PageContext, o: { code: string; people: { personalId: string; label: string }[]; issues: FieldIssue[]; values: Record<string, string> }): SafeHtml {
  const issues = inFormOrder(o.issues, ['personalId', 'purpose']);
  const invalid = issues.some((i) => i.field === 'purpose');
  return html`<form method="post" action="/backoffice/dossiers/${o.code}/registry-lookup" novalidate>${csrfField(ctx)}
<div class="field"><label for="${fieldId('personalId')}">${ctx.t('registry.lookup.person')}</label>${fieldError(ctx, issues, 'personalId')}
<select id="${fieldId('personalId')}" name="personalId">${o.people.map((p) => html`<option value="${p.personalId}"${p.personalId === o.values.personalId ? html` selected` : ''}>${p.label}</option>`)}</select></div>
<div class="field"><label for="${fieldId('purpose')}">${ctx.t('registry.lookup.purpose')}</label>
<p class="hint" id="${fieldId('purpose')}-hint">${ctx.t('registry.lookup.purposeHint')}</p>${fieldError(ctx, issues, 'purpose')}
<textarea id="${fieldId('purpose')}" name="purpose" rows="2" aria-describedby="${fieldId('purpose')}-hint${invalid ? ` ${fieldId('purpose')}-error` : ''}"${invalid ? html` aria-invalid="true"` : ''}>${o.values.purpose ?? ''}</textarea></div>
<div class="actions"><button type="submit" class="secondary">${ctx.t('registry.lookup.submit')}</button></div></form>`;
}

export function lookupPage(
  ctx: PageContext,
  o: { code: string; people: { personalId: string; label: string }[]; issues: FieldIssue[]; values: Record<string, string>; notice?: string; result?: { person: RegistryPerson | null; household: Household | null } },
): SafeHtml {
  const r = o.result;
  return html`<p class="meta"><a href="/backoffice/dossiers/${o.code}">${ctx.t('registry.lookup.back', { code: o.code })}</a></p>
<h1>${ctx.t('registry.lookup.title')}</h1>
${errorSummary(ctx, inFormOrder(o.issues, ['personalId', 'purpose']))}
${o.notice ? html`<div class="notice" role="alert">${o.notice}</div>` : ''}
${
  r
    ? html`<section class="panel" aria-labelledby="lookup-result"><h2 id="lookup-result">${ctx.t('registry.lookup.result')}</h2>
${r.person ? personFacts(ctx, r.person, r.household) : html`<p>${ctx.t('registry.notFound')}</p>`}</section>`
    : html`<p>${ctx.t('registry.lookup.lead')}</p>${lookupForm(ctx, o)}`
}`;
}

function personFacts(ctx: PageContext, p: RegistryPerson, h: Household | null): SafeHtml {
  return html`<dl class="facts">
<div><dt>${ctx.t('registry.field.fullName')}</dt><dd>${p.fullName}</dd></div>
<div><dt>${ctx.t('registry.field.birthDate')}</dt><dd>${formatDate(p.birthDate)}</dd></div>
<div><dt>${ctx.t('registry.field.gender')}</dt><dd>${ctx.t(`registry.gender.${p.gender}`)}</dd></div>
<div><dt>${ctx.t('registry.field.permanentAddress')}</dt><dd>${addressText(p.permanentAddress)}</dd></div>
<div><dt>${ctx.t('registry.field.currentAddress')}</dt><dd>${addressText(p.currentAddress)}</dd></div>
${h ? html`<div><dt>${ctx.t('registry.field.household')}</dt><dd><ul>${h.members.map((m) => html`<li>${m.fullName} (${ctx.t(`registry.relation.${m.relation}`)}, ${formatDate(m.birthDate)})</li>`)}</ul></dd></div>` : ''}
</dl>`;
}

type LogItem = { at: string; kind: 'prefill' | 'officer'; who: string | null; agency: string | null; agencyName?: string; dossierCode: string | null; procedureCode: string | null; purpose: string };

export function accessLogPage(ctx: PageContext, o: { items: LogItem[] | null; timeZone: string }): SafeHtml {
  const head = html`<p class="meta"><a href="/account">${ctx.t('auth.account.title')}</a></p><h1>${ctx.t('registry.log.title')}</h1>`;
  if (!o.items) return html`${head}<p class="notice">${ctx.t('registry.log.notVerified')}</p>`;
  // A list, not a table: it reads well on a 360 px phone and to a screen reader alike.
  return html`${head}<p>${ctx.t('registry.log.lead')}</p>
${
  o.items.length
    ? html`<ul class="result-list">${o.items.map(
        (i) => html`<li><p class="meta">${formatDateTime(i.at, ctx.locale, o.timeZone)}</p>
<p><strong>${i.kind === 'prefill' ? ctx.t('registry.log.you') : i.who}</strong>${i.agency ? html`<br><span class="meta">${i.agencyName ?? i.agency}</span>` : ''}</p>
<dl class="facts"><div><dt>${ctx.t('registry.log.for')}</dt><dd class="code">${i.dossierCode ?? i.procedureCode ?? ''}</dd></div>
<div><dt>${ctx.t('registry.log.why')}</dt><dd>${i.purpose}</dd></div></dl></li>`,
      )}</ul>`
    : html`<p>${ctx.t('registry.log.empty')}</p>`
}`;
}
