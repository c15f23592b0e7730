import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { can, canAssignRole, canManageOfficer, type Permission, type Role, roles, type SessionAccount } from './policy.ts';

/** The rules as the issue states them, written out independently of policy.ts. */
const expected: Record<Role, Partial<Record<Permission, 'agency' | 'any'>>> = {
  counter_clerk: { 'backoffice.enter': 'agency', 'registry.lookup': 'agency' },
  specialist: { 'backoffice.enter': 'agency', 'registry.lookup': 'agency' },
  leader: { 'backoffice.enter': 'agency', 'audit.read': 'agency', 'registry.lookup': 'agency' },
  agency_admin: { 'backoffice.enter': 'agency', 'officers.manage': 'agency', 'audit.read': 'agency', 'registry.lookup': 'agency' },
  finance: { 'backoffice.enter': 'agency', 'payments.reconcile': 'agency', 'payments.refund': 'agency' },
  city_admin: { 'backoffice.enter': 'any', 'catalog.manage': 'any', 'officers.manage': 'any', 'audit.read': 'any', 'registry.lookup': 'any', 'payments.reconcile': 'any', 'payments.refund': 'any' },
};
const permissions: Permission[] = ['backoffice.enter', 'catalog.manage', 'officers.manage', 'audit.read', 'registry.lookup', 'payments.reconcile', 'payments.refund'];
const agencies = ['000.00.00.H26', '000.00.06.H26', '000.01.01.H26', '000.00.06.H41'];

const account = fc.record({
  id: fc.uuid(),
  kind: fc.constantFrom('citizen' as const, 'officer' as const),
  label: fc.string(),
  agencyCode: fc.option(fc.constantFrom(...agencies)),
  roles: fc.uniqueArray(fc.constantFrom(...roles)),
}) satisfies fc.Arbitrary<SessionAccount>;
const permission = fc.constantFrom(...permissions);
const target = fc.option(fc.constantFrom(...agencies), { nil: undefined });

describe('can', () => {
  it('is true exactly when some role grants the permission city-wide, or in the target agency', () => {
    fc.assert(
      fc.property(account, permission, target, (a, p, t) => {
        const granted =
          a.kind === 'officer' &&
          a.roles.some((r) => expected[r][p] === 'any' || (expected[r][p] === 'agency' && (t == null || t === a.agencyCode)));
        expect(can(a, p, t)).toBe(granted);
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets a citizen or nobody in', () => {
    fc.assert(
      fc.property(account, permission, target, (a, p, t) => {
        expect(can({ ...a, kind: 'citizen' }, p, t)).toBe(false);
        expect(can(null, p, t)).toBe(false);
      }),
    );
  });
});

describe('canAssignRole', () => {
  it('never makes anyone stronger than the officer who grants the role', () => {
    fc.assert(
      fc.property(account, fc.constantFrom(...roles), fc.constantFrom(...agencies), permission, target, (a, role, agency, p, t) => {
        fc.pre(canAssignRole(a, role, agency));
        const created: SessionAccount = { id: 'new', kind: 'officer', label: 'new', agencyCode: agency, roles: [role] };
        if (can(created, p, t)) expect(can(a, p, t)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('lets a city admin grant anything anywhere, and an agency admin only lesser roles at home', () => {
    const city: SessionAccount = { id: 'c', kind: 'officer', label: 'c', agencyCode: agencies[0] ?? null, roles: ['city_admin'] };
    const agencyAdmin: SessionAccount = { id: 'a', kind: 'officer', label: 'a', agencyCode: '000.00.06.H26', roles: ['agency_admin'] };
    for (const role of roles) expect(canAssignRole(city, role, '000.00.06.H41')).toBe(true);
    expect(roles.filter((r) => canAssignRole(agencyAdmin, r, '000.00.06.H26'))).toEqual(['counter_clerk', 'specialist', 'leader', 'agency_admin']);
    expect(roles.filter((r) => canAssignRole(agencyAdmin, r, '000.01.01.H26'))).toEqual([]);
    expect(canManageOfficer(agencyAdmin, { agencyCode: '000.00.06.H26', roles: ['specialist'] })).toBe(true);
    expect(canManageOfficer(agencyAdmin, { agencyCode: '000.00.06.H26', roles: ['city_admin'] })).toBe(false);
  });
});
