import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pageContext, sendPage } from '../../web/layout.ts';
import type { Config } from '../config/index.ts';
import { validate } from '../http/errors.ts';
import type { NotificationService } from './service.ts';
import { devMessagesView } from './views.ts';

const PAGE_SIZE = 50;

const query = z
  .object({
    before: z.coerce.number().int().positive().optional(),
    ref: z.string().min(1).max(100).optional(),
  })
  .loose();

/**
 * GET /dev/messages: the messages sent, for trying the system without a mail server or SMS
 * gateway. Open to anyone only when demo mode is explicitly on (EGOV_DEMO=on, a demo or test
 * install); otherwise for officers who may read the audit city-wide (it shows personal data).
 */
export function registerNotifyRoutes(app: FastifyInstance, deps: { notifier: NotificationService; config: Config }): void {
  app.get('/dev/messages', async (request, reply) => {
    if (deps.config.demo !== 'on') await request.authorize('audit.read', '*');
    const ctx = pageContext(request, reply);
    const q = validate(query, request.query);
    const rows = await deps.notifier.list({ before: q.before, ref: q.ref, limit: PAGE_SIZE + 1 });
    const page = rows.slice(0, PAGE_SIZE);
    const last = page[page.length - 1];
    const older =
      rows.length > PAGE_SIZE && last ? `/dev/messages?before=${last.id}${q.ref ? `&ref=${encodeURIComponent(q.ref)}` : ''}` : undefined;
    reply.header('x-robots-tag', 'noindex, nofollow');
    return sendPage(reply, ctx, {
      title: ctx.t('notify.dev.title'),
      body: devMessagesView(ctx, { rows: page, timeZone: deps.config.timeZone, transports: deps.notifier.transports, older }),
    });
  });
}
