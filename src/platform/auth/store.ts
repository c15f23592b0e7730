import { sql } from 'kysely';
import type { Database, Db } from '../db/index.ts';
import { isRole, type Role, type SessionAccount } from './policy.ts';

/** Queries on accounts, account_roles and sessions, and nothing else. `db` may be a transaction. */

export type AccountRow = Database['accounts'];
/** A new account; its identity is only declared unless the caller says how it was proven. */
export type NewAccount = Omit<AccountRow, 'failed_logins' | 'locked_until' | 'status' | 'identity_verified_at' | 'identity_source'> &
  Partial<Pick<AccountRow, 'identity_verified_at' | 'identity_source'>>;

export async function findAccountByLogin(db: Db, login: { phone?: string; email?: string }): Promise<AccountRow | undefined> {
  const q = db.selectFrom('accounts').selectAll();
  if (login.email) return q.where('email', '=', login.email).executeTakeFirst();
  if (login.phone) return q.where('phone', '=', login.phone).executeTakeFirst();
  return undefined;
}

export async function findAccountByPersonalId(db: Db, personalId: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('personal_id', '=', personalId).executeTakeFirst();
}

/** Records that the personal ID was proven, with the facts the proof came with. */
export async function markIdentityVerified(
  db: Db,
  id: string,
  proof: Pick<AccountRow, 'full_name' | 'birth_date' | 'gender' | 'identity_source'> & { at: string },
): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ full_name: proof.full_name, birth_date: proof.birth_date, gender: proof.gender, identity_source: proof.identity_source, identity_verified_at: proof.at, updated_at: proof.at })
    .where('id', '=', id)
    .execute();
}

export async function setPasswordHash(db: Db, id: string, passwordHash: string, at: string): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: passwordHash, updated_at: at }).where('id', '=', id).execute();
}

export async function findAccount(db: Db, id: string): Promise<(AccountRow & { roles: Role[] }) | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { ...row, roles: await rolesOf(db, id) };
}

async function rolesOf(db: Db, accountId: string): Promise<Role[]> {
  const rows = await db.selectFrom('account_roles').select('role').where('account_id', '=', accountId).orderBy('role').execute();
  return rows.map((r) => r.role).filter(isRole);
}

/** Which of these unique values already belong to an account. */
export async function takenFields(db: Db, values: { phone?: string | null; email?: string | null; personalId?: string | null }) {
  const taken = { phone: false, email: false, personalId: false };
  const { phone, email, personalId } = values;
  if (!phone && !email && !personalId) return taken;
  const rows = await db
    .selectFrom('accounts')
    .select(['phone', 'email', 'personal_id'])
    .where((eb) =>
      eb.or([
        ...(phone ? [eb('phone', '=', phone)] : []),
        ...(email ? [eb('email', '=', email)] : []),
        ...(personalId ? [eb('personal_id', '=', personalId)] : []),
      ]),
    )
    .execute();
  for (const r of rows) {
    if (phone && r.phone === phone) taken.phone = true;
    if (email && r.email === email) taken.email = true;
    if (personalId && r.personal_id === personalId) taken.personalId = true;
  }
  return taken;
}

export async function insertAccount(db: Db, account: NewAccount, roles: readonly Role[] = []): Promise<void> {
  await db.insertInto('accounts').values({ identity_verified_at: null, identity_source: null, ...account, status: 'active', failed_logins: 0, locked_until: null }).execute();
  if (roles.length) await db.insertInto('account_roles').values(roles.map((role) => ({ account_id: account.id, role }))).execute();
}

/**
 * Counts one failed sign-in in a single statement (safe with several app instances); the
 * failure that reaches `maxFailures` sets `locked_until` and starts the count again.
 */
export async function recordLoginFailure(db: Db, id: string, maxFailures: number, lockUntil: string, now: string) {
  return db
    .updateTable('accounts')
    .set({
      failed_logins: sql<number>`case when failed_logins + 1 >= ${maxFailures} then 0 else failed_logins + 1 end`,
      locked_until: sql<string | null>`case when failed_logins + 1 >= ${maxFailures} then ${lockUntil} else locked_until end`,
      updated_at: now,
    })
    .where('id', '=', id)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirstOrThrow();
}

export async function resetLoginFailures(db: Db, id: string, now: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ failed_logins: 0, locked_until: null, updated_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('failed_logins', '>', 0), eb('locked_until', 'is not', null)]))
    .execute();
}

export async function setStatus(db: Db, id: string, status: AccountRow['status'], now: string): Promise<void> {
  await db.updateTable('accounts').set({ status, updated_at: now }).where('id', '=', id).execute();
}

export interface OfficerRow {
  id: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  agencyCode: string | null;
  status: AccountRow['status'];
  roles: Role[];
}

export async function listOfficers(db: Db, opts: { agencyCode?: string; limit: number; offset: number }) {
  let q = db.selectFrom('accounts').where('kind', '=', 'officer');
  if (opts.agencyCode) q = q.where('agency_code', '=', opts.agencyCode);
  const [{ total } = { total: 0 }] = await q.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await q
    .select(['id', 'full_name', 'email', 'phone', 'agency_code', 'status'])
    .orderBy('agency_code')
    .orderBy('full_name')
    .orderBy('id')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  const roleRows = rows.length
    ? await db.selectFrom('account_roles').select(['account_id', 'role']).where('account_id', 'in', rows.map((r) => r.id)).orderBy('role').execute()
    : [];
  const items: OfficerRow[] = rows.map((r) => ({
    id: r.id,
    fullName: r.full_name,
    email: r.email,
    phone: r.phone,
    agencyCode: r.agency_code,
    status: r.status,
    roles: roleRows.filter((x) => x.account_id === r.id).map((x) => x.role).filter(isRole),
  }));
  return { items, total: Number(total) };
}

export async function insertSession(db: Db, s: Database['sessions']): Promise<void> {
  await db.insertInto('sessions').values(s).execute();
}

/** The signed-in account for a session: one query, one row per role; expired sessions and disabled accounts give null. */
export async function sessionAccount(db: Db, idHash: string, now: string): Promise<SessionAccount | null> {
  const rows = await db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.id', 's.account_id')
    .leftJoin('account_roles as r', 'r.account_id', 'a.id')
    .select(['a.id', 'a.kind', 'a.full_name', 'a.agency_code', 'a.personal_id', 'a.identity_verified_at', 'r.role'])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', now)
    .where('a.status', '=', 'active')
    .execute();
  const first = rows[0];
  if (!first) return null;
  const roles = rows.map((r) => r.role).filter(isRole).sort();
  return {
    id: first.id,
    kind: first.kind,
    label: first.full_name,
    agencyCode: first.agency_code,
    roles,
    verifiedPersonalId: first.identity_verified_at ? first.personal_id : null,
  };
}

export async function deleteSession(db: Db, idHash: string): Promise<string | undefined> {
  const row = await db.deleteFrom('sessions').where('id_hash', '=', idHash).returning('account_id').executeTakeFirst();
  return row?.account_id;
}

export async function deleteSessionsOf(db: Db, accountId: string, opts: { expiredBefore?: string } = {}): Promise<number> {
  let q = db.deleteFrom('sessions').where('account_id', '=', accountId);
  if (opts.expiredBefore) q = q.where('expires_at', '<=', opts.expiredBefore);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countSessions(db: Db, accountId: string, now: string): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A unique constraint refused the write (a concurrent request took the same phone, email or ID). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
