/**
 * Dates and times as Vietnamese administrative documents write them.
 *
 * Day and month follow the document-format rule (Decree 30/2020/NĐ-CP): a day below 10 and
 * the months 1 and 2 get a leading zero ("ngày 05 tháng 02 năm 2026", "ngày 27 tháng 11 năm
 * 2026", "ngày 01 tháng 3 năm 2026"). Hours and minutes are two digits ("08 giờ 05 phút").
 * The time zone is a parameter: instants are stored in UTC and shown where the office is.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface CivilDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a time zone. */
export function civilDateTime(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): CivilDateTime {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid date');
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

const two = (n: number) => String(n).padStart(2, '0');

/** "ngày 27 tháng 11 năm 2026" */
export function formatAdminDate(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const c = civilDateTime(instant, timeZone);
  const month = c.month <= 2 ? two(c.month) : String(c.month);
  return `ngày ${two(c.day)} tháng ${month} năm ${c.year}`;
}

/** "08 giờ 05 phút" */
export function formatAdminTime(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const c = civilDateTime(instant, timeZone);
  return `${two(c.hour)} giờ ${two(c.minute)} phút`;
}

/** "08 giờ 05 phút, ngày 27 tháng 11 năm 2026" */
export function formatAdminDateTime(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  return `${formatAdminTime(instant, timeZone)}, ${formatAdminDate(instant, timeZone)}`;
}

/** "Hà Nội, ngày 27 tháng 11 năm 2026" (the place-and-date line under the national motto). */
export function formatPlaceDate(place: string, instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  return `${place}, ${formatAdminDate(instant, timeZone)}`;
}
