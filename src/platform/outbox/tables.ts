import type { Generated } from 'kysely';

export type OutboxStatus = 'pending' | 'sent' | 'dead';

/**
 * Tables of the transactional outbox and of the notifications it sends. Times are ISO-8601 UTC
 * strings (they compare correctly as text), JSON is text: the same queries run on both engines.
 */
export interface OutboxTables {
  outbox_messages: OutboxMessageTable;
  notification_log: NotificationLogTable;
}

export interface OutboxMessageTable {
  id: Generated<number>;
  topic: string;
  /** JSON. */
  payload: string;
  /** Unique when set: enqueueing the same key again keeps the first message. */
  dedupe_key: string | null;
  status: OutboxStatus;
  /** Deliveries started, counted when a worker claims the message (a crash mid-send counts). */
  attempts: number;
  /** Not claimed before this instant: the next retry. */
  available_at: string;
  /** The claiming worker's lease: another worker may take the message once it has passed. */
  locked_until: string | null;
  locked_by: string | null;
  /** The last failure's message, truncated; never the payload. */
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface NotificationLogTable {
  id: Generated<number>;
  channel: 'email' | 'sms';
  /** Which adapter took the message: 'smtp', 'log', or an SMS gateway's name. */
  transport: string;
  recipient: string;
  subject: string | null;
  body: string;
  sent_at: string;
  /** The outbox message that caused it: one notification per outbox message at most. */
  outbox_id: number | null;
  /** What it is about: a dossier code or another reference, for finding it again. */
  ref: string | null;
}
