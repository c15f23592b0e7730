import type { OutcomeWrite } from '../outbox/worker.ts';
/** The notification port: what modules call, whatever carries the message. */

export interface EmailMessage {
  to: string;
  subject: string;
  /** Plain text: always sent, and what the development page shows. */
  text: string;
  html?: string;
}

export interface SmsMessage {
  /** A phone number, e.g. 0912345678 or +84912345678. */
  to: string;
  text: string;
}

export interface SendOptions {
  /** The outbox message this send delivers (recorded, and used to skip a repeated delivery). */
  outboxId?: number;
  /** What it is about, e.g. a dossier code. */
  ref?: string;
  /** Same for every try of one message: lets the receiving side drop a duplicate (e-mail Message-ID). */
  idempotencyKey?: string;
  /** Aborted when the sender must give up (the worker's lease is running out). */
  signal?: AbortSignal;
  /**
   * Takes the write that records the send, to commit it with the outbox message's "sent" mark
   * (`OutboxMessage.onSent`); without it the record is written at once.
   */
  recordWith?: (write: OutcomeWrite) => void;
}

export interface Notifier {
  email(message: EmailMessage, opts?: SendOptions): Promise<void>;
  sms(message: SmsMessage, opts?: SendOptions): Promise<void>;
}

/** An e-mail adapter: SMTP, or a sink that only records. Throws when the message was not accepted. */
export interface MailTransport {
  /** Recorded with each message: 'smtp', 'log', … */
  readonly name: string;
  send(message: EmailMessage, opts: SendOptions): Promise<void>;
  close?(): Promise<void> | void;
}

/** An SMS adapter: a telecom or brandname gateway later; a sink that only records for now. */
export interface SmsGateway {
  readonly name: string;
  send(message: SmsMessage, opts: SendOptions): Promise<void>;
  close?(): Promise<void> | void;
}
