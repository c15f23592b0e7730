import { html, type SafeHtml } from '../http/html.ts';
import { formatDateTime } from '../i18n/index.ts';
import type { PageContext } from '../../web/layout.ts';
import type { NotificationRecord } from './store.ts';

function transportLabel(ctx: PageContext, name: string): string {
  const key = `notify.dev.transport.${name}`;
  const label = ctx.t(key);
  return label === key ? name : label;
}

/** The development page of sent messages: a table, newest first, with a link to older ones. */
export function devMessagesView(
  ctx: PageContext,
  data: { rows: NotificationRecord[]; timeZone: string; transports: { mail: string; sms: string }; older?: string },
): SafeHtml {
  return html`<h1>${ctx.t('notify.dev.title')}</h1>
<p class="lead">${ctx.t('notify.dev.lead')}</p>
<p class="meta">${ctx.t('notify.dev.transports', { mail: transportLabel(ctx, data.transports.mail), sms: transportLabel(ctx, data.transports.sms) })}</p>
${
  data.rows.length
    ? html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${ctx.t('notify.dev.when')}</th><th scope="col">${ctx.t('notify.dev.channel')}</th><th scope="col">${ctx.t('notify.dev.to')}</th><th scope="col">${ctx.t('notify.dev.content')}</th><th scope="col">${ctx.t('notify.dev.ref')}</th></tr></thead>
<tbody>${data.rows.map(
        (r) => html`<tr class="message-${r.channel}"><td>${formatDateTime(r.sent_at, ctx.locale, data.timeZone)}</td>
<td>${ctx.t(`notify.dev.channel.${r.channel}`)}<br><span class="meta">${transportLabel(ctx, r.transport)}</span></td>
<td>${r.recipient}</td>
<td>${r.subject ? html`<strong>${r.subject}</strong>` : ''}<pre>${r.body}</pre></td>
<td>${r.ref ?? ''}${r.outbox_id !== null ? html`<br><span class="meta">${ctx.t('notify.dev.outbox', { id: r.outbox_id })}</span>` : ''}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${ctx.t('notify.dev.empty')}</p>`
}
${data.older ? html`<nav class="pager" aria-label="${ctx.t('notify.dev.pager')}"><a href="${data.older}">${ctx.t('notify.dev.older')}</a></nav>` : ''}`;
}
