import type { FieldIssue } from '../../http/errors.ts';
import { html, type SafeHtml } from '../../http/html.ts';
import { formatDate } from '../../i18n/index.ts';
import { errorSummary, fieldId, type Page, type PageContext } from '../../../web/layout.ts';
import { maskPersonalId } from '../personal-id.ts';
import type { Role } from '../policy.ts';
import type { AccountView } from '../service.ts';
import { choices, csrfField, formValue, inFormOrder, textInput } from '../../../web/forms.ts';

/** The citizen and officer pages: sign-in, registration, own account, back-office home. */

export function loginPage(
  ctx: PageContext,
  o: { body?: unknown; next: string | null; fieldIssues?: FieldIssue[]; summary?: FieldIssue[]; notice?: string; vneid?: boolean },
): Page {
  const issues = o.fieldIssues ?? [];

  return {
    title: ctx.t('auth.login.title'),
    body: html`<h1>${ctx.t('auth.login.title')}</h1>
${o.notice ? html`<div class="notice ok" role="status">${o.notice}</div>` : ''}
${errorSummary(ctx, [...(o.summary ?? []), ...issues])}
${o.vneid ? vneidLink(ctx, o.next) : ''}
<form method="post" action="/login" novalidate>
${csrfField(ctx)}
${o.next ? html`<input type="hidden" name="next" value="${o.next}">` : ''}
${textInput(ctx, issues, { name: 'login', label: ctx.t('auth.login.login'), value: formValue(o.body, 'login'), autocomplete: 'username', maxlength: 200 })}
${textInput(ctx, issues, { name: 'password', label: ctx.t('auth.login.password'), type: 'password', autocomplete: 'current-password', maxlength: 200 })}
<div class="actions"><button type="submit">${ctx.t('auth.login.submit')}</button></div>
</form>
<p>${ctx.t('auth.login.noAccount')} <a href="/register">${ctx.t('auth.login.registerLink')}</a></p>`,
  };
}

/**
 * Sign-in with the national identity: a link, not a form, because the page's CSP lets forms
 * post only to this site and the start redirects to the provider. Starting needs no CSRF
 * token: the callback is bound to this browser by its own cookie and state.
 */
function vneidLink(ctx: PageContext, next: string | null): SafeHtml {
  const href = next ? `/auth/vneid?next=${encodeURIComponent(next)}` : '/auth/vneid';
  return html`<p class="hint" id="${fieldId('vneid')}-hint">${ctx.t('auth.vneid.hint')}</p>
<div class="actions"><a class="button" href="${href}" id="${fieldId('vneid')}" aria-describedby="${fieldId('vneid')}-hint">${ctx.t('auth.vneid.button')}</a></div>
<p>${ctx.t('auth.vneid.or')}</p>`;
}

const registerFields = ['fullName', 'personalId', 'birthDate', 'gender', 'phone', 'email', 'password', 'passwordConfirm'];

export function registerPage(ctx: PageContext, o: { body?: unknown; issues?: FieldIssue[] }): Page {
  const issues = inFormOrder(o.issues ?? [], registerFields);
  const v = (name: string) => formValue(o.body, name);
  return {
    title: ctx.t('auth.register.title'),
    body: html`<h1>${ctx.t('auth.register.title')}</h1>
${errorSummary(ctx, issues)}
<form method="post" action="/register" novalidate>
${csrfField(ctx)}
${textInput(ctx, issues, { name: 'fullName', label: ctx.t('auth.register.fullName'), value: v('fullName'), autocomplete: 'name', maxlength: 100 })}
${textInput(ctx, issues, { name: 'personalId', label: ctx.t('auth.register.personalId'), hint: ctx.t('auth.register.personalIdHint'), value: v('personalId'), autocomplete: 'off', inputmode: 'numeric', maxlength: 14 })}
${textInput(ctx, issues, { name: 'birthDate', label: ctx.t('auth.register.birthDate'), hint: ctx.t('auth.register.birthDateHint'), type: 'date', value: v('birthDate'), autocomplete: 'bday' })}
${choices(ctx, issues, {
  name: 'gender',
  legend: ctx.t('auth.register.gender'),
  type: 'radio',
  options: [
    { value: 'male', label: ctx.t('auth.gender.male') },
    { value: 'female', label: ctx.t('auth.gender.female') },
  ],
  checked: [v('gender')],
})}
<p class="hint">${ctx.t('auth.register.contactHint')}</p>
${textInput(ctx, issues, { name: 'phone', label: ctx.t('auth.register.phone'), type: 'tel', value: v('phone'), autocomplete: 'tel', inputmode: 'tel', maxlength: 20 })}
${textInput(ctx, issues, { name: 'email', label: ctx.t('auth.register.email'), type: 'email', value: v('email'), autocomplete: 'email', maxlength: 200 })}
${textInput(ctx, issues, { name: 'password', label: ctx.t('auth.register.password'), hint: ctx.t('auth.register.passwordHint'), type: 'password', autocomplete: 'new-password', maxlength: 200 })}
${textInput(ctx, issues, { name: 'passwordConfirm', label: ctx.t('auth.register.passwordConfirm'), type: 'password', autocomplete: 'new-password', maxlength: 200 })}
<div class="actions"><button type="submit">${ctx.t('auth.register.submit')}</button></div>
</form>
<p>${ctx.t('auth.register.haveAccount')} <a href="/login">${ctx.t('auth.login.title')}</a></p>`,
  };
}

function facts(rows: [string, string | SafeHtml | null][]): SafeHtml {
  return html`<dl class="facts">${rows.filter(([, value]) => value).map(([label, value]) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
}

function logoutAllForm(ctx: PageContext, sessions: number): SafeHtml {
  return html`<h2>${ctx.t('auth.account.logoutAll')}</h2>
<p>${ctx.t('auth.account.devices', { count: sessions })}</p>
<p class="hint">${ctx.t('auth.account.logoutAllHint')}</p>
<form method="post" action="/logout-all">${csrfField(ctx)}<div class="actions"><button type="submit" class="button warning">${ctx.t('auth.account.logoutAll')}</button></div></form>`;
}

/** Whether the personal ID is proven, and how: registry data is offered only when it is. */
function identityState(ctx: PageContext, account: AccountView): string {
  if (!account.identityVerifiedAt || !account.identitySource) return ctx.t('auth.account.identity.declared');
  return ctx.t(`auth.account.identity.${account.identitySource}`);
}

export function accountPage(ctx: PageContext, account: AccountView, sessions: number): Page {
  return {
    title: ctx.t('auth.account.title'),
    body: html`<h1>${ctx.t('auth.account.title')}</h1>
${facts([
  [ctx.t('auth.register.fullName'), account.fullName],
  [ctx.t('auth.register.personalId'), account.personalId ? maskPersonalId(account.personalId) : null],
  [ctx.t('auth.account.identity'), account.personalId ? identityState(ctx, account) : null],
  [ctx.t('auth.register.birthDate'), account.birthDate ? formatDate(account.birthDate) : null],
  [ctx.t('auth.register.gender'), account.gender ? ctx.t(`auth.gender.${account.gender}`) : null],
  [ctx.t('auth.register.phone'), account.phone],
  [ctx.t('auth.register.email'), account.email],
])}
<p><a href="/account/data-access">${ctx.t('registry.log.link')}</a></p>
${logoutAllForm(ctx, sessions)}`,
  };
}

export function roleNames(ctx: PageContext, roles: readonly Role[]): string {
  return roles.map((r) => ctx.t(`auth.role.${r}`)).join(', ');
}

export function backofficePage(
  ctx: PageContext,
  account: AccountView,
  o: { sessions: number; links: { href: string; label: string }[] },
): Page {
  return {
    title: ctx.t('auth.backoffice.title'),
    body: html`<h1>${ctx.t('auth.backoffice.title')}</h1>
${facts([
  [ctx.t('auth.officers.name'), account.fullName],
  [ctx.t('auth.backoffice.agency'), account.agencyCode],
  [ctx.t('auth.backoffice.roles'), roleNames(ctx, account.roles)],
  [ctx.t('auth.officers.email'), account.email],
])}
${o.links.length ? html`<h2>${ctx.t('auth.backoffice.tools')}</h2><ul>${o.links.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}</ul>` : ''}
${logoutAllForm(ctx, o.sessions)}`,
  };
}
