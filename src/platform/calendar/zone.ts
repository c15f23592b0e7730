/**
 * Wall-clock arithmetic in a named IANA time zone, through Intl only: no offset is hard-coded,
 * so the same code serves Asia/Ho_Chi_Minh (fixed +07:00) or a zone with daylight saving.
 */

/** A time of day on the wall clock. */
export interface ClockTime {
  hour: number;
  minute?: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date ('YYYY-MM-DD') and the seconds since local midnight of an instant. */
export function zonedParts(instant: Date, timeZone: string): { date: string; seconds: number } {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, seconds: Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second) };
}

/**
 * Every zone's offset in use is a whole number of quarter hours and changes on a quarter hour,
 * so the local date is the same throughout a UTC quarter hour: one lookup serves it.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const lastDates = new Map<string, { quarter: number; date: string }>();

/** The local date ('YYYY-MM-DD') of an instant on the zone's wall clock. */
export function localDate(instant: Date, timeZone: string): string {
  const quarter = Math.floor(instant.getTime() / QUARTER_HOUR_MS);
  const last = lastDates.get(timeZone);
  if (last?.quarter === quarter) return last.date;
  const date = zonedParts(instant, timeZone).date;
  lastDates.set(timeZone, { quarter, date });
  return date;
}

/** The zone's offset from UTC at an instant, in minutes (420 for Asia/Ho_Chi_Minh). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const { date, seconds } = zonedParts(instant, timeZone);
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d) + seconds * 1000;
  return Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which the wall clock of `timeZone` shows `time` on `date`. */
export function zonedInstant(date: string, time: ClockTime, timeZone: string): Date {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, time.hour, time.minute ?? 0);
  const first = offsetMinutes(new Date(wall), timeZone);
  const guess = wall - first * 60_000;
  // Near a DST change the offset at the guess can differ from the one at the wall time.
  const second = offsetMinutes(new Date(guess), timeZone);
  return new Date(second === first ? guess : wall - second * 60_000);
}

/** ISO 8601 with the zone's offset, e.g. 2025-02-07T17:00:00+07:00. */
export function toZonedIso(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(instant, timeZone);
  const local = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
