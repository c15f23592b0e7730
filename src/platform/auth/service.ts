import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Actor } from '../audit/index.ts';
import type { Database, Db } from '../db/index.ts';
import type { FieldIssue } from '../http/errors.ts';
import { fromZodIssues } from '../http/errors.ts';
import type { Platform } from '../index.ts';
import type { VerifiedIdentity } from './oidc-claims.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';
import { canAssignRole, canManageOfficer, hasCityScope, type Role, type SessionAccount } from './policy.ts';
import { type LoginInput, loginSchema, type OfficerInput, officerSchema, parseLogin, type RegisterInput, registerSchema, type Untrusted } from './schemas.ts';
import * as store from './store.ts';

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
const ok = <T>(value: T) => ({ ok: true as const, value });
const fail = <E>(error: E) => ({ ok: false as const, error });

export interface NewSession {
  token: string;
  expiresAt: Date;
  account: SessionAccount;
}

export type LoginError =
  | { reason: 'invalid'; issues: FieldIssue[] }
  | { reason: 'locked'; until: string }
  | { reason: 'disabled' };

export interface AccountView {
  id: string;
  kind: 'citizen' | 'officer';
  fullName: string;
  phone: string | null;
  email: string | null;
  personalId: string | null;
  /** When and how the personal ID was proven; null while it is only declared. */
  identityVerifiedAt: string | null;
  identitySource: 'vneid' | 'counter' | null;
  birthDate: string | null;
  gender: 'male' | 'female' | null;
  agencyCode: string | null;
  status: 'active' | 'disabled';
  roles: Role[];
}

export interface DemoAccount {
  role: Role | 'citizen';
  login: string;
  password: string;
  fullName: string;
  /** Level 4–2 of the agency code; the city code from config completes it. */
  agencyLevels?: string;
}

/**
 * The demo accounts loaded with the demo data (documented in the README). The city admin's
 * password is EGOV_ADMIN_PASSWORD when set.
 */
export const demoAccounts: readonly DemoAccount[] = [
  { role: 'city_admin', login: 'admin@hanoi.gov.vn', password: 'Admin@2026demo', fullName: 'Nguyễn Quốc Khánh', agencyLevels: '000.00.00' },
  { role: 'agency_admin', login: 'quantri.stp@hanoi.gov.vn', password: 'Demo@2026pass', fullName: 'Trần Thị Mai', agencyLevels: '000.00.02' },
  { role: 'leader', login: 'lanhdao.stp@hanoi.gov.vn', password: 'Demo@2026pass', fullName: 'Lê Văn Hùng', agencyLevels: '000.00.02' },
  { role: 'specialist', login: 'chuyenvien.stp@hanoi.gov.vn', password: 'Demo@2026pass', fullName: 'Phạm Thu Hà', agencyLevels: '000.00.02' },
  { role: 'counter_clerk', login: 'motcua.badinh@hanoi.gov.vn', password: 'Demo@2026pass', fullName: 'Hoàng Minh Tuấn', agencyLevels: '000.00.61' },
  { role: 'leader', login: 'lanhdao.badinh@hanoi.gov.vn', password: 'Demo@2026pass', fullName: 'Đỗ Thị Lan', agencyLevels: '000.00.61' },
  { role: 'specialist', login: 'chuyenvien.badinh@hanoi.gov.vn', password: 'Demo@2026pass', fullName: 'Vũ Văn Chung', agencyLevels: '000.00.61' },
  { role: 'finance', login: 'ketoan.badinh@hanoi.gov.vn', password: 'Demo@2026pass', fullName: 'Trịnh Thu Ngân', agencyLevels: '000.00.61' },
  { role: 'citizen', login: '0912345678', password: 'Demo@2026pass', fullName: 'Nguyễn Văn An' },
];
const demoCitizen = { email: 'citizen@example.vn', personalId: '001090012345', birthDate: '1990-05-15', gender: 'male' } as const;

/** The password of accounts created by a VNeID sign-in: no password ever matches it. */
const NO_PASSWORD = 'none$';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Accounts, sign-in and sessions. Every state lives in the database, none in the process. */
export class AuthService {
  constructor(private readonly platform: Platform) {}

  private get db() {
    return this.platform.db;
  }

  async registerCitizen(input: Untrusted<RegisterInput>, actor: Actor): Promise<Result<AccountView, FieldIssue[]>> {
    const parsed = registerSchema.safeParse(input);
    if (!parsed.success) return fail(fromZodIssues(parsed.error.issues));
    const v = parsed.data;
    const now = new Date().toISOString();
    const account: store.NewAccount = {
      id: randomUUID(),
      kind: 'citizen',
      phone: v.phone ?? null,
      email: v.email ?? null,
      full_name: v.fullName,
      personal_id: v.personalId,
      birth_date: v.birthDate,
      gender: v.gender,
      password_hash: await hashPassword(v.password),
      agency_code: null,
      created_at: now,
      updated_at: now,
    };
    return this.insertUnique(account, [], (trx, view) =>
      this.platform.audit.record(
        { ...auditActor({ ...actor, id: view.id, label: view.fullName }), action: 'auth.register', targetType: 'account', targetId: view.id, after: auditView(view) },
        trx,
      ),
    );
  }

  async login(input: Untrusted<LoginInput>, actor: Actor): Promise<Result<NewSession, LoginError>> {
    const parsed = loginSchema.safeParse(input);
    if (!parsed.success) return fail({ reason: 'invalid' as const, issues: fromZodIssues(parsed.error.issues) });
    const { login, password } = parsed.data;
    const invalid = fail({ reason: 'invalid' as const, issues: [] });
    const account = await store.findAccountByLogin(this.db, parseLogin(login));
    const now = new Date();
    const audit = (outcome: 'ok' | 'failed' | 'denied', after: Record<string, unknown>, trx?: Transaction<Database>) =>
      this.platform.audit.record(
        {
          ...auditActor(outcome === 'ok' && account ? { ...actor, id: account.id, label: account.full_name } : actor),
          action: 'auth.login',
          targetType: 'account',
          targetId: account?.id ?? null,
          outcome,
          // The typed login is kept only as a hash: people sometimes type their password there.
          after: account ? after : { ...after, loginSha256: sha256(login.trim().toLowerCase()).slice(0, 16) },
        },
        trx,
      );

    if (!account) {
      await verifyPassword(password, DUMMY_HASH);
      await audit('failed', { reason: 'unknown' });
      return invalid;
    }
    if (account.locked_until && account.locked_until > now.toISOString()) {
      await audit('denied', { reason: 'locked', lockedUntil: account.locked_until });
      return fail({ reason: 'locked' as const, until: account.locked_until });
    }
    if (!(await verifyPassword(password, account.password_hash))) {
      const lockUntil = new Date(now.getTime() + this.platform.config.login.lockMinutes * 60_000).toISOString();
      const locked = await this.db.transaction().execute(async (trx) => {
        const row = await store.recordLoginFailure(trx, account.id, this.platform.config.login.maxFailures, lockUntil, now.toISOString());
        const nowLocked = row.locked_until === lockUntil;
        await audit('failed', nowLocked ? { reason: 'password', lockedUntil: lockUntil } : { reason: 'password', failures: row.failed_logins }, trx);
        return nowLocked;
      });
      return locked ? fail({ reason: 'locked' as const, until: lockUntil }) : invalid;
    }
    if (account.status !== 'active') {
      await audit('denied', { reason: 'disabled' });
      return fail({ reason: 'disabled' as const });
    }
    return ok(
      await this.db.transaction().execute(async (trx) => {
        await store.resetLoginFailures(trx, account.id, now.toISOString());
        const session = await this.openSession(trx, account.id, actor.ip, now);
        await audit('ok', { kind: account.kind }, trx);
        return session;
      }),
    );
  }

  /** A fresh random session id on every sign-in (no fixation); the database keeps only its hash. */
  private async openSession(db: Db, accountId: string, ip: string | null, now = new Date()): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.platform.config.sessionHours * 3_600_000);
    await store.deleteSessionsOf(db, accountId, { expiredBefore: now.toISOString() });
    await store.insertSession(db, { id_hash: sha256(token), account_id: accountId, created_at: now.toISOString(), expires_at: expiresAt.toISOString(), ip });
    const account = await store.sessionAccount(db, sha256(token), now.toISOString());
    if (!account) throw new Error('session not readable after insert');
    return { token, expiresAt, account };
  }

  /** Signs in right after registration. */
  async startSession(accountId: string, actor: Actor): Promise<NewSession> {
    return this.db.transaction().execute((trx) => this.openSession(trx, accountId, actor.ip));
  }

  /**
   * Signs in a citizen whose personal ID the identity provider has proven: the account holding
   * that ID, or a new one without a usable password. The proof and the facts it carries (name,
   * birth date, gender) replace what was only declared. Account, session and audit entries are
   * written in one transaction; a disabled account is refused.
   */
  async signInVerified(identity: VerifiedIdentity, actor: Actor): Promise<Result<NewSession & { created: boolean }, 'disabled'>> {
    try {
      return await this.signInVerifiedOnce(identity, actor);
    } catch (err) {
      // The same person's first sign-in twice at once: the second finds the first one's account.
      if (!store.isUniqueViolation(err)) throw err;
      return this.signInVerifiedOnce(identity, actor);
    }
  }

  private signInVerifiedOnce(identity: VerifiedIdentity, actor: Actor): Promise<Result<NewSession & { created: boolean }, 'disabled'>> {
    const now = new Date();
    const at = now.toISOString();
    const proof = { full_name: identity.fullName, birth_date: identity.birthDate, gender: identity.gender, identity_source: 'vneid' as const };
    return this.db.transaction().execute(async (trx) => {
      const existing = await store.findAccountByPersonalId(trx, identity.personalId);
      const audit = (accountId: string, label: string, outcome: 'ok' | 'denied', after: Record<string, unknown>) =>
        this.platform.audit.record(
          { ...auditActor(outcome === 'ok' ? { ...actor, id: accountId, label } : actor), action: 'auth.login', targetType: 'account', targetId: accountId, outcome, after: { method: 'vneid', ...after } },
          trx,
        );
      let accountId: string;
      if (existing) {
        if (existing.status !== 'active') {
          await audit(existing.id, existing.full_name, 'denied', { reason: 'disabled' });
          return fail('disabled' as const);
        }
        accountId = existing.id;
        await store.markIdentityVerified(trx, accountId, { ...proof, at });
        await store.resetLoginFailures(trx, accountId, at);
        // Until now anyone could have typed this ID at registration: once it is proven, sessions
        // opened before the proof end and the password set by whoever typed it stops working,
        // so registry data is never shown to them. The owner signs in with VNeID from now on.
        if (!existing.identity_verified_at) {
          await store.deleteSessionsOf(trx, accountId);
          await store.setPasswordHash(trx, accountId, NO_PASSWORD, at);
        }
      } else {
        const account = {
          id: randomUUID(),
          kind: 'citizen' as const,
          phone: null,
          email: null,
          personal_id: identity.personalId,
          ...proof,
          identity_verified_at: at,
          password_hash: NO_PASSWORD,
          agency_code: null,
          created_at: at,
          updated_at: at,
        };
        accountId = account.id;
        await store.insertAccount(trx, account);
        const view = toView({ ...account, status: 'active' }, []);
        await this.platform.audit.record(
          { ...auditActor({ ...actor, id: view.id, label: view.fullName }), action: 'auth.register', targetType: 'account', targetId: view.id, after: { ...auditView(view), identitySource: 'vneid' } },
          trx,
        );
      }
      const session = await this.openSession(trx, accountId, actor.ip, now);
      await audit(accountId, identity.fullName, 'ok', { kind: session.account.kind, created: !existing });
      return ok({ ...session, created: !existing });
    });
  }

  async sessionAccount(token: string): Promise<SessionAccount | null> {
    return store.sessionAccount(this.db, sha256(token), new Date().toISOString());
  }

  async logout(token: string, actor: Actor): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const accountId = await store.deleteSession(trx, sha256(token));
      if (accountId) await this.platform.audit.record({ ...auditActor(actor), action: 'auth.logout', targetType: 'account', targetId: accountId }, trx);
    });
  }

  /** Ends every session of the account, on every device. */
  async logoutEverywhere(accountId: string, actor: Actor): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const ended = await store.deleteSessionsOf(trx, accountId);
      await this.platform.audit.record(
        { ...auditActor(actor), action: 'auth.logoutAll', targetType: 'account', targetId: accountId, after: { sessionsEnded: ended } },
        trx,
      );
      return ended;
    });
  }

  async getAccount(id: string): Promise<AccountView | null> {
    const row = await store.findAccount(this.db, id);
    return row ? toView(row, row.roles) : null;
  }

  async countSessions(accountId: string): Promise<number> {
    return store.countSessions(this.db, accountId, new Date().toISOString());
  }

  /** Officers are created by officers who manage the agency and may grant every chosen role. */
  async createOfficer(input: Untrusted<OfficerInput>, by: SessionAccount, actor: Actor): Promise<Result<AccountView, FieldIssue[]>> {
    const parsed = officerSchema.safeParse(input);
    if (!parsed.success) return fail(fromZodIssues(parsed.error.issues));
    const v = parsed.data;
    const refused = v.roles.filter((role) => !canAssignRole(by, role, v.agencyCode));
    if (refused.length) return fail(refused.map((role) => ({ field: 'roles', key: 'auth.roles.notAllowed', params: { role } })));
    const now = new Date().toISOString();
    const account: store.NewAccount = {
      id: randomUUID(),
      kind: 'officer',
      phone: v.phone ?? null,
      email: v.email,
      full_name: v.fullName,
      personal_id: null,
      birth_date: null,
      gender: null,
      password_hash: await hashPassword(v.password),
      agency_code: v.agencyCode,
      created_at: now,
      updated_at: now,
    };
    return this.insertUnique(account, v.roles, (trx, view) =>
      this.platform.audit.record({ ...auditActor(actor), action: 'auth.officer.create', targetType: 'account', targetId: view.id, after: auditView(view) }, trx),
    );
  }

  /** City-wide managers see every agency (or the one asked for); others only their own. */
  async listOfficers(by: SessionAccount, opts: { agencyCode?: string; page: number; pageSize: number }) {
    const agencyCode = hasCityScope(by, 'officers.manage') ? opts.agencyCode : (by.agencyCode ?? '-');
    const { items, total } = await store.listOfficers(this.db, { agencyCode, limit: opts.pageSize, offset: (opts.page - 1) * opts.pageSize });
    return { items, total, page: opts.page, pageSize: opts.pageSize };
  }

  async setOfficerStatus(
    id: string,
    status: 'active' | 'disabled',
    by: SessionAccount,
    actor: Actor,
  ): Promise<Result<AccountView, 'notFound' | 'forbidden' | 'self'>> {
    return this.db.transaction().execute(async (trx) => {
      const row = await store.findAccount(trx, id);
      if (row?.kind !== 'officer') return fail('notFound' as const);
      if (!canManageOfficer(by, { agencyCode: row.agency_code, roles: row.roles })) return fail('forbidden' as const);
      if (row.id === by.id && status === 'disabled') return fail('self' as const);
      const before = toView(row, row.roles);
      if (row.status === status) return ok(before);
      await store.setStatus(trx, id, status, new Date().toISOString());
      // A disabled officer is signed out at once, on every device.
      if (status === 'disabled') await store.deleteSessionsOf(trx, id);
      const after = { ...before, status };
      await this.platform.audit.record(
        { ...auditActor(actor), action: 'auth.officer.status', targetType: 'account', targetId: id, before: auditView(before), after: auditView(after) },
        trx,
      );
      return ok(after);
    });
  }

  /** Whether any demo account exists: the database was started as the demo. */
  async hasDemoAccounts(): Promise<boolean> {
    for (const demo of demoAccounts) if (await store.findAccountByLogin(this.db, parseLogin(demo.login))) return true;
    return false;
  }

  /** Creates the demo accounts that do not exist yet; safe to run from several instances at once. */
  async ensureDemoAccounts(): Promise<DemoAccount[]> {
    const { cityCode, adminPassword } = this.platform.config;
    const system: Actor = { id: null, label: 'system', ip: null, requestId: null };
    const out: DemoAccount[] = [];
    for (const demo of demoAccounts) {
      const password = demo.role === 'city_admin' ? (adminPassword ?? demo.password) : demo.password;
      out.push({ ...demo, password });
      if (await store.findAccountByLogin(this.db, parseLogin(demo.login))) continue;
      const now = new Date().toISOString();
      const officer = demo.role !== 'citizen';
      const account: store.NewAccount = {
        id: randomUUID(),
        kind: officer ? 'officer' : 'citizen',
        phone: officer ? null : demo.login,
        email: officer ? demo.login : demoCitizen.email,
        full_name: demo.fullName,
        personal_id: officer ? null : demoCitizen.personalId,
        birth_date: officer ? null : demoCitizen.birthDate,
        gender: officer ? null : demoCitizen.gender,
        // The demo citizen stands for someone whose ID card a clerk has checked: prefill works.
        identity_verified_at: officer ? null : now,
        identity_source: officer ? null : 'counter',
        password_hash: await hashPassword(password),
        agency_code: officer ? `${demo.agencyLevels}.${cityCode}` : null,
        created_at: now,
        updated_at: now,
      };
      await this.insertUnique(account, officer ? [demo.role as Role] : [], (trx, view) =>
        this.platform.audit.record({ ...auditActor(system), action: 'auth.demoAccount', targetType: 'account', targetId: view.id, after: auditView(view) }, trx),
      );
    }
    return out;
  }

  /**
   * Inserts an account in one transaction with its roles and audit entry. A phone, email or
   * personal ID already in use becomes a field issue, including when a concurrent request
   * takes it between the check and the insert (the unique constraint refuses it; nothing is written).
   */
  private async insertUnique(
    account: store.NewAccount,
    roles: Role[],
    audit: (trx: Transaction<Database>, view: AccountView) => Promise<void>,
  ): Promise<Result<AccountView, FieldIssue[]>> {
    const conflicts = async (): Promise<FieldIssue[]> => {
      const taken = await store.takenFields(this.db, { phone: account.phone, email: account.email, personalId: account.personal_id });
      const issues: FieldIssue[] = [];
      if (taken.personalId) issues.push({ field: 'personalId', key: 'auth.personalId.taken' });
      if (taken.phone) issues.push({ field: 'phone', key: 'auth.phone.taken' });
      if (taken.email) issues.push({ field: 'email', key: 'auth.email.taken' });
      return issues;
    };
    const before = await conflicts();
    if (before.length) return fail(before);
    const view = toView({ identity_verified_at: null, identity_source: null, ...account, status: 'active' }, roles);
    try {
      await this.db.transaction().execute(async (trx) => {
        await store.insertAccount(trx, account, roles);
        await audit(trx, view);
      });
      return ok(view);
    } catch (err) {
      if (!store.isUniqueViolation(err)) throw err;
      const after = await conflicts();
      if (!after.length) throw err;
      return fail(after);
    }
  }
}

function toView(row: Omit<store.AccountRow, 'failed_logins' | 'locked_until'>, roles: Role[]): AccountView {
  return {
    id: row.id,
    kind: row.kind,
    fullName: row.full_name,
    phone: row.phone,
    email: row.email,
    personalId: row.personal_id,
    identityVerifiedAt: row.identity_verified_at,
    identitySource: row.identity_source,
    birthDate: row.birth_date,
    gender: row.gender,
    agencyCode: row.agency_code,
    status: row.status,
    roles,
  };
}

/** What the audit log keeps of an account: never the password hash, and not the personal ID. */
function auditView(v: AccountView) {
  return { kind: v.kind, fullName: v.fullName, phone: v.phone, email: v.email, agencyCode: v.agencyCode, status: v.status, roles: v.roles };
}

function auditActor(actor: Actor) {
  return { actorId: actor.id, actorLabel: actor.label, ip: actor.ip, requestId: actor.requestId };
}
