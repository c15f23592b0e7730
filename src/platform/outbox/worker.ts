import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ExpressionBuilder, Selectable, Transaction } from 'kysely';
import type { Database, Db, Engine } from '../db/index.ts';
import type { Clock } from './outbox.ts';
import { describeFailure, PermanentFailure, retryDelayMs } from './retry.ts';
import type { OutboxMessageTable } from './tables.ts';

/** What a handler learns about the message besides its payload. */
export interface OutboxMessage {
  /**
   * Stable across retries and across workers: use it as the idempotency key. A message is
   * delivered at least once; after a crash mid-send it is delivered again.
   */
  id: number;
  topic: string;
  /** 1 on the first try. */
  attempt: number;
  createdAt: string;
  dedupeKey: string | null;
  /** Aborted when this worker's lease runs out: stop, another worker may take the message. */
  signal: AbortSignal;
  /**
   * Queues a write (a record of what was sent, say) to commit in the same transaction that marks
   * the message sent: both are stored, or neither. It is dropped if the handler throws.
   */
  onSent(write: OutcomeWrite): void;
}

/** A write committed together with a message's "sent" mark. */
export type OutcomeWrite = (trx: Transaction<Database>) => Promise<unknown>;

export type OutboxHandler<P = unknown> = (payload: P, message: OutboxMessage) => Promise<void>;

/** The subset of a pino (or Fastify) logger the worker writes to. */
export interface OutboxLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxWorkerOptions {
  /** Wait between polls when nothing was due (ms). */
  pollMs?: number;
  /** Messages claimed at once; they are handled concurrently. */
  batchSize?: number;
  /** Attempts before a message is marked dead. */
  maxAttempts?: number;
  /** How long a claim holds (ms). A handler must finish well within it; past it, another worker may deliver again. */
  leaseMs?: number;
  /** Back-off: ceiling of the first retry delay (ms), doubling per failure up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  clock?: Clock;
  random?: () => number;
  logger?: OutboxLogger;
  /** Names this worker in `locked_by`; unique per process by default. */
  id?: string;
}

export interface RunResult {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
}

type Row = Selectable<OutboxMessageTable>;
type Outcome = 'sent' | 'retried' | 'dead';

/** What one delivery came to, before it is recorded. */
interface Delivery {
  row: Row;
  failure: unknown;
  writes: OutcomeWrite[];
}

const silent: OutboxLogger = { info() {}, warn() {}, error() {} };

/**
 * Delivers outbox messages to the handler registered for their topic. Any number of workers,
 * in any number of processes, may run over one database: a message is claimed with a lease
 * (`locked_until`, `locked_by`) in one atomic step, so two workers never hold it at once; a
 * lease that runs out (the process died) lets another worker claim it again.
 */
export class OutboxWorker {
  readonly id: string;
  private readonly db: Db;
  private readonly engine: Engine;
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: OutboxLogger;
  private readonly inFlight = new Set<Promise<unknown>>();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  /** When `buryExhausted` last ran (clock ms). */
  private buriedAt = Number.NEGATIVE_INFINITY;

  constructor(platform: { db: Db; engine: Engine }, opts: OutboxWorkerOptions = {}) {
    this.db = platform.db;
    this.engine = platform.engine;
    this.pollMs = opts.pollMs ?? 500;
    this.batchSize = opts.batchSize ?? 10;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.retry = { baseMs: opts.retryBaseMs ?? 5_000, maxMs: opts.retryMaxMs ?? 60 * 60_000 };
    this.clock = opts.clock ?? (() => new Date());
    this.random = opts.random ?? Math.random;
    this.log = opts.logger ?? silent;
    this.id = opts.id ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  /**
   * Registers the handler of a topic. The handler must be idempotent (see `OutboxMessage.id`);
   * it throws to have the message retried, or a `PermanentFailure` to give up at once.
   * A worker claims only the topics it has handlers for.
   */
  handle<P = unknown>(topic: string, handler: OutboxHandler<P>): this {
    if (this.handlers.has(topic)) throw new Error(`outbox topic ${topic} already has a handler`);
    this.handlers.set(topic, handler as OutboxHandler);
    return this;
  }

  /** Starts polling in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops polling and waits for the handlers that are running to finish. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** One poll: gives up messages stuck past their last attempt, claims a batch, handles it. */
  runOnce(): Promise<RunResult> {
    const run = this.poll();
    this.inFlight.add(run);
    return run.finally(() => this.inFlight.delete(run));
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runOnce().then(
        // A full batch suggests more are waiting: go on at once.
        (r) => this.schedule(r.claimed >= this.batchSize ? 0 : this.pollMs),
        (err: unknown) => {
          this.log.error({ worker: this.id, error: describeFailure(err) }, 'outbox poll failed');
          this.schedule(Math.min(this.pollMs * 10, 30_000));
        },
      );
    }, ms);
    // Polling alone does not keep the process alive; the server or the test does.
    this.timer.unref();
  }

  private async poll(): Promise<RunResult> {
    const result: RunResult = { claimed: 0, sent: 0, retried: 0, dead: 0 };
    const topics = [...this.handlers.keys()];
    if (!topics.length) return result;
    // A busy worker polls back to back; the sweep scans every pending message, and what it
    // looks for appears only when a lease runs out, so it runs once per poll interval at most.
    const now = this.clock().getTime();
    if (now - this.buriedAt >= this.pollMs) {
      this.buriedAt = now;
      result.dead += await this.buryExhausted(topics);
    }
    const rows = await this.claim(topics);
    result.claimed = rows.length;
    const deliveries = await Promise.all(rows.map((row) => this.deliver(row)));
    for (const o of await this.settle(deliveries)) if (o) result[o]++;
    return result;
  }

  private due(topics: string[], nowIso: string) {
    return (eb: ExpressionBuilder<Database, 'outbox_messages'>) =>
      eb.and([
        eb('status', '=', 'pending'),
        eb('topic', 'in', topics),
        eb('available_at', '<=', nowIso),
        eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]),
        eb('attempts', '<', this.maxAttempts),
      ]);
  }

  /**
   * Claims up to a batch of due messages and counts the attempt, in one atomic step:
   * PostgreSQL locks the rows it picks and skips those another worker is picking
   * (`for update skip locked`); SQLite runs one writer at a time, and the single
   * `update … returning` holds the write lock from before it picks. (Repeating the due
   * conditions on the outer update made SQLite walk every pending message by the due index
   * instead of fetching the picked ones by id: 0.6 ms a claim with a backlog.)
   */
  private async claim(topics: string[]): Promise<Row[]> {
    const now = this.clock();
    const nowIso = now.toISOString();
    const lease = { locked_until: new Date(now.getTime() + this.leaseMs).toISOString(), locked_by: this.id };
    let rows: Row[];
    if (this.engine === 'postgres') {
      rows = await this.db.transaction().execute(async (trx) => {
        const picked = await trx
          .selectFrom('outbox_messages')
          .select('id')
          .where(this.due(topics, nowIso))
          .orderBy('available_at')
          .orderBy('id')
          .limit(this.batchSize)
          .forUpdate()
          .skipLocked()
          .execute();
        if (!picked.length) return [];
        return trx
          .updateTable('outbox_messages')
          .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
          .where(
            'id',
            'in',
            picked.map((p) => p.id),
          )
          .returningAll()
          .execute();
      });
    } else {
      rows = await this.db
        .updateTable('outbox_messages')
        .set((eb) => ({ ...lease, attempts: eb('attempts', '+', 1) }))
        .where((eb) =>
          eb(
            'id',
            'in',
            eb
              .selectFrom('outbox_messages')
              .select('id')
              .where(this.due(topics, nowIso))
              .orderBy('available_at')
              .orderBy('id')
              .limit(this.batchSize),
          ),
        )
        .returningAll()
        .execute();
    }
    return rows.sort((a, b) => a.id - b.id);
  }

  /**
   * Marks dead the messages whose last allowed attempt never reported back (the worker died
   * during it), so a message that crashes the process cannot loop forever.
   */
  private async buryExhausted(topics: string[]): Promise<number> {
    const nowIso = this.clock().toISOString();
    const rows = await this.db
      .updateTable('outbox_messages')
      .set({ status: 'dead', locked_until: null, locked_by: null, last_error: 'Lease expired during the last attempt' })
      .where('status', '=', 'pending')
      .where('topic', 'in', topics)
      .where('attempts', '>=', this.maxAttempts)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
      .returning(['id', 'topic', 'attempts'])
      .execute();
    for (const r of rows) this.log.error({ worker: this.id, messageId: r.id, topic: r.topic, attempts: r.attempts }, 'outbox message dead');
    return rows.length;
  }

  private async deliver(row: Row): Promise<Delivery> {
    const handler = this.handlers.get(row.topic);
    const controller = new AbortController();
    // The lease is counted from the claim; abort a little before it ends.
    const timeout = setTimeout(() => controller.abort(new Error('outbox lease expired')), Math.max(0, this.leaseMs - 1000));
    timeout.unref();
    const writes: OutcomeWrite[] = [];
    try {
      if (!handler) throw new Error(`no handler for topic ${row.topic}`);
      let payload: unknown;
      try {
        payload = JSON.parse(row.payload);
      } catch {
        throw new PermanentFailure('payload is not valid JSON');
      }
      await handler(payload, {
        id: row.id,
        topic: row.topic,
        attempt: row.attempts,
        createdAt: row.created_at,
        dedupeKey: row.dedupe_key,
        signal: controller.signal,
        onSent: (write) => void writes.push(write),
      });
      return { row, failure: undefined, writes };
    } catch (err) {
      return { row, failure: err ?? new Error('handler failed'), writes: [] };
    } finally {
      clearTimeout(timeout);
    }
  }

  /**
   * Records the outcomes of a batch in one transaction, once every handler of the batch has
   * finished: one commit, and one statement for all the sent ones, instead of one of each per
   * message (the price: a crash while a slow handler runs repeats the batch's quick sends too,
   * which at-least-once delivery allows). Should that transaction fail, each outcome is
   * recorded on its own, so one bad write cannot hold back the others.
   */
  private async settle(deliveries: Delivery[]): Promise<(Outcome | null)[]> {
    if (!deliveries.length) return [];
    try {
      const outcomes = await this.db.transaction().execute((trx) => this.settleIn(trx, deliveries));
      for (const [i, d] of deliveries.entries()) this.logOutcome(d, outcomes[i] ?? null);
      return outcomes;
    } catch {
      const outcomes: (Outcome | null)[] = [];
      for (const d of deliveries) {
        try {
          const [outcome = null] = await this.db.transaction().execute((trx) => this.settleIn(trx, [d]));
          this.logOutcome(d, outcome);
          outcomes.push(outcome);
        } catch (err) {
          // The lease runs out and the message is claimed again: nothing is lost.
          this.log.error({ worker: this.id, messageId: d.row.id, topic: d.row.topic, error: describeFailure(err) }, 'outbox could not record an outcome');
          outcomes.push(null);
        }
      }
      return outcomes;
    }
  }

  private async settleIn(trx: Transaction<Database>, deliveries: Delivery[]): Promise<(Outcome | null)[]> {
    const nowIso = this.clock().toISOString();
    const fenced = (eb: ExpressionBuilder<Database, 'outbox_messages'>, d: Delivery) =>
      // Fencing: only the claim an outcome belongs to may record it. If the lease ran out and
      // another worker claimed the message meanwhile, its claim decides.
      eb.and([eb('id', '=', d.row.id), eb('attempts', '=', d.row.attempts)]);
    const mine = (eb: ExpressionBuilder<Database, 'outbox_messages'>) => eb.and([eb('status', '=', 'pending'), eb('locked_by', '=', this.id)]);
    const outcomes = new Map<Delivery, Outcome | null>();

    const sent = deliveries.filter((d) => d.failure === undefined);
    if (sent.length) {
      const marked = await trx
        .updateTable('outbox_messages')
        .set({ status: 'sent', sent_at: nowIso, locked_until: null, locked_by: null, last_error: null })
        // Only a pending message is locked by a worker (every other outcome clears the lock), so
        // the lock and the ids say it all; with \`status\` here as well, SQLite walked every
        // pending message by status past a few fenced terms instead of fetching these by key.
        .where('locked_by', '=', this.id)
        .where(
          'id',
          'in',
          sent.map((d) => d.row.id),
        )
        .where((eb) => eb.or(sent.map((d) => fenced(eb, d))))
        .returning('id')
        .execute();
      const markedIds = new Set(marked.map((m) => m.id));
      for (const d of sent) {
        const won = markedIds.has(d.row.id);
        if (won) for (const write of d.writes) await write(trx);
        outcomes.set(d, won ? 'sent' : null);
      }
    }
    for (const d of deliveries) {
      if (d.failure === undefined) continue;
      const dead = d.failure instanceof PermanentFailure || d.row.attempts >= this.maxAttempts;
      const error = describeFailure(d.failure);
      const changes = dead
        ? { status: 'dead' as const, locked_until: null, locked_by: null, last_error: error }
        : {
            available_at: new Date(Date.parse(nowIso) + retryDelayMs(d.row.attempts, this.retry, this.random)).toISOString(),
            locked_until: null,
            locked_by: null,
            last_error: error,
          };
      const result = await trx
        .updateTable('outbox_messages')
        .set(changes)
        .where(mine)
        .where((eb) => fenced(eb, d))
        .executeTakeFirst();
      outcomes.set(d, result.numUpdatedRows === 0n ? null : dead ? 'dead' : 'retried');
    }
    return deliveries.map((d) => outcomes.get(d) ?? null);
  }

  private logOutcome(d: Delivery, outcome: Outcome | null): void {
    const context = { worker: this.id, messageId: d.row.id, topic: d.row.topic, attempts: d.row.attempts };
    if (outcome === null) {
      this.log.warn(context, 'outbox lease lost before the outcome was recorded');
    } else if (outcome === 'dead') this.log.error({ ...context, error: describeFailure(d.failure) }, 'outbox message dead');
    else if (outcome === 'retried') this.log.warn({ ...context, error: describeFailure(d.failure) }, 'outbox message failed, will retry');
  }
}
