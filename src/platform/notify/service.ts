import type { Clock } from '../outbox/outbox.ts';
import type { NotificationRecord, NotificationStore } from './store.ts';
import type { EmailMessage, MailTransport, Notifier, SendOptions, SmsGateway, SmsMessage } from './types.ts';

/**
 * The `Notifier` over the configured adapters: every message an adapter accepts is recorded in
 * the notification log, whichever adapter it was. Modules should not call it in a request:
 * they enqueue `notify.send` in their transaction (`enqueueNotification`), and the outbox
 * worker calls it after the commit.
 */
export class NotificationService implements Notifier {
  constructor(
    private readonly store: NotificationStore,
    private readonly adapters: { mail: MailTransport; sms: SmsGateway },
    private readonly clock: Clock = () => new Date(),
  ) {}

  get transports(): { mail: string; sms: string } {
    return { mail: this.adapters.mail.name, sms: this.adapters.sms.name };
  }

  async email(message: EmailMessage, opts: SendOptions = {}): Promise<void> {
    await this.adapters.mail.send(message, opts);
    await this.record(opts, {
      channel: 'email',
      transport: this.adapters.mail.name,
      recipient: message.to,
      subject: message.subject,
      body: message.text,
      sent_at: this.clock().toISOString(),
      outbox_id: opts.outboxId ?? null,
      ref: opts.ref ?? null,
    });
  }

  async sms(message: SmsMessage, opts: SendOptions = {}): Promise<void> {
    await this.adapters.sms.send(message, opts);
    await this.record(opts, {
      channel: 'sms',
      transport: this.adapters.sms.name,
      recipient: message.to,
      subject: null,
      body: message.text,
      sent_at: this.clock().toISOString(),
      outbox_id: opts.outboxId ?? null,
      ref: opts.ref ?? null,
    });
  }

  private async record(opts: SendOptions, row: Parameters<NotificationStore['record']>[0]): Promise<void> {
    if (opts.recordWith) opts.recordWith((trx) => this.store.record(row, trx));
    else await this.store.record(row);
  }

  /** True when the outbox message was already delivered (a repeated delivery after a crash). */
  sentFor(outboxId: number): Promise<boolean> {
    return this.store.sentFor(outboxId);
  }

  /** Sent messages, newest first. */
  list(opts: { before?: number; limit: number; ref?: string }): Promise<NotificationRecord[]> {
    return this.store.list(opts);
  }

  async close(): Promise<void> {
    await this.adapters.mail.close?.();
    await this.adapters.sms.close?.();
  }
}
