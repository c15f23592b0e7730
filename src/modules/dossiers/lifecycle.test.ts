import { describe, expect, it } from 'vitest';
import { type DossierEvent, type EventData, project, statuses } from './lifecycle.ts';
import { checkAction } from './policy.ts';

/** The online fee in a dossier's life (issue 4): waiting for payment, and where the dossier goes once paid. */
const WARD = '000.00.61.H26';
let seq = 0;
const event = (data: EventData): DossierEvent => ({ seq: ++seq, at: `2026-11-27T0${Math.min(seq, 9)}:00:00.000Z`, actorId: 'x', actorLabel: 'x', actorAgency: WARD, reason: null, data });
const lines = [{ name: 'Lệ phí', amount: 8000 }];
const clerk = { kind: 'officer' as const, id: 'clerk', agencyCode: WARD, roles: ['counter_clerk' as const] };

describe('payment events', () => {
  it('a fee at submission: waiting for payment (national 6), then new at the counter', () => {
    seq = 0;
    const events = [event({ type: 'submitted', channel: 'online', receivingAgency: WARD }), event({ type: 'payment_requested', stage: 'submission', amount: 3000, lines })];
    const waiting = project(events);
    expect(waiting).toMatchObject({ status: 'WAITING_PAYMENT', holderRole: null, paymentDue: { stage: 'submission', amount: 3000 } });
    expect(statuses[waiting.status]).toBe(6);
    expect(checkAction(waiting, 'receive', clerk, null)).toBe('DOSSIER_WRONG_STATE');
    const paid = project([...events, event({ type: 'payment_confirmed', paymentRef: 'EG1', amount: 3000 })]);
    expect(paid).toMatchObject({ status: 'NEW', holderRole: 'counter_clerk', paymentDue: null });
    expect(checkAction(paid, 'receive', clerk, null)).toBeNull();
  });

  it('a fee before the result: the granted result waits, cannot be handed over unpaid, then can', () => {
    seq = 0;
    const events = [
      event({ type: 'submitted', channel: 'online', receivingAgency: WARD }),
      event({ type: 'received', dueAt: '2026-12-01T10:00:00.000Z', workingDays: 3 }),
      event({ type: 'assigned', assigneeId: 's', assigneeName: 'S' }),
      event({ type: 'sent_for_approval' }),
      event({ type: 'approved', decision: 'granted', summary: 'Cấp' }),
      event({ type: 'payment_requested', stage: 'result', amount: 8000, lines }),
    ];
    const waiting = project(events);
    expect(waiting).toMatchObject({ status: 'WAITING_PAYMENT', stage: 'result', decision: 'granted' });
    expect(checkAction(waiting, 'returnResult', clerk, null)).toBe('DOSSIER_WRONG_STATE');
    const paid = project([...events, event({ type: 'payment_confirmed', paymentRef: 'EG2', amount: 8000 })]);
    expect(paid).toMatchObject({ status: 'DONE', stage: 'result', holderRole: 'counter_clerk' });
    expect(checkAction(paid, 'returnResult', clerk, null)).toBeNull();
  });

  it('an unpaid dossier cannot be withdrawn into another state by the applicant', () => {
    seq = 0;
    const waiting = project([event({ type: 'submitted', channel: 'online', receivingAgency: WARD }), event({ type: 'payment_requested', stage: 'submission', amount: 3000, lines })]);
    expect(checkAction(waiting, 'supplement', { kind: 'citizen', id: 'me' }, 'me')).toBe('DOSSIER_WRONG_STATE');
  });
});
