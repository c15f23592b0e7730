import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { redactPaths } from '../http/logging.ts';
import type { Platform } from '../index.ts';
import { type Clock, Outbox } from '../outbox/outbox.ts';
import { type OutboxLogger, OutboxWorker, type OutboxWorkerOptions } from '../outbox/worker.ts';
import { LogMailTransport, LogSmsGateway, SmtpMailTransport } from './adapters.ts';
import './messages.ts';
import { registerNotifyRoutes } from './routes.ts';
import { NotificationService } from './service.ts';
import { NotificationStore } from './store.ts';
import { handleNotifications } from './topic.ts';
import type { MailTransport, SmsGateway } from './types.ts';

export { LogMailTransport, LogSmsGateway, SmtpMailTransport, type SmtpOptions } from './adapters.ts';
export { NotificationService } from './service.ts';
export type { NotificationRecord } from './store.ts';
export { enqueueNotification, enqueueNotifications, handleNotifications, NOTIFY_TOPIC, type Notification, notificationSchema } from './topic.ts';
export type { EmailMessage, MailTransport, Notifier, SendOptions, SmsGateway, SmsMessage } from './types.ts';

export interface NotificationsOptions {
  /** Where the worker and the log adapters write; a pino logger with personal data redacted by default. */
  logger?: OutboxLogger;
  clock?: Clock;
  /** Replace the adapters chosen from the configuration (tests; a real SMS gateway). */
  mail?: MailTransport;
  sms?: SmsGateway;
  /** Worker settings beyond those in the configuration (batch size, lease, back-off). */
  worker?: OutboxWorkerOptions;
}

/**
 * The outbox, its worker and the notifier, wired from the platform. The worker handles
 * `notify.send`; other modules add their topics with `worker.handle` before `worker.start()`.
 * `close()` stops the worker (waiting for deliveries in progress) and the adapters: call it
 * before closing the database.
 */
export function createNotifications(platform: Platform, opts: NotificationsOptions = {}) {
  const { config } = platform;
  const logger = opts.logger ?? pino({ level: config.logLevel, redact: { paths: redactPaths, censor: '[redacted]' } }).child({ component: 'outbox' });
  const clock = opts.clock ?? (() => new Date());
  const outbox = new Outbox(platform, { clock });
  const worker = new OutboxWorker(platform, {
    pollMs: config.outbox.pollMs,
    maxAttempts: config.outbox.maxAttempts,
    leaseMs: config.outbox.leaseMs,
    clock,
    logger,
    ...opts.worker,
  });
  const mail = opts.mail ?? (config.smtp.url ? new SmtpMailTransport({ url: config.smtp.url, from: config.smtp.from }) : new LogMailTransport(logger));
  const sms = opts.sms ?? new LogSmsGateway(logger);
  const notifier = new NotificationService(new NotificationStore(platform.db), { mail, sms }, clock);
  handleNotifications(worker, notifier);

  return {
    outbox,
    worker,
    notifier,
    registerRoutes(app: FastifyInstance): void {
      registerNotifyRoutes(app, { notifier, config });
    },
    async close(): Promise<void> {
      await worker.stop();
      await notifier.close();
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
