import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DossierEvent, type EventData, project, type Role } from './lifecycle.ts';
import { type Action, availableActions, canRead, checkAction, type DossierActor } from './policy.ts';

const agencies = ['000.01.01.H26', '000.00.07.H26', '000.00.06.H26', '000.00.00.H26'];
const allRoles: Role[] = ['counter_clerk', 'specialist', 'leader', 'agency_admin', 'city_admin'];
const actions: Action[] = ['receive', 'requestSupplement', 'refuse', 'assign', 'transfer', 'sendForApproval', 'returnForRework', 'approve', 'returnResult', 'issueApology', 'stop', 'supplement', 'withdraw'];
const APPLICANT = 'citizen-1';

const officer = fc.record({
  kind: fc.constant('officer' as const),
  id: fc.constantFrom('o1', 'o2', 'o3'),
  agencyCode: fc.option(fc.constantFrom(...agencies), { nil: null }),
  roles: fc.uniqueArray(fc.constantFrom(...allRoles), { maxLength: 3 }),
});
const citizen = fc.record({ kind: fc.constant('citizen' as const), id: fc.constantFrom(APPLICANT, 'citizen-2') });
const actor: fc.Arbitrary<DossierActor> = fc.oneof(officer, citizen);

/** The event an allowed action appends, so random walks only visit reachable states. */
function eventFor(action: Action, a: DossierActor, pick: number): EventData | null {
  switch (action) {
    case 'receive':
      return { type: 'received', dueAt: '2026-12-01T10:00:00.000Z', workingDays: 5 };
    case 'requestSupplement':
      return { type: 'supplement_requested', stage: pick % 2 ? 'processing' : 'intake', items: [{ name: 'Tờ khai', reason: 'thiếu chữ ký' }] };
    case 'supplement':
      return { type: 'supplemented', dueAt: null };
    case 'refuse':
      return { type: 'refused' };
    case 'assign':
      return { type: 'assigned', assigneeId: ['o1', 'o2', 'o3'][pick % 3] ?? 'o1', assigneeName: 'Chuyên viên' };
    case 'transfer':
      return { type: 'transferred', toAgency: agencies[pick % agencies.length] ?? agencies[0] ?? '', toAgencyName: 'Cơ quan' };
    case 'sendForApproval':
      return { type: 'sent_for_approval' };
    case 'returnForRework':
      return { type: 'returned_for_rework' };
    case 'approve':
      return { type: 'approved', decision: pick % 2 ? 'granted' : 'denied', summary: 'Kết quả' };
    case 'returnResult':
      return { type: 'result_returned', method: 'counter' };
    case 'issueApology':
      return { type: 'apology_issued', newDueAt: '2026-12-10T10:00:00.000Z' };
    case 'stop':
      return { type: 'stopped' };
    case 'withdraw':
      return a.kind === 'citizen' ? { type: 'withdrawn' } : null;
  }
}

/** A reachable dossier: a random walk of allowed actions from submission. */
const reachable = fc
  .array(fc.tuple(actor, fc.constantFrom(...actions), fc.nat(10)), { maxLength: 25 })
  .map((steps) => {
    const events: DossierEvent[] = [
      { seq: 1, at: '2026-11-27T01:00:00.000Z', actorId: APPLICANT, actorLabel: null, actorAgency: null, reason: null, data: { type: 'submitted', channel: 'online', receivingAgency: agencies[0] ?? '' } },
    ];
    for (const [a, action, pick] of steps) {
      const state = project(events);
      if (checkAction(state, action, a, APPLICANT) !== null) continue;
      const data = eventFor(action, a, pick);
      if (data) events.push({ seq: events.length + 1, at: `2026-11-27T02:${String(events.length).padStart(2, '0')}:00.000Z`, actorId: a.id, actorLabel: null, actorAgency: null, reason: null, data });
    }
    return project(events);
  });

describe('dossier authorization (actions × agencies × roles)', () => {
  it('an officer acts only on a dossier their agency holds, in a role the action needs', () => {
    fc.assert(
      fc.property(reachable, officer, fc.constantFrom(...actions), (state, o, action) => {
        const refusal = checkAction(state, action, o, APPLICANT);
        if (o.agencyCode !== state.holderAgency) expect(refusal).not.toBeNull();
        if (refusal === null) {
          expect(o.agencyCode).toBe(state.holderAgency);
          expect(action === 'supplement' || action === 'withdraw').toBe(false);
          expect(o.roles.some((r) => r !== 'agency_admin' && r !== 'city_admin')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a citizen may only supplement or withdraw, and only their own dossier', () => {
    fc.assert(
      fc.property(reachable, citizen, fc.constantFrom(...actions), (state, c, action) => {
        const refusal = checkAction(state, action, c, APPLICANT);
        if (refusal === null) {
          expect(c.id).toBe(APPLICANT);
          expect(['supplement', 'withdraw']).toContain(action);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('nobody can read a dossier outside the agencies that received or held it, except its applicant', () => {
    fc.assert(
      fc.property(reachable, actor, (state, a) => {
        const readable = canRead(state, a, APPLICANT);
        if (a.kind === 'citizen') expect(readable).toBe(a.id === APPLICANT);
        else expect(readable).toBe(a.agencyCode !== null && state.involvedAgencies.includes(a.agencyCode));
      }),
      { numRuns: 2000 },
    );
  });

  it('closed dossiers accept no action, and a second intake supplement request is refused', () => {
    fc.assert(
      fc.property(reachable, actor, (state, a) => {
        if (state.stage === 'closed') expect(availableActions(state, a, APPLICANT)).toEqual([]);
        if (state.supplementRequests.intake >= 1 && state.status === 'NEW' && a.kind === 'officer' && a.agencyCode === state.holderAgency && a.roles.includes('counter_clerk')) {
          expect(checkAction(state, 'requestSupplement', a, APPLICANT)).toBe('SUPPLEMENT_ALREADY_REQUESTED');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('approve before processing is an action out of order', () => {
    const state = project([
      { seq: 1, at: '2026-11-27T01:00:00.000Z', actorId: APPLICANT, actorLabel: null, actorAgency: null, reason: null, data: { type: 'submitted', channel: 'online', receivingAgency: '000.01.01.H26' } },
      { seq: 2, at: '2026-11-27T01:10:00.000Z', actorId: 'o1', actorLabel: null, actorAgency: '000.01.01.H26', reason: null, data: { type: 'received', dueAt: '2026-12-01T10:00:00.000Z', workingDays: 3 } },
    ]);
    const leader: DossierActor = { kind: 'officer', id: 'o9', agencyCode: '000.01.01.H26', roles: ['leader'] };
    expect(checkAction(state, 'approve', leader, APPLICANT)).toBe('DOSSIER_WRONG_STATE');
    expect(checkAction(state, 'sendForApproval', { ...leader, roles: ['specialist'] }, APPLICANT)).toBe('DOSSIER_WRONG_STATE');
  });
});
