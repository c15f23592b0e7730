import type { FieldIssue } from '../../platform/http/errors.ts';
import { html, type SafeHtml } from '../../platform/http/html.ts';
import { formatDateTime, formatVnd } from '../../platform/i18n/index.ts';
import { csrfField } from '../../web/forms.ts';
import { errorSummary, fieldError, fieldId, type PageContext } from '../../web/layout.ts';
import type { PaymentView } from './service.ts';
import type { PaymentStatus } from './tables.ts';

const when = (ctx: PageContext, iso: string | null, tz: string) => (iso ? formatDateTime(iso, ctx.locale, tz) : '—');

export function statusTag(ctx: PageContext, status: PaymentStatus): SafeHtml {
  return html`<span class="status">${ctx.t(`payments.status.${status}`)}</span>`;
}

function linesTable(ctx: PageContext, lines: { name: string; amount: number }[], total: number): SafeHtml {
  return html`<div class="table-wrap"><table><caption class="visually-hidden">${ctx.t('payments.lines')}</caption>
<thead><tr><th scope="col">${ctx.t('payments.lines')}</th><th scope="col">${ctx.t('payments.amount')}</th></tr></thead>
<tbody>${lines.map((l) => html`<tr><td>${l.name}</td><td>${formatVnd(l.amount, ctx.locale)}</td></tr>`)}
<tr><th scope="row">${ctx.t('payments.total')}</th><td><strong>${formatVnd(total, ctx.locale)}</strong></td></tr></tbody></table></div>`;
}

/** Every attempt to pay this dossier, with its receipt once paid. */
function attemptsTable(ctx: PageContext, payments: PaymentView[], tz: string, receiptBase: string): SafeHtml {
  if (!payments.length) return html``;
  return html`<h3>${ctx.t('payments.history')}</h3><div class="table-wrap"><table>
<thead><tr><th scope="col">${ctx.t('payments.ref')}</th><th scope="col">${ctx.t('payments.amount')}</th><th scope="col">${ctx.t('payments.state')}</th></tr></thead>
<tbody>${payments.map(
    (p) => html`<tr><td class="code">${p.ref}<br><span class="meta">${when(ctx, p.createdAt, tz)}</span></td><td>${formatVnd(p.amount, ctx.locale)}</td><td>${statusTag(ctx, p.status)}${
      p.receiptNumber ? html`<br><a href="${receiptBase}/${p.ref}/receipt.pdf">${ctx.t('payments.receipt', { number: p.receiptNumber })}</a> (PDF)` : ''
    }</td></tr>`,
  )}</tbody></table></div>`;
}

/** The payment section of a dossier page: what is owed and the "pay" button (citizens), and every attempt. */
export function paymentPanel(
  ctx: PageContext,
  o: { code: string; due: { stage: 'submission' | 'result'; amount: number; lines: { name: string; amount: number }[] } | null; payments: PaymentView[]; audience: 'citizen' | 'officer'; timeZone: string },
): SafeHtml {
  if (!o.due && !o.payments.length) return html``;
  const pay =
    o.due && o.audience === 'citizen'
      ? html`<form method="post" action="/my/dossiers/${o.code}/pay">${csrfField(ctx)}<p class="hint">${ctx.t('payments.payHint')}</p>
<div class="actions"><button type="submit">${ctx.t('payments.pay')} ${formatVnd(o.due.amount, ctx.locale)}</button></div></form>`
      : '';
  return html`<section class="panel" aria-labelledby="payment-title"><h2 id="payment-title">${ctx.t('payments.title')}</h2>
${o.due ? html`<p>${ctx.t('payments.waiting', { amount: formatVnd(o.due.amount, ctx.locale) })} <span class="meta">${ctx.t(`payments.stage.${o.due.stage}`)}</span></p>${linesTable(ctx, o.due.lines, o.due.amount)}${pay}` : ''}
${attemptsTable(ctx, o.payments, o.timeZone, o.audience === 'citizen' ? '/payments' : '/backoffice/payments')}</section>`;
}

/** The page the payer comes back to: the outcome as the gateway confirmed it to us, never as the browser said. */
export function outcomeView(ctx: PageContext, p: PaymentView | null, o: { timeZone: string; stillDue: boolean }): SafeHtml {
  if (!p) {
    return html`<h1>${ctx.t('payments.title')}</h1><div class="error-summary" role="alert" tabindex="-1"><p>${ctx.t('payments.outcome.forged')}</p></div>
<p><a href="/my/dossiers">${ctx.t('dossiers.my.title')}</a></p>`;
  }
  const ok = p.status === 'paid';
  return html`<h1>${ctx.t('payments.title')}</h1>
<div class="notice${ok ? ' ok' : ''}" role="status"><p>${ctx.t(`payments.outcome.${p.status}`, { code: p.dossierCode })}</p></div>
<dl class="facts">
<div><dt>${ctx.t('payments.dossier')}</dt><dd class="code">${p.dossierCode}</dd></div>
<div><dt>${ctx.t('payments.ref')}</dt><dd class="code">${p.ref}</dd></div>
<div><dt>${ctx.t('payments.amount')}</dt><dd>${formatVnd(p.amount, ctx.locale)}</dd></div>
<div><dt>${ctx.t('payments.state')}</dt><dd>${statusTag(ctx, p.status)}</dd></div>
${p.paidAt ? html`<div><dt>${ctx.t('payments.paidAt')}</dt><dd>${when(ctx, p.paidAt, o.timeZone)}</dd></div>` : ''}
</dl>
<ul class="link-list">
${p.status === 'pending' ? html`<li><a href="/payments/${p.ref}?check=1">${ctx.t('payments.checkAgain')}</a></li>` : ''}
${p.receiptNumber ? html`<li><a href="/payments/${p.ref}/receipt.pdf">${ctx.t('payments.receipt', { number: p.receiptNumber })}</a> (PDF)</li>` : ''}
${(p.status === 'failed' || p.status === 'expired') && o.stillDue ? html`<li><a href="/my/dossiers/${p.dossierCode}#payment-title">${ctx.t('payments.tryAgain')}</a></li>` : ''}
<li><a href="/my/dossiers/${p.dossierCode}">${ctx.t('payments.backToDossier')}</a></li>
</ul>`;
}

type Report = { date: string; agencyCode: string; items: PaymentView[]; totals: Record<PaymentStatus, { count: number; amount: number }> };

/** Finance staff: one agency's day of payments, with totals, a status query for open ones and refunds. */
export function reconcileView(ctx: PageContext, r: Report, o: { timeZone: string; agencyName: string; canRefund: boolean; flash?: string; issues: FieldIssue[]; failedRef?: string }): SafeHtml {
  const statuses: PaymentStatus[] = ['paid', 'pending', 'expired', 'failed', 'refunded'];
  return html`<h1>${ctx.t('payments.reconcile.title')}</h1><p class="lead">${o.agencyName}</p>
${o.flash ? html`<p class="notice ok" role="status">${o.flash}</p>` : ''}
${errorSummary(ctx, o.issues, { reason: fieldId(`reason-${o.failedRef ?? ''}`) })}
<form method="get" action="/backoffice/payments" class="search-form">
<label for="${fieldId('date')}">${ctx.t('payments.reconcile.date')}</label>
<input type="date" id="${fieldId('date')}" name="date" value="${r.date}">
<button type="submit">${ctx.t('payments.reconcile.show')}</button></form>
<div class="table-wrap"><table><caption>${ctx.t('payments.reconcile.title')} ${r.date}</caption>
<thead><tr><th scope="col">${ctx.t('payments.state')}</th><th scope="col">${ctx.t('payments.reconcile.count')}</th><th scope="col">${ctx.t('payments.amount')}</th></tr></thead>
<tbody>${statuses.map((s) => html`<tr><th scope="row">${ctx.t(`payments.status.${s}`)}</th><td>${r.totals[s].count}</td><td>${formatVnd(r.totals[s].amount, ctx.locale)}</td></tr>`)}</tbody></table></div>
${
  r.items.length
    ? html`<h2>${ctx.t('payments.history')}</h2><ul class="result-list">${r.items.map((p) => {
        const issues = o.failedRef === p.ref ? o.issues : [];
        return html`<li><p><span class="code">${p.ref}</span> · ${statusTag(ctx, p.status)} · <strong>${formatVnd(p.amount, ctx.locale)}</strong></p>
<p class="meta">${ctx.t('payments.dossier')}: <a class="code" href="/backoffice/dossiers/${p.dossierCode}">${p.dossierCode}</a> · ${ctx.t('payments.payer')}: ${p.payerName} · ${when(ctx, p.createdAt, o.timeZone)}${p.transactionNo ? ` · VNPay ${p.transactionNo}` : ''}</p>
${p.receiptNumber ? html`<p><a href="/backoffice/payments/${p.ref}/receipt.pdf">${ctx.t('payments.receipt', { number: p.receiptNumber })}</a> (PDF)</p>` : ''}
${p.status === 'pending' || p.status === 'expired' ? html`<form method="post" action="/backoffice/payments/${p.ref}/check">${csrfField(ctx)}<button type="submit" class="secondary">${ctx.t('payments.reconcile.check')}<span class="visually-hidden"> ${p.ref}</span></button></form>` : ''}
${
  p.status === 'paid' && o.canRefund
    ? html`<details${issues.length ? html` open` : ''}><summary>${ctx.t('payments.refund')}<span class="visually-hidden"> ${p.ref}</span></summary><form method="post" action="/backoffice/payments/${p.ref}/refund">${csrfField(ctx)}
<label for="${fieldId(`reason-${p.ref}`)}">${ctx.t('payments.refund.reason')}</label>${fieldError(ctx, issues, 'reason')}
<textarea id="${fieldId(`reason-${p.ref}`)}" name="reason" rows="2"${issues.length ? html` aria-invalid="true" aria-describedby="${fieldId('reason')}-error"` : ''}></textarea>
<div class="actions"><button type="submit" class="button warning">${ctx.t('payments.refund')}</button></div></form></details>`
    : ''
}</li>`;
      })}</ul>`
    : html`<p>${ctx.t('payments.reconcile.empty')}</p>`
}`;
}
