import { describe, expect, it } from 'vitest';
import { civilDateTime, formatAdminDate, formatAdminDateTime, formatAdminTime, formatPlaceDate } from './vn-date.ts';

describe('administrative dates', () => {
  it('writes the date with a leading zero on days below 10 and on months 1 and 2 only', () => {
    expect(formatAdminDate(new Date('2026-11-27T01:30:00Z'))).toBe('ngày 27 tháng 11 năm 2026');
    expect(formatAdminDate(new Date('2026-02-05T01:30:00Z'))).toBe('ngày 05 tháng 02 năm 2026');
    expect(formatAdminDate(new Date('2026-01-15T01:30:00Z'))).toBe('ngày 15 tháng 01 năm 2026');
    expect(formatAdminDate(new Date('2026-03-01T01:30:00Z'))).toBe('ngày 01 tháng 3 năm 2026');
    expect(formatAdminDate(new Date('2026-09-09T01:30:00Z'))).toBe('ngày 09 tháng 9 năm 2026');
  });

  it('reads the wall clock of the time zone it is given (Asia/Ho_Chi_Minh by default)', () => {
    const lateEveningUtc = new Date('2026-11-26T18:30:00Z');
    expect(formatAdminDateTime(lateEveningUtc)).toBe('01 giờ 30 phút, ngày 27 tháng 11 năm 2026');
    expect(formatAdminDateTime(lateEveningUtc, 'UTC')).toBe('18 giờ 30 phút, ngày 26 tháng 11 năm 2026');
    expect(civilDateTime(lateEveningUtc, 'Asia/Ho_Chi_Minh')).toEqual({ year: 2026, month: 11, day: 27, hour: 1, minute: 30 });
  });

  it('writes midnight as 00 giờ and pads minutes', () => {
    expect(formatAdminTime(new Date('2026-11-26T17:05:00Z'))).toBe('00 giờ 05 phút');
  });

  it('builds the place-and-date line', () => {
    expect(formatPlaceDate('Hà Nội', new Date('2026-11-27T03:00:00Z'))).toBe('Hà Nội, ngày 27 tháng 11 năm 2026');
  });

  it('rejects an invalid date and an unknown time zone', () => {
    expect(() => formatAdminDate(new Date('nope'))).toThrow(RangeError);
    expect(() => formatAdminDate(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
