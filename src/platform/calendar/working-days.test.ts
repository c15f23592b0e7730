import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  type CalendarData,
  countWorkingDays,
  dayNumber,
  dueDate,
  fromDayNumber,
  isWorkingDay,
  nextWorkingDay,
  remainingWorkingDays,
  resume,
  weekday,
} from './working-days.ts';
import { offsetMinutes, toZonedIso, zonedInstant, zonedParts } from './zone.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const OPEN = { hour: 8 };
const END = { hour: 17 };
const BASE = dayNumber('2024-01-01');
const SPAN = 4 * 366;

/** Random calendars over 2024–2027: any day may be a holiday, a weekend day may be worked. */
const calendarArb: fc.Arbitrary<CalendarData> = fc
  .record({
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: SPAN }), { maxLength: 250 }),
    worked: fc.uniqueArray(fc.integer({ min: 0, max: SPAN }), { maxLength: 60 }),
  })
  .map(({ holidays, worked }) => ({
    holidays: new Map(holidays.map((i) => [fromDayNumber(BASE + i), `holiday ${i}`])),
    workingWeekends: new Set(worked.map((i) => fromDayNumber(BASE + i)).filter((d) => weekday(d) % 6 === 0)),
  }));
const dateArb = fc.integer({ min: 0, max: 3 * 365 }).map((i) => fromDayNumber(BASE + i));
const nArb = fc.integer({ min: 0, max: 60 });
const cutoffArb = fc.record({ hour: fc.integer({ min: 9, max: 16 }), minute: fc.integer({ min: 0, max: 59 }) });
const at = (date: string, h: number, m = 0, s = 0) => new Date(zonedInstant(date, { hour: h, minute: m }, TZ).getTime() + s * 1000);

describe('working days: properties on random calendars', () => {
  it('the due date is a working day, and dueAt is office end on it', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, fc.integer({ min: 0, max: 86_399 }), nArb, fc.option(cutoffArb, { nil: undefined }), (cal, d, sec, n, cutoff) => {
        const due = dueDate(cal, { receivedAt: at(d, 0, 0, sec), workingDays: n, cutoff, timeZone: TZ, officeEnd: END });
        expect(isWorkingDay(cal, due.dueDate)).toBe(true);
        expect(isWorkingDay(cal, due.effectiveStart)).toBe(true);
        expect(due.effectiveStart >= d).toBe(true);
        expect(zonedParts(due.dueAt, TZ)).toEqual({ date: due.dueDate, seconds: 17 * 3600 });
        expect(countWorkingDays(cal, due.effectiveStart, due.dueDate)).toBe(n);
      }),
    );
  });

  it('addWorkingDays is monotonic in n', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, nArb, (cal, d, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addWorkingDays(cal, d, lo) <= addWorkingDays(cal, d, hi)).toBe(true);
        if (lo < hi) expect(addWorkingDays(cal, d, lo) < addWorkingDays(cal, d, hi)).toBe(true);
      }),
    );
  });

  it('addWorkingDays composes: (d + a) + b = d + (a + b)', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, nArb, (cal, d, a, b) => {
        expect(addWorkingDays(cal, addWorkingDays(cal, d, a), b)).toBe(addWorkingDays(cal, d, a + b));
      }),
    );
  });

  it('countWorkingDays(d, d + n) = n, and counting is antisymmetric', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, dateArb, (cal, d, n, e) => {
        expect(countWorkingDays(cal, d, addWorkingDays(cal, d, n))).toBe(n);
        expect(countWorkingDays(cal, e, d) + countWorkingDays(cal, d, e)).toBe(0);
      }),
    );
  });

  it('counting back undoes counting forward from a working day', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, (cal, d0, n) => {
        const d = isWorkingDay(cal, d0) ? d0 : nextWorkingDay(cal, d0);
        expect(addWorkingDays(cal, addWorkingDays(cal, d, n), -n)).toBe(d);
      }),
    );
  });

  it('a receipt at or after the cut-off, or on a day off, is the same as one at the next working day’s opening', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, cutoffArb, fc.integer({ min: 0, max: 86_399 }), (cal, d, n, cutoff, sec) => {
        const cutoffSec = cutoff.hour * 3600 + cutoff.minute * 60;
        // On a working day only times from the cut-off on; on a day off, any time.
        const s = isWorkingDay(cal, d) ? cutoffSec + (sec % (86_400 - cutoffSec)) : sec;
        const rule = { workingDays: n, cutoff, timeZone: TZ, officeEnd: END };
        const late = dueDate(cal, { ...rule, receivedAt: at(d, 0, 0, s) });
        const opening = dueDate(cal, { ...rule, receivedAt: zonedInstant(nextWorkingDay(cal, d), OPEN, TZ) });
        expect(late).toEqual(opening);
      }),
    );
  });

  it('a pause moves the deadline by exactly the working days spent waiting', () => {
    fc.assert(
      fc.property(calendarArb, dateArb, nArb, nArb, nArb, cutoffArb, (cal, d, n, c, k, cutoff) => {
        const rule = { cutoff, timeZone: TZ, officeEnd: END };
        const original = dueDate(cal, { ...rule, receivedAt: at(d, 9), workingDays: n });
        const pausedOn = addWorkingDays(cal, original.effectiveStart, c);
        const remaining = remainingWorkingDays(cal, original.effectiveStart, n, pausedOn);
        expect(remaining).toBe(n - c);
        const resumedOn = addWorkingDays(cal, pausedOn, k);
        const resumed = resume(cal, { ...rule, remaining, resumedAt: zonedInstant(resumedOn, OPEN, TZ) });
        expect(resumed.dueDate).toBe(addWorkingDays(cal, original.dueDate, k));
      }),
    );
  });
});

describe('working days: rules spelled out', () => {
  const cal: CalendarData = { holidays: new Map([['2025-04-30', 'Chiến thắng']]), workingWeekends: new Set(['2025-04-26']) };

  it('knows weekends, holidays and worked Saturdays', () => {
    expect(weekday('2025-04-26')).toBe(6);
    expect(isWorkingDay(cal, '2025-04-25')).toBe(true);
    expect(isWorkingDay(cal, '2025-04-26')).toBe(true);
    expect(isWorkingDay(cal, '2025-04-27')).toBe(false);
    expect(isWorkingDay(cal, '2025-04-30')).toBe(false);
    expect(nextWorkingDay(cal, '2025-04-29')).toBe('2025-05-01');
    expect(addWorkingDays(cal, '2025-04-27', 0)).toBe('2025-04-27');
    expect(addWorkingDays(cal, '2025-05-01', -2)).toBe('2025-04-28');
  });

  it('N = 0 is the same working day; the day of receipt does not count', () => {
    const rule = { timeZone: TZ, officeEnd: END, cutoff: { hour: 15 } };
    expect(dueDate(cal, { ...rule, receivedAt: at('2025-04-25', 10), workingDays: 0 }).dueDate).toBe('2025-04-25');
    expect(dueDate(cal, { ...rule, receivedAt: at('2025-04-25', 10), workingDays: 1 }).dueDate).toBe('2025-04-26');
    // 15:00:00 is already after the cut-off; 14:59:59 is not.
    expect(dueDate(cal, { ...rule, receivedAt: at('2025-04-29', 14, 59, 59), workingDays: 0 }).effectiveStart).toBe('2025-04-29');
    expect(dueDate(cal, { ...rule, receivedAt: at('2025-04-29', 15), workingDays: 0 }).effectiveStart).toBe('2025-05-01');
  });

  it('judges the day in the configured zone: 23:30 UTC is already the next morning in Hanoi', () => {
    const receivedAt = new Date('2025-04-24T23:30:00Z'); // Fri 25/04 06:30 in Hanoi
    expect(dueDate(cal, { receivedAt, workingDays: 0, timeZone: TZ, officeEnd: END }).effectiveStart).toBe('2025-04-25');
    expect(dueDate(cal, { receivedAt, workingDays: 0, timeZone: 'UTC', officeEnd: END }).effectiveStart).toBe('2025-04-24');
  });

  it('refuses bad input', () => {
    expect(() => dueDate(cal, { receivedAt: new Date(), workingDays: -1, timeZone: TZ, officeEnd: END })).toThrow(RangeError);
    expect(() => dueDate(cal, { receivedAt: new Date(), workingDays: 1.5, timeZone: TZ, officeEnd: END })).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2025-02-30', 1)).toThrow(RangeError);
    const allOff: CalendarData = { holidays: new Map(Array.from({ length: 800 }, (_, i) => [fromDayNumber(BASE + i), 'x'])), workingWeekends: new Set() };
    expect(() => nextWorkingDay(allOff, '2024-01-01')).toThrow(/holiday table/);
  });
});

describe('time zones through Intl', () => {
  it('Asia/Ho_Chi_Minh is UTC+7 all year', () => {
    expect(zonedInstant('2025-02-07', END, TZ).toISOString()).toBe('2025-02-07T10:00:00.000Z');
    expect(offsetMinutes(new Date('2025-07-01T00:00:00Z'), TZ)).toBe(420);
    expect(toZonedIso(new Date('2025-02-07T10:00:00Z'), TZ)).toBe('2025-02-07T17:00:00+07:00');
  });

  it('follows daylight saving where a zone has it', () => {
    const ny = 'America/New_York';
    expect(zonedInstant('2025-03-08', { hour: 12 }, ny).toISOString()).toBe('2025-03-08T17:00:00.000Z');
    expect(zonedInstant('2025-03-09', { hour: 12 }, ny).toISOString()).toBe('2025-03-09T16:00:00.000Z');
    expect(toZonedIso(new Date('2025-07-01T16:00:00Z'), ny)).toBe('2025-07-01T12:00:00-04:00');
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 4, max: 23 }), fc.integer({ min: 0, max: 59 }), (d, h, m) => {
        expect(zonedParts(zonedInstant(d, { hour: h, minute: m }, ny), ny)).toEqual({ date: d, seconds: h * 3600 + m * 60 });
      }),
    );
  });
});
