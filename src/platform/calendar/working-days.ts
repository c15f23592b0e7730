import { type ClockTime, zonedInstant, zonedParts } from './zone.ts';

/**
 * Working-day arithmetic, pure, over an injected calendar. Dates are 'YYYY-MM-DD' strings
 * judged in the configured time zone. A day is a working day when it is Monday–Friday and not
 * a holiday, or when it is a Saturday/Sunday the calendar makes a working day (làm bù).
 */
export interface CalendarData {
  /** Days off by date ('YYYY-MM-DD' → name): public holidays, compensatory and swapped days. */
  holidays: ReadonlyMap<string, string>;
  /** Saturdays and Sundays that are working days. */
  workingWeekends: ReadonlySet<string>;
}

export interface DueDate {
  /** The working day that counts as the day of receipt. */
  effectiveStart: string;
  dueDate: string;
  /** The end of office hours on the due date, as an instant. */
  dueAt: Date;
}

export interface ReceiptRule {
  /** Received at this local time or later counts as received on the next working day. */
  cutoff?: ClockTime;
  timeZone: string;
  /** Office closing time: a deadline falls at this time on its due date. */
  officeEnd: ClockTime;
}

const DAY_MS = 86_400_000;
/** No real calendar has a year without a working day: beyond this, the data is wrong. */
const MAX_GAP_DAYS = 366;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid 'YYYY-MM-DD'; throws RangeError otherwise. */
export function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (m) {
    const n = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
    if (fromDayNumber(n) === date) return n;
  }
  throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
}

export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function isValidDate(date: string): boolean {
  try {
    dayNumber(date);
    return true;
  } catch {
    return false;
  }
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: string): boolean {
  const d = weekday(date);
  return d === 0 || d === 6;
}

export function isWorkingDay(cal: CalendarData, date: string): boolean {
  if (cal.holidays.has(date)) return false;
  return !isWeekend(date) || cal.workingWeekends.has(date);
}

/** The first working day strictly after `date` (or strictly before, with step -1). */
export function nextWorkingDay(cal: CalendarData, date: string, step: 1 | -1 = 1): string {
  let n = dayNumber(date);
  for (let i = 0; i < MAX_GAP_DAYS; i++) {
    n += step;
    const d = fromDayNumber(n);
    if (isWorkingDay(cal, d)) return d;
  }
  throw new RangeError(`no working day within ${MAX_GAP_DAYS} days of ${date}: check the holiday table`);
}

/**
 * The n-th working day after `date` (Civil Code art. 147: the starting day is not counted).
 * n = 0 returns `date` itself; a negative n counts back (the |n|-th working day before).
 */
export function addWorkingDays(cal: CalendarData, date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer: ${n}`);
  dayNumber(date);
  let d = date;
  for (let i = 0; i < Math.abs(n); i++) d = nextWorkingDay(cal, d, n < 0 ? -1 : 1);
  return d;
}

/** Working days in (fromExclusive, toInclusive]; negative when `to` is before `from`. */
export function countWorkingDays(cal: CalendarData, fromExclusive: string, toInclusive: string): number {
  const a = dayNumber(fromExclusive);
  const b = dayNumber(toInclusive);
  const [lo, hi, sign] = b < a ? [b, a, -1] : [a, b, 1];
  let count = 0;
  for (let n = lo + 1; n <= hi; n++) if (isWorkingDay(cal, fromDayNumber(n))) count += sign;
  return count;
}

/**
 * The working day a receipt counts from: the local day of `receivedAt` if it is a working day
 * and the receipt came before the cut-off (at hh:mm or later is after it), else the next one.
 */
export function effectiveStart(cal: CalendarData, receivedAt: Date, rule: Pick<ReceiptRule, 'cutoff' | 'timeZone'>): string {
  const { date, seconds } = zonedParts(receivedAt, rule.timeZone);
  const late = rule.cutoff !== undefined && seconds >= rule.cutoff.hour * 3600 + (rule.cutoff.minute ?? 0) * 60;
  return isWorkingDay(cal, date) && !late ? date : nextWorkingDay(cal, date);
}

/**
 * The deadline of a dossier received at `receivedAt` with `workingDays` to handle it: the
 * N-th working day after the effective start (N = 0: that same working day), at office end.
 */
export function dueDate(cal: CalendarData, input: ReceiptRule & { receivedAt: Date; workingDays: number }): DueDate {
  if (!Number.isInteger(input.workingDays) || input.workingDays < 0) {
    throw new RangeError(`working days must be a whole number ≥ 0: ${input.workingDays}`);
  }
  return schedule(cal, input.receivedAt, input.workingDays, input);
}

function schedule(cal: CalendarData, receivedAt: Date, workingDays: number, rule: ReceiptRule): DueDate {
  const start = effectiveStart(cal, receivedAt, rule);
  const due = addWorkingDays(cal, start, workingDays);
  return { effectiveStart: start, dueDate: due, dueAt: zonedInstant(due, rule.officeEnd, rule.timeZone) };
}

/**
 * Pausing (the clock stops while the dossier waits for papers). The working days used are those
 * in (effectiveStart, pausedOn]: the day of pausing counts as used, the day of receipt does not,
 * so a pause on the day of receipt uses nothing. The result is negative when the dossier was
 * paused after its deadline had passed.
 */
export function remainingWorkingDays(cal: CalendarData, effectiveStartDate: string, budget: number, pausedOn: string): number {
  return budget - Math.max(0, countWorkingDays(cal, effectiveStartDate, pausedOn));
}

/**
 * Resuming: the day the papers arrive counts like a new receipt (same cut-off and non-working
 * day rules), and the remaining working days run from there. So a pause resumed before the
 * cut-off on the working day it began leaves the deadline where it was, and each working day
 * spent waiting moves it by one working day. A negative `remaining` (paused when already late)
 * gives a due date that many working days before the resumption: the dossier stays late.
 */
export function resume(cal: CalendarData, input: ReceiptRule & { remaining: number; resumedAt: Date }): DueDate {
  if (!Number.isInteger(input.remaining)) throw new RangeError(`remaining must be an integer: ${input.remaining}`);
  return schedule(cal, input.resumedAt, input.remaining, input);
}
