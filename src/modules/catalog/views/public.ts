import { html, type SafeHtml } from '../../../platform/http/html.ts';
import { formatDate, formatVnd } from '../../../platform/i18n/index.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { ProcedureDetail, ProcedureSummary } from '../service.ts';

type Domain = { code: string; name: string; nameEn: string; description: string; procedureCount: number };
const pick = (ctx: PageContext, vi: string, en: string) => (ctx.locale === 'en' && en ? en : vi);

export function searchForm(ctx: PageContext, q = '', extra: SafeHtml = html``): SafeHtml {
  return html`<form class="search-form" method="get" action="/procedures" role="search">
  <label for="q" class="visually-block">${ctx.t('catalog.search.label')}</label>
  <p class="hint" id="q-hint">${ctx.t('catalog.search.hint')}</p>
  <input type="search" id="q" name="q" value="${q}" aria-describedby="q-hint" autocomplete="off" enterkeyhint="search">
  ${extra}
  <button type="submit">${ctx.t('catalog.search.button')}</button>
</form>`;
}

export function homeView(ctx: PageContext, domains: Domain[]): SafeHtml {
  return html`<h1>${ctx.t('catalog.home.title')}</h1>
<p class="lead">${ctx.t('catalog.home.lead')}</p>
${searchForm(ctx)}
<h2>${ctx.t('catalog.domains.title')}</h2>
${domainCards(ctx, domains)}`;
}

export function domainCards(ctx: PageContext, domains: Domain[]): SafeHtml {
  return html`<ul class="cards">${domains.map(
    (d) => html`<li><a href="/domains/${d.code}">${pick(ctx, d.name, d.nameEn)}</a><p class="meta">${ctx.t('catalog.domains.count', { n: d.procedureCount })}</p></li>`,
  )}</ul>`;
}

export function onlineTag(ctx: PageContext, level: string): SafeHtml {
  return html`<span class="tag ${level.toLowerCase()}">${ctx.t(`catalog.online.${level}`)}</span>`;
}

export function daysText(ctx: PageContext, n: number): string {
  return n === 0 ? ctx.t('catalog.sameDay') : ctx.t('catalog.days', { n });
}

export function resultList(ctx: PageContext, items: ProcedureSummary[]): SafeHtml {
  return html`<ol class="result-list">${items.map(
    (p) => html`<li><a href="/procedures/${p.code}">${pick(ctx, p.name, p.nameEn)}</a>
<p class="meta">${onlineTag(ctx, p.onlineLevel)} ${pick(ctx, p.domainName, p.domainNameEn)} · ${daysText(ctx, p.processingDays)} · ${p.feeTotal ? formatVnd(p.feeTotal, ctx.locale) : ctx.t('catalog.free')}</p></li>`,
  )}</ol>`;
}

export function pager(ctx: PageContext, basePath: string, params: URLSearchParams, page: number, pageSize: number, total: number): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return html``;
  const link = (p: number) => {
    const q = new URLSearchParams(params);
    q.set('page', String(p));
    return `${basePath}?${q}`;
  };
  return html`<nav class="pager" aria-label="${ctx.t('catalog.pager.label')}">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">${ctx.t('catalog.pager.prev')}</a>` : ''}
<span>${ctx.t('catalog.pager.of', { page, pages })}</span>
${page < pages ? html`<a href="${link(page + 1)}" rel="next">${ctx.t('catalog.pager.next')}</a>` : ''}
</nav>`;
}

export function searchView(
  ctx: PageContext,
  input: { q: string; domain?: string; onlineLevel?: string; level?: string; page: number; pageSize: number },
  domains: Domain[],
  result: { items: ProcedureSummary[]; total: number },
): SafeHtml {
  const select = (name: string, label: string, options: [string, string][], value?: string) =>
    html`<div class="filter"><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}"><option value="">${ctx.t('catalog.filter.any')}</option>${options.map(
      ([v, text]) => html`<option value="${v}" ${v === value ? html`selected` : ''}>${text}</option>`,
    )}</select></div>`;
  const filters = html`<details class="filters" ${input.domain || input.onlineLevel || input.level ? html`open` : ''}><summary>${ctx.t('catalog.filter.domain')}, ${ctx.t('catalog.filter.level')}, ${ctx.t('catalog.filter.online')}</summary>
${select('domain', ctx.t('catalog.filter.domain'), domains.map((d) => [d.code, pick(ctx, d.name, d.nameEn)]), input.domain)}
${select('level', ctx.t('catalog.filter.level'), ['city', 'district', 'commune'].map((l) => [l, ctx.t(`catalog.level.${l}`)]), input.level)}
${select('onlineLevel', ctx.t('catalog.filter.online'), ['FULL', 'PARTIAL', 'INFO'].map((l) => [l, ctx.t(`catalog.online.${l}`)]), input.onlineLevel)}
</details>`;
  const params = new URLSearchParams();
  for (const key of ['q', 'domain', 'level', 'onlineLevel'] as const) if (input[key]) params.set(key, String(input[key]));
  const heading = input.q
    ? result.total
      ? ctx.t('catalog.search.results', { total: result.total, q: input.q })
      : ctx.t('catalog.search.none', { q: input.q })
    : ctx.t('catalog.search.all', { total: result.total });
  return html`<h1>${ctx.t('catalog.home.title')}</h1>
${searchForm(ctx, input.q, filters)}
<h2 id="results-heading" aria-live="polite">${heading}</h2>
${resultList(ctx, result.items)}
${pager(ctx, '/procedures', params, input.page, input.pageSize, result.total)}`;
}

export function domainView(
  ctx: PageContext,
  domain: { code: string; name: string; nameEn: string; description: string },
  result: { items: ProcedureSummary[]; total: number },
  page: number,
  pageSize: number,
): SafeHtml {
  return html`<h1>${pick(ctx, domain.name, domain.nameEn)}</h1>
${domain.description ? html`<p class="lead">${domain.description}</p>` : ''}
${searchForm(ctx, '', html`<input type="hidden" name="domain" value="${domain.code}">`)}
<h2>${ctx.t('catalog.domains.count', { n: result.total })}</h2>
${resultList(ctx, result.items)}
${pager(ctx, `/domains/${domain.code}`, new URLSearchParams(), page, pageSize, result.total)}`;
}

export function procedureView(ctx: PageContext, p: ProcedureDetail): SafeHtml {
  const b = p.body;
  const fact = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
  return html`<h1>${pick(ctx, b.name, b.nameEn ?? '')}</h1>
${p.status === 'retired' ? html`<p class="notice">${ctx.t('catalog.proc.retired')}</p>` : ''}
${p.upcoming ? html`<p class="notice">${ctx.t('catalog.proc.upcoming', { v: p.upcoming.version, date: formatDate(p.upcoming.effectiveFrom) })}</p>` : ''}
<dl class="facts">
${fact(ctx.t('catalog.proc.code'), p.code)}
${fact(ctx.t('catalog.filter.domain'), html`<a href="/domains/${p.domain.code}">${pick(ctx, p.domain.name, p.domain.nameEn)}</a>`)}
${fact(ctx.t('catalog.proc.agency'), html`<ul class="plain">${p.implementers.map((i) => html`<li>${pick(ctx, i.name, i.nameEn)}${i.agencyCode ? html` <span class="meta">(${i.agencyCode})</span>` : ''}</li>`)}</ul>`)}
${fact(ctx.t('catalog.proc.level'), html`${onlineTag(ctx, b.onlineLevel)}${b.legacyLevel ? html` <span class="meta">(${ctx.t('catalog.legacy', { n: b.legacyLevel })})</span>` : ''}`)}
${fact(
  ctx.t('catalog.proc.time'),
  html`${daysText(ctx, b.processingDays)}${b.processingNote ? html`<br><span class="meta">${b.processingNote}</span>` : ''}${b.cutoffHour !== undefined ? html`<br><span class="meta">${ctx.t('catalog.proc.cutoff', { h: b.cutoffHour })}</span>` : ''}`,
)}
${fact(
  ctx.t('catalog.proc.fees'),
  b.fees.length
    ? html`<ul class="plain">${b.fees.map((f) => html`<li>${f.name}: <strong>${f.amount ? formatVnd(f.amount, ctx.locale) : ctx.t('catalog.free')}</strong>${f.note ? html` <span class="meta">(${f.note})</span>` : ''}</li>`)}</ul>`
    : ctx.t('catalog.free'),
)}
${fact(ctx.t('catalog.proc.applicants'), b.applicants.map((a) => ctx.t(`catalog.proc.applicant.${a}`)).join(', '))}
${fact(ctx.t('catalog.proc.result'), b.result)}
</dl>
<h2>${ctx.t('catalog.proc.documents')}</h2>
<div class="table-wrap"><table>
<thead><tr><th scope="col">${ctx.t('catalog.proc.doc.name')}</th><th scope="col">${ctx.t('catalog.proc.doc.kind')}</th><th scope="col">${ctx.t('catalog.proc.doc.count')}</th></tr></thead>
<tbody>${b.requiredDocuments.map(
  (d) => html`<tr><td>${d.name}${d.form ? html`<br><span class="meta">${ctx.t('catalog.proc.doc.form', { name: d.form.name })}${d.form.code ? ` (${d.form.code})` : ''}</span>` : ''}${d.note ? html`<br><span class="meta">${d.note}</span>` : ''}</td><td>${ctx.t(`catalog.doc.${d.kind}`)}</td><td>${d.count}</td></tr>`,
)}</tbody></table></div>
${b.steps.length ? html`<h2>${ctx.t('catalog.proc.steps')}</h2><ol>${b.steps.map((s) => html`<li>${s}</li>`)}</ol>` : ''}
<h2>${ctx.t('catalog.proc.legal')}</h2>
<ul>${b.legalBasis.map(
  (l) => html`<li><strong>${l.number}</strong> – ${l.title}${l.issuedOn ? html`, ${ctx.t('catalog.proc.legal.issued', { date: formatDate(l.issuedOn) })}` : ''}${l.effectiveFrom ? html`; ${ctx.t('catalog.proc.legal.effective', { date: formatDate(l.effectiveFrom) })}` : ''}</li>`,
)}</ul>
<div class="actions">${b.onlineLevel === 'INFO' || p.status === 'retired' ? html`<p class="notice">${ctx.t('catalog.proc.applyInPerson')}</p>` : html`<a class="button" href="/procedures/${p.code}/apply">${ctx.t('catalog.proc.apply')}</a>`}</div>
<p class="meta">${ctx.t('catalog.proc.version', { v: p.version, date: formatDate(p.effectiveFrom) })}</p>`;
}
