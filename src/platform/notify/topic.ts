import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import type { Enqueued, Outbox } from '../outbox/outbox.ts';
import { PermanentFailure } from '../outbox/retry.ts';
import type { OutboxWorker } from '../outbox/worker.ts';
import type { NotificationService } from './service.ts';

export const NOTIFY_TOPIC = 'notify.send';

const ref = z.string().min(1).max(100).optional().describe('What the message is about, e.g. a dossier code');

/** The payload of `notify.send`: one message to one recipient. */
export const notificationSchema = z.discriminatedUnion('channel', [
  z.strictObject({
    channel: z.literal('email'),
    to: z.email().max(254),
    subject: z.string().min(1).max(250),
    text: z.string().min(1).max(100_000),
    html: z.string().max(500_000).optional(),
    ref,
  }),
  z.strictObject({
    channel: z.literal('sms'),
    to: z.string().regex(/^\+?[0-9]{8,15}$/, 'a phone number: digits, optionally starting with +'),
    /** Accepted so one message shape fits both channels; an SMS has no subject, and it is dropped. */
    subject: z.string().max(250).optional(),
    text: z.string().min(1).max(1600),
    ref,
  }),
]);

export type Notification = z.infer<typeof notificationSchema>;

/**
 * Queues a notification inside the caller's transaction: it is sent after the commit, and
 * only if the transaction commits. An invalid message throws here, in the caller, rather than
 * failing later in the worker. Pass a `dedupeKey` (e.g. `dossier:123:received:sms`) when the
 * same event could be processed twice.
 */
export function enqueueNotification(
  outbox: Outbox,
  trx: Transaction<Database>,
  notification: Notification,
  opts: { dedupeKey?: string } = {},
): Promise<Enqueued> {
  const payload = notificationSchema.parse(notification);
  return outbox.enqueue(trx, { topic: NOTIFY_TOPIC, payload, dedupeKey: opts.dedupeKey });
}

/** `enqueueNotification` for several messages at once, with one statement. */
export function enqueueNotifications(outbox: Outbox, trx: Transaction<Database>, messages: { message: Notification; dedupeKey?: string }[]): Promise<void> {
  return outbox.enqueueAll(
    trx,
    messages.map(({ message, dedupeKey }) => ({ topic: NOTIFY_TOPIC, payload: notificationSchema.parse(message), dedupeKey })),
  );
}

/** Makes the worker deliver `notify.send` through the notifier. */
export function handleNotifications(worker: OutboxWorker, notifier: NotificationService): void {
  worker.handle(NOTIFY_TOPIC, async (payload, message) => {
    const parsed = notificationSchema.safeParse(payload);
    if (!parsed.success) {
      // Paths and messages only: the rejected values may be personal data.
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
      throw new PermanentFailure(`invalid ${NOTIFY_TOPIC} payload: ${issues}`);
    }
    // A send is recorded with the message's "sent" mark, so a first try has nothing to look up; a
    // retry may follow a try whose outcome was never recorded (a version that recorded sends apart).
    if (message.attempt > 1 && (await notifier.sentFor(message.id))) return;
    const n = parsed.data;
    const opts = {
      outboxId: message.id,
      ref: n.ref,
      idempotencyKey: `egov-outbox-${message.id}-${Date.parse(message.createdAt).toString(36)}`,
      signal: message.signal,
      recordWith: message.onSent,
    };
    if (n.channel === 'email') await notifier.email({ to: n.to, subject: n.subject, text: n.text, html: n.html }, opts);
    else await notifier.sms({ to: n.to, text: n.text }, opts);
  });
}
