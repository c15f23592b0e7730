import type { Transaction } from 'kysely';
import { type Database, type Db, insertRows } from '../db/index.ts';
import type { OutboxStatus } from './tables.ts';

export type Clock = () => Date;

export interface EnqueueInput<P = unknown> {
  /** Which handler takes it, e.g. `notify.send`; namespaced by module. */
  topic: string;
  /** Any JSON value; stored as text. Keep personal data to what the handler needs. */
  payload: P;
  /** Enqueueing the same key again (a retried request, a re-run job) keeps the first message. */
  dedupeKey?: string;
  /** Not delivered before this many milliseconds after enqueueing. */
  delayMs?: number;
}

export interface Enqueued {
  id: number;
  /** False when a message with the same dedupe key already existed: nothing was added. */
  created: boolean;
}

export type OutboxStats = Record<OutboxStatus, number>;

const TOPIC = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;

/**
 * The write side of the transactional outbox: work that must happen after a commit (a
 * notification, a delivery to another agency) is recorded in the same transaction as the change
 * that causes it, so it is sent only if the change commits and is not lost once it has.
 * An `OutboxWorker` delivers it.
 */
export class Outbox {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(platform: { db: Db }, opts: { clock?: Clock } = {}) {
    this.db = platform.db;
    this.clock = opts.clock ?? (() => new Date());
  }

  /** Adds a message inside the caller's transaction. */
  async enqueue<P>(trx: Transaction<Database>, input: EnqueueInput<P>): Promise<Enqueued> {
    const row = await this.insert(trx, [input]).returning('id').executeTakeFirst();
    if (row) return { id: row.id, created: true };
    // Only a dedupe key can conflict, so it is set here.
    const existing = await trx
      .selectFrom('outbox_messages')
      .select('id')
      .where('dedupe_key', '=', input.dedupeKey as string)
      .executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  }

  /**
   * Adds several messages inside the caller's transaction with one statement (one round trip
   * where `enqueue` makes one per message); a message whose dedupe key exists is left out.
   */
  async enqueueAll(trx: Transaction<Database>, inputs: EnqueueInput[]): Promise<void> {
    if (inputs.length) await insertRows(trx, 'outbox_messages', this.rows(inputs), { ignoreConflictOn: 'dedupe_key' });
  }

  private insert(trx: Transaction<Database>, inputs: EnqueueInput[]) {
    return trx
      .insertInto('outbox_messages')
      .values(this.rows(inputs))
      .onConflict((oc) => oc.column('dedupe_key').doNothing());
  }

  private rows(inputs: EnqueueInput[]) {
    const now = this.clock();
    return inputs.map((input) => {
      if (!TOPIC.test(input.topic) || input.topic.length > 100) throw new TypeError(`invalid outbox topic: ${input.topic}`);
      const payload = JSON.stringify(input.payload);
      if (payload === undefined) throw new TypeError('outbox payload must be a JSON value');
      return {
        topic: input.topic,
        payload,
        dedupe_key: input.dedupeKey ?? null,
        status: 'pending' as const,
        attempts: 0,
        available_at: new Date(now.getTime() + Math.max(0, input.delayMs ?? 0)).toISOString(),
        created_at: now.toISOString(),
      };
    });
  }

  /** Messages by status, for health pages and tests. */
  async stats(): Promise<OutboxStats> {
    const rows = await this.db
      .selectFrom('outbox_messages')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const out: OutboxStats = { pending: 0, sent: 0, dead: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  /** Puts a dead message back in the queue, with a fresh count of attempts (after fixing the cause). */
  async requeue(id: number): Promise<boolean> {
    const result = await this.db
      .updateTable('outbox_messages')
      .set({ status: 'pending', attempts: 0, available_at: this.clock().toISOString(), locked_until: null, locked_by: null })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
