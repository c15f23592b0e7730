import type { DossierState, Role } from './lifecycle.ts';

/**
 * Who may do what to a dossier, in one place. Officers act only on dossiers their agency
 * holds (or, for reading, has held or received), in the role the dossier waits for;
 * citizens act only on their own dossiers. Returns the refusal code, or null when allowed.
 */
export type OfficerAction =
  | 'receive'
  | 'requestSupplement'
  | 'refuse'
  | 'assign'
  | 'transfer'
  | 'sendForApproval'
  | 'returnForRework'
  | 'approve'
  | 'returnResult'
  | 'issueApology'
  | 'stop';
export type CitizenAction = 'supplement' | 'withdraw';
export type Action = OfficerAction | CitizenAction;

export type DossierActor =
  | { kind: 'officer'; id: string; agencyCode: string | null; roles: readonly Role[] }
  | { kind: 'citizen'; id: string };

export type Refusal = 'DOSSIER_OUT_OF_SCOPE' | 'DOSSIER_WRONG_ROLE' | 'DOSSIER_NOT_ASSIGNED' | 'DOSSIER_WRONG_STATE' | 'SUPPLEMENT_ALREADY_REQUESTED';

const roleFor: Record<OfficerAction, Role[]> = {
  receive: ['counter_clerk'],
  requestSupplement: ['counter_clerk', 'specialist'],
  refuse: ['counter_clerk'],
  assign: ['leader', 'counter_clerk'],
  transfer: ['leader', 'specialist'],
  sendForApproval: ['specialist'],
  returnForRework: ['leader'],
  approve: ['leader'],
  returnResult: ['counter_clerk'],
  issueApology: ['specialist', 'leader'],
  stop: ['leader'],
};

/** How many supplement requests each stage allows (the "ask only once" rule, per stage). */
export interface PolicyOptions {
  supplementLimit: { intake: number; processing: number };
}
export const defaultPolicy: PolicyOptions = { supplementLimit: { intake: 1, processing: 1 } };

export function canRead(s: DossierState, actor: DossierActor, applicantAccountId: string | null): boolean {
  if (actor.kind === 'citizen') return applicantAccountId !== null && actor.id === applicantAccountId;
  return actor.agencyCode !== null && s.involvedAgencies.includes(actor.agencyCode);
}

export function checkAction(
  s: DossierState,
  action: Action,
  actor: DossierActor,
  applicantAccountId: string | null,
  opts: PolicyOptions = defaultPolicy,
): Refusal | null {
  if (actor.kind === 'citizen') {
    if (action !== 'supplement' && action !== 'withdraw') return 'DOSSIER_WRONG_ROLE';
    if (applicantAccountId === null || actor.id !== applicantAccountId) return 'DOSSIER_OUT_OF_SCOPE';
    if (action === 'supplement') return s.status === 'WAITING_SUPPLEMENT' ? null : 'DOSSIER_WRONG_STATE';
    // An applicant who has not paid the fee asked with the application may still give up;
    // once a decision waits for its fee, there is nothing left to withdraw.
    if (s.status === 'WAITING_PAYMENT') return s.paymentDue?.stage === 'submission' ? null : 'DOSSIER_WRONG_STATE';
    return ['NEW', 'RECEIVED', 'PROCESSING', 'WAITING_SUPPLEMENT'].includes(s.status) ? null : 'DOSSIER_WRONG_STATE';
  }
  if (action === 'supplement' || action === 'withdraw') return 'DOSSIER_WRONG_ROLE';
  if (actor.agencyCode === null || actor.agencyCode !== s.holderAgency) return 'DOSSIER_OUT_OF_SCOPE';
  if (!roleFor[action].some((r) => actor.roles.includes(r))) return 'DOSSIER_WRONG_ROLE';
  const isAssignee = s.assigneeId === actor.id;
  const is = (role: Role) => actor.roles.includes(role);
  switch (action) {
    case 'receive':
      return s.status === 'NEW' ? null : 'DOSSIER_WRONG_STATE';
    case 'refuse':
      // Refusal (form 03) happens at intake; a refusal after appraisal is an `approve` with decision 'denied'.
      return s.status === 'NEW' ? null : 'DOSSIER_WRONG_STATE';
    case 'requestSupplement': {
      if (s.status === 'NEW' && is('counter_clerk')) {
        return s.supplementRequests.intake >= opts.supplementLimit.intake ? 'SUPPLEMENT_ALREADY_REQUESTED' : null;
      }
      if (s.status === 'PROCESSING' && s.stage === 'processing') {
        if (!isAssignee) return 'DOSSIER_NOT_ASSIGNED';
        return s.supplementRequests.processing >= opts.supplementLimit.processing ? 'SUPPLEMENT_ALREADY_REQUESTED' : null;
      }
      return 'DOSSIER_WRONG_STATE';
    }
    case 'assign':
      return (s.status === 'RECEIVED' || (s.status === 'PROCESSING' && s.stage === 'processing')) ? null : 'DOSSIER_WRONG_STATE';
    case 'transfer':
      if (!(s.status === 'RECEIVED' || (s.status === 'PROCESSING' && s.stage === 'processing'))) return 'DOSSIER_WRONG_STATE';
      return is('leader') || isAssignee ? null : 'DOSSIER_NOT_ASSIGNED';
    case 'sendForApproval':
      if (!(s.status === 'PROCESSING' && s.stage === 'processing')) return 'DOSSIER_WRONG_STATE';
      return isAssignee ? null : 'DOSSIER_NOT_ASSIGNED';
    case 'returnForRework':
    case 'approve':
      return s.status === 'PROCESSING' && s.stage === 'approval' ? null : 'DOSSIER_WRONG_STATE';
    case 'returnResult':
      return s.status === 'DONE' ? null : 'DOSSIER_WRONG_STATE';
    case 'issueApology':
      if (!['RECEIVED', 'PROCESSING'].includes(s.status)) return 'DOSSIER_WRONG_STATE';
      return is('leader') || isAssignee ? null : 'DOSSIER_NOT_ASSIGNED';
    case 'stop':
      return ['RECEIVED', 'PROCESSING'].includes(s.status) ? null : 'DOSSIER_WRONG_STATE';
  }
}

/** The actions an actor may take now: what the dossier page offers as buttons. */
export function availableActions(s: DossierState, actor: DossierActor, applicantAccountId: string | null, opts = defaultPolicy): Action[] {
  const all: Action[] = [...(Object.keys(roleFor) as OfficerAction[]), 'supplement', 'withdraw'];
  return all.filter((a) => checkAction(s, a, actor, applicantAccountId, opts) === null);
}
