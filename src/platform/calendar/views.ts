import { errorSummary, fieldError, fieldId, type PageContext } from '../../web/layout.ts';
import type { FieldIssue } from '../http/errors.ts';
import { html, type SafeHtml } from '../http/html.ts';
import { formatDate } from '../i18n/index.ts';
import type { CalendarYear } from './index.ts';
import { dayKinds } from './schemas.ts';
import { weekday } from './working-days.ts';

export interface DayForm {
  date: string;
  kind: string;
  name: string;
  nameEn: string;
  legalBasis: string;
}

export function calendarAdminView(ctx: PageContext, data: { calendar: CalendarYear; form: DayForm; issues: FieldIssue[]; flash?: string }): SafeHtml {
  const { calendar: c, form: f, issues } = data;
  const described = (name: string) => (issues.some((i) => i.field === name) ? html`aria-describedby="${fieldId(name)}-error"` : '');
  const input = (name: keyof DayForm, label: string, type = 'text') =>
    html`<label for="${fieldId(name)}">${label}</label>${fieldError(ctx, issues, name)}
<input id="${fieldId(name)}" name="${name}" type="${type}" value="${f[name]}" ${described(name)}>`;
  const dayName = (d: { name: string; nameEn: string }) => (ctx.locale === 'en' && d.nameEn ? d.nameEn : d.name);

  return html`<h1>${ctx.t('calendar.admin.title', { year: c.year })}</h1>
<p class="lead">${ctx.t('calendar.admin.lead')}</p>
${data.flash ? html`<p class="notice ok" role="status">${data.flash}</p>` : ''}
<nav class="pager" aria-label="${ctx.t('calendar.admin.yearNav')}">
<a href="/admin/calendar?year=${c.year - 1}">${ctx.t('calendar.admin.prevYear', { year: c.year - 1 })}</a>
<a href="/admin/calendar?year=${c.year + 1}">${ctx.t('calendar.admin.nextYear', { year: c.year + 1 })}</a>
</nav>
<p>${ctx.t('calendar.admin.workingDays', { year: c.year, n: c.workingDays })}${c.seededFrom ? html` ${ctx.t('calendar.admin.seeded', { file: c.seededFrom })}` : ''}</p>
${
  c.days.length
    ? html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${ctx.t('calendar.admin.date')}</th><th scope="col">${ctx.t('calendar.admin.kind')}</th><th scope="col">${ctx.t('calendar.admin.name')}</th><th scope="col">${ctx.t('calendar.admin.legalBasis')}</th><th scope="col">${ctx.t('calendar.admin.actions')}</th></tr></thead>
<tbody>${c.days.map(
        (d) => html`<tr><td><time datetime="${d.date}">${formatDate(d.date)}</time><br><span class="meta">${ctx.t(`calendar.weekday.${weekday(d.date)}`)}</span></td>
<td>${ctx.t(`calendar.kind.${d.kind}`)}</td><td>${dayName(d)}</td><td>${d.legalBasis ?? ''}</td>
<td><form method="post" action="/admin/calendar/${d.date}/delete" class="inline-form"><input type="hidden" name="_csrf" value="${ctx.csrf()}"><button type="submit" class="link-button">${ctx.t('calendar.admin.remove', { date: formatDate(d.date) })}</button></form></td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="notice">${ctx.t('calendar.admin.empty', { year: c.year })}</p>`
}
<h2 id="add">${ctx.t('calendar.admin.add')}</h2>
<p class="hint">${ctx.t('calendar.admin.addHint')}</p>
${errorSummary(ctx, issues, { kind: fieldId(`kind-${dayKinds[0]}`) })}
<form method="post" action="/admin/calendar" novalidate>
<input type="hidden" name="_csrf" value="${ctx.csrf()}">
${input('date', ctx.t('calendar.admin.date'), 'date')}
<fieldset><legend>${ctx.t('calendar.admin.kind')}</legend>${fieldError(ctx, issues, 'kind')}
${dayKinds.map(
  (k) => html`<div class="check"><input type="radio" id="${fieldId(`kind-${k}`)}" name="kind" value="${k}" ${f.kind === k ? html`checked` : ''}><label for="${fieldId(`kind-${k}`)}">${ctx.t(`calendar.kind.${k}`)}</label></div>`,
)}</fieldset>
${input('name', ctx.t('calendar.admin.name'))}
${input('nameEn', ctx.t('calendar.admin.nameEn'))}
${input('legalBasis', ctx.t('calendar.admin.legalBasis'))}
<div class="actions"><button type="submit">${ctx.t('calendar.admin.save')}</button></div>
</form>`;
}
