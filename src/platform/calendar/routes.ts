import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pageContext, sendPage } from '../../web/layout.ts';
import { actorFromRequest } from '../audit/index.ts';
import type { ApiRegistry } from '../http/api.ts';
import { AppError, type FieldIssue, validate } from '../http/errors.ts';
import { formatDate } from '../i18n/index.ts';
import type { WorkingCalendar } from './index.ts';
import { type DayKind, dayKinds, isoDate, yearSchema } from './schemas.ts';
import { calendarAdminView, type DayForm } from './views.ts';
import { toZonedIso } from './zone.ts';

const lang = z.enum(['vi', 'en']).optional();

const calendarYear = z.object({
  year: z.number().int(),
  workingDays: z.number().int().describe('Working days in the year (Monday–Friday, less days off, plus weekend days worked)'),
  configured: z.boolean().describe('False when the table has no day for this year: the count then skips weekends only'),
  days: z.array(
    z.object({
      date: z.string().describe('YYYY-MM-DD'),
      kind: z.enum(dayKinds).describe('holiday: a day off; working-weekend: a Saturday or Sunday worked (làm bù)'),
      name: z.string(),
      nameEn: z.string(),
      legalBasis: z.string().nullable().describe('The official notice, or "unconfirmed"'),
    }),
  ),
});

const dueDateQuery = z.strictObject({
  receivedAt: z.iso.datetime({ offset: true }).optional().describe('When the dossier is received, ISO 8601 with offset; now by default'),
  workingDays: z.coerce.number().int().min(0).max(1000).describe('Processing time of the procedure, in working days; 0 = the same working day'),
  cutoffHour: z.coerce.number().int().min(0).max(23).optional().describe('Receipts from this local hour on count from the next working day (e.g. 15)'),
  cutoffMinute: z.coerce.number().int().min(0).max(59).optional(),
  lang,
});

const dueDateResult = z.object({
  receivedAt: z.string().describe('ISO 8601 with the local offset'),
  workingDays: z.number().int(),
  effectiveStart: z.string().describe('The working day counted as the day of receipt (YYYY-MM-DD)'),
  dueDate: z.string().describe('YYYY-MM-DD'),
  dueAt: z.string().describe('End of office hours on the due date, ISO 8601 with the local offset'),
  provisional: z.boolean().describe('True when a year in the period has no holidays configured yet'),
});

const dayForm = z.object({
  date: z.string().default(''),
  kind: z.string().default('holiday'),
  name: z.string().default(''),
  nameEn: z.string().default(''),
  legalBasis: z.string().default(''),
});

const emptyForm: DayForm = { date: '', kind: 'holiday', name: '', nameEn: '', legalBasis: '' };

/** The public calendar API (getCalendarYear, computeDueDate) and the city admin's calendar page. */
export function registerCalendarRoutes(app: FastifyInstance, api: ApiRegistry, calendar: WorkingCalendar): void {
  const tz = calendar.timeZone;

  api.add({
    method: 'GET',
    url: '/api/v1/calendar/due-date',
    operationId: 'computeDueDate',
    summary: 'When a dossier received at a given time is due',
    description:
      'Counts working days from the day after receipt (Civil Code art. 147), skipping weekends and the days off of the holiday table and counting weekend days worked. A receipt after the cut-off hour, or on a day off, counts from the next working day.',
    tags: ['calendar'],
    query: dueDateQuery,
    response: dueDateResult,
    handler: async ({ query }) => {
      const receivedAt = query.receivedAt ? new Date(query.receivedAt) : new Date();
      const cutoff = query.cutoffHour === undefined ? undefined : { hour: query.cutoffHour, minute: query.cutoffMinute ?? 0 };
      const due = await calendar.dueDate({ receivedAt, workingDays: query.workingDays, cutoff });
      return {
        receivedAt: toZonedIso(receivedAt, tz),
        workingDays: query.workingDays,
        effectiveStart: due.effectiveStart,
        dueDate: due.dueDate,
        dueAt: toZonedIso(due.dueAt, tz),
        provisional: due.provisional,
      };
    },
  });

  api.add({
    method: 'GET',
    url: '/api/v1/calendar/:year',
    operationId: 'getCalendarYear',
    summary: 'Days off and weekend days worked in a year',
    description: 'The exceptions to "Monday to Friday" for civil servants, from the city’s holiday table.',
    tags: ['calendar'],
    params: z.strictObject({ year: yearSchema.describe('e.g. 2026') }),
    query: z.strictObject({ lang }),
    response: calendarYear,
    handler: async ({ params }) => {
      const c = await calendar.listYear(params.year);
      return {
        year: c.year,
        workingDays: c.workingDays,
        configured: c.days.length > 0,
        days: c.days.map(({ date, kind, name, nameEn, legalBasis }) => ({ date, kind, name, nameEn, legalBasis })),
      };
    },
  });

  app.get('/admin/calendar', async (request, reply) => {
    await request.authorize('calendar.manage');
    const ctx = pageContext(request, reply);
    const q = validate(z.object({ year: yearSchema.optional(), flash: z.string().max(300).optional() }).loose(), request.query);
    const year = q.year ?? Number(calendar.localDate().slice(0, 4));
    return sendPage(reply, ctx, {
      title: ctx.t('calendar.admin.title', { year }),
      body: calendarAdminView(ctx, { calendar: await calendar.listYear(year), form: emptyForm, issues: [], flash: q.flash }),
    });
  });

  app.post('/admin/calendar', async (request, reply) => {
    await request.authorize('calendar.manage');
    const ctx = pageContext(request, reply);
    const form = validate(dayForm.loose(), request.body);
    const fields: DayForm = { date: form.date.trim(), kind: form.kind, name: form.name, nameEn: form.nameEn, legalBasis: form.legalBasis };
    let issues: FieldIssue[] = [];
    try {
      // setDay validates every field, the kind included.
      await calendar.setDay(fields.date, { kind: fields.kind as DayKind, name: fields.name, nameEn: fields.nameEn, legalBasis: fields.legalBasis }, actorFromRequest(request));
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      issues = err.fields;
    }
    if (issues.length) {
      const shown = isoDate.safeParse(fields.date).success ? Number(fields.date.slice(0, 4)) : Number(calendar.localDate().slice(0, 4));
      return sendPage(
        reply,
        ctx,
        { title: ctx.t('calendar.admin.title', { year: shown }), body: calendarAdminView(ctx, { calendar: await calendar.listYear(shown), form: fields, issues }) },
        400,
      );
    }
    const flash = ctx.t('calendar.admin.saved', { date: formatDate(fields.date) });
    return reply.redirect(`/admin/calendar?year=${fields.date.slice(0, 4)}&flash=${encodeURIComponent(flash)}`, 303);
  });

  app.post('/admin/calendar/:date/delete', async (request, reply) => {
    await request.authorize('calendar.manage');
    const ctx = pageContext(request, reply);
    const { date } = validate(z.object({ date: isoDate }), request.params);
    await calendar.removeDay(date, actorFromRequest(request));
    const flash = ctx.t('calendar.admin.removed', { date: formatDate(date) });
    return reply.redirect(`/admin/calendar?year=${date.slice(0, 4)}&flash=${encodeURIComponent(flash)}`, 303);
  });
}
