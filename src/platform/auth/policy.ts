import { AppError } from '../http/errors.ts';

/**
 * Authorization as data: which role may do what, and within which agency. Every officer
 * action goes through `authorize`, so the rule is written once for pages and API alike.
 */
export const roles = ['counter_clerk', 'specialist', 'leader', 'agency_admin', 'city_admin', 'finance'] as const;
export type Role = (typeof roles)[number];

export interface SessionAccount {
  id: string;
  kind: 'citizen' | 'officer';
  label: string;
  agencyCode: string | null;
  roles: Role[];
  /** The citizen's personal ID, when it is proven (VNeID login or checked at a counter); else null. */
  verifiedPersonalId?: string | null;
}

export type Permission =
  | 'backoffice.enter'
  | 'catalog.manage'
  | 'calendar.manage'
  | 'officers.manage'
  | 'audit.read'
  /** Finance staff: the daily payment reconciliation, and refunds through the gateway. */
  | 'payments.reconcile'
  | 'payments.refund'
  /** Reading the population registry for a dossier the officer's agency holds (never browsing). */
  | 'registry.lookup'
  /** Revoking a signed result issued by the officer's agency. */
  | 'results.revoke';

/** Scope `agency`: the permission holds only inside the officer's own agency. `any`: city-wide. */
const grants: Record<Role, Partial<Record<Permission, 'agency' | 'any'>>> = {
  counter_clerk: { 'backoffice.enter': 'agency', 'registry.lookup': 'agency' },
  specialist: { 'backoffice.enter': 'agency', 'registry.lookup': 'agency' },
  leader: { 'backoffice.enter': 'agency', 'audit.read': 'agency', 'registry.lookup': 'agency', 'results.revoke': 'agency' },
  // Admins hold it too (an admin may not grant what they lack); a lookup still needs a dossier
  // held by the officer's own agency, which the registry routes check.
  agency_admin: { 'backoffice.enter': 'agency', 'officers.manage': 'agency', 'audit.read': 'agency', 'registry.lookup': 'agency', 'results.revoke': 'agency' },
  finance: { 'backoffice.enter': 'agency', 'payments.reconcile': 'agency', 'payments.refund': 'agency' },
  city_admin: { 'backoffice.enter': 'any', 'catalog.manage': 'any', 'calendar.manage': 'any', 'officers.manage': 'any', 'audit.read': 'any', 'registry.lookup': 'any', 'results.revoke': 'any', 'payments.reconcile': 'any', 'payments.refund': 'any' },
};

/** True when the account may use `permission` on something owned by `targetAgency` (if any). */
export function can(account: SessionAccount | null, permission: Permission, targetAgency?: string | null): boolean {
  if (account?.kind !== 'officer') return false;
  for (const role of account.roles) {
    const scope = grants[role]?.[permission];
    if (scope === 'any') return true;
    if (scope === 'agency' && (targetAgency == null || targetAgency === account.agencyCode)) return true;
  }
  return false;
}

/** True when some role of the account grants `permission` city-wide. */
export function hasCityScope(account: SessionAccount | null, permission: Permission): boolean {
  return account?.kind === 'officer' && account.roles.some((role) => grants[role]?.[permission] === 'any');
}

/**
 * An officer may hand out a role in `agencyCode` only if they manage officers there and already
 * hold everything the role grants, at least as widely: no one can make someone stronger than
 * themselves (an agency admin cannot create a city admin).
 */
export function canAssignRole(account: SessionAccount | null, role: Role, agencyCode: string): boolean {
  if (!can(account, 'officers.manage', agencyCode)) return false;
  return Object.entries(grants[role]).every(([permission, scope]) =>
    scope === 'any' ? hasCityScope(account, permission as Permission) : can(account, permission as Permission, agencyCode),
  );
}

/** Managing an existing officer (enable, disable) needs the right to grant each of their roles. */
export function canManageOfficer(account: SessionAccount | null, officer: { agencyCode: string | null; roles: readonly Role[] }): boolean {
  if (!officer.agencyCode) return false;
  const agency = officer.agencyCode;
  return can(account, 'officers.manage', agency) && officer.roles.every((role) => canAssignRole(account, role, agency));
}

export function isRole(value: unknown): value is Role {
  return (roles as readonly unknown[]).includes(value);
}

export class PermissionDenied extends AppError {
  constructor(readonly permission: Permission) {
    super(403, 'FORBIDDEN', 'http.forbidden');
  }
}

export class NotAuthenticated extends AppError {
  constructor() {
    super(401, 'UNAUTHENTICATED', 'http.unauthenticated');
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account, or null; set by the auth plugin from the session cookie. */
    account: SessionAccount | null;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Throws 401/403 unless the signed-in account holds `permission` for `targetAgency`;
     * a refusal is written to the audit log. Set by the auth plugin.
     */
    authorize(permission: Permission, targetAgency?: string | null): Promise<SessionAccount>;
  }
}
