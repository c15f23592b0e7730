import { localDate } from '../../platform/calendar/zone.ts';
import type { CatalogService } from '../catalog/index.ts';
import type { DossierEvent } from './lifecycle.ts';
import {
  apologyNotice,
  controlSheet,
  type HandoverStep,
  type NoticeAgency,
  type NoticeDossier,
  type NoticeRuleSet,
  receiptNotice,
  refusalNotice,
  stopNotice,
  supplementRequest,
} from './notices/index.ts';
import type { DossierView } from './service.ts';

export const noticeKinds = ['receipt', 'supplement', 'refusal', 'apology', 'stop', 'control-sheet'] as const;
export type NoticeKindName = (typeof noticeKinds)[number];

/** The event a notice records; a notice exists only once its event happened. */
const eventOf: Record<NoticeKindName, DossierEvent['data']['type']> = {
  receipt: 'received',
  supplement: 'supplement_requested',
  refusal: 'refused',
  apology: 'apology_issued',
  stop: 'stopped',
  'control-sheet': 'received',
};

export function availableNotices(d: DossierView): NoticeKindName[] {
  return noticeKinds.filter((k) => d.history.some((e) => e.data.type === eventOf[k]) && !(k === 'stop' && ruleSetOf(d) === '2018'));
}

function ruleSetOf(d: DossierView): NoticeRuleSet {
  return d.submittedAt >= '2025-06-30T17:00:00.000Z' ? '2025' : '2018';
}

/**
 * Renders a notice (forms 01–06) of the dossier as a PDF, from its events: the notice shows
 * what the event recorded, so a reprint is identical to the first print.
 */
export async function renderNotice(
  kind: NoticeKindName,
  d: DossierView,
  deps: { catalog: CatalogService; publicUrl: string; timeZone: string; stageDeadlines: Partial<Record<string, string>> },
): Promise<Buffer | null> {
  const event = [...d.history].reverse().find((e) => e.data.type === eventOf[kind]);
  if (!event) return null;
  const received = d.history.find((e) => e.data.type === 'received');
  const procedure = await deps.catalog.getProcedure(d.procedureCode, { includeRetired: true, date: d.submittedAt.slice(0, 10) });
  const receiving = await deps.catalog.getAgency(d.receivingAgency);
  const parent = receiving?.parentCode ? await deps.catalog.getAgency(receiving.parentCode) : null;
  const agency: NoticeAgency = { name: receiving?.name ?? d.receivingAgency, parentName: parent?.name, code: d.receivingAgency, place: 'Hà Nội' };
  const form = d.form as { applicant?: { address?: string } };
  const dossier: NoticeDossier = {
    code: d.code,
    trackingUrl: `${deps.publicUrl}/track?code=${encodeURIComponent(d.code)}`,
    procedureName: d.procedureName,
    applicant: {
      name: d.applicant.name,
      personalId: d.applicant.personalId ?? undefined,
      phone: d.applicant.phone ?? undefined,
      email: d.applicant.email ?? undefined,
      address: form.applicant?.address,
    },
    receivedAt: new Date(received?.at ?? d.submittedAt),
    dueAt: new Date(d.dueAt ?? received?.at ?? d.submittedAt),
    processingDays: procedure?.body.processingDays ?? 0,
    documents: (procedure?.body.requiredDocuments ?? []).map((doc) => ({ name: doc.name, kind: doc.kind, count: doc.count })),
    resultDelivery: d.channel === 'online' ? 'Trực tuyến hoặc tại Bộ phận một cửa' : 'Tại Bộ phận một cửa',
  };
  const options = { ruleSet: ruleSetOf(d), timeZone: deps.timeZone };
  const officer = { name: event.actorLabel ?? '' };
  const issuedAt = new Date(event.at);
  const data = event.data;
  switch (kind) {
    case 'receipt':
      return receiptNotice({ agency, dossier, receivedBy: officer }, options);
    case 'supplement':
      return data.type === 'supplement_requested' ? supplementRequest({ agency, dossier, items: data.items, officer, issuedAt }, options) : null;
    case 'refusal':
      return refusalNotice({ agency, dossier, reasons: [event.reason ?? ''], officer, issuedAt }, options);
    case 'apology':
      return data.type === 'apology_issued' ? apologyNotice({ agency, dossier, reason: event.reason ?? '', newDueAt: new Date(data.newDueAt), issuedAt }, options) : null;
    case 'stop':
      return stopNotice({ agency, dossier, reasons: [event.reason ?? ''], issuedAt }, options);
    case 'control-sheet':
      return controlSheet({ agency, dossier, steps: await handOvers(d, deps.catalog, deps.stageDeadlines, deps.timeZone) }, options);
  }
}

/** The stage a hand-over closes: its timeliness is judged against that stage's deadline. */
const stageClosedBy: Partial<Record<DossierEvent['data']['type'], string>> = {
  assigned: 'processing',
  transferred: 'processing',
  sent_for_approval: 'processing',
  approved: 'approval',
  result_returned: 'result',
};

/** Each hand-over of the dossier, and whether it happened before, on or after its stage's deadline. */
async function handOvers(d: DossierView, catalog: CatalogService, stageDue: Partial<Record<string, string>>, timeZone: string): Promise<HandoverStep[]> {
  const steps: HandoverStep[] = [];
  const localDay = (iso: string) => localDate(new Date(iso), timeZone);
  for (const e of d.history) {
    const to =
      e.data.type === 'assigned' ? e.data.assigneeName : e.data.type === 'transferred' ? e.data.toAgencyName : e.data.type === 'sent_for_approval' ? 'Lãnh đạo' : e.data.type === 'approved' || e.data.type === 'result_returned' ? 'Bộ phận một cửa' : null;
    if (!to && e.data.type !== 'received') continue;
    const agency = e.actorAgency ? await catalog.getAgency(e.actorAgency) : null;
    const stage = stageClosedBy[e.data.type];
    const due = (stage && stageDue[stage]) ?? null;
    const outcome = !due ? null : e.at > due ? 'late' : localDay(e.at) < localDay(due) ? 'early' : 'on-time';
    steps.push({ agencyName: agency?.name ?? e.actorAgency ?? '', handedAt: new Date(e.at), fromName: e.actorLabel ?? '', toName: to ?? e.actorLabel ?? '', outcome, note: e.reason ?? undefined });
  }
  return steps;
}
