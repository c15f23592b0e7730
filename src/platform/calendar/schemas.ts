import { z } from 'zod';
import { isValidDate, isWeekend } from './working-days.ts';

export const dayKinds = ['holiday', 'working-weekend'] as const;
export type DayKind = (typeof dayKinds)[number];

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

/** A real date written YYYY-MM-DD, in the years the calendar covers. */
export const isoDate = z.string().superRefine((d, ctx) => {
  const year = Number(d.slice(0, 4));
  if (!isValidDate(d)) ctx.addIssue({ code: 'custom', message: 'calendar.date' });
  else if (year < MIN_YEAR || year > MAX_YEAR) ctx.addIssue({ code: 'custom', message: 'calendar.yearRange' });
});

export const yearSchema = z.coerce.number().int().min(MIN_YEAR).max(MAX_YEAR);

/** What an admin sets for one date (the date itself is the key). */
export const dayInputSchema = z.strictObject({
  kind: z.enum(dayKinds),
  name: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().max(200).default(''),
  legalBasis: z
    .string()
    .trim()
    .max(300)
    .optional()
    .transform((v) => v || undefined),
});
export type DayInput = z.input<typeof dayInputSchema>;

/** A working Saturday/Sunday must be a Saturday or a Sunday. */
export function kindIssue(date: string, kind: DayKind): string | undefined {
  return kind === 'working-weekend' && !isWeekend(date) ? 'calendar.notWeekend' : undefined;
}

/**
 * data/calendar/vn-YYYY.json: the days of one year that differ from "Monday–Friday". `source`
 * names the official notice, or says "unconfirmed" when its number was not verified.
 */
export const yearFileSchema = z
  .strictObject({
    formatVersion: z.literal(1),
    year: z.number().int().min(MIN_YEAR).max(MAX_YEAR),
    notes: z.array(z.string()).optional(),
    days: z.array(
      z.strictObject({
        date: isoDate,
        kind: z.enum(dayKinds),
        name: z.string().min(1).max(200),
        nameEn: z.string().min(1).max(200),
        source: z.string().min(1).max(300),
      }),
    ),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.days.forEach((d, i) => {
      const path = ['days', i, 'date'];
      if (!d.date.startsWith(`${file.year}-`)) ctx.addIssue({ code: 'custom', path, message: `${d.date} is not in ${file.year}` });
      if (seen.has(d.date)) ctx.addIssue({ code: 'custom', path, message: `${d.date} is listed twice` });
      if (isValidDate(d.date) && kindIssue(d.date, d.kind)) ctx.addIssue({ code: 'custom', path, message: `${d.date} is not a Saturday or Sunday` });
      seen.add(d.date);
    });
  });
export type YearFile = z.infer<typeof yearFileSchema>;
