import type { FieldIssue } from '../../../platform/http/errors.ts';
import { html, type SafeHtml } from '../../../platform/http/html.ts';
import { formatDateTime } from '../../../platform/i18n/index.ts';
import { errorSummary, fieldError, fieldId, type PageContext } from '../../../web/layout.ts';
import type { ProcedureFormFields } from '../admin-form.ts';
import type { ImportIssue } from '../service.ts';

type Row = { code: string; name: string; status: 'active' | 'retired'; current_version: number; updated_at: string };

export function adminListView(
  ctx: PageContext,
  data: { items: Row[]; total: number; page: number; pageSize: number; status?: string; flash?: string; timeZone: string },
): SafeHtml {
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const link = (p: number) => `/admin/catalog?page=${p}${data.status ? `&status=${data.status}` : ''}`;
  return html`<h1>${ctx.t('catalog.admin.title')}</h1>
${data.flash ? html`<p class="notice ok" role="status">${data.flash}</p>` : ''}
<div class="actions">
  <a class="button" href="/admin/catalog/new">${ctx.t('catalog.admin.new')}</a>
  <a class="button secondary" href="/admin/catalog/import">${ctx.t('catalog.admin.import')}</a>
  <a class="button secondary" href="/admin/catalog/export.json" download>${ctx.t('catalog.admin.export')}</a>
  <a href="/admin/catalog/audit">${ctx.t('catalog.admin.audit')}</a>
</div>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${ctx.t('catalog.proc.code')}</th><th scope="col">${ctx.t('catalog.admin.name')}</th><th scope="col">${ctx.t('catalog.admin.status')}</th><th scope="col">${ctx.t('catalog.admin.actions')}</th></tr></thead>
<tbody>${data.items.map(
  (p) => html`<tr><td>${p.code}</td><td><a href="/procedures/${p.code}">${p.name}</a><br><span class="meta">v${p.current_version} · ${formatDateTime(p.updated_at, ctx.locale, data.timeZone)}</span></td>
<td>${ctx.t(`catalog.admin.status.${p.status}`)}</td>
<td><a href="/admin/catalog/${p.code}/edit">${ctx.t('catalog.admin.edit', { code: '' }).trim()}</a>
<form method="post" action="/admin/catalog/${p.code}/status" class="inline-form"><input type="hidden" name="_csrf" value="${ctx.csrf()}"><input type="hidden" name="status" value="${p.status === 'active' ? 'retired' : 'active'}"><button type="submit" class="link-button">${p.status === 'active' ? ctx.t('catalog.admin.retire') : ctx.t('catalog.admin.restore')}</button></form></td></tr>`,
)}</tbody></table></div>
<nav class="pager" aria-label="${ctx.t('catalog.pager.label')}">
${data.page > 1 ? html`<a href="${link(data.page - 1)}">${ctx.t('catalog.pager.prev')}</a>` : ''}
<span>${ctx.t('catalog.pager.of', { page: data.page, pages })}</span>
${data.page < pages ? html`<a href="${link(data.page + 1)}">${ctx.t('catalog.pager.next')}</a>` : ''}
</nav>`;
}

export function procedureFormView(
  ctx: PageContext,
  opts: { mode: 'new' | 'edit'; fields: ProcedureFormFields; issues: FieldIssue[]; domains: { code: string; name: string }[] },
): SafeHtml {
  const f = opts.fields;
  const issues = opts.issues;
  const action = opts.mode === 'new' ? '/admin/catalog' : `/admin/catalog/${f.code}`;
  const describedBy = (name: string, hint: boolean) =>
    [hint ? `${fieldId(name)}-hint` : '', issues.some((i) => i.field === name) ? `${fieldId(name)}-error` : ''].filter(Boolean).join(' ') || undefined;
  const input = (name: keyof ProcedureFormFields, label: string, opts2: { type?: string; hint?: string; readonly?: boolean } = {}) =>
    html`<label for="${fieldId(name)}">${label}</label>${opts2.hint ? html`<p class="hint" id="${fieldId(name)}-hint">${opts2.hint}</p>` : ''}${fieldError(ctx, issues, name)}
<input id="${fieldId(name)}" name="${name}" type="${opts2.type ?? 'text'}" value="${String(f[name])}" ${opts2.readonly ? html`readonly` : ''} ${describedBy(name, Boolean(opts2.hint)) ? html`aria-describedby="${describedBy(name, Boolean(opts2.hint))}"` : ''}>`;
  const area = (name: keyof ProcedureFormFields, label: string, hint?: string) =>
    html`<label for="${fieldId(name)}">${label}</label>${hint ? html`<p class="hint" id="${fieldId(name)}-hint">${hint}</p>` : ''}${fieldError(ctx, issues, name)}
<textarea id="${fieldId(name)}" name="${name}" rows="4" ${describedBy(name, Boolean(hint)) ? html`aria-describedby="${describedBy(name, Boolean(hint))}"` : ''}>${String(f[name])}</textarea>`;
  return html`<h1>${opts.mode === 'new' ? ctx.t('catalog.admin.new') : ctx.t('catalog.admin.edit', { code: f.code })}</h1>
${errorSummary(ctx, issues, fieldAnchors(issues))}
<form method="post" action="${action}" novalidate>
<input type="hidden" name="_csrf" value="${ctx.csrf()}">
${input('code', ctx.t('catalog.form.code'), { readonly: opts.mode === 'edit' })}
${input('name', ctx.t('catalog.form.name'))}
${input('nameEn', ctx.t('catalog.form.nameEn'))}
<label for="${fieldId('domain')}">${ctx.t('catalog.form.domain')}</label>${fieldError(ctx, issues, 'domain')}
<select id="${fieldId('domain')}" name="domain">${opts.domains.map((d) => html`<option value="${d.code}" ${d.code === f.domain ? html`selected` : ''}>${d.name}</option>`)}</select>
${area('implementers', ctx.t('catalog.form.implementers'), ctx.t('catalog.form.implementersHint'))}
<label for="${fieldId('onlineLevel')}">${ctx.t('catalog.form.onlineLevel')}</label>${fieldError(ctx, issues, 'onlineLevel')}
<select id="${fieldId('onlineLevel')}" name="onlineLevel">${['FULL', 'PARTIAL', 'INFO'].map((l) => html`<option value="${l}" ${l === f.onlineLevel ? html`selected` : ''}>${ctx.t(`catalog.online.${l}`)}</option>`)}</select>
${input('processingDays', ctx.t('catalog.form.processingDays'), { type: 'number' })}
${input('processingNote', ctx.t('catalog.form.processingNote'))}
${input('cutoffHour', ctx.t('catalog.form.cutoffHour'), { type: 'number' })}
<fieldset><legend>${ctx.t('catalog.form.applicants')}</legend>${fieldError(ctx, issues, 'applicants')}
${(['citizen', 'business'] as const).map(
  (a) => html`<div class="check"><input type="checkbox" id="${fieldId(`applicants-${a}`)}" name="applicants" value="${a}" ${f.applicants.includes(a) ? html`checked` : ''}><label for="${fieldId(`applicants-${a}`)}">${ctx.t(`catalog.proc.applicant.${a}`)}</label></div>`,
)}</fieldset>
${area('fees', ctx.t('catalog.form.fees'), ctx.t('catalog.form.feesHint'))}
${area('documents', ctx.t('catalog.form.documents'), ctx.t('catalog.form.documentsHint'))}
${area('steps', ctx.t('catalog.form.steps'), ctx.t('catalog.form.stepsHint'))}
${input('result', ctx.t('catalog.form.result'))}
${area('legalBasis', ctx.t('catalog.form.legal'), ctx.t('catalog.form.legalHint'))}
${area('keywords', ctx.t('catalog.form.keywords'), ctx.t('catalog.form.keywordsHint'))}
${input('effectiveFrom', ctx.t('catalog.form.effectiveFrom'), { type: 'date', hint: ctx.t('catalog.form.effectiveFromHint') })}
<div class="actions"><button type="submit">${ctx.t('catalog.admin.save')}</button><a href="/admin/catalog">${ctx.t('web.error.back')}</a></div>
</form>`;
}

/** Issues on nested paths (fees.0.amount) point at the textarea or input that holds them. */
function fieldAnchors(issues: FieldIssue[]): Record<string, string> {
  const map: Record<string, string> = {};
  const formField: Record<string, string> = { requiredDocuments: 'documents', implementers: 'implementers' };
  for (const i of issues) {
    const head = i.field.split('.')[0] ?? i.field;
    map[i.field] = fieldId(formField[head] ?? head);
  }
  return map;
}

export function importView(ctx: PageContext, opts: { issues?: ImportIssue[]; message?: string; csrf: string }): SafeHtml {
  return html`<h1>${ctx.t('catalog.admin.import')}</h1>
<p>${ctx.t('catalog.admin.importHint')}</p>
${opts.message ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>${opts.message}</h2>
${opts.issues?.length ? html`<ul>${opts.issues.slice(0, 200).map((i) => html`<li>${ctx.t('catalog.line', { line: i.line })}${i.path ? html` (<code>${i.path}</code>)` : ''}: ${ctx.t(i.key, i.params)}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="/admin/catalog/import?_csrf=${encodeURIComponent(opts.csrf)}" enctype="multipart/form-data">
<label for="f-file">${ctx.t('catalog.admin.import')}</label>
<input type="file" id="f-file" name="file" accept="application/json,.json" required>
<div class="actions"><button type="submit">${ctx.t('catalog.admin.import')}</button><a href="/admin/catalog">${ctx.t('web.error.back')}</a></div>
</form>`;
}

type AuditRow = { seq: number; at: string; actor_label: string | null; action: string; target_type: string | null; target_id: string | null; ip: string | null; before_json: string | null; after_json: string | null };

export function auditView(ctx: PageContext, rows: AuditRow[], timeZone: string, next?: number): SafeHtml {
  return html`<h1>${ctx.t('catalog.audit.title')}</h1>
<div class="table-wrap"><table>
<thead><tr><th scope="col">#</th><th scope="col">${ctx.t('catalog.audit.when')}</th><th scope="col">${ctx.t('catalog.audit.who')}</th><th scope="col">${ctx.t('catalog.audit.what')}</th><th scope="col">${ctx.t('catalog.audit.target')}</th><th scope="col">${ctx.t('catalog.audit.details')}</th></tr></thead>
<tbody>${rows.map(
  (r) => html`<tr><td>${r.seq}</td><td>${formatDateTime(r.at, ctx.locale, timeZone)}</td><td>${r.actor_label ?? '—'}<br><span class="meta">${r.ip ?? ''}</span></td><td><code>${r.action}</code></td><td>${r.target_id ?? ''}</td>
<td>${r.before_json || r.after_json ? html`<details><summary>${ctx.t('catalog.audit.details')}</summary>${r.before_json ? html`<p><strong>${ctx.t('catalog.audit.before')}</strong></p><pre>${pretty(r.before_json)}</pre>` : ''}${r.after_json ? html`<p><strong>${ctx.t('catalog.audit.after')}</strong></p><pre>${pretty(r.after_json)}</pre>` : ''}</details>` : ''}</td></tr>`,
)}</tbody></table></div>
${next ? html`<nav class="pager" aria-label="${ctx.t('catalog.pager.label')}"><a href="/admin/catalog/audit?before=${next}">${ctx.t('catalog.pager.next')}</a></nav>` : ''}`;
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
