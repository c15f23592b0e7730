import { html, type SafeHtml } from '../../../platform/http/html.ts';
import { formatBytes } from '../../../platform/files/index.ts';
import { formatDateTime } from '../../../platform/i18n/index.ts';
import type { PageContext } from '../../../web/layout.ts';
import type { DossierEvent } from '../lifecycle.ts';
import { availableNotices } from '../notices-for.ts';
import type { DossierView } from '../service.ts';

export function statusTag(ctx: PageContext, status: string, late = false): SafeHtml {
  return html`<span class="status">${ctx.t(`dossiers.status.${status}`)}</span>${late ? html` <span class="late">${ctx.t('dossiers.late')}</span>` : ''}`;
}

export function when(ctx: PageContext, iso: string | null, timeZone: string): string {
  return iso ? formatDateTime(iso, ctx.locale, timeZone) : '—';
}

/** The processing history (phiếu kiểm soát): every event with who, when and why. */
export function historyTable(ctx: PageContext, events: DossierEvent[], timeZone: string, agencyNames: Map<string, string>): SafeHtml {
  return html`<div class="table-wrap"><table>
<caption class="visually-hidden">${ctx.t('dossiers.history')}</caption>
<thead><tr><th scope="col">${ctx.t('dossiers.col.when')}</th><th scope="col">${ctx.t('dossiers.col.what')}</th><th scope="col">${ctx.t('dossiers.col.who')}</th></tr></thead>
<tbody>${events.map((e) => {
    const d = e.data as Record<string, unknown>;
    const detail =
      e.data.type === 'transferred'
        ? e.data.toAgencyName
        : e.data.type === 'assigned'
          ? e.data.assigneeName
          : e.data.type === 'approved'
            ? `${ctx.t(`dossiers.decision.${e.data.decision}`)}: ${e.data.summary}`
            : e.data.type === 'supplement_requested'
              ? e.data.items.map((i) => `${i.name} (${i.reason})`).join('; ')
              : e.data.type === 'apology_issued' || e.data.type === 'received'
                ? `${ctx.t('dossiers.col.due')}: ${when(ctx, String(d.dueAt ?? d.newDueAt), timeZone)}`
                : '';
    return html`<tr><td>${when(ctx, e.at, timeZone)}</td><td><strong>${ctx.t(`dossiers.event.${e.data.type}`)}</strong>${detail ? html`<br>${detail}` : ''}${e.reason ? html`<br><span class="meta">${e.reason}</span>` : ''}</td><td>${e.actorLabel ?? '—'}${e.actorAgency ? html`<br><span class="meta">${agencyNames.get(e.actorAgency) ?? e.actorAgency}</span>` : ''}</td></tr>`;
  })}</tbody></table></div>`;
}

/** Links to the dossier's notices (forms 01–06) that exist so far. */
export function noticeLinks(ctx: PageContext, d: DossierView, base: string): SafeHtml {
  const kinds = availableNotices(d);
  if (!kinds.length) return html``;
  return html`<h2>${ctx.t('dossiers.notices')}</h2><ul>${kinds.map((k) => html`<li><a href="${base}/${d.code}/notices/${k}.pdf">${ctx.t(`dossiers.notice.${k}`)}</a> (PDF)</li>`)}</ul>`;
}

/** The dossier's papers, each a link for those who may read it. */
export function paperLinks(ctx: PageContext, d: DossierView, base: string): SafeHtml {
  if (!d.attachments.length) return html``;
  return html`<h2>${ctx.t('dossiers.papers')}</h2><ul>${d.attachments.map(
    (a) => html`<li><a href="${base}/${d.code}/papers/${a.id}">${a.fileName}</a> <span class="meta">(${formatBytes(a.size)})</span></li>`,
  )}</ul>`;
}
