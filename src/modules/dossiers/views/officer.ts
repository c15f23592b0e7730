import type { FieldIssue } from '../../../platform/http/errors.ts';
import { html, type SafeHtml } from '../../../platform/http/html.ts';
import { csrfField, inFormOrder, textInput } from '../../../web/forms.ts';
import { errorSummary, fieldError, fieldId, type PageContext } from '../../../web/layout.ts';
import type { Action } from '../policy.ts';
import { can } from '../../../platform/auth/policy.ts';
import { dossierPeople, lookupForm } from '../../registry/index.ts';
import type { DossierView } from '../service.ts';
import { historyTable, noticeLinks, paperLinks, statusTag, when } from './shared.ts';

type InboxItem = { code: string; procedureName: string; applicantName: string; status: string; dueAt: string | null; late: boolean; channel: string };

export function inboxView(
  ctx: PageContext,
  o: { box: string; boxes: readonly string[]; q: string; items: InboxItem[]; total: number; totalCapped: boolean; page: number; pageSize: number; timeZone: string; canRegister: boolean },
): SafeHtml {
  // Past the count's cap the last page is unknown: the pager goes on while pages are full.
  const pages = o.totalCapped ? Math.max(o.page + (o.items.length === o.pageSize ? 1 : 0), Math.ceil(o.total / o.pageSize)) : Math.max(1, Math.ceil(o.total / o.pageSize));
  const pageOf = o.totalCapped ? ctx.t('dossiers.inbox.pageOfMany', { page: o.page }) : ctx.t('catalog.pager.of', { page: o.page, pages });
  const link = (p: number) => `/backoffice/inbox?box=${o.box}&page=${p}${o.q ? `&q=${encodeURIComponent(o.q)}` : ''}`;
  return html`<h1>${ctx.t('dossiers.inbox.title')}</h1>
${o.canRegister ? html`<p><a class="button secondary" href="/backoffice/dossiers/new">${ctx.t('dossiers.inbox.new-dossier')}</a></p>` : ''}
<nav aria-label="${ctx.t('dossiers.inbox.title')}"><ul class="tabs">${o.boxes.map(
    (b) => html`<li><a href="/backoffice/inbox?box=${b}" ${b === o.box ? html`aria-current="page"` : ''}>${ctx.t(`dossiers.box.${b}`)}</a></li>`,
  )}</ul></nav>
<form method="get" action="/backoffice/inbox" class="search-form" role="search">
<input type="hidden" name="box" value="${o.box}">
<label for="inbox-q">${ctx.t('dossiers.inbox.search')}</label>
<input type="search" id="inbox-q" name="q" value="${o.q}">
<button type="submit">${ctx.t('catalog.search.button')}</button>
</form>
${
  o.items.length
    ? html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${ctx.t('dossiers.col.code')}</th><th scope="col">${ctx.t('dossiers.col.procedure')}</th><th scope="col">${ctx.t('dossiers.col.applicant')}</th><th scope="col">${ctx.t('dossiers.col.status')}</th><th scope="col">${ctx.t('dossiers.col.due')}</th></tr></thead>
<tbody>${o.items.map(
        (d) => html`<tr><td><a class="code" href="/backoffice/dossiers/${d.code}">${d.code}</a><br><span class="meta">${ctx.t(`dossiers.channel.${d.channel}`)}</span></td><td>${d.procedureName}</td><td>${d.applicantName}</td><td>${statusTag(ctx, d.status, d.late)}</td><td>${when(ctx, d.dueAt, o.timeZone)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${ctx.t('dossiers.inbox.empty')}</p>`
}
${pages > 1 ? html`<nav class="pager" aria-label="${ctx.t('catalog.pager.label')}">${o.page > 1 ? html`<a href="${link(o.page - 1)}">${ctx.t('catalog.pager.prev')}</a>` : ''}<span>${pageOf}</span>${o.page < pages ? html`<a href="${link(o.page + 1)}">${ctx.t('catalog.pager.next')}</a>` : ''}</nav>` : ''}`;
}

export interface ActionFormOptions {
  specialists: { id: string; full_name: string }[];
  issues: FieldIssue[];
  failedAction?: Action;
  values: Record<string, string>;
}

/** One small form per action the officer may take now. */
function actionForm(ctx: PageContext, d: DossierView, action: Action, o: ActionFormOptions): SafeHtml {
  // An issue about one line of a list (`items.0.name`) belongs to the list's field.
  const issues = inFormOrder(
    (o.failedAction === action ? o.issues : []).map((i) => ({ ...i, field: i.field.split('.')[0] ?? i.field })),
    ['toAgency', 'newDueDate', 'assigneeId', 'decision', 'items', 'summary', 'reason', 'note'],
  );
  const v = o.failedAction === action ? o.values : {};
  // Fields drawn by textInput keep their plain id; the others are prefixed with the action,
  // as several forms on the page have a note or a reason.
  const idOf = (name: string) => (name === 'toAgency' || name === 'newDueDate' ? fieldId(name) : fieldId(`${action}-${name}`));
  const area = (name: string, label: string) => {
    const invalid = issues.some((i) => i.field === name);
    return html`<label for="${idOf(name)}">${label}</label>${fieldError(ctx, issues, name)}<textarea id="${idOf(name)}" name="${name}" rows="3"${invalid ? html` aria-invalid="true" aria-describedby="${fieldId(name)}-error"` : ''}>${v[name] ?? ''}</textarea>`;
  };
  let fields: SafeHtml = html``;
  switch (action) {
    case 'receive':
    case 'sendForApproval':
      fields = area('note', ctx.t('dossiers.field.note'));
      break;
    case 'requestSupplement':
      fields = area('items', ctx.t('dossiers.field.items'));
      break;
    case 'refuse':
    case 'returnForRework':
    case 'stop':
      fields = area('reason', ctx.t('dossiers.field.reason'));
      break;
    case 'assign':
      fields = html`<label for="${fieldId('assign-assigneeId')}">${ctx.t('dossiers.field.assignee')}</label>${fieldError(ctx, issues, 'assigneeId')}
<select id="${fieldId('assign-assigneeId')}" name="assigneeId">${o.specialists.map((s) => html`<option value="${s.id}" ${d.assigneeId === s.id ? html`selected` : ''}>${s.full_name}</option>`)}</select>`;
      break;
    case 'transfer':
      fields = html`${textInput(ctx, issues, { name: 'toAgency', label: ctx.t('dossiers.field.toAgency'), value: v.toAgency, autocomplete: 'off', hint: '000.00.07.H26' })}${area('note', ctx.t('dossiers.field.note'))}`;
      break;
    case 'approve':
      fields = html`<fieldset class="field"><legend>${ctx.t('dossiers.field.decision')}</legend>${fieldError(ctx, issues, 'decision')}
${(['granted', 'denied'] as const).map((k, i) => html`<label class="choice"><input type="radio" name="decision" value="${k}" ${i === 0 ? html`id="${fieldId('approve-decision')}" checked` : ''}> ${ctx.t(`dossiers.field.decision.${k}`)}</label>`)}</fieldset>
${area('summary', ctx.t('dossiers.field.summary'))}${area('reason', ctx.t('dossiers.field.reason'))}
<label for="${fieldId('approve-ket-qua')}">${ctx.t('dossiers.field.resultFile')}</label>${fieldError(ctx, issues, 'ket-qua')}
<input type="file" id="${fieldId('approve-ket-qua')}" name="ket-qua" accept="application/pdf,image/jpeg,image/png">`;
      break;
    case 'returnResult':
      fields = html`<fieldset class="field"><legend>${ctx.t('dossiers.field.method')}</legend>${(['counter', 'online', 'post'] as const).map((k, i) => html`<label class="choice"><input type="radio" name="method" value="${k}" ${i === 0 ? html`checked` : ''}> ${ctx.t(`dossiers.method.${k}`)}</label>`)}</fieldset>`;
      break;
    case 'issueApology':
      fields = html`${textInput(ctx, issues, { name: 'newDueDate', label: ctx.t('dossiers.field.newDueDate'), type: 'date', value: v.newDueDate, autocomplete: 'off' })}${area('reason', ctx.t('dossiers.field.reason'))}`;
      break;
    default:
      return html``;
  }
  return html`<section class="panel" aria-labelledby="act-${action}"><h2 id="act-${action}">${ctx.t(`dossiers.action.${action}`)}</h2>
${issues.length ? errorSummary(ctx, issues, Object.fromEntries(issues.map((i) => [i.field, idOf(i.field)]))) : ''}
${
  action === 'approve'
    ? html`<form method="post" action="/backoffice/dossiers/${d.code}/actions/${action}?_csrf=${encodeURIComponent(ctx.csrf())}" enctype="multipart/form-data">${fields}`
    : html`<form method="post" action="/backoffice/dossiers/${d.code}/actions/${action}">${csrfField(ctx)}${fields}`
}
<div class="actions"><button type="submit" ${action === 'refuse' || action === 'stop' ? html`class="button warning"` : ''}>${ctx.t(`dossiers.action.${action}`)}</button></div></form></section>`;
}

/** "Tra cứu dân cư": for officers of the holding agency, for the people the dossier names. */
function registryLookup(ctx: PageContext, d: DossierView): SafeHtml {
  const people = dossierPeople(d);
  if (!people.length || ctx.account?.agencyCode !== d.holderAgency || !can(ctx.account, 'registry.lookup', d.holderAgency)) return html``;
  return html`<details class="panel"><summary>${ctx.t('registry.lookup.title')}</summary><p class="hint">${ctx.t('registry.lookup.lead')}</p>
${lookupForm(ctx, { code: d.code, people, issues: [], values: {} })}</details>`;
}

export function dossierView(
  ctx: PageContext,
  d: DossierView,
  o: ActionFormOptions & { timeZone: string; agencyNames: Map<string, string>; flash?: string; answers: { label: string; text: string }[]; resultPanel?: SafeHtml; paymentPanel?: SafeHtml },
): SafeHtml {
  const fact = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return html`<p class="meta"><a href="/backoffice/inbox">${ctx.t('dossiers.inbox.title')}</a></p>
<h1><span class="code">${d.code}</span></h1>
${o.flash ? html`<p class="notice ok" role="status">${o.flash}</p>` : ''}
<p>${statusTag(ctx, d.status, d.late)} ${d.paused ? html`<span class="meta">${ctx.t('dossiers.paused')}</span>` : ''}</p>
<dl class="facts">
${fact(ctx.t('dossiers.col.procedure'), d.procedureName)}
${fact(ctx.t('dossiers.col.applicant'), html`${d.applicant.name}<br><span class="meta">${d.applicant.personalId ?? ''} ${d.applicant.phone ?? ''} ${d.applicant.email ?? ''}</span>`)}
${o.answers.map((a) => fact(a.label, a.text || '—'))}
${fact(ctx.t('dossiers.submitted'), when(ctx, d.submittedAt, o.timeZone))}
${fact(ctx.t('dossiers.received'), when(ctx, d.receivedAt, o.timeZone))}
${fact(ctx.t('dossiers.col.due'), when(ctx, d.dueAt, o.timeZone))}
${fact(ctx.t('dossiers.holder'), html`${o.agencyNames.get(d.holderAgency) ?? d.holderAgency}${d.assigneeName ? html` – ${d.assigneeName}` : ''}`)}
${d.decision ? fact(ctx.t('dossiers.field.decision'), ctx.t(`dossiers.decision.${d.decision}`)) : ''}
</dl>
${d.actions.map((a) => actionForm(ctx, d, a, o))}
${registryLookup(ctx, d)}
${o.paymentPanel ?? ''}
${o.resultPanel ?? ''}
${paperLinks(ctx, d, '/backoffice/dossiers')}
${noticeLinks(ctx, d, '/backoffice/dossiers')}
<h2>${ctx.t('dossiers.history')}</h2>
${historyTable(ctx, d.history, o.timeZone, o.agencyNames)}`;
}
