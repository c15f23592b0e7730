import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testActor, testPlatform } from '../../../test/helpers/platform.ts';
import { AppError } from '../http/errors.ts';
import type { Platform } from '../index.ts';
import { WorkingCalendar } from './index.ts';

/** Hanoi wall-clock time as an instant: the tests state times the way a counter clerk sees them. */
const hanoi = (local: string) => new Date(`${local}+07:00`);

describe('WorkingCalendar on the database', () => {
  let t: TestDatabase;
  let platform: Platform;
  let cal: WorkingCalendar;

  beforeAll(async () => {
    t = await createTestDatabase();
    platform = testPlatform(t);
    cal = new WorkingCalendar(platform);
  });
  afterAll(() => t.dispose());

  it('seeds every year file once, even when two instances start together', async () => {
    const other = new WorkingCalendar(platform);
    const [a, b] = await Promise.all([cal.ensureSeeded(), other.ensureSeeded()]);
    expect([...a, ...b].sort()).toEqual([2024, 2025, 2026]);
    expect(await cal.ensureSeeded()).toEqual([]);
    const loads = await platform.audit.list({ targetTypes: ['calendar_year'] });
    expect(loads.map((r) => r.target_id).sort()).toEqual(['2024', '2025', '2026']);
    expect((await cal.listYear(2025)).days).toHaveLength(13);
  });

  it('counts the working days of each seeded year', async () => {
    // 2024: 262 weekdays − 12 days off + Sat 04/05 worked. 2025: 261 − 12 + Sat 26/04.
    expect((await cal.listYear(2024)).workingDays).toBe(251);
    expect((await cal.listYear(2025)).workingDays).toBe(250);
    expect(await cal.listYear(2025)).toMatchObject({ seededFrom: 'vn-2025.json' });
  });

  describe('worked examples on the seeded calendar (Hanoi time, office closes 17:00 = 10:00 UTC)', () => {
    it('Tết Ất Tỵ: 5 working days from Fri 24/01/2025 14:00 are due Fri 07/02/2025', async () => {
      // Receipt day 24/01 is not counted. 25–26 weekend, 27–31/01 Tết, 01–02/02 weekend;
      // then Mon 03/02 (1), Tue 04 (2), Wed 05 (3), Thu 06 (4), Fri 07/02 (5).
      const due = await cal.dueDate({ receivedAt: hanoi('2025-01-24T14:00'), workingDays: 5, cutoff: { hour: 15 } });
      expect(due).toEqual({ effectiveStart: '2025-01-24', dueDate: '2025-02-07', dueAt: new Date('2025-02-07T10:00:00Z'), provisional: false });
    });

    it('30/4–1/5/2025: Tue 29/04 15:30 after a 15:00 cut-off counts from Mon 05/05', async () => {
      // After the cut-off → next working day: 30/4, 1/5, Fri 2/5 (swapped) off, 3–4/5 weekend → Mon 05/05.
      // The worked Saturday 26/04 lies before. 3 working days: Tue 06 (1), Wed 07 (2), Thu 08/05 (3).
      const due = await cal.dueDate({ receivedAt: hanoi('2025-04-29T15:30'), workingDays: 3, cutoff: { hour: 15 } });
      expect(due).toMatchObject({ effectiveStart: '2025-05-05', dueDate: '2025-05-08' });
      // Without the cut-off the same receipt counts from 29/04: Mon 05 (1), Tue 06 (2), Wed 07/05 (3).
      expect((await cal.dueDate({ receivedAt: hanoi('2025-04-29T15:30'), workingDays: 3 })).dueDate).toBe('2025-05-07');
    });

    it('the worked Saturday 26/04/2025 is a working day: 1 working day from Fri 25/04 is Sat 26/04', async () => {
      expect(await cal.isWorkingDay('2025-04-26')).toBe(true);
      expect((await cal.dueDate({ receivedAt: hanoi('2025-04-25T10:00'), workingDays: 1 })).dueDate).toBe('2025-04-26');
      // 2 working days: Sat 26/04 (1), Mon 28/04 (2).
      expect((await cal.dueDate({ receivedAt: hanoi('2025-04-25T10:00'), workingDays: 2 })).dueDate).toBe('2025-04-28');
    });

    it('Quốc khánh 2025: 2 working days from Fri 29/08 are due Thu 04/09', async () => {
      // 30–31/08 weekend, Mon 01/09 and Tue 02/09 off; Wed 03/09 (1), Thu 04/09 (2).
      expect((await cal.dueDate({ receivedAt: hanoi('2025-08-29T09:00'), workingDays: 2 })).dueDate).toBe('2025-09-04');
      // Received on the holiday itself: counts from Wed 03/09; 0 working days = that same day.
      expect(await cal.dueDate({ receivedAt: hanoi('2025-09-02T10:00'), workingDays: 0 })).toMatchObject({ effectiveStart: '2025-09-03', dueDate: '2025-09-03' });
    });

    it('30/4–1/5/2024: Fri 26/04 16:00 after the cut-off, 2 working days, is due on the worked Sat 04/05/2024', async () => {
      // Next working day: 27–28 weekend, Mon 29/04 (swapped), 30/04, 01/05 off → Thu 02/05.
      // Fri 03/05 (1), Sat 04/05 worked (2).
      const due = await cal.dueDate({ receivedAt: hanoi('2024-04-26T16:00'), workingDays: 2, cutoff: { hour: 15 } });
      expect(due).toMatchObject({ effectiveStart: '2024-05-02', dueDate: '2024-05-04' });
    });

    it('across the year end into 2026 (per the seeded 2026 file)', async () => {
      // Wed 31/12/2025 16:00 after the cut-off → 01/01 off, Fri 02/01 swapped, 03–04 weekend → Mon 05/01.
      // Tue 06 (1), Wed 07 (2), Thu 08 (3), Fri 09 (4), Sat 10/01 worked (5).
      const due = await cal.dueDate({ receivedAt: hanoi('2025-12-31T16:00'), workingDays: 5, cutoff: { hour: 15 } });
      expect(due).toMatchObject({ effectiveStart: '2026-01-05', dueDate: '2026-01-10', provisional: false });
    });

    it('an agency closing at 16:30 gets its deadline at 16:30', async () => {
      const due = await cal.dueDate({ receivedAt: hanoi('2025-05-06T10:00'), workingDays: 0, officeEnd: { hour: 16, minute: 30 } });
      expect(due.dueAt.toISOString()).toBe('2025-05-06T09:30:00.000Z');
    });

    it('a pause for missing papers: the deadline moves by the working days spent waiting', async () => {
      // Received Mon 03/02/2025 09:00, 10 working days: 04–07/02 (4), 10–14/02 (9), Mon 17/02 (10).
      const first = await cal.dueDate({ receivedAt: hanoi('2025-02-03T09:00'), workingDays: 10 });
      expect(first.dueDate).toBe('2025-02-17');
      // Paused Wed 05/02: 04 and 05/02 are used, 8 remain.
      const remaining = await cal.remainingWorkingDays(first.effectiveStart, 10, hanoi('2025-02-05T11:00'));
      expect(remaining).toBe(8);
      // Papers arrive Mon 10/02 09:00 (a new receipt day): 11–14/02 (4), 17–20/02 (8) → Thu 20/02,
      // three working days (06, 07, 10/02) after the first deadline.
      const resumed = await cal.resume({ remaining, resumedAt: hanoi('2025-02-10T09:00') });
      expect(resumed).toMatchObject({ effectiveStart: '2025-02-10', dueDate: '2025-02-20' });
    });

    it('says when a deadline runs through a year without any day in the table', async () => {
      expect((await cal.dueDate({ receivedAt: hanoi('2031-12-29T09:00'), workingDays: 3 })).provisional).toBe(true);
    });

    it('walks far: 600 working days load the years on the way', async () => {
      const due = await cal.addWorkingDays('2024-01-02', 600);
      expect(await cal.countWorkingDays('2024-01-02', due)).toBe(600);
      expect(await cal.addWorkingDays(due, -600)).toBe('2024-01-02');
    });
  });

  describe('administration', () => {
    it('sets and replaces a day in one transaction with its audit entry, and deadlines follow at once', async () => {
      expect((await cal.dueDate({ receivedAt: hanoi('2025-11-21T10:00'), workingDays: 1 })).dueDate).toBe('2025-11-24');
      await cal.setDay('2025-11-24', { kind: 'holiday', name: 'Ngày Văn hoá Việt Nam', nameEn: 'Vietnam Culture Day' }, testActor);
      expect((await cal.dueDate({ receivedAt: hanoi('2025-11-21T10:00'), workingDays: 1 })).dueDate).toBe('2025-11-25');

      const day = await cal.setDay('2025-11-24', { kind: 'holiday', name: 'Ngày Văn hoá Việt Nam', nameEn: '', legalBasis: 'Nghị quyết (thử)' }, testActor);
      expect(day).toMatchObject({ date: '2025-11-24', legalBasis: 'Nghị quyết (thử)', nameEn: '' });
      const [latest] = await platform.audit.list({ targetTypes: ['calendar_day'], targetId: '2025-11-24', limit: 1 });
      expect(latest).toMatchObject({ action: 'calendar.day.set', actor_label: 'Test Admin' });
      expect(JSON.parse(latest?.before_json ?? 'null')).toMatchObject({ nameEn: 'Vietnam Culture Day', legalBasis: null });
      expect(JSON.parse(latest?.after_json ?? 'null')).toMatchObject({ legalBasis: 'Nghị quyết (thử)' });
    });

    it('another app instance sees the change through the revision', async () => {
      const other = new WorkingCalendar(platform, { refreshMs: 0 });
      expect(await other.isWorkingDay('2025-12-01')).toBe(true);
      await cal.setDay('2025-12-01', { kind: 'holiday', name: 'Thử', nameEn: 'Test' }, testActor);
      expect(await other.isWorkingDay('2025-12-01')).toBe(false);
      await cal.removeDay('2025-12-01', testActor);
      expect(await other.isWorkingDay('2025-12-01')).toBe(true);
    });

    it('removes a day with an audit entry, and 404s a day that is not there', async () => {
      const removed = await cal.removeDay('2025-11-24', testActor);
      expect(removed.name).toBe('Ngày Văn hoá Việt Nam');
      const [latest] = await platform.audit.list({ targetTypes: ['calendar_day'], targetId: '2025-11-24', limit: 1 });
      expect(latest).toMatchObject({ action: 'calendar.day.remove', after_json: null });
      await expect(cal.removeDay('2025-11-24', testActor)).rejects.toMatchObject({ status: 404, code: 'CALENDAR_DAY_NOT_FOUND' });
    });

    it('refuses bad days, naming the field', async () => {
      const fields = async (p: Promise<unknown>) => {
        const err = await p.then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(AppError);
        return (err as AppError).fields.map((f) => `${f.field}:${f.key}`);
      };
      expect(await fields(cal.setDay('2025-11-26', { kind: 'working-weekend', name: 'Thứ Tư', nameEn: '' }, testActor))).toEqual(['kind:calendar.notWeekend']);
      expect(await fields(cal.setDay('2025-02-29', { kind: 'holiday', name: 'x', nameEn: '' }, testActor))).toEqual(['date:calendar.date']);
      expect(await fields(cal.setDay('2025-11-26', { kind: 'holiday', name: '  ', nameEn: '' }, testActor))).toEqual(['name:http.required']);
      expect(await cal.isWorkingDay('2025-11-26')).toBe(true);
    });

    it('a year file never overwrites a day an admin set before it was loaded', async () => {
      await cal.setDay('2027-01-01', { kind: 'holiday', name: 'Tết Dương lịch (admin)', nameEn: '' }, testActor);
      const file = {
        formatVersion: 1,
        year: 2027,
        days: [
          { date: '2027-01-01', kind: 'holiday', name: 'Tết Dương lịch', nameEn: "New Year's Day", source: 'x' },
          { date: '2027-04-30', kind: 'holiday', name: 'Chiến thắng', nameEn: 'Reunification Day', source: 'x' },
        ],
      };
      expect(await cal.loadYearFile(JSON.stringify(file), { file: 'vn-2027.json' })).toEqual({ year: 2027, loaded: true, added: 1 });
      expect(await cal.loadYearFile(file)).toEqual({ year: 2027, loaded: false, added: 0 });
      expect((await cal.listYear(2027)).days.map((d) => d.name)).toEqual(['Tết Dương lịch (admin)', 'Chiến thắng']);
      await expect(cal.loadYearFile({ ...file, year: 2028 })).rejects.toThrow(/2027-01-01 is not in 2028/);
    });

    it('keeps the audit chain intact', async () => {
      expect((await platform.audit.verify()).ok).toBe(true);
    });
  });
});
