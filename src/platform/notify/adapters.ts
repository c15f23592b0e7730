import nodemailer from 'nodemailer';
import { PermanentFailure } from '../outbox/retry.ts';
import type { OutboxLogger } from '../outbox/worker.ts';
import type { EmailMessage, MailTransport, SendOptions, SmsGateway, SmsMessage } from './types.ts';

export interface SmtpOptions {
  /** smtp://user:pass@host:port (STARTTLS when the server offers it) or smtps://… (TLS from the start). */
  url: string;
  /** The sender, e.g. `Cổng dịch vụ công <no-reply@dichvucong.example.vn>`. */
  from: string;
}

/**
 * E-mail over SMTP (nodemailer). Timeouts are short so a hung server fails the attempt, and the
 * outbox retries, long before the worker's lease runs out.
 */
export class SmtpMailTransport implements MailTransport {
  readonly name = 'smtp';
  private readonly transporter: ReturnType<typeof nodemailer.createTransport>;
  private readonly domain: string;

  constructor(opts: SmtpOptions) {
    this.transporter = nodemailer.createTransport(
      { url: opts.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
      { from: opts.from },
    );
    this.domain = /@([^\s>]+)>?\s*$/.exec(opts.from)?.[1] ?? 'localhost';
  }

  async send(message: EmailMessage, opts: SendOptions): Promise<void> {
    try {
      await this.transporter.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        // The same Message-ID on every try lets mail systems drop a repeated delivery.
        messageId: opts.idempotencyKey ? `<${opts.idempotencyKey}@${this.domain}>` : undefined,
        signal: opts.signal,
      });
    } catch (err) {
      // The server refused the recipient for good (5xx): trying again cannot help. Other
      // failures, 5xx on authentication included, may be fixed by an administrator: retry.
      const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
      if (e.code === 'EENVELOPE' && typeof e.responseCode === 'number' && e.responseCode >= 500) {
        throw new PermanentFailure(`recipient refused: ${String(e.message)}`);
      }
      throw err;
    }
  }

  close(): void {
    this.transporter.close();
  }
}

/** Without EGOV_SMTP_URL: e-mail is only recorded in the notification log (see /dev/messages). */
export class LogMailTransport implements MailTransport {
  readonly name = 'log';
  constructor(private readonly log: OutboxLogger) {}
  async send(_message: EmailMessage, opts: SendOptions): Promise<void> {
    // No recipient or text here: they are personal data, and they are in the notification log.
    this.log.info({ channel: 'email', outboxId: opts.outboxId, ref: opts.ref }, 'e-mail recorded, not sent (EGOV_SMTP_URL is not set)');
  }
}

/** Until an SMS gateway is configured: SMS are only recorded in the notification log. */
export class LogSmsGateway implements SmsGateway {
  readonly name = 'log';
  constructor(private readonly log: OutboxLogger) {}
  async send(_message: SmsMessage, opts: SendOptions): Promise<void> {
    this.log.info({ channel: 'sms', outboxId: opts.outboxId, ref: opts.ref }, 'SMS recorded, not sent (no SMS gateway configured)');
  }
}
