import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Actor } from '../audit/index.ts';
import { AppError, type FieldIssue, fromZodIssues, validationError } from '../http/errors.ts';
import type { Platform } from '../index.ts';
import './messages.ts';
import { type DayInput, type DayKind, dayInputSchema, isoDate, kindIssue, yearFileSchema } from './schemas.ts';
import { CalendarStore, type DayRow } from './store.ts';
import * as wd from './working-days.ts';
import { type ClockTime, zonedParts } from './zone.ts';

export { registerCalendarRoutes } from './routes.ts';
export { type DayInput, type DayKind, dayKinds, type YearFile, yearFileSchema } from './schemas.ts';
export type { CalendarData, DueDate } from './working-days.ts';
export { type ClockTime, localDate, toZonedIso, zonedInstant } from './zone.ts';

export interface CalendarDay {
  date: string;
  kind: DayKind;
  name: string;
  nameEn: string;
  legalBasis: string | null;
  updatedAt: string;
}

export interface CalendarYear {
  year: number;
  days: CalendarDay[];
  /** Working days in the year by the table as it stands. */
  workingDays: number;
  seededFrom: string | null;
}

/** A deadline; `provisional` when a year it spans has no day in the table (not configured yet). */
export interface ScheduledDue extends wd.DueDate {
  provisional: boolean;
}

export interface DueDateRequest {
  receivedAt: Date;
  workingDays: number;
  /** The procedure's or agency's cut-off, e.g. { hour: 15 }: receipts from then on count from the next working day. */
  cutoff?: ClockTime;
  /** Overrides the office closing time for this agency. */
  officeEnd?: ClockTime;
}

export interface WorkingCalendarOptions {
  /** Office hours in the configured zone; deadlines fall at `end`. Default 08:00–17:00. */
  officeHours?: { start: ClockTime; end: ClockTime };
  /** How stale another instance's edit may be seen here; default config.searchRefreshMs. */
  refreshMs?: number;
  /** Where ensureSeeded finds the year files; default data/calendar of this checkout. */
  dataDir?: string;
}

const SYSTEM: Actor = { id: null, label: 'system:calendar', ip: null, requestId: null };
const defaultDataDir = fileURLToPath(new URL('../../../data/calendar/', import.meta.url));
const yearOf = (date: string) => Number(date.slice(0, 4));

/** The table rows of some years, as CalendarData; replaced whole when the revision moves. */
class Snapshot implements wd.CalendarData {
  readonly holidays = new Map<string, string>();
  readonly workingWeekends = new Set<string>();
  /** Loaded years → number of rows (0: the year is not configured). */
  readonly years = new Map<number, number>();
  readonly loading = new Map<number, Promise<void>>();
  constructor(
    readonly revision: number,
    public checkedAt: number,
  ) {}
}

/**
 * Working days and deadlines over the admin-maintained holiday table. Reads are served from a
 * per-year cache that every instance drops when the revision in calendar_state moves, so an
 * edit made on one instance is seen by all within `refreshMs`.
 */
export class WorkingCalendar {
  readonly timeZone: string;
  readonly officeHours: { start: ClockTime; end: ClockTime };
  private readonly store: CalendarStore;
  private readonly refreshMs: number;
  private readonly dataDir: string;
  private snapshot: Snapshot | null = null;

  constructor(
    private readonly platform: Platform,
    opts: WorkingCalendarOptions = {},
  ) {
    this.store = new CalendarStore(platform.db);
    this.timeZone = platform.config.timeZone;
    this.officeHours = opts.officeHours ?? { start: { hour: 8 }, end: { hour: 17 } };
    this.refreshMs = opts.refreshMs ?? platform.config.searchRefreshMs;
    this.dataDir = opts.dataDir ?? defaultDataDir;
  }

  /** The local date ('YYYY-MM-DD') of an instant in the configured zone. */
  localDate(instant: Date = new Date()): string {
    return zonedParts(instant, this.timeZone).date;
  }

  // ---- working-day arithmetic

  async isWorkingDay(date: string): Promise<boolean> {
    wd.dayNumber(date);
    return wd.isWorkingDay(await this.years(yearOf(date), yearOf(date)), date);
  }

  /** The first working day strictly after `date`. */
  async nextWorkingDay(date: string): Promise<string> {
    return (await this.reach(date, 1, (cal) => wd.nextWorkingDay(cal, date), (d) => d)).result;
  }

  /** The n-th working day after `date` (n = 0: `date`; negative: before). */
  async addWorkingDays(date: string, n: number): Promise<string> {
    return (await this.reach(date, n, (cal) => wd.addWorkingDays(cal, date, n), (d) => d)).result;
  }

  /** Working days in (fromExclusive, toInclusive]; negative when `to` is earlier. */
  async countWorkingDays(fromExclusive: string, toInclusive: string): Promise<number> {
    const [a, b] = [yearOf(fromExclusive), yearOf(toInclusive)].sort((x, y) => x - y) as [number, number];
    return wd.countWorkingDays(await this.years(a, b), fromExclusive, toInclusive);
  }

  /** The deadline of a dossier: see working-days.ts dueDate for the rule. */
  async dueDate(req: DueDateRequest): Promise<ScheduledDue> {
    const rule = this.rule(req);
    return this.schedule(req.receivedAt, req.workingDays, (cal) => wd.dueDate(cal, { ...rule, receivedAt: req.receivedAt, workingDays: req.workingDays }));
  }

  /** Working days left when the clock stops at `pausedAt` (see working-days.ts for the rule). */
  async remainingWorkingDays(effectiveStart: string, budget: number, pausedAt: Date): Promise<number> {
    const pausedOn = this.localDate(pausedAt);
    return wd.remainingWorkingDays(await this.years(yearOf(effectiveStart), Math.max(yearOf(effectiveStart), yearOf(pausedOn))), effectiveStart, budget, pausedOn);
  }

  /** The new deadline when the papers arrive: the arrival counts like a new receipt. */
  async resume(req: { remaining: number; resumedAt: Date; cutoff?: ClockTime; officeEnd?: ClockTime }): Promise<ScheduledDue> {
    const rule = this.rule(req);
    return this.schedule(req.resumedAt, req.remaining, (cal) => wd.resume(cal, { ...rule, remaining: req.remaining, resumedAt: req.resumedAt }));
  }

  private rule(req: { cutoff?: ClockTime; officeEnd?: ClockTime }): wd.ReceiptRule {
    return { cutoff: req.cutoff, timeZone: this.timeZone, officeEnd: req.officeEnd ?? this.officeHours.end };
  }

  private async schedule(at: Date, n: number, run: (cal: wd.CalendarData) => wd.DueDate): Promise<ScheduledDue> {
    const { result, snap } = await this.reach(this.localDate(at), n, run, (r) => r.dueDate);
    let provisional = false;
    const [a, b] = [yearOf(result.effectiveStart), yearOf(result.dueDate)].sort((x, y) => x - y) as [number, number];
    for (let y = a; y <= b; y++) if (!snap.years.get(y)) provisional = true;
    return { ...result, provisional };
  }

  /**
   * Runs a computation that walks `n` working days from `from` with enough years loaded: a
   * generous window first, widened and re-run if the result lands outside it.
   */
  private async reach<T>(from: string, n: number, run: (cal: wd.CalendarData) => T, reached: (r: T) => string): Promise<{ result: T; snap: Snapshot }> {
    const y = yearOf(from);
    const span = Math.ceil(Math.abs(n) / 200) + 1;
    let [lo, hi] = n < 0 ? [y - span, y] : [y, y + span];
    for (;;) {
      const snap = await this.years(lo, hi);
      const result = run(snap);
      const end = yearOf(reached(result));
      if (end >= lo && end <= hi) return { result, snap };
      lo = Math.min(lo, end);
      hi = Math.max(hi, end);
    }
  }

  private async years(lo: number, hi: number): Promise<Snapshot> {
    const snap = await this.fresh();
    const loads: Promise<void>[] = [];
    for (let y = lo; y <= hi; y++) if (!snap.years.has(y)) loads.push(this.loadYear(snap, y));
    await Promise.all(loads);
    return snap;
  }

  private loadYear(snap: Snapshot, year: number): Promise<void> {
    let p = snap.loading.get(year);
    if (!p) {
      p = this.store.daysOfYear(year).then((rows) => {
        for (const r of rows) {
          if (r.kind === 'holiday') snap.holidays.set(r.date, r.name);
          else snap.workingWeekends.add(r.date);
        }
        snap.years.set(year, rows.length);
      });
      p.catch(() => snap.loading.delete(year));
      snap.loading.set(year, p);
    }
    return p;
  }

  private async fresh(): Promise<Snapshot> {
    const now = Date.now();
    const current = this.snapshot;
    if (current && now - current.checkedAt < this.refreshMs) return current;
    const revision = await this.store.revision();
    if (this.snapshot?.revision === revision) {
      this.snapshot.checkedAt = now;
      return this.snapshot;
    }
    this.snapshot = new Snapshot(revision, now);
    return this.snapshot;
  }

  // ---- administration

  async listYear(year: number): Promise<CalendarYear> {
    const [rows, seed, workingDays] = await Promise.all([
      this.store.daysOfYear(year),
      this.store.getSeed(year),
      this.countWorkingDays(`${year - 1}-12-31`, `${year}-12-31`),
    ]);
    return { year, days: rows.map(toDay), workingDays, seededFrom: seed?.file ?? null };
  }

  /** Adds or replaces the day at `date`, with an audit entry in the same transaction. */
  async setDay(date: string, input: DayInput, actor: Actor): Promise<CalendarDay> {
    const issues: FieldIssue[] = [];
    const d = isoDate.safeParse(date);
    if (!d.success) issues.push(...fromZodIssues(d.error.issues, 'date'));
    const parsed = dayInputSchema.safeParse(input);
    if (!parsed.success) issues.push(...fromZodIssues(parsed.error.issues));
    const wrongKind = d.success && parsed.success ? kindIssue(date, parsed.data.kind) : undefined;
    if (wrongKind) issues.push({ field: 'kind', key: wrongKind });
    if (issues.length || !parsed.success) throw validationError(issues);
    const v = parsed.data;
    const row: DayRow = { date, kind: v.kind, name: v.name, name_en: v.nameEn, legal_basis: v.legalBasis ?? null, updated_at: new Date().toISOString() };
    await this.store.transaction(async (trx) => {
      const before = await this.store.getDay(date, trx);
      await this.store.putDay(trx, row);
      await this.store.bumpRevision(trx);
      await this.platform.audit.record(
        { ...who(actor), action: 'calendar.day.set', targetType: 'calendar_day', targetId: date, before: before ? toDay(before) : undefined, after: toDay(row) },
        trx,
      );
    });
    this.snapshot = null;
    return toDay(row);
  }

  /** Removes the day at `date` (it becomes an ordinary day again); 404 when it is not there. */
  async removeDay(date: string, actor: Actor): Promise<CalendarDay> {
    const d = isoDate.safeParse(date);
    if (!d.success) throw validationError(fromZodIssues(d.error.issues, 'date'));
    const removed = await this.store.transaction(async (trx) => {
      const before = await this.store.getDay(date, trx);
      if (!before) throw new AppError(404, 'CALENDAR_DAY_NOT_FOUND', 'calendar.dayNotFound', { params: { date } });
      await this.store.deleteDay(trx, date);
      await this.store.bumpRevision(trx);
      await this.platform.audit.record({ ...who(actor), action: 'calendar.day.remove', targetType: 'calendar_day', targetId: date, before: toDay(before) }, trx);
      return toDay(before);
    });
    this.snapshot = null;
    return removed;
  }

  /**
   * Seeds one year from a year file (text or parsed JSON). Idempotent: a year is seeded once,
   * and a file never overwrites a date that already has a row, so admins' edits win.
   */
  async loadYearFile(json: unknown, opts: { file?: string; actor?: Actor } = {}): Promise<{ year: number; loaded: boolean; added: number }> {
    const file = opts.file ?? '(inline)';
    const parsed = yearFileSchema.safeParse(typeof json === 'string' ? JSON.parse(json) : json);
    if (!parsed.success) throw new Error(`calendar file ${file} is invalid:\n${z.prettifyError(parsed.error)}`);
    const { year, days } = parsed.data;
    const now = new Date().toISOString();
    const result = await this.store.transaction(async (trx) => {
      if (!(await this.store.claimSeed(trx, year, file, now))) return { year, loaded: false, added: 0 };
      let added = 0;
      for (const d of days) {
        const row: DayRow = { date: d.date, kind: d.kind, name: d.name, name_en: d.nameEn, legal_basis: d.source, updated_at: now };
        if (await this.store.addDayIfAbsent(trx, row)) added++;
      }
      await this.store.bumpRevision(trx);
      await this.platform.audit.record(
        { ...who(opts.actor ?? SYSTEM), action: 'calendar.year.load', targetType: 'calendar_year', targetId: String(year), after: { file, days: days.length, added } },
        trx,
      );
      return { year, loaded: true, added };
    });
    if (result.loaded) this.snapshot = null;
    return result;
  }

  /** Seeds every year file in the data directory whose year is not seeded yet; returns the years loaded. */
  async ensureSeeded(dir: string = this.dataDir): Promise<number[]> {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const seeded = await this.store.seededYears();
    const loaded: number[] = [];
    for (const f of files) {
      const json: unknown = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
      const year = (json as { year?: unknown }).year;
      if (typeof year === 'number' && seeded.has(year)) continue;
      const r = await this.loadYearFile(json, { file: f });
      if (r.loaded) loaded.push(r.year);
    }
    return loaded;
  }
}

function toDay(r: DayRow): CalendarDay {
  return { date: r.date, kind: r.kind, name: r.name, nameEn: r.name_en, legalBasis: r.legal_basis, updatedAt: r.updated_at };
}

function who(actor: Actor) {
  return { actorId: actor.id, actorLabel: actor.label, ip: actor.ip, requestId: actor.requestId };
}
