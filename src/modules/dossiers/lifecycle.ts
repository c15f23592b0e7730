/**
 * The life of a dossier as an append-only list of events, and everything derived from it:
 * status, who holds it, the deadline, lateness. Pure functions: no database, no clock.
 * Modelled on OpenCRVS (actions are the truth; status is never stored on its own).
 */
export type Role = 'counter_clerk' | 'specialist' | 'leader' | 'agency_admin' | 'city_admin' | 'finance';
export type Channel = 'online' | 'counter' | 'post';
export type Stage = 'intake' | 'processing' | 'approval' | 'result' | 'closed';

/** Statuses, each with its code in the national portal's sync API (domain.md §8). */
export const statuses = {
  NEW: 1,
  RECEIVED: 2,
  REFUSED: 3,
  PROCESSING: 4,
  WAITING_SUPPLEMENT: 5,
  WAITING_PAYMENT: 6,
  WITHDRAWN: 7,
  STOPPED: 8,
  DONE: 9,
  RETURNED: 10,
} as const;
export type Status = keyof typeof statuses;

export interface SupplementItem {
  name: string;
  reason: string;
}

export type EventData = StepEventData | PaymentEventData;

/** The one-stop shop's own steps, each an officer's or the applicant's action. */
export type StepEventData =
  | { type: 'submitted'; channel: Channel; receivingAgency: string }
  | { type: 'received'; dueAt: string; workingDays: number }
  | { type: 'supplement_requested'; stage: 'intake' | 'processing'; items: SupplementItem[] }
  | { type: 'supplemented'; dueAt: string | null }
  | { type: 'refused' }
  | { type: 'assigned'; assigneeId: string; assigneeName: string }
  | { type: 'transferred'; toAgency: string; toAgencyName: string }
  | { type: 'sent_for_approval' }
  | { type: 'returned_for_rework' }
  | { type: 'approved'; decision: 'granted' | 'denied'; summary: string }
  | { type: 'result_returned'; method: Channel }
  | { type: 'apology_issued'; newDueAt: string }
  | { type: 'stopped' }
  | { type: 'withdrawn' };

/** Online payment (issue 4): recorded by the payment service, not by a step of the one-stop shop. */
export type PaymentEventData =
  /** The fee is due online (issue 4): with the application, or before the result is handed over. */
  | { type: 'payment_requested'; stage: 'submission' | 'result'; amount: number; lines: { name: string; amount: number }[] }
  /** The gateway confirmed the payment server-to-server (IPN or status query), never the browser's return. */
  | { type: 'payment_confirmed'; paymentRef: string; amount: number };

export type EventType = EventData['type'];

export interface DossierEvent {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string | null;
  actorAgency: string | null;
  reason: string | null;
  data: EventData;
}

export interface HandOver {
  fromAgency: string | null;
  toAgency: string;
  at: string;
  by: string | null;
}

export interface DossierState {
  status: Status;
  stage: Stage;
  receivingAgency: string;
  holderAgency: string;
  /** Which role of the holder agency must act next. */
  holderRole: Role | null;
  assigneeId: string | null;
  assigneeName: string | null;
  receivedAt: string | null;
  dueAt: string | null;
  pausedAt: string | null;
  closedAt: string | null;
  decidedAt: string | null;
  decision: 'granted' | 'denied' | null;
  /** Supplement requests made so far, per stage ("ask only once"). */
  supplementRequests: { intake: number; processing: number };
  involvedAgencies: string[];
  handOvers: HandOver[];
  apologies: number;
  /** The online fee still owed, and when it was asked for; null when nothing is owed. */
  paymentDue: { stage: 'submission' | 'result'; amount: number; lines: { name: string; amount: number }[] } | null;
}

const terminal: Status[] = ['REFUSED', 'WITHDRAWN', 'STOPPED', 'RETURNED'];
export const isClosed = (s: Status) => terminal.includes(s);

/** Folds the events into the current state. The first event must be `submitted`. */
export function project(events: readonly DossierEvent[]): DossierState {
  const first = events[0];
  if (first?.data.type !== 'submitted') throw new Error('a dossier starts with a submitted event');
  const s: DossierState = {
    status: 'NEW',
    stage: 'intake',
    receivingAgency: first.data.receivingAgency,
    holderAgency: first.data.receivingAgency,
    holderRole: 'counter_clerk',
    assigneeId: null,
    assigneeName: null,
    receivedAt: null,
    dueAt: null,
    pausedAt: null,
    closedAt: null,
    decidedAt: null,
    decision: null,
    supplementRequests: { intake: 0, processing: 0 },
    involvedAgencies: [first.data.receivingAgency],
    handOvers: [],
    apologies: 0,
    paymentDue: null,
  };
  const handTo = (agency: string, e: DossierEvent) => {
    if (agency !== s.holderAgency) s.handOvers.push({ fromAgency: s.holderAgency, toAgency: agency, at: e.at, by: e.actorLabel });
    s.holderAgency = agency;
    if (!s.involvedAgencies.includes(agency)) s.involvedAgencies.push(agency);
  };
  const close = (status: Status, e: DossierEvent) => {
    s.status = status;
    s.stage = 'closed';
    s.holderRole = null;
    s.closedAt = e.at;
  };
  for (const e of events.slice(1)) {
    const d = e.data;
    switch (d.type) {
      case 'received':
        s.status = 'RECEIVED';
        s.stage = 'processing';
        s.receivedAt = e.at;
        s.dueAt = d.dueAt;
        s.holderRole = 'leader';
        break;
      case 'supplement_requested':
        s.status = 'WAITING_SUPPLEMENT';
        s.supplementRequests[d.stage]++;
        if (d.stage === 'processing') s.pausedAt = e.at;
        s.holderRole = null;
        break;
      case 'supplemented':
        s.pausedAt = null;
        if (s.stage === 'intake') {
          s.status = 'NEW';
          s.holderRole = 'counter_clerk';
        } else {
          s.status = 'PROCESSING';
          s.dueAt = d.dueAt ?? s.dueAt;
          s.holderRole = 'specialist';
        }
        break;
      case 'refused':
        close('REFUSED', e);
        break;
      case 'assigned':
        s.status = 'PROCESSING';
        s.stage = 'processing';
        s.assigneeId = d.assigneeId;
        s.assigneeName = d.assigneeName;
        s.holderRole = 'specialist';
        break;
      case 'transferred':
        handTo(d.toAgency, e);
        s.status = 'PROCESSING';
        s.stage = 'processing';
        s.assigneeId = null;
        s.assigneeName = null;
        s.holderRole = 'leader';
        break;
      case 'sent_for_approval':
        s.stage = 'approval';
        s.holderRole = 'leader';
        break;
      case 'returned_for_rework':
        s.stage = 'processing';
        s.holderRole = 'specialist';
        break;
      case 'approved':
        s.status = 'DONE';
        s.stage = 'result';
        s.decision = d.decision;
        s.decidedAt = e.at;
        handTo(s.receivingAgency, e);
        s.holderRole = 'counter_clerk';
        s.assigneeId = null;
        s.assigneeName = null;
        break;
      case 'result_returned':
        close('RETURNED', e);
        break;
      case 'apology_issued':
        s.dueAt = d.newDueAt;
        s.apologies++;
        break;
      case 'stopped':
        close('STOPPED', e);
        break;
      case 'withdrawn':
        close('WITHDRAWN', e);
        break;
      case 'payment_requested':
        s.status = 'WAITING_PAYMENT';
        s.holderRole = null;
        s.paymentDue = { stage: d.stage, amount: d.amount, lines: d.lines };
        break;
      case 'payment_confirmed':
        // Paid with the application: the counter receives it as a new dossier. Paid before the
        // result: the result is ready to be handed over.
        s.status = s.paymentDue?.stage === 'result' ? 'DONE' : 'NEW';
        s.holderRole = 'counter_clerk';
        s.paymentDue = null;
        break;
      case 'submitted':
        throw new Error('submitted twice');
    }
  }
  return s;
}

/** Whether the dossier is late now (open and past due) or was decided late. */
export function isLate(s: DossierState, now: string): boolean {
  if (!s.dueAt || s.pausedAt) return false;
  if (s.status === 'REFUSED' || s.status === 'WITHDRAWN' || s.status === 'STOPPED') return false;
  return (s.decidedAt ?? now) > s.dueAt;
}
