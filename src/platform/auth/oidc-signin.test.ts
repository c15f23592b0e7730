import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testActor, testPlatform } from '../../../test/helpers/platform.ts';
import { AuthService } from './service.ts';

/** The account side of a VNeID sign-in (AuthService.signInVerified) on a real database. */
let t: TestDatabase;
let auth: AuthService;

beforeAll(async () => {
  t = await createTestDatabase();
  auth = new AuthService(testPlatform(t));
});
afterAll(() => t?.dispose());

const binh = { personalId: '001301004567', fullName: 'Trần Thị Bình', birthDate: '2001-03-08', gender: 'female' as const };
const accounts = (personalId: string) => t.handle.db.selectFrom('accounts').selectAll().where('personal_id', '=', personalId).execute();

describe('signInVerified', () => {
  it('creates one account when the same person’s first sign-in arrives twice at once', async () => {
    const results = await Promise.all([auth.signInVerified(binh, testActor), auth.signInVerified(binh, testActor)]);
    const rows = await accounts(binh.personalId);
    expect(rows).toHaveLength(1);
    expect(results.map((r) => r.ok && r.value.created).sort()).toEqual([false, true]);
    for (const r of results) expect(r.ok && r.value.account).toMatchObject({ id: rows[0]?.id, verifiedPersonalId: binh.personalId });
  });

  it('proves a declared ID of a registered account and takes the provider’s facts', async () => {
    const registered = await auth.registerCitizen(
      { fullName: 'Le Minh Cuong', personalId: '079085001234', birthDate: '1985-01-01', gender: 'male', phone: '0911111111', password: 'Cuong@2026pass', passwordConfirm: 'Cuong@2026pass' },
      testActor,
    );
    expect(registered.ok && registered.value.identityVerifiedAt).toBeNull();
    const declaredOnly = await auth.startSession(registered.ok ? registered.value.id : '', testActor);
    const result = await auth.signInVerified({ personalId: '079085001234', fullName: 'Lê Minh Cường', birthDate: '1985-11-20', gender: 'male' }, testActor);
    expect(result.ok && result.value.created).toBe(false);
    expect(await accounts('079085001234')).toMatchObject([
      { id: registered.ok ? registered.value.id : '', phone: '0911111111', full_name: 'Lê Minh Cường', birth_date: '1985-11-20', identity_source: 'vneid' },
    ]);
    // The session opened on the declared ID ends; the new one carries the proven ID.
    expect(await auth.sessionAccount(declaredOnly.token)).toBeNull();
    expect(result.ok && (await auth.sessionAccount(result.value.token))?.verifiedPersonalId).toBe('079085001234');
    // Whoever typed the ID at registration knew that password: it no longer opens the account.
    const withPassword = await auth.login({ login: '0911111111', password: 'Cuong@2026pass' }, testActor);
    expect(withPassword.ok).toBe(false);
  });

  it('refuses a disabled account: no session, the refusal audited', async () => {
    const [row] = await accounts(binh.personalId);
    await t.handle.db.updateTable('accounts').set({ status: 'disabled' }).where('id', '=', row?.id ?? '').execute();
    const sessionsBefore = await t.handle.db.selectFrom('sessions').select('id_hash').where('account_id', '=', row?.id ?? '').execute();
    expect(await auth.signInVerified(binh, testActor)).toEqual({ ok: false, error: 'disabled' });
    expect(await t.handle.db.selectFrom('sessions').select('id_hash').where('account_id', '=', row?.id ?? '').execute()).toEqual(sessionsBefore);
    const last = await t.handle.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'auth.login', outcome: 'denied', target_id: row?.id });
  });
});
