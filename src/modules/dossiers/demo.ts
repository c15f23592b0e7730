import { randomInt, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { demoAccounts, parsePersonalId } from '../../platform/auth/index.ts';
import { WorkingCalendar, zonedInstant } from '../../platform/calendar/index.ts';
import type { Platform } from '../../platform/index.ts';
import { seededRandom } from '../../platform/random/seeded.ts';
import { fold } from '../../platform/text/fold.ts';
import type { CatalogService, ProcedureDetail } from '../catalog/index.ts';
import { formatDossierCode } from './code.ts';
import { type Channel, type DossierEvent, type EventData, project, type Status, type SupplementItem, statuses } from './lifecycle.ts';
import { type DossierService, type ResultPort, type ResultRequest, ruleSetOn } from './service.ts';
import { eventOf, involved } from './store.ts';

/**
 * Demo data for the one-stop shop: a few hundred dossiers in every state, spread over the last
 * ~60 days, so the inboxes and tracking look lived-in after `npm start`. Each dossier is a real
 * event history (the events the service itself writes, back-dated), its row is the projection
 * of those events, its code comes from the agency's daily sequence of the day it was submitted,
 * and its deadlines come from the working-day calendar. Most dossiers are at the demo ward
 * (Phường Ba Đình) and at Sở Tư pháp, handled by the demo officers; some move between them;
 * a few sit at agencies without demo officers. About ten belong to the demo citizen.
 *
 * The content (who, what, when, which state) is deterministic for a given `now` and `random`;
 * ids and tracking keys are drawn like the service draws them, so the receipt keys of a public
 * demo cannot be read off this file.
 */
export interface DemoSeedOptions {
  /** Procedures and agencies are read through the catalog's public API. */
  catalog: CatalogService;
  /** About how many dossiers (default 300). */
  count?: number;
  /** The "now" the histories end at (default: the current time). */
  now?: Date;
  /** A PRNG in [0, 1); default a fixed-seed mulberry32, so every demo looks the same. */
  random?: () => number;
  /** The dossier code format, when the service was given one (default: code.ts's). */
  codeFormat?: string;
  /**
   * Issues the signed results of the granted dossiers, dated and signed at their decisions (the
   * results module); without it granted dossiers have a decision and no result document.
   */
  results?: ResultPort;
}

export interface DemoSeedResult {
  created: number;
  /** Signed result documents issued for granted dossiers. */
  results?: number;
  /** Why nothing was written: demo dossiers exist already, or the demo city/accounts are missing. */
  skipped?: 'already-seeded' | 'no-demo-data';
  byStatus: Partial<Record<Status, number>>;
}

/** A dossier ready to be written: everything but its id, code and tracking key. */
export interface PlannedDossier {
  agency: string;
  procedure: { code: string; version: number; name: string };
  channel: Channel;
  applicantAccountId: string | null;
  applicant: Applicant;
  answers: { requestContent: string };
  events: DossierEvent[];
}

export interface Applicant {
  fullName: string;
  personalId: string;
  phone?: string;
  email?: string;
  address: string;
}

/** What marks a dossier as demo data (in its form_json), and so makes seeding idempotent. */
export const DEMO_MARKER = '"demo":true';
const DEMO_LOCK = 727_010;
const DEFAULT_SEED = 20_250_701;
const SECRET_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Writes the demo dossiers unless some exist already. One transaction: on PostgreSQL an
 * advisory lock makes a second instance starting at the same time wait, then skip. Only the
 * service's store is used, so the command line can pass `{ store: new DossierStore(db, engine) }`.
 */
export async function seedDemoDossiers(service: Pick<DossierService, 'store'>, platform: Platform, opts: DemoSeedOptions): Promise<DemoSeedResult> {
  const store = service.store;
  const already = await store.db.selectFrom('dossiers').select('id').where('form_json', 'like', `%${DEMO_MARKER}%`).limit(1).executeTakeFirst();
  if (already) return { created: 0, skipped: 'already-seeded', byStatus: {} };
  const plan = await planDemoDossiers(platform, opts);
  if (!plan) return { created: 0, skipped: 'no-demo-data', byStatus: {} };
  if (!plan.length) return { created: 0, byStatus: {} };
  const calendar = new WorkingCalendar(platform, { refreshMs: 60_000 });
  const byStatus: Partial<Record<Status, number>> = {};
  const granted: Granted[] = [];
  const created = await store.transaction(async (trx) => {
    if (platform.engine === 'postgres') await sql`select pg_advisory_xact_lock(${DEMO_LOCK})`.execute(trx);
    const again = await trx.selectFrom('dossiers').select('id').where('form_json', 'like', `%${DEMO_MARKER}%`).limit(1).executeTakeFirst();
    if (again) return 0;
    for (const p of plan) {
      const first = p.events[0];
      const last = p.events.at(-1);
      if (!first || !last) continue;
      const s = project(p.events);
      const day = calendar.localDate(new Date(first.at)).slice(2).replaceAll('-', '');
      const seq = await store.nextSequence(trx, p.agency, day);
      const id = randomUUID();
      const code = formatDossierCode(opts.codeFormat, { agency: p.agency, day, seq });
      await store.insertDossier(trx, {
        id,
        code,
        tracking_secret: Array.from({ length: 6 }, () => SECRET_ALPHABET[randomInt(SECRET_ALPHABET.length)]).join(''),
        procedure_code: p.procedure.code,
        procedure_version: p.procedure.version,
        procedure_name: p.procedure.name,
        rule_set: ruleSetOn(first.at),
        channel: p.channel,
        receiving_agency: p.agency,
        holder_agency: s.holderAgency,
        holder_role: s.holderRole,
        assignee_id: s.assigneeId,
        stage: s.stage,
        status: s.status,
        national_status: statuses[s.status],
        applicant_account_id: p.applicantAccountId,
        applicant_name: p.applicant.fullName,
        applicant_name_folded: fold(p.applicant.fullName),
        applicant_personal_id: p.applicant.personalId,
        // Made-up people are never messaged: their phone is on the form, not in the contact column.
        applicant_phone: p.applicantAccountId ? (p.applicant.phone ?? null) : null,
        applicant_email: p.applicant.email ?? null,
        form_json: JSON.stringify({ applicant: p.applicant, answers: p.answers, demo: true }),
        submitted_at: first.at,
        received_at: s.receivedAt,
        due_at: s.dueAt,
        paused_at: s.pausedAt,
        closed_at: s.closedAt,
        involved_agencies: involved(s.involvedAgencies),
        event_count: p.events.length,
        updated_at: last.at,
      });
      for (const e of p.events) await store.appendEvent(trx, id, e);
      byStatus[s.status] = (byStatus[s.status] ?? 0) + 1;
      const result = grantedResult({ id, code, procedureCode: p.procedure.code, procedureName: p.procedure.name, submittedAt: first.at, holderName: p.applicant.fullName }, p.events);
      if (result) granted.push(result);
    }
    return plan.length;
  });
  if (!created) return { created: 0, skipped: 'already-seeded', byStatus: {} };
  return { created, byStatus, ...(opts.results ? { results: await issueResults(store, opts.results, granted) } : {}) };
}

type Granted = { request: ResultRequest; by: DossierEvent };

/** What the result of a dossier granted in `events` is issued from; null if none was granted. */
function grantedResult(
  d: { id: string; code: string; procedureCode: string; procedureName: string; submittedAt: string; holderName: string },
  events: readonly DossierEvent[],
): Granted | null {
  const decision = events.find((e) => e.data.type === 'approved' && e.data.decision === 'granted');
  if (decision?.data.type !== 'approved' || !decision.actorAgency) return null;
  const request: ResultRequest = {
    dossierId: d.id,
    dossierCode: d.code,
    procedureCode: d.procedureCode,
    procedureName: d.procedureName,
    procedureDate: d.submittedAt.slice(0, 10),
    holderName: d.holderName,
    issuerAgency: decision.actorAgency,
    summary: decision.data.summary,
    signerName: decision.actorLabel ?? '',
    decidedAt: decision.at,
  };
  return { request, by: decision };
}

/**
 * Issues the results `seedDemoDossiers` did not get to (the first start was stopped while it
 * signed them, which is most of its time): issuing is idempotent, so every granted demo dossier
 * is gone over again, in the order of the decisions. Resolves with how many were gone over; 0
 * where there are no demo dossiers.
 */
export async function finishDemoResults(service: Pick<DossierService, 'store'>, results: ResultPort): Promise<number> {
  return issueResults(service.store, results, await grantedDemoDossiers(service.store));
}

/** The demo dossiers that were granted, as `seedDemoDossiers` wrote them: one query for all. */
async function grantedDemoDossiers(store: DossierService['store']): Promise<Granted[]> {
  const rows = await store.db
    .selectFrom('dossier_events as e')
    .innerJoin('dossiers as d', 'd.id', 'e.dossier_id')
    .selectAll('e')
    .select(['d.code', 'd.procedure_code', 'd.procedure_name', 'd.submitted_at', 'd.applicant_name'])
    .where('e.type', '=', 'approved')
    .where('d.form_json', 'like', `%${DEMO_MARKER}%`)
    .execute();
  return rows.flatMap((r) => {
    const d = { id: r.dossier_id, code: r.code, procedureCode: r.procedure_code, procedureName: r.procedure_name, submittedAt: r.submitted_at, holderName: r.applicant_name };
    return grantedResult(d, [eventOf(r)]) ?? [];
  });
}

/**
 * The granted dossiers' signed results, in the order of their decisions so that each agency's
 * result numbers follow the dates. Each is read outside its transaction (on SQLite that
 * transaction holds the only connection) and issued in one of its own, as the leader who decided.
 */
async function issueResults(store: DossierService['store'], results: ResultPort, granted: Granted[]): Promise<number> {
  const ordered = [...granted].sort((a, b) => a.by.at.localeCompare(b.by.at));
  for (const { request, by } of ordered) {
    const result = await results.prepare(request);
    try {
      await store.transaction((trx) => result.issue(trx, { id: by.actorId, label: by.actorLabel, ip: null, requestId: null }));
    } catch (err) {
      await result.discard();
      throw err;
    }
  }
  return ordered.length;
}

/**
 * The dossiers `seedDemoDossiers` would write, in order of submission (so that each agency's
 * daily sequence follows the clock). Reads only: catalog, calendar and the demo accounts.
 * Null when the demo city or the demo accounts are not loaded.
 */
export async function planDemoDossiers(platform: Platform, opts: DemoSeedOptions): Promise<PlannedDossier[] | null> {
  const kit = await loadKit(platform, opts);
  if (!kit) return null;
  const deck = dealDeck(opts.count ?? 300, kit.rng);
  const out: PlannedDossier[] = [];
  const now = kit.clock.now.toISOString();
  for (const card of deck) {
    const d = await draft(kit, card);
    await scenarios[card.kind](kit, d, card);
    // A story squeezed into too little time is dropped rather than written out of order.
    if (d.events.some((e, i) => e.at > now || (i > 0 && e.at <= (d.events[i - 1]?.at ?? '')))) continue;
    out.push({
      agency: d.home.code,
      procedure: { code: d.proc.code, version: d.proc.version, name: d.proc.name },
      channel: d.channel,
      applicantAccountId: d.accountId,
      applicant: d.applicant.form,
      answers: { requestContent: d.content },
      events: d.events,
    });
  }
  return out.sort((a, b) => (a.events[0]?.at ?? '').localeCompare(b.events[0]?.at ?? ''));
}


// ---------------------------------------------------------------------------------------------
// Randomness

class Rng {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.next() * xs.length)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  }
  weighted<T>(xs: readonly (readonly [T, number])[]): T {
    const total = xs.reduce((n, [, w]) => n + w, 0);
    let r = this.next() * total;
    for (const [x, w] of xs) {
      r -= w;
      if (r < 0) return x;
    }
    const last = xs.at(-1);
    if (!last) throw new Error('pick from an empty list');
    return last[0];
  }
  digits(n: number): string {
    return Array.from({ length: n }, () => String(this.int(0, 9))).join('');
  }
}

// ---------------------------------------------------------------------------------------------
// Time: office hours, working days and the deadline rules the service uses (app.ts deadlinesFrom)

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Office windows in local minutes: 08:00–11:30 and 13:30–17:00. */
const OFFICE: readonly [number, number][] = [
  [8 * 60, 11 * 60 + 30],
  [13 * 60 + 30, 17 * 60],
];

class Clock {
  readonly today: string;
  base = '';
  floor = '';
  private readonly working = new Map<string, boolean>();

  constructor(
    readonly cal: WorkingCalendar,
    readonly rng: Rng,
    readonly now: Date,
  ) {
    this.today = cal.localDate(now);
  }

  /** The latest working day whose office hours are (mostly) behind us: deadlines are planned from it. */
  async init(): Promise<void> {
    this.base = (await this.isWorkingDay(this.today)) && this.minutesOf(this.now) >= 9 * 60 ? this.today : await this.cal.addWorkingDays(this.today, -1);
    const floor = this.date(new Date(this.now.getTime() - 52 * DAY));
    this.floor = (await this.isWorkingDay(floor)) ? floor : await this.cal.nextWorkingDay(floor);
  }

  /**
   * The local day of an instant, and its local midnight. Intl is slow and asked often here, so
   * answers are kept per 15 minutes of UTC: zone offsets are whole quarter hours, so no such
   * quarter straddles a local midnight.
   */
  private local(t: Date): { date: string; midnight: number } {
    const key = Math.floor(t.getTime() / 900_000);
    let hit = this.quarters.get(key);
    if (!hit) {
      const date = this.cal.localDate(t);
      hit = { date, midnight: this.at(date, 0).getTime() };
      this.quarters.set(key, hit);
    }
    return hit;
  }
  private readonly quarters = new Map<number, { date: string; midnight: number }>();
  private readonly instants = new Map<string, Date>();

  date(t: Date): string {
    return this.local(t).date;
  }
  minutesOf(t: Date): number {
    return (t.getTime() - this.local(t).midnight) / 60_000;
  }
  at(date: string, hour: number, minute = 0): Date {
    const key = `${date}T${hour}:${minute}`;
    let t = this.instants.get(key);
    if (!t) {
      t = zonedInstant(date, { hour, minute }, this.cal.timeZone);
      this.instants.set(key, t);
    }
    return t;
  }
  async isWorkingDay(date: string): Promise<boolean> {
    let w = this.working.get(date);
    if (w === undefined) {
      w = await this.cal.isWorkingDay(date);
      this.working.set(date, w);
    }
    return w;
  }
  addWorkingDays(date: string, n: number): Promise<string> {
    const key = `${date}${n}`;
    let day = this.shifted.get(key);
    if (!day) {
      day = this.cal.addWorkingDays(date, n);
      this.shifted.set(key, day);
    }
    return day;
  }
  private readonly shifted = new Map<string, Promise<string>>();
  /** The end of office hours `n` working days after the local day of `t`, never after now. */
  async capAfter(t: Date, n: number): Promise<Date> {
    return earlier(this.at(await this.addWorkingDays(this.date(t), n), 17), this.now);
  }

  /**
   * `n` increasing instants strictly between t0 and t1, uniform over the office hours of the
   * working days in between (officers act then); evenly between them if there are none.
   */
  async spread(t0: Date, t1: Date, n: number): Promise<Date[]> {
    if (n <= 0) return [];
    // Callers keep t1 after t0; should it not be, the events still come in order, a second apart.
    if (t1.getTime() - t0.getTime() < (n + 1) * 1000) t1 = new Date(t0.getTime() + (n + 1) * 1000);
    const segments: { date: string; from: number; to: number }[] = [];
    const first = this.date(t0);
    const last = this.date(t1);
    for (let date = first, guard = 0; date <= last && guard < 400; date = nextDate(date), guard++) {
      if (!(await this.isWorkingDay(date))) continue;
      const lo = date === first ? this.minutesOf(t0) + 1 : 0;
      const hi = date === last ? this.minutesOf(t1) - 1 : 24 * 60;
      for (const [a, b] of OFFICE) {
        const from = Math.max(a, lo);
        const to = Math.min(b, hi);
        if (to > from) segments.push({ date, from, to });
      }
    }
    const total = segments.reduce((m, s) => m + (s.to - s.from), 0);
    let out: Date[];
    if (total < n) {
      const span = Math.max(t1.getTime() - t0.getTime(), n + 1);
      out = Array.from({ length: n }, (_, i) => new Date(t0.getTime() + Math.floor((span * (i + 1)) / (n + 1))));
    } else {
      const points = Array.from({ length: n }, () => this.rng.float() * total).sort((a, b) => a - b);
      out = points.map((p) => {
        let rest = p;
        for (const s of segments) {
          const len = s.to - s.from;
          if (rest < len) return this.at(s.date, 0, 0).getTime() + (s.from + rest) * 60_000;
          rest -= len;
        }
        return t1.getTime() - 60_000;
      }).map((ms) => new Date(Math.floor(ms)));
    }
    for (let i = 1; i < out.length; i++) {
      const prev = out[i - 1] as Date;
      if ((out[i] as Date) <= prev) out[i] = new Date(prev.getTime() + 1000);
    }
    return out;
  }
  async one(t0: Date, t1: Date): Promise<Date> {
    return (await this.spread(t0, t1, 1))[0] as Date;
  }
  /** Any time of day, as online applicants act (mostly between 06:00 and midnight). */
  anytime(t0: Date, t1: Date): Date {
    const span = Math.max(t1.getTime() - t0.getTime(), 2);
    let t = new Date(t0.getTime() + 1 + Math.floor(this.rng.float() * (span - 1)));
    for (let i = 0; i < 3 && this.minutesOf(t) < 6 * 60; i++) t = new Date(t0.getTime() + 1 + Math.floor(this.rng.float() * (span - 1)));
    return t;
  }
  /** An office moment on the local day `date`, before `cutoffHour` if given, and before now. */
  async onDay(date: string, cutoffHour?: number): Promise<Date> {
    return this.one(this.at(date, 0), earlier(this.at(date, Math.min(cutoffHour ?? 17, 17)), this.now));
  }
  /**
   * The working day `n` working days before the base day, but not before the first working day
   * of the last ~52 calendar days, so that with what happened before a receipt the stories stay
   * within about two months even across Tết.
   */
  async back(n: number): Promise<string> {
    const day = await this.addWorkingDays(this.base, -n);
    return day.localeCompare(this.floor) < 0 ? this.floor : day;
  }
  /** The start of the working day `n` working days before the base day. */
  async daysBack(n: number): Promise<Date> {
    return this.at(await this.back(n), 0);
  }
}

const earlier = (a: Date, b: Date): Date => (a < b ? a : b);

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** The deadline rules of the app's DeadlinePort (app.ts), over the same calendar. */
class Deadlines {
  constructor(private readonly cal: WorkingCalendar) {}
  async dueAt(receivedAt: Date, workingDays: number, cutoffHour?: number): Promise<Date> {
    return (await this.cal.dueDate({ receivedAt, workingDays, cutoff: cutoffHour === undefined ? undefined : { hour: cutoffHour } })).dueAt;
  }
  async remaining(from: Date, dueAt: Date): Promise<number> {
    const start = this.cal.localDate(from);
    const end = this.cal.localDate(dueAt);
    return end <= start ? 0 : this.cal.countWorkingDays(start, end);
  }
  async resume(at: Date, remaining: number): Promise<Date> {
    return (await this.cal.resume({ remaining, resumedAt: at })).dueAt;
  }
  dayEnd(date: string): Date {
    return zonedInstant(date, this.cal.officeHours.end, this.cal.timeZone);
  }
}

// ---------------------------------------------------------------------------------------------
// Agencies, officers, procedures

interface Actor {
  id: string | null;
  label: string;
  agency: string | null;
}
interface Office {
  code: string;
  name: string;
  clerk: Actor;
  leader: Actor | null;
  specialist: (Actor & { id: string }) | null;
  /** Procedures this office receives, with weights. */
  procs: readonly (readonly [Proc, number])[];
}
interface Proc {
  code: string;
  version: number;
  name: string;
  days: number;
  cutoff: number | undefined;
  online: boolean;
  result: string;
}

type Home = 'ward' | 'stp' | 'other';
type Kind =
  | 'new'
  | 'new-resupplied'
  | 'wait-intake'
  | 'refused'
  | 'withdrawn'
  | 'received'
  | 'assigned'
  | 'wait-processing'
  | 'resumed'
  | 'approval'
  | 'rework'
  | 'transferred'
  | 'done'
  | 'returned'
  | 'stopped';

interface Card {
  home: Home;
  kind: Kind;
  citizen: boolean;
}

/** Commune-level procedures as received at a ward, with how common they are. */
const WARD_PROCEDURES: readonly (readonly [string, number])[] = [
  ['1.001193', 10],
  ['1.004873', 10],
  ['2.000815', 8],
  ['2.000635', 6],
  ['1.000894', 5],
  ['1.004859', 5],
  ['3.000722', 5],
  ['1.000656', 3],
  ['1.004884', 3],
  ['2.001035', 3],
  ['2.001050', 3],
  ['1.000403', 3],
  ['1.012890', 4],
  ['1.001022', 2],
  ['2.002913', 2],
  ['1.011606', 2],
  ['1.010833', 2],
  ['1.004837', 1],
  ['2.001406', 1],
  ['2.001016', 1],
  ['1.001653', 1],
  ['1.001699', 1],
  ['1.001120', 1],
  ['2.001263', 1],
];
const STP_PROCEDURES: readonly (readonly [string, number])[] = [
  ['2.001417', 14],
  ['2.000801', 2],
  ['2.000789', 1],
];
/** Agencies without demo officers (level 4–2 of the code), and what they receive. */
const OTHER_AGENCIES: readonly (readonly [string, readonly (readonly [string, number])[], number])[] = [
  ['000.00.62', WARD_PROCEDURES, 3],
  ['000.00.63', WARD_PROCEDURES, 2],
  ['000.00.73', WARD_PROCEDURES, 2],
  ['000.00.79', WARD_PROCEDURES, 2],
  ['000.00.03', [['2.002037', 3], ['2.001610', 2], ['2.002051', 2]], 2],
  ['000.00.21', [['1.004194', 3], ['1.002755', 1]], 2],
  ['000.01.08', [['1.012783', 2], ['1.012833', 2]], 1],
];
/** Ward dossiers that go to another agency on the way: for an opinion, or the linked procedure. */
const TO_JUSTICE = ['1.004859', '1.004884', '1.001022', '1.004837'];
const TO_POLICE = ['3.000722', '2.002913'];
const TO_INSURANCE = ['1.000403'];
/** Sở Tư pháp asks the ward to verify residence for criminal-record certificates (Phiếu lý lịch tư pháp). */
const CRIMINAL_RECORD = '2.001417';

/** The share of each story, per ~280 dossiers; scaled to `count`. */
const DECK: readonly (readonly [Home, Kind, number])[] = [
  ['ward', 'new', 12],
  ['ward', 'new-resupplied', 4],
  ['ward', 'wait-intake', 10],
  ['ward', 'refused', 6],
  ['ward', 'withdrawn', 6],
  ['ward', 'received', 16],
  ['ward', 'assigned', 22],
  ['ward', 'wait-processing', 7],
  ['ward', 'resumed', 5],
  ['ward', 'approval', 10],
  ['ward', 'rework', 3],
  ['ward', 'transferred', 11],
  ['ward', 'done', 16],
  ['ward', 'returned', 45],
  ['ward', 'stopped', 4],
  ['stp', 'new', 7],
  ['stp', 'wait-intake', 4],
  ['stp', 'refused', 3],
  ['stp', 'withdrawn', 2],
  ['stp', 'received', 9],
  ['stp', 'assigned', 12],
  ['stp', 'wait-processing', 3],
  ['stp', 'resumed', 1],
  ['stp', 'approval', 6],
  ['stp', 'rework', 1],
  ['stp', 'transferred', 4],
  ['stp', 'done', 6],
  ['stp', 'returned', 15],
  ['stp', 'stopped', 2],
  ['other', 'new', 8],
  ['other', 'wait-intake', 4],
  ['other', 'refused', 3],
  ['other', 'withdrawn', 2],
  ['other', 'received', 9],
];
/** The demo citizen's dossiers: something to supplement, to withdraw, to follow and to collect. */
const CITIZEN_CARDS: readonly (readonly [Home, Kind])[] = [
  ['ward', 'wait-intake'],
  ['ward', 'returned'],
  ['stp', 'received'],
  ['ward', 'new'],
  ['ward', 'done'],
  ['ward', 'assigned'],
  ['ward', 'wait-processing'],
  ['stp', 'returned'],
  ['ward', 'withdrawn'],
  ['ward', 'returned'],
];

function dealDeck(count: number, rng: Rng): Card[] {
  const total = DECK.reduce((n, [, , w]) => n + w, 0);
  const exact = DECK.map(([, , w]) => (w * count) / total);
  const n = exact.map((x) => (count >= DECK.length ? Math.max(1, Math.floor(x)) : Math.floor(x)));
  let left = count - n.reduce((a, b) => a + b, 0);
  const byFraction = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % byFraction.length, left--) {
    const i = byFraction[k]?.[1] ?? 0;
    n[i] = (n[i] ?? 0) + 1;
  }
  for (let i = n.length - 1; left < 0; i = (i - 1 + n.length) % n.length) {
    if ((n[i] ?? 0) > 1) {
      n[i] = (n[i] ?? 0) - 1;
      left++;
    }
  }
  const cards: Card[] = DECK.flatMap(([home, kind], i) => Array.from({ length: n[i] ?? 0 }, () => ({ home, kind, citizen: false })));
  const citizenCount = Math.min(CITIZEN_CARDS.length, Math.round(count / 30));
  for (const [home, kind] of CITIZEN_CARDS.slice(0, citizenCount)) {
    const card = cards.find((c) => c.home === home && c.kind === kind && !c.citizen);
    if (card) card.citizen = true;
  }
  // Shuffled, so that which story gets which applicant and time is not tied to the deck order.
  for (let i = cards.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [cards[i], cards[j]] = [cards[j] as Card, cards[i] as Card];
  }
  return cards;
}

interface Kit {
  rng: Rng;
  clock: Clock;
  deadlines: Deadlines;
  ward: Office;
  stp: Office;
  others: readonly (readonly [Office, number])[];
  police: Office | null;
  insurance: Office | null;
  citizen: { id: string; applicant: Person };
  people: People;
  agencyName(code: string): string;
}

async function loadKit(platform: Platform, opts: DemoSeedOptions): Promise<Kit | null> {
  const { catalog } = opts;
  const city = platform.config.cityCode;
  const rng = new Rng(opts.random ?? seededRandom(DEFAULT_SEED));
  const cal = new WorkingCalendar(platform, { refreshMs: 60_000 });
  const clock = new Clock(cal, rng, opts.now ?? new Date());
  await clock.init();

  const logins = demoAccounts.map((a) => a.login);
  const accounts = await platform.db
    .selectFrom('accounts')
    .select(['id', 'kind', 'full_name', 'email', 'phone', 'personal_id', 'agency_code', 'status'])
    .where((eb) => eb.or([eb('email', 'in', logins), eb('phone', 'in', logins)]))
    .execute();
  const account = (role: string, levels?: string) => {
    const demo = demoAccounts.find((a) => a.role === role && a.agencyLevels === levels);
    return demo ? accounts.find((a) => a.status === 'active' && (a.email === demo.login || a.phone === demo.login)) : undefined;
  };
  const officer = (role: string, levels: string): (Actor & { id: string }) | null => {
    const a = account(role, levels);
    return a ? { id: a.id, label: a.full_name, agency: a.agency_code } : null;
  };
  const citizenAccount = account('citizen');

  const names = new Map<string, string>();
  const agency = async (levels: string) => {
    const code = `${levels}.${city}`;
    const a = await catalog.getAgency(code);
    if (a) names.set(a.code, a.name);
    return a;
  };
  const procs = new Map<string, Promise<ProcedureDetail | null>>();
  const pool = async (agencyCode: string, list: readonly (readonly [string, number])[]) => {
    const out: [Proc, number][] = [];
    for (const [code, w] of list) {
      let detail = procs.get(code);
      if (!detail) {
        detail = catalog.getProcedure(code);
        procs.set(code, detail);
      }
      const p = await detail;
      if (!p || !(await catalog.implementedBy(p, agencyCode))) continue;
      const { body } = p;
      out.push([{ code: p.code, version: p.version, name: body.name, days: body.processingDays, cutoff: body.cutoffHour, online: body.onlineLevel !== 'INFO', result: body.result }, w]);
    }
    return out;
  };
  const deskOf = (code: string): Actor => ({ id: null, label: 'Bộ phận Một cửa', agency: code });

  const wardAgency = await agency('000.00.61');
  const stpAgency = await agency('000.00.02');
  const clerk = officer('counter_clerk', '000.00.61');
  const wardLeader = officer('leader', '000.00.61');
  const wardSpecialist = officer('specialist', '000.00.61');
  const stpLeader = officer('leader', '000.00.02');
  const stpSpecialist = officer('specialist', '000.00.02');
  if (!wardAgency || !stpAgency || !clerk || !wardLeader || !wardSpecialist || !stpLeader || !stpSpecialist || !citizenAccount) return null;

  const ward: Office = { code: wardAgency.code, name: wardAgency.name, clerk, leader: wardLeader, specialist: wardSpecialist, procs: await pool(wardAgency.code, WARD_PROCEDURES) };
  const stp: Office = { code: stpAgency.code, name: stpAgency.name, clerk: deskOf(stpAgency.code), leader: stpLeader, specialist: stpSpecialist, procs: await pool(stpAgency.code, STP_PROCEDURES) };
  if (!ward.procs.length || !stp.procs.length) return null;
  const others: [Office, number][] = [];
  for (const [levels, list, weight] of OTHER_AGENCIES) {
    const a = await agency(levels);
    if (!a) continue;
    const procsOf = await pool(a.code, list);
    if (procsOf.length) others.push([{ code: a.code, name: a.name, clerk: deskOf(a.code), leader: null, specialist: null, procs: procsOf }, weight]);
  }
  const bare = async (levels: string): Promise<Office | null> => {
    const a = await agency(levels);
    return a ? { code: a.code, name: a.name, clerk: deskOf(a.code), leader: null, specialist: null, procs: [] } : null;
  };

  const people = new People(rng, clock.now);
  const citizen = {
    id: citizenAccount.id,
    applicant: people.fixed({
      fullName: citizenAccount.full_name,
      personalId: citizenAccount.personal_id ?? '001090012345',
      phone: citizenAccount.phone ?? undefined,
      email: citizenAccount.email ?? undefined,
      address: 'Số 8 phố Phó Đức Chính, phường Ba Đình, thành phố Hà Nội',
    }),
  };
  return {
    rng,
    clock,
    deadlines: new Deadlines(cal),
    ward,
    stp,
    others: others.length ? others : [[ward, 1]],
    police: await bare('000.00.21'),
    insurance: await bare('000.00.23'),
    citizen,
    people,
    agencyName: (code) => names.get(code) ?? code,
  };
}

// ---------------------------------------------------------------------------------------------
// A dossier being written, and the stories

interface Draft {
  home: Office;
  proc: Proc;
  channel: Channel;
  applicant: Person;
  accountId: string | null;
  content: string;
  events: DossierEvent[];
}

async function draft(kit: Kit, card: Card): Promise<Draft> {
  const { rng } = kit;
  const home = card.home === 'ward' ? kit.ward : card.home === 'stp' ? kit.stp : rng.weighted(kit.others);
  // Open dossiers are planned around their deadline, so they need a procedure with one.
  const open = ['received', 'assigned', 'approval', 'rework', 'wait-processing', 'resumed', 'transferred'].includes(card.kind);
  const decided = ['stopped', 'done', 'returned'].includes(card.kind);
  let procs = home.procs.filter(([p]) => (!open || p.days >= 1) && (!(open || decided) || p.days <= 25));
  if (card.kind === 'transferred' && home === kit.ward) {
    const target = rng.weighted([
      [TO_JUSTICE, 5],
      [TO_POLICE, kit.police ? 4 : 0],
      [TO_INSURANCE, kit.insurance ? 2 : 0],
    ] as const);
    procs = home.procs.filter(([p]) => target.includes(p.code));
  }
  if ((card.kind === 'transferred' || card.citizen) && home === kit.stp) procs = home.procs.filter(([p]) => p.code === CRIMINAL_RECORD);
  if (card.citizen) procs = procs.filter(([p]) => p.online);
  if (!procs.length) procs = home.procs.filter(([p]) => !card.citizen || p.online);
  if (!procs.length) procs = [...home.procs];
  const proc = rng.weighted(procs);
  const channel: Channel = card.citizen ? 'online' : proc.online ? rng.weighted([['online', 55], ['counter', 35], ['post', 10]] as const) : rng.weighted([['counter', 85], ['post', 15]] as const);
  const applicant = card.citizen ? kit.citizen.applicant : kit.people.next(home === kit.ward ? (rng.chance(0.85) ? 'ba-dinh' : 'city') : home.name);
  return { home, proc, channel, applicant, accountId: card.citizen ? kit.citizen.id : null, content: '', events: [] };
}

function add(d: Draft, at: Date, who: Actor, data: EventData, reason: string | null = null): void {
  d.events.push({ seq: d.events.length + 1, at: at.toISOString(), actorId: who.id, actorLabel: who.label, actorAgency: who.agency, reason, data });
}
const lastAt = (d: Draft): Date => new Date(d.events.at(-1)?.at ?? 0);
const applicantActor = (d: Draft): Actor => ({ id: d.accountId, label: d.applicant.form.fullName, agency: null });
const dueOf = (d: Draft): Date | null => {
  const due = project(d.events).dueAt;
  return due ? new Date(due) : null;
};

function submit(kit: Kit, d: Draft, at: Date): void {
  d.content = requestContent(kit.rng, d, kit.clock.date(at));
  add(d, at, d.channel === 'online' ? applicantActor(d) : d.home.clerk, { type: 'submitted', channel: d.channel, receivingAgency: d.home.code });
}

/** When a dossier received at `receivedAt` was submitted: online any time before, by post or at the counter shortly before. */
async function submittedBefore(kit: Kit, d: Draft, receivedAt: Date): Promise<Date> {
  const { clock, rng } = kit;
  if (d.channel === 'online') return clock.anytime(new Date(receivedAt.getTime() - rng.int(2, 60) * HOUR), new Date(receivedAt.getTime() - 10 * 60_000));
  if (d.channel === 'post') return new Date(receivedAt.getTime() - rng.int(5, 60) * 60_000);
  return new Date(receivedAt.getTime() - rng.int(4, 25) * 60_000);
}

/** A submission in the window [n working days back, m working days back] (office hours unless online). */
async function submittedWithin(kit: Kit, d: Draft, fromDaysBack: number, toDaysBack: number): Promise<Date> {
  const { clock } = kit;
  const t0 = await clock.daysBack(fromDaysBack);
  const end = toDaysBack <= 0 ? clock.now : clock.at(await clock.back(toDaysBack), 17);
  const t1 = earlier(end, clock.now);
  return d.channel === 'online' ? clock.anytime(t0, new Date(t1.getTime() - 5 * 60_000)) : clock.one(t0, t1);
}

async function askPapers(kit: Kit, d: Draft, at: Date, stage: 'intake' | 'processing'): Promise<void> {
  // At intake the counter asks; in processing, the assigned specialist of the holder.
  const who = stage === 'intake' ? d.home.clerk : (holderSpecialist(kit, d) ?? d.home.clerk);
  const items = supplementItems(kit.rng, d.proc.code, stage);
  add(d, at, who, { type: 'supplement_requested', stage, items }, kit.rng.chance(0.6) ? `Đề nghị ${d.applicant.title} bổ sung trong thời hạn 05 ngày làm việc.` : null);
}

async function supplied(kit: Kit, d: Draft, at: Date): Promise<void> {
  const s = project(d.events);
  let dueAt: string | null = null;
  if (s.stage !== 'intake' && s.dueAt && s.pausedAt) {
    const left = await kit.deadlines.remaining(new Date(s.pausedAt), new Date(s.dueAt));
    dueAt = (await kit.deadlines.resume(at, left)).toISOString();
  }
  add(d, at, applicantActor(d), { type: 'supplemented', dueAt }, kit.rng.pick(SUPPLIED_NOTES[d.channel]));
}

async function receive(kit: Kit, d: Draft, at: Date): Promise<void> {
  const due = await kit.deadlines.dueAt(at, d.proc.days, d.proc.cutoff);
  add(d, at, d.home.clerk, { type: 'received', dueAt: due.toISOString(), workingDays: d.proc.days });
}

function officeOf(kit: Kit, code: string): Office | null {
  return [kit.ward, kit.stp].find((o) => o.code === code) ?? null;
}
function holderSpecialist(kit: Kit, d: Draft): (Actor & { id: string }) | null {
  return officeOf(kit, project(d.events).holderAgency)?.specialist ?? null;
}
function holderLeader(kit: Kit, d: Draft): Actor | null {
  return officeOf(kit, project(d.events).holderAgency)?.leader ?? null;
}

function assign(kit: Kit, d: Draft, at: Date): boolean {
  const office = officeOf(kit, project(d.events).holderAgency);
  if (!office?.leader || !office.specialist) return false;
  add(d, at, office.leader, { type: 'assigned', assigneeId: office.specialist.id, assigneeName: office.specialist.label });
  return true;
}

/** The assigned specialist hands the dossier over (policy: the leader or the assignee may). */
function transfer(kit: Kit, d: Draft, at: Date, to: Office): void {
  const from = officeOf(kit, project(d.events).holderAgency);
  const who = from?.specialist ?? from?.leader ?? d.home.clerk;
  add(d, at, who, { type: 'transferred', toAgency: to.code, toAgencyName: kit.agencyName(to.code) || to.name }, transferNote(kit, d, to));
}

async function apologise(kit: Kit, d: Draft, at: Date, newDate: string): Promise<void> {
  const s = project(d.events);
  const who = kit.rng.chance(0.5) || !s.assigneeId ? holderLeader(kit, d) : holderSpecialist(kit, d);
  if (!who || !s.dueAt) return;
  let date = newDate;
  const dueDate = kit.clock.date(new Date(s.dueAt));
  if (date <= dueDate) date = await kit.clock.addWorkingDays(dueDate, 1);
  add(d, at, who, { type: 'apology_issued', newDueAt: kit.deadlines.dayEnd(date).toISOString() }, kit.rng.pick(APOLOGY_REASONS)(d.applicant.title, officeOf(kit, s.holderAgency)?.name ?? d.home.name));
}

type DeadlineClass = 'late' | 'soon' | 'ontime';

/** The receipt of an open dossier, placed so that its deadline is past, within 2 working days, or later. */
async function receiptFor(kit: Kit, d: Draft, cls: DeadlineClass): Promise<Date> {
  const { clock, rng } = kit;
  const days = d.proc.days;
  let back: number;
  if (cls === 'late') back = days + rng.int(1, 8);
  else if (cls === 'soon') back = Math.max(0, days - rng.int(1, Math.max(1, Math.min(2, days))));
  else back = rng.int(0, Math.max(0, days - 3));
  return clock.onDay(await clock.back(back), d.proc.cutoff);
}

async function receivedOpen(kit: Kit, d: Draft, cls: DeadlineClass): Promise<Date> {
  const r = await receiptFor(kit, d, cls);
  await intakeThenReceive(kit, d, r, 0.15, 8);
  return r;
}

/** Submission before the receipt at `r`; now and then (not at the counter) with one request for papers at intake first. */
async function intakeThenReceive(kit: Kit, d: Draft, r: Date, supplementChance: number, maxDaysBefore: number): Promise<void> {
  const { clock, rng } = kit;
  if (d.channel !== 'counter' && rng.chance(supplementChance)) {
    const window = [new Date(r.getTime() - rng.int(4, maxDaysBefore) * DAY), new Date(r.getTime() - 2 * DAY)] as const;
    const s = d.channel === 'online' ? clock.anytime(...window) : await clock.one(...window);
    submit(kit, d, s);
    const [a, b] = await clock.spread(s, r, 2);
    await askPapers(kit, d, a as Date, 'intake');
    await supplied(kit, d, b as Date);
  } else {
    submit(kit, d, await submittedBefore(kit, d, r));
  }
  await receive(kit, d, r);
}

/** Late open dossiers sometimes carry an apology with a new date (which may itself be past). */
async function maybeApologise(kit: Kit, d: Draft, cls: DeadlineClass): Promise<void> {
  const due = dueOf(d);
  if (cls !== 'late' || !due || !kit.rng.chance(0.4)) return;
  const from = new Date(Math.max(lastAt(d).getTime(), due.getTime() - DAY));
  if (from >= kit.clock.now) return;
  const at = await kit.clock.one(from, kit.clock.now);
  await apologise(kit, d, at, await kit.clock.addWorkingDays(kit.clock.date(due), kit.rng.int(2, 8)));
}

const deadlineClass = (rng: Rng): DeadlineClass => rng.weighted([['late', 38], ['soon', 27], ['ontime', 35]] as const);

/** Processing steps between receipt and now, at the holder: the leader assigns within two working days. */
async function processOpen(kit: Kit, d: Draft, steps: ('assign' | 'send' | 'rework')[]): Promise<void> {
  const { clock } = kit;
  const received = lastAt(d);
  const assigned = await clock.one(received, await clock.capAfter(received, kit.rng.int(0, 2)));
  const times = [assigned, ...(await clock.spread(assigned, clock.now, steps.length - 1))];
  for (const [i, step] of steps.entries()) {
    const at = times[i] as Date;
    const specialist = holderSpecialist(kit, d);
    const leader = holderLeader(kit, d);
    if (step === 'assign') assign(kit, d, at);
    else if (step === 'send' && specialist) add(d, at, specialist, { type: 'sent_for_approval' });
    else if (step === 'rework' && leader) add(d, at, leader, { type: 'returned_for_rework' }, kit.rng.pick(REWORK_REASONS));
  }
}

type Scenario = (kit: Kit, d: Draft, card: Card) => Promise<void>;

const scenarios: Record<Kind, Scenario> = {
  async new(kit, d) {
    submit(kit, d, await submittedWithin(kit, d, 2, 0));
  },
  async 'new-resupplied'(kit, d) {
    const s = await submittedWithin(kit, d, 8, 3);
    submit(kit, d, s);
    const [a, b] = await kit.clock.spread(s, kit.clock.now, 2);
    await askPapers(kit, d, a as Date, 'intake');
    await supplied(kit, d, b as Date);
  },
  async 'wait-intake'(kit, d) {
    const s = await submittedWithin(kit, d, 10, 1);
    submit(kit, d, s);
    await askPapers(kit, d, await kit.clock.one(s, await kit.clock.capAfter(s, 2)), 'intake');
  },
  async refused(kit, d) {
    const s = await submittedWithin(kit, d, 40, 2);
    submit(kit, d, s);
    if (kit.rng.chance(0.3)) {
      const [a, b] = await kit.clock.spread(s, await kit.clock.capAfter(s, 6), 2);
      await askPapers(kit, d, a as Date, 'intake');
      await supplied(kit, d, b as Date);
    }
    add(d, await kit.clock.one(lastAt(d), await kit.clock.capAfter(lastAt(d), 2)), d.home.clerk, { type: 'refused' }, kit.rng.pick(REFUSAL_REASONS));
  },
  async withdrawn(kit, d) {
    const { clock, rng } = kit;
    if (rng.chance(0.5) || !d.home.leader) {
      const s = await submittedWithin(kit, d, 35, 2);
      submit(kit, d, s);
      if (rng.chance(0.4)) await askPapers(kit, d, await clock.one(s, await clock.capAfter(s, 2)), 'intake');
    } else {
      const r = await clock.onDay(await clock.back(rng.int(5, 35)), d.proc.cutoff);
      submit(kit, d, await submittedBefore(kit, d, r));
      await receive(kit, d, r);
      if (rng.chance(0.5)) assign(kit, d, await clock.one(r, await clock.capAfter(r, 1)));
    }
    const from = lastAt(d);
    const until = await clock.capAfter(from, 3);
    add(d, d.channel === 'online' ? clock.anytime(from, until) : await clock.one(from, until), applicantActor(d), { type: 'withdrawn' }, rng.pick(WITHDRAWAL_REASONS));
  },
  async received(kit, d) {
    const cls = deadlineClass(kit.rng);
    await receivedOpen(kit, d, cls);
    await maybeApologise(kit, d, cls);
  },
  async assigned(kit, d) {
    const cls = deadlineClass(kit.rng);
    await receivedOpen(kit, d, cls);
    await processOpen(kit, d, ['assign']);
    await maybeApologise(kit, d, cls);
  },
  async approval(kit, d) {
    const cls = deadlineClass(kit.rng);
    await receivedOpen(kit, d, cls);
    await processOpen(kit, d, ['assign', 'send']);
    await maybeApologise(kit, d, cls);
  },
  async rework(kit, d) {
    const cls = deadlineClass(kit.rng);
    await receivedOpen(kit, d, cls);
    await processOpen(kit, d, ['assign', 'send', 'rework']);
    await maybeApologise(kit, d, cls);
  },
  async 'wait-processing'(kit, d) {
    const { clock, rng } = kit;
    const r = await clock.onDay(await clock.back(rng.int(2, Math.max(3, Math.min(15, d.proc.days)))), d.proc.cutoff);
    submit(kit, d, await submittedBefore(kit, d, r));
    await receive(kit, d, r);
    const a = await clock.one(r, await clock.capAfter(r, rng.int(0, 2)));
    assign(kit, d, a);
    await askPapers(kit, d, await clock.one(a, clock.now), 'processing');
  },
  async resumed(kit, d) {
    const { clock, rng } = kit;
    const r = await clock.onDay(await clock.back(rng.int(4, Math.max(5, Math.min(18, d.proc.days + 4)))), d.proc.cutoff);
    submit(kit, d, await submittedBefore(kit, d, r));
    await receive(kit, d, r);
    const a = await clock.one(r, await clock.capAfter(r, rng.int(0, 2)));
    assign(kit, d, a);
    const [p, q] = await clock.spread(a, clock.now, 2);
    await askPapers(kit, d, p as Date, 'processing');
    await supplied(kit, d, q as Date);
  },
  async transferred(kit, d) {
    const { clock, rng } = kit;
    const cls = deadlineClass(rng);
    await receivedOpen(kit, d, cls === 'soon' ? 'ontime' : cls);
    const from = d.home;
    const to = from === kit.stp ? kit.ward : TO_POLICE.includes(d.proc.code) ? kit.police : TO_INSURANCE.includes(d.proc.code) ? kit.insurance : kit.stp;
    if (!to) return;
    const onward = to === kit.ward || to === kit.stp ? rng.chance(0.5) : false;
    const a = await clock.one(lastAt(d), await clock.capAfter(lastAt(d), rng.int(0, 2)));
    const [t, b] = await clock.spread(a, clock.now, 2);
    assign(kit, d, a);
    transfer(kit, d, t as Date, to);
    if (onward) assign(kit, d, b as Date);
  },
  async done(kit, d) {
    await decided(kit, d, false);
  },
  async returned(kit, d) {
    await decided(kit, d, true);
  },
  async stopped(kit, d) {
    const { clock, rng } = kit;
    const r = await clock.onDay(await clock.back(rng.int(4, 30)), d.proc.cutoff);
    submit(kit, d, await submittedBefore(kit, d, r));
    await receive(kit, d, r);
    if (rng.chance(0.6)) assign(kit, d, await clock.one(r, await clock.capAfter(r, 2)));
    const leader = holderLeader(kit, d);
    if (!leader) return;
    const from = lastAt(d);
    add(d, await clock.one(from, await clock.capAfter(from, rng.int(2, 10))), leader, { type: 'stopped' }, rng.pick(STOP_REASONS));
  },
};

/**
 * A dossier that went all the way to a decision (DONE, waiting at the counter) and, if
 * `returned`, was handed over. Some went through another agency; some were decided late,
 * half of those with an apology first.
 */
async function decided(kit: Kit, d: Draft, returned: boolean): Promise<void> {
  const { clock, rng, deadlines } = kit;
  const days = d.proc.days;
  const back = returned ? days + rng.int(3, Math.max(4, 38 - days)) : days + rng.int(0, 3);
  const r = await clock.onDay(await clock.back(back), d.proc.cutoff);
  await intakeThenReceive(kit, d, r, 0.12, 7);
  const due = await deadlines.dueAt(r, days, d.proc.cutoff);

  // The route: at home, or through Sở Tư pháp / the ward and back.
  type Step = (at: Date) => void;
  const home = d.home;
  const other = home === kit.ward ? kit.stp : kit.ward;
  const via = (home === kit.ward && TO_JUSTICE.includes(d.proc.code) && rng.chance(0.5)) || (home === kit.stp && d.proc.code === CRIMINAL_RECORD && rng.chance(0.25));
  const steps: Step[] = [(at) => assign(kit, d, at)];
  if (via && home === kit.ward) {
    steps.push((at) => transfer(kit, d, at, other));
    steps.push((at) => assign(kit, d, at));
  } else if (via) {
    steps.push((at) => transfer(kit, d, at, other));
    steps.push((at) => assign(kit, d, at));
    steps.push((at) => transfer(kit, d, at, home));
    steps.push((at) => assign(kit, d, at));
  }
  const send: Step = (at) => {
    const specialist = holderSpecialist(kit, d);
    if (specialist) add(d, at, specialist, { type: 'sent_for_approval' });
  };
  steps.push(send);
  if (rng.chance(0.12)) {
    steps.push((at) => {
      const leader = holderLeader(kit, d);
      if (leader) add(d, at, leader, { type: 'returned_for_rework' }, rng.pick(REWORK_REASONS));
    });
    steps.push(send);
  }

  const late = due.getTime() < clock.now.getTime() - HOUR && rng.chance(0.25);
  const apology = late && rng.chance(0.5);
  let decidedAt: Date;
  if (late) decidedAt = await clock.one(due, await clock.capAfter(due, rng.int(1, 6)));
  else decidedAt = await clock.one(r, earlier(due, clock.now));
  const times = await clock.spread(r, decidedAt, steps.length + (apology ? 1 : 0));
  for (const [i, step] of steps.entries()) step(times[i] as Date);
  if (apology) await apologise(kit, d, times[steps.length] as Date, await clock.addWorkingDays(clock.date(decidedAt), rng.int(-1, 2)));
  const leader = holderLeader(kit, d);
  if (!leader || project(d.events).stage !== 'approval') return;
  const granted = rng.chance(0.9);
  add(d, decidedAt, leader, { type: 'approved', decision: granted ? 'granted' : 'denied', summary: decisionSummary(rng, d.proc, granted, clock.date(decidedAt)) });
  if (!returned) return;
  const handedAt = await clock.one(decidedAt, await clock.capAfter(decidedAt, rng.int(0, 3)));
  const method: Channel = d.channel === 'counter' ? 'counter' : d.channel === 'post' ? 'post' : rng.weighted([['counter', 5], ['online', 3], ['post', 2]] as const);
  add(d, handedAt, d.home.clerk, { type: 'result_returned', method });
}

// ---------------------------------------------------------------------------------------------
// People: names, personal IDs consistent with birth year and gender, Hanoi addresses, phones

const FAMILY_NAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 31], ['Trần', 10], ['Lê', 8], ['Phạm', 7], ['Hoàng', 5], ['Vũ', 4], ['Đỗ', 3], ['Bùi', 3],
  ['Đặng', 2.5], ['Ngô', 2], ['Phan', 2], ['Dương', 1.5], ['Đinh', 1.5], ['Trịnh', 1.5], ['Đào', 1], ['Hồ', 1],
  ['Võ', 1], ['Huỳnh', 0.8], ['Đoàn', 0.8], ['Mai', 0.8], ['Hà', 0.8], ['Lý', 0.6], ['Cao', 0.6], ['Lương', 0.6],
  ['Tạ', 0.5], ['Chu', 0.5], ['Lưu', 0.5], ['Kiều', 0.4], ['Quách', 0.3], ['Nghiêm', 0.3], ['Tô', 0.3], ['Khúc', 0.2],
];
const MIDDLE: Record<Gender, readonly string[]> = {
  male: ['Văn', 'Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Công', 'Thành', 'Tuấn', 'Mạnh', 'Xuân', 'Ngọc', 'Trọng', 'Đình', 'Tiến', 'Duy', 'Gia', 'Bảo', 'Hoàng', 'Anh'],
  female: ['Thị', 'Thị', 'Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Phương', 'Bích', 'Hồng', 'Thùy', 'Khánh', 'Mai', 'Diệu', 'Hải', 'Kim', 'Lan', 'Quỳnh'],
};
const GIVEN: Record<Gender, readonly string[]> = {
  male: ['Anh', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Đức', 'Hải', 'Hiếu', 'Hùng', 'Huy', 'Khánh', 'Kiên', 'Long', 'Mạnh', 'Minh', 'Nam', 'Nghĩa', 'Phong', 'Phúc', 'Quân', 'Quang', 'Sơn', 'Thắng', 'Thành', 'Trung', 'Tuấn', 'Tùng', 'Việt', 'Vinh', 'Khoa', 'Lâm', 'Toàn', 'Hưng', 'Tâm'],
  female: ['Anh', 'Chi', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Huyền', 'Hương', 'Lan', 'Linh', 'Loan', 'Mai', 'Ngân', 'Ngọc', 'Nhung', 'Oanh', 'Phương', 'Quỳnh', 'Thảo', 'Trang', 'Thủy', 'Uyên', 'Vân', 'Yến', 'Nga', 'Hồng', 'Thư'],
};
/** Birth provinces: mostly Hà Nội, then the provinces people most often move from. */
const PROVINCES: readonly (readonly [string, number])[] = [
  ['001', 70], ['036', 4], ['034', 4], ['040', 3], ['038', 3], ['030', 2], ['033', 2], ['027', 2], ['025', 2], ['035', 2], ['037', 2], ['042', 1], ['026', 1], ['031', 1], ['079', 1],
];
const BA_DINH_STREETS = [
  'phố Quán Thánh', 'phố Phan Đình Phùng', 'đường Hoàng Hoa Thám', 'phố Đội Cấn', 'phố Nguyễn Thái Học', 'đường Điện Biên Phủ', 'phố Trần Phú',
  'phố Hàng Bún', 'phố Châu Long', 'phố Trúc Bạch', 'phố Ngũ Xã', 'phố Nguyễn Trường Tộ', 'phố Hòe Nhai', 'phố Phó Đức Chính', 'phố Cửa Bắc',
  'phố Lý Nam Đế', 'phố Nguyễn Biểu', 'phố Nguyễn Cảnh Chân', 'phố Chu Văn An', 'phố Sơn Tây', 'phố Lê Trực', 'phố Yên Thế', 'đường Thanh Niên',
];
const CITY_ADDRESSES: readonly (readonly [string, string])[] = [
  ['đường Nguyễn Chí Thanh', 'phường Láng'], ['phố Giảng Võ', 'phường Giảng Võ'], ['phố Ngọc Khánh', 'phường Giảng Võ'], ['đường Xuân Thủy', 'phường Cầu Giấy'],
  ['đường Trần Duy Hưng', 'phường Yên Hòa'], ['phố Tây Sơn', 'phường Đống Đa'], ['phố Thái Hà', 'phường Đống Đa'], ['phố Bạch Mai', 'phường Bạch Mai'],
  ['phố Minh Khai', 'phường Vĩnh Tuy'], ['đường Nguyễn Trãi', 'phường Thanh Xuân'], ['đường Lạc Long Quân', 'phường Tây Hồ'], ['đường Nguyễn Văn Cừ', 'phường Bồ Đề'],
  ['đường Quang Trung', 'phường Hà Đông'], ['phố Hàng Bài', 'phường Hoàn Kiếm'], ['phố Văn Cao', 'phường Ngọc Hà'], ['phố Đội Cấn', 'phường Ngọc Hà'],
  ['đường Giải Phóng', 'phường Hoàng Mai'], ['đường Hồ Tùng Mậu', 'phường Cầu Giấy'], ['phố Kim Mã', 'phường Giảng Võ'], ['phố Xã Đàn', 'phường Kim Liên'],
];
/** Streets of the wards without demo officers, by the ward in the agency's name. */
const WARD_STREETS: Record<string, readonly string[]> = {
  'Ngọc Hà': ['phố Đội Cấn', 'phố Văn Cao', 'phố Ngọc Hà', 'đường Hoàng Hoa Thám', 'phố Liễu Giai'],
  'Giảng Võ': ['phố Giảng Võ', 'phố Kim Mã', 'phố Ngọc Khánh', 'phố Vạn Bảo', 'phố Núi Trúc'],
  'Cầu Giấy': ['đường Xuân Thủy', 'đường Cầu Giấy', 'phố Trần Thái Tông', 'phố Dịch Vọng Hậu', 'phố Hồ Tùng Mậu'],
  'Đống Đa': ['phố Tây Sơn', 'phố Chùa Bộc', 'phố Thái Hà', 'phố Đặng Tiến Đông', 'phố Thái Thịnh'],
};

type Gender = 'male' | 'female';

interface Person {
  form: Applicant;
  gender: Gender;
  family: string;
  birthYear: number;
  /** "ông" or "bà", as letters address the applicant. */
  title: string;
}

class People {
  private readonly ids = new Set<string>();
  private readonly phones = new Set<string>(['0912345678']);

  constructor(
    private readonly rng: Rng,
    private readonly now: Date,
  ) {}

  fixed(form: Applicant): Person {
    this.ids.add(form.personalId);
    const parsed = parsePersonalId(form.personalId, this.now);
    const gender: Gender = parsed.ok ? parsed.gender : 'male';
    return { form, gender, family: form.fullName.split(' ')[0] ?? '', birthYear: parsed.ok ? parsed.birthYear : 1990, title: gender === 'male' ? 'ông' : 'bà' };
  }

  /** Someone living in Ba Đình, anywhere in the city, or in the ward named `where`. */
  next(where: string): Person {
    const { rng } = this;
    const gender: Gender = rng.chance(0.5) ? 'male' : 'female';
    const family = rng.weighted(FAMILY_NAMES);
    const fullName = `${family} ${rng.pick(MIDDLE[gender])} ${rng.pick(GIVEN[gender])}`;
    const birthYear = rng.int(1952, 2006);
    const form: Applicant = { fullName, personalId: this.personalId(gender, birthYear), phone: this.phone(), address: this.address(where) };
    if (rng.chance(0.25)) form.email = `${fold(fullName.split(' ').slice(-1)[0] ?? '')}.${fold(family)}${String(birthYear).slice(2)}${rng.int(1, 99)}@example.com`;
    return { form, gender, family, birthYear, title: gender === 'male' ? 'ông' : 'bà' };
  }

  /** 12 digits: birth province, gender-and-century digit, birth year, six random digits. */
  private personalId(gender: Gender, birthYear: number): string {
    for (;;) {
      const centuryDigit = (Math.floor(birthYear / 100) - 19) * 2 + (gender === 'female' ? 1 : 0);
      const id = `${this.rng.weighted(PROVINCES)}${centuryDigit}${String(birthYear % 100).padStart(2, '0')}${this.rng.digits(6)}`;
      const parsed = parsePersonalId(id, this.now);
      if (!parsed.ok || parsed.gender !== gender || parsed.birthYear !== birthYear) throw new Error(`inconsistent personal ID ${id}`);
      if (this.ids.has(id)) continue;
      this.ids.add(id);
      return id;
    }
  }

  private phone(): string {
    for (;;) {
      const p = `${this.rng.pick(['090', '091', '093', '094', '096', '097', '098'])}${this.rng.digits(7)}`;
      if (this.phones.has(p)) continue;
      this.phones.add(p);
      return p;
    }
  }

  private address(where: string): string {
    const { rng } = this;
    const house = rng.chance(0.35) ? `Số ${rng.int(1, 60)}, ngõ ${rng.int(2, 200)}` : `Số ${rng.int(1, 250)}`;
    if (where === 'ba-dinh') return `${house} ${rng.pick(BA_DINH_STREETS)}, phường Ba Đình, thành phố Hà Nội`;
    const ward = Object.keys(WARD_STREETS).find((w) => where.endsWith(`phường ${w}`));
    if (ward) return `${house} ${rng.pick(WARD_STREETS[ward] ?? [])}, phường ${ward}, thành phố Hà Nội`;
    const [street, wardName] = rng.pick(CITY_ADDRESSES);
    return `${house} ${street}, ${wardName}, thành phố Hà Nội`;
  }
}

// ---------------------------------------------------------------------------------------------
// Words: request contents, supplement reasons, decisions, in the register of real dossiers

const HOSPITALS = ['Bệnh viện Phụ sản Hà Nội', 'Bệnh viện Phụ sản Trung ương', 'Bệnh viện Bạch Mai', 'Bệnh viện Đa khoa Xanh Pôn', 'Bệnh viện Đa khoa Hồng Ngọc', 'Bệnh viện Đa khoa Quốc tế Vinmec Times City'];
const RELATIVES = ['bố', 'mẹ', 'ông nội', 'bà nội', 'ông ngoại', 'bà ngoại'];
const BUSINESS = ['Minh Phát', 'An Khang', 'Thành Công', 'Hưng Thịnh', 'Phúc Lộc', 'Việt Tiến', 'Hà Thành', 'Sao Mai', 'Tân Việt', 'Đông Á'];
const BANKS = ['Vietcombank', 'BIDV', 'VietinBank', 'Agribank', 'Techcombank', 'MB'];

function dmy(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}
function daysBefore(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);
}

function requestContent(rng: Rng, d: Draft, on: string): string {
  const a = d.applicant;
  const childFamily = a.gender === 'male' ? a.family : rng.weighted(FAMILY_NAMES);
  const childGender: Gender = rng.chance(0.5) ? 'male' : 'female';
  const child = `${childFamily} ${rng.pick(MIDDLE[childGender])} ${rng.pick(GIVEN[childGender])}`;
  const spouseGender: Gender = a.gender === 'male' ? 'female' : 'male';
  const spouse = `${rng.weighted(FAMILY_NAMES)} ${rng.pick(MIDDLE[spouseGender])} ${rng.pick(GIVEN[spouseGender])}`;
  const born = dmy(daysBefore(on, rng.int(5, 55)));
  const died = dmy(daysBefore(on, rng.int(1, 14)));
  const elder = `${rng.weighted(FAMILY_NAMES)} ${rng.pick(MIDDLE.male)} ${rng.pick(GIVEN.male)}`;
  const n = rng.int(2, 6);
  const texts: Record<string, () => string> = {
    '1.001193': () => `Đăng ký khai sinh cho con là ${child}, sinh ngày ${born} tại ${rng.pick(HOSPITALS)}.`,
    '3.000722': () => `Đăng ký khai sinh, đăng ký thường trú và cấp thẻ bảo hiểm y tế cho con là ${child}, sinh ngày ${born} tại ${rng.pick(HOSPITALS)}.`,
    '1.000894': () => `Đăng ký kết hôn với ${spouseGender === 'male' ? 'anh' : 'chị'} ${spouse}, sinh năm ${rng.int(1985, 2001)}, thường trú tại số ${rng.int(1, 200)} ${rng.pick(CITY_ADDRESSES).join(', ')}, thành phố Hà Nội.`,
    '1.000656': () => `Đăng ký khai tử cho ${rng.pick(RELATIVES)} là ${elder}, sinh năm ${rng.int(1930, 1955)}, mất ngày ${died} tại nhà riêng.`,
    '2.002913': () => `Đăng ký khai tử, xóa đăng ký thường trú và giải quyết mai táng phí cho ${rng.pick(RELATIVES)} là ${elder}, mất ngày ${died}.`,
    '1.004873': () =>
      `Xin cấp Giấy xác nhận tình trạng hôn nhân để ${rng.pick(['làm thủ tục đăng ký kết hôn', 'bổ sung hồ sơ vay vốn mua nhà tại ngân hàng', 'làm thủ tục chuyển nhượng quyền sử dụng đất', 'nộp hồ sơ xin thị thực đi Hàn Quốc', 'bổ sung hồ sơ mua nhà ở xã hội'])}.`,
    '1.004859': () =>
      rng.pick([
        `Đề nghị cải chính năm sinh của mẹ trong Giấy khai sinh từ ${rng.int(1960, 1975)} thành năm đúng theo thẻ căn cước.`,
        `Đề nghị thay đổi tên cho con là ${child} thành "${childFamily} ${rng.pick(MIDDLE[childGender])} ${rng.pick(GIVEN[childGender])}".`,
        'Đề nghị bổ sung thông tin quê quán còn thiếu trong Giấy khai sinh.',
        'Đề nghị cải chính chữ đệm trong Giấy khai sinh từ "Thi" thành "Thị" do sai sót khi đăng ký trước đây.',
      ]),
    '1.001022': () => `Đăng ký nhận cha con giữa ${a.form.fullName} và cháu ${child}, sinh ngày ${dmy(daysBefore(on, rng.int(200, 1500)))}.`,
    '1.004837': () => `Đăng ký giám hộ cho cháu ${child}, sinh năm ${rng.int(2012, 2020)}, do cha mẹ của cháu đang lao động ở nước ngoài.`,
    '1.004884': () =>
      `Đăng ký lại khai sinh cho bản thân do bản chính Giấy khai sinh bị thất lạc; trước đây đã đăng ký tại ${rng.pick(['UBND phường Quán Thánh, quận Ba Đình', 'UBND phường Trúc Bạch, quận Ba Đình', 'UBND xã Tam Hiệp, huyện Thanh Trì', 'UBND phường Điện Biên, quận Ba Đình'])}.`,
    '2.000635': () => `Xin cấp 0${rng.int(1, 3)} bản sao trích lục ${rng.pick(['khai sinh', 'kết hôn', 'khai tử'])} để ${rng.pick(['bổ sung hồ sơ nhập học cho con', 'làm thủ tục thừa kế', 'bổ sung hồ sơ xin việc', 'làm thủ tục sang tên nhà đất'])}.`,
    '2.000815': () => `Chứng thực 0${n} bản sao từ bản chính ${rng.pick(['Bằng tốt nghiệp đại học', 'Giấy khai sinh', 'Giấy chứng nhận quyền sử dụng đất', 'Học bạ trung học phổ thông', 'Giấy chứng nhận đăng ký xe'])}.`,
    '2.001035': () => rng.pick([`Chứng thực hợp đồng mua bán xe ô tô, biển kiểm soát 30${rng.pick(['A', 'E', 'F', 'G', 'H', 'K'])}-${rng.digits(3)}.${rng.digits(2)}.`, `Chứng thực hợp đồng mua bán xe mô tô Honda ${rng.pick(['Vision', 'Air Blade', 'Lead', 'SH Mode'])}.`]),
    '2.001050': () => `Chứng thực hợp đồng tặng cho quyền sử dụng đất tại thửa đất số ${rng.int(10, 400)}, tờ bản đồ số ${rng.int(1, 40)} cho con là ${child}.`,
    '2.001406': () => `Chứng thực di chúc của ${a.form.fullName} về việc để lại nhà ở tại ${a.form.address}.`,
    '2.001016': () => `Chứng thực văn bản thỏa thuận phân chia di sản là sổ tiết kiệm do ${rng.pick(RELATIVES)} để lại.`,
    '1.000403': () => `Cấp thẻ bảo hiểm y tế cho con là ${child}, sinh ngày ${born}.`,
    '1.011606': () => rng.pick(['Đề nghị xét công nhận hộ cận nghèo do chồng bị tai nạn lao động, mất khả năng lao động.', 'Đề nghị xét công nhận hộ nghèo do gia đình có người ốm đau dài ngày, không có thu nhập ổn định.']),
    '1.012890': () => `Đề nghị xác nhận đối tượng và điều kiện về nhà ở để đăng ký mua nhà ở xã hội tại ${rng.pick(['dự án nhà ở xã hội Thượng Thanh', 'dự án nhà ở xã hội Kim Chung', 'dự án nhà ở xã hội Đông Anh', 'dự án nhà ở xã hội Cổ Nhuế'])}.`,
    '1.001653': () => `Đề nghị cấp đổi Giấy xác nhận khuyết tật cho ${rng.pick(RELATIVES)} do giấy cũ bị rách, mờ thông tin.`,
    '1.001699': () => `Đề nghị xác định mức độ khuyết tật cho con là ${child}, sinh năm ${rng.int(2008, 2020)}.`,
    '1.010833': () => `Đề nghị xác nhận thân nhân của người có công với cách mạng là ${rng.pick(['ông nội', 'bố', 'bác ruột'])} ${elder} để hưởng chế độ ưu đãi.`,
    '1.001120': () => `Đề nghị công nhận Câu lạc bộ ${rng.pick(['cầu lông', 'bóng bàn', 'dưỡng sinh', 'cờ tướng', 'bơi lội'])} của tổ dân phố số ${rng.int(1, 30)}.`,
    '2.001263': () => `Đăng ký việc nuôi con nuôi đối với cháu ${child}, sinh năm ${rng.int(2015, 2024)}.`,
    '2.001417': () =>
      `Xin cấp Phiếu lý lịch tư pháp số ${rng.chance(0.7) ? 1 : 2} để ${rng.pick(['bổ sung hồ sơ xin việc', 'làm thủ tục xin thị thực đi Nhật Bản', 'bổ sung hồ sơ đi làm việc ở nước ngoài theo hợp đồng', 'làm hồ sơ thành lập doanh nghiệp', 'bổ sung hồ sơ du học tại Úc', 'bổ sung hồ sơ bổ nhiệm'])}.`,
    '2.000789': () => `Đăng ký hoạt động Văn phòng công chứng ${rng.pick(BUSINESS)}, trụ sở tại ${a.form.address}.`,
    '2.000801': () => `Đăng ký hành nghề và cấp Thẻ công chứng viên cho ${a.form.fullName}.`,
    '2.002037': () => `Đăng ký thành lập Công ty TNHH ${rng.pick(['Thương mại và Dịch vụ', 'Công nghệ', 'Xây dựng', 'Thực phẩm'])} ${rng.pick(BUSINESS)}, vốn điều lệ ${rng.int(1, 20)} tỷ đồng.`,
    '2.001610': () => `Đăng ký thành lập doanh nghiệp tư nhân ${rng.pick(BUSINESS)}, ngành nghề kinh doanh: ${rng.pick(['bán lẻ thực phẩm', 'sửa chữa ô tô', 'dịch vụ ăn uống', 'in ấn'])}.`,
    '2.002051': () => `Đăng ký thay đổi địa chỉ trụ sở chính của Công ty TNHH ${rng.pick(BUSINESS)} đến ${a.form.address}.`,
    '1.004194': () => `Đăng ký tạm trú tại ${a.form.address} theo hợp đồng thuê nhà thời hạn ${rng.int(1, 3)} năm.`,
    '1.002755': () => `Gia hạn tạm trú tại ${a.form.address}.`,
    '1.012783': () => 'Cấp đổi Giấy chứng nhận quyền sử dụng đất do giấy cũ bị ố, rách.',
    '1.012833': () => `Đăng ký thế chấp quyền sử dụng đất để vay vốn tại Ngân hàng ${rng.pick(BANKS)}.`,
  };
  const text = texts[d.proc.code];
  return text ? text() : `Đề nghị giải quyết thủ tục: ${d.proc.name.replace(/^Thủ tục /, '').toLowerCase()}.`;
}

const SUPPLEMENT_INTAKE: Record<string, readonly SupplementItem[]> = {
  '1.001193': [{ name: 'Giấy chứng sinh', reason: 'Bản chụp bị mờ, không đọc được ngày sinh của trẻ' }, { name: 'Giấy chứng nhận kết hôn của cha mẹ', reason: 'Chưa nộp, cần để ghi thông tin người cha' }],
  '3.000722': [{ name: 'Giấy chứng sinh', reason: 'Bản chụp bị mờ, không đọc được ngày sinh của trẻ' }],
  '1.000894': [{ name: 'Giấy xác nhận tình trạng hôn nhân', reason: 'Giấy đã quá 06 tháng kể từ ngày cấp' }],
  '1.000656': [{ name: 'Giấy báo tử', reason: 'Chưa có bản chính hoặc bản sao có chứng thực' }],
  '2.002913': [{ name: 'Giấy báo tử', reason: 'Chưa có bản chính hoặc bản sao có chứng thực' }],
  '1.004873': [{ name: 'Bản án hoặc quyết định ly hôn', reason: 'Cần bản sao bản án ly hôn đã có hiệu lực pháp luật' }, { name: 'Tờ khai cấp Giấy xác nhận tình trạng hôn nhân', reason: 'Chưa ghi mục đích sử dụng' }],
  '1.004859': [{ name: 'Giấy tờ chứng minh thông tin cần cải chính', reason: 'Cần bản sao học bạ hoặc hồ sơ cán bộ thể hiện năm sinh đúng' }],
  '2.000815': [{ name: 'Bản chính giấy tờ cần chứng thực', reason: 'Cần xuất trình bản chính để đối chiếu' }],
  '2.001417': [{ name: 'Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp', reason: 'Khai thiếu quá trình cư trú từ khi đủ 14 tuổi' }, { name: 'Văn bản ủy quyền', reason: 'Văn bản ủy quyền chưa được chứng thực chữ ký' }],
  '1.012890': [{ name: 'Giấy xác nhận thu nhập', reason: 'Chưa có xác nhận của cơ quan, đơn vị nơi làm việc' }],
  '1.011606': [{ name: 'Giấy tờ chứng minh thu nhập', reason: 'Chưa có xác nhận của tổ dân phố' }],
};
const SUPPLEMENT_GENERIC: readonly SupplementItem[] = [
  { name: 'Tờ khai', reason: 'Tờ khai chưa có chữ ký của người yêu cầu' },
  { name: 'Bản sao thẻ căn cước', reason: 'Ảnh chụp bị lóa, không đọc được số định danh cá nhân' },
  { name: 'Văn bản ủy quyền', reason: 'Người nộp hồ sơ không phải người yêu cầu; cần văn bản ủy quyền có chứng thực' },
];
const SUPPLEMENT_PROCESSING: readonly SupplementItem[] = [
  { name: 'Giấy tờ chứng minh nơi cư trú trước đây', reason: 'Cần làm rõ nơi cư trú trước năm 2015 của người yêu cầu' },
  { name: 'Giấy tờ chứng minh quan hệ nhân thân', reason: 'Họ tên người mẹ trong hồ sơ không khớp với Cơ sở dữ liệu quốc gia về dân cư' },
  { name: 'Bản sao sổ hộ khẩu cũ', reason: 'Thông tin trong sổ đăng ký lưu trữ không đầy đủ, cần đối chiếu' },
];
const SUPPLEMENT_PROCESSING_BY_CODE: Record<string, readonly SupplementItem[]> = {
  [CRIMINAL_RECORD]: [
    { name: 'Giấy tờ chứng minh nơi cư trú trước đây', reason: 'Cần làm rõ nơi cư trú từ năm 2010 đến năm 2015 để tra cứu lý lịch' },
    { name: 'Giấy chứng nhận chấp hành xong bản án', reason: 'Cơ sở dữ liệu lý lịch tư pháp ghi nhận một bản án cũ; cần giấy chứng nhận để xác định đã được xóa án tích' },
  ],
  '2.000801': [{ name: 'Giấy chứng nhận sức khỏe', reason: 'Giấy chứng nhận sức khỏe đã quá 06 tháng kể từ ngày cấp' }],
  '2.000789': [{ name: 'Giấy tờ chứng minh trụ sở', reason: 'Hợp đồng thuê trụ sở chưa được công chứng' }],
};
for (const code of ['1.011606', '1.012890', '1.001653', '1.001699', '1.010833']) {
  SUPPLEMENT_PROCESSING_BY_CODE[code] = [
    { name: 'Văn bản xác nhận của tổ dân phố', reason: 'Cần xác nhận hoàn cảnh thực tế của gia đình' },
    { name: 'Giấy xác nhận thu nhập', reason: 'Thu nhập kê khai chưa có xác nhận của nơi làm việc' },
  ];
}

function supplementItems(rng: Rng, code: string, stage: 'intake' | 'processing'): SupplementItem[] {
  const list = stage === 'processing' ? (SUPPLEMENT_PROCESSING_BY_CODE[code] ?? SUPPLEMENT_PROCESSING) : (SUPPLEMENT_INTAKE[code] ?? SUPPLEMENT_GENERIC);
  const first = rng.pick(list);
  const second = rng.chance(0.25) ? rng.pick(list) : first;
  return second === first ? [first] : [first, second];
}

const SUPPLIED_NOTES: Record<Channel, readonly string[]> = {
  online: ['Đã tải lên bản chụp rõ nét theo yêu cầu.', 'Tôi đã tải lên giấy tờ còn thiếu.', 'Đã ký bổ sung tờ khai và tải lên lại.'],
  counter: ['Đã nộp bổ sung giấy tờ tại Bộ phận Một cửa.', 'Đã mang bản chính đến đối chiếu và nộp bổ sung.'],
  post: ['Đã gửi bổ sung giấy tờ qua bưu chính.', 'Đã gửi bản sao có chứng thực qua bưu điện.'],
};
const REFUSAL_REASONS = [
  'Thủ tục không thuộc thẩm quyền giải quyết của cơ quan; đề nghị nộp hồ sơ tại cơ quan có thẩm quyền.',
  'Người yêu cầu đã được đăng ký trước đây; không đủ điều kiện đăng ký lại.',
  'Hồ sơ không đủ thành phần theo quy định và người yêu cầu không bổ sung.',
  'Giấy tờ nộp kèm không phải bản chính hoặc bản sao có chứng thực.',
];
const WITHDRAWAL_REASONS = ['Tôi nộp nhầm thủ tục, xin rút để nộp lại.', 'Gia đình đã thống nhất chưa làm thủ tục vào thời điểm này.', 'Nộp trùng hồ sơ, xin rút một bộ.', 'Tôi đã làm thủ tục tại nơi cư trú khác.'];
const STOP_REASONS = [
  'Người yêu cầu đề nghị dừng giải quyết do thay đổi nhu cầu.',
  'Phát hiện giấy tờ trong hồ sơ có dấu hiệu bị sửa chữa, đã chuyển cơ quan công an xác minh.',
  'Có tranh chấp liên quan đến nội dung yêu cầu, chờ Tòa án giải quyết.',
  'Người yêu cầu không bổ sung hồ sơ trong thời hạn đã thông báo.',
];
const REWORK_REASONS = ['Dự thảo kết quả ghi sai năm sinh, đề nghị sửa lại.', 'Cần bổ sung kết quả xác minh của tổ dân phố trước khi trình ký.', 'Đề nghị rà soát lại căn cứ pháp lý trong dự thảo.'];
const APOLOGY_REASONS: readonly ((title: string, agency: string) => string)[] = [
  (title, agency) => `Hồ sơ cần xác minh thêm tại nơi cư trú trước đây nên chưa trả kết quả đúng hẹn. ${agency} xin lỗi ${title} và hẹn lại ngày trả kết quả.`,
  (title, agency) => `Do chờ ý kiến của cơ quan liên quan, hồ sơ chưa giải quyết kịp thời hạn. ${agency} thành thật xin lỗi ${title} vì sự chậm trễ này.`,
  (title) => `Hệ thống cơ sở dữ liệu hộ tịch gián đoạn nên chưa trả kết quả đúng hẹn. Xin lỗi ${title} và hẹn lại ngày trả kết quả.`,
];

function transferNote(kit: Kit, d: Draft, to: Office): string {
  const { rng } = kit;
  const code = d.proc.code;
  if (to === d.home) return rng.pick(['Đã xác minh tại địa phương, gửi lại kết quả xác minh.', 'Kết quả xác minh: thông tin nơi cư trú của người yêu cầu khớp với hồ sơ.']);
  if (to === kit.stp) return code === '1.004859' ? 'Đề nghị Sở Tư pháp cho ý kiến về việc cải chính, bổ sung thông tin hộ tịch.' : 'Xin ý kiến Sở Tư pháp trước khi giải quyết.';
  if (to === kit.ward) return rng.pick(['Đề nghị UBND phường Ba Đình xác minh nơi cư trú của người yêu cầu.', 'Đề nghị UBND phường Ba Đình xác minh thông tin nhân thân trong hồ sơ.']);
  if (TO_POLICE.includes(code)) return 'Liên thông: chuyển cơ quan công an giải quyết phần đăng ký cư trú.';
  return 'Liên thông: chuyển cơ quan bảo hiểm xã hội cấp thẻ bảo hiểm y tế.';
}

function decisionSummary(rng: Rng, proc: Proc, granted: boolean, on: string): string {
  if (!granted) return `Không giải quyết: ${rng.pick(['người yêu cầu không đủ điều kiện theo quy định', 'kết quả xác minh không khớp với thông tin kê khai', 'thông tin trong hồ sơ không thống nhất với Cơ sở dữ liệu hộ tịch điện tử'])}.`;
  const result = proc.result.replace(/ số \d+ hoặc số \d+/, '').split(/[;(]| hoặc | nếu /)[0]?.trim() || proc.result;
  return `Đồng ý giải quyết. Kết quả: ${result}. Số vào sổ: ${rng.int(12, 980)}/${on.slice(0, 4)}.`;
}
