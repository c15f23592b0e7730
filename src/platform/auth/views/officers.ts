import type { FieldIssue } from '../../http/errors.ts';
import { html } from '../../http/html.ts';
import { errorSummary, type Page, type PageContext } from '../../../web/layout.ts';
import type { Role } from '../policy.ts';
import type { OfficerRow } from '../store.ts';
import { choices, csrfField, formValue, formValues, inFormOrder, textInput } from '../../../web/forms.ts';
import { roleNames } from './pages.ts';

export function officersPage(
  ctx: PageContext,
  o: { items: (OfficerRow & { manageable: boolean })[]; total: number; page: number; pageSize: number; notice?: string; agency?: string },
): Page {
  const title = ctx.t('auth.officers.title');
  const pageLink = (page: number) => `/admin/officers?page=${page}${o.agency ? `&agency=${encodeURIComponent(o.agency)}` : ''}`;
  return {
    title,
    breadcrumbs: [{ href: '/backoffice', label: ctx.t('auth.backoffice.title') }],
    body: html`<h1>${title}</h1>
${o.notice ? html`<div class="notice ok" role="status">${o.notice}</div>` : ''}
<p class="actions"><a class="button" href="/admin/officers/new">${ctx.t('auth.officers.new')}</a></p>
${
  o.items.length
    ? html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${ctx.t('auth.officers.name')}</th><th scope="col">${ctx.t('auth.officers.email')}</th><th scope="col">${ctx.t('auth.officers.agency')}</th><th scope="col">${ctx.t('auth.officers.roles')}</th><th scope="col">${ctx.t('auth.officers.status')}</th><th scope="col">${ctx.t('auth.officers.action')}</th></tr></thead>
<tbody>${o.items.map(
        (r) => html`<tr><td>${r.fullName}</td><td>${r.email}</td><td>${r.agencyCode}</td><td>${roleNames(ctx, r.roles)}</td><td>${ctx.t(`auth.status.${r.status}`)}</td><td>${
          r.manageable
            ? html`<form method="post" action="/admin/officers/${r.id}/status" class="inline-form">${csrfField(ctx)}<input type="hidden" name="status" value="${r.status === 'active' ? 'disabled' : 'active'}"><button type="submit" class="button secondary" aria-label="${`${ctx.t(r.status === 'active' ? 'auth.officers.disable' : 'auth.officers.enable')} – ${r.fullName}`}">${ctx.t(r.status === 'active' ? 'auth.officers.disable' : 'auth.officers.enable')}</button></form>`
            : ''
        }</td></tr>`,
      )}</tbody>
</table></div>`
    : html`<p>${ctx.t('auth.officers.none')}</p>`
}
<nav class="pager" aria-label="${title}">
${o.page > 1 ? html`<a href="${pageLink(o.page - 1)}">${ctx.t('auth.previous')}</a>` : ''}
${o.page * o.pageSize < o.total ? html`<a href="${pageLink(o.page + 1)}">${ctx.t('auth.next')}</a>` : ''}
</nav>`,
  };
}

export function newOfficerPage(ctx: PageContext, o: { body?: unknown; issues?: FieldIssue[]; roles: readonly Role[]; defaultAgency: string }): Page {
  const issues = inFormOrder(o.issues ?? [], ['fullName', 'email', 'phone', 'agencyCode', 'roles', 'password']);
  const v = (name: string) => formValue(o.body, name);
  const title = ctx.t('auth.officers.new');
  return {
    title,
    breadcrumbs: [
      { href: '/backoffice', label: ctx.t('auth.backoffice.title') },
      { href: '/admin/officers', label: ctx.t('auth.officers.title') },
    ],
    body: html`<h1>${title}</h1>
${errorSummary(ctx, issues)}
<form method="post" action="/admin/officers" novalidate>
${csrfField(ctx)}
${textInput(ctx, issues, { name: 'fullName', label: ctx.t('auth.officers.name'), value: v('fullName'), autocomplete: 'off', maxlength: 100 })}
${textInput(ctx, issues, { name: 'email', label: ctx.t('auth.officers.email'), type: 'email', value: v('email'), autocomplete: 'off', maxlength: 200 })}
${textInput(ctx, issues, { name: 'phone', label: ctx.t('auth.officers.phone'), type: 'tel', value: v('phone'), autocomplete: 'off', inputmode: 'tel', maxlength: 20 })}
${textInput(ctx, issues, { name: 'agencyCode', label: ctx.t('auth.officers.agency'), hint: ctx.t('auth.officers.agencyHint'), value: o.body ? v('agencyCode') : o.defaultAgency, autocomplete: 'off', maxlength: 13 })}
${choices(ctx, issues, {
  name: 'roles',
  legend: ctx.t('auth.officers.roles'),
  type: 'checkbox',
  options: o.roles.map((r) => ({ value: r, label: ctx.t(`auth.role.${r}`) })),
  checked: formValues(o.body, 'roles'),
})}
${textInput(ctx, issues, { name: 'password', label: ctx.t('auth.officers.password'), hint: ctx.t('auth.register.passwordHint'), type: 'password', autocomplete: 'new-password', maxlength: 200 })}
<div class="actions"><button type="submit">${ctx.t('auth.officers.submit')}</button></div>
</form>`,
  };
}
