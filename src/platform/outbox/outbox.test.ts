import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { type DbHandle, openDatabase } from '../db/index.ts';
import { Outbox, type OutboxMessage, OutboxWorker, PermanentFailure } from './index.ts';
import { gate, manualClock, memoryLogger } from './test-clock.ts';

/** The outbox on the engine of the run: enqueue in the caller's transaction, retries, leases. */
let t: TestDatabase;
let outbox: Outbox;

beforeAll(async () => {
  t = await createTestDatabase();
  outbox = new Outbox(t.handle);
});
afterAll(() => t?.dispose());

const db = () => t.handle.db;
const row = (id: number) => db().selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const enqueue = (topic: string, payload: unknown, dedupeKey?: string) =>
  db().transaction().execute((trx) => outbox.enqueue(trx, { topic, payload, dedupeKey }));

describe('enqueue', () => {
  it('delivers nothing when the transaction rolls back, and exactly once when it commits', async () => {
    const worker = new OutboxWorker(t.handle);
    const seen: number[] = [];
    worker.handle<{ n: number }>('test.tx', async (p) => {
      seen.push(p.n);
    });

    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await outbox.enqueue(trx, { topic: 'test.tx', payload: { n: 1 } });
          throw new Error('the business change failed');
        }),
    ).rejects.toThrow('the business change failed');
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
    expect(seen).toEqual([]);

    const { id, created } = await enqueue('test.tx', { n: 2 });
    expect(created).toBe(true);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 });
    expect(seen).toEqual([2]);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1, locked_by: null, locked_until: null, last_error: null });
    expect((await row(id)).sent_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('keeps one message per dedupe key', async () => {
    const first = await enqueue('test.dedupe', { n: 1 }, 'dossier:42:received');
    const second = await enqueue('test.dedupe', { n: 2 }, 'dossier:42:received');
    expect(second).toEqual({ id: first.id, created: false });
    const worker = new OutboxWorker(t.handle);
    const seen: unknown[] = [];
    worker.handle('test.dedupe', async (p) => void seen.push(p));
    await worker.runOnce();
    expect(seen).toEqual([{ n: 1 }]);
    // Messages without a key never collide.
    const a = await enqueue('test.nokey', {});
    const b = await enqueue('test.nokey', {});
    expect(a.id).not.toBe(b.id);
  });

  it('adds several messages at once, leaving out one whose dedupe key exists', async () => {
    const first = await enqueue('test.many', { n: 0 }, 'many:0');
    await db()
      .transaction()
      .execute((trx) =>
        outbox.enqueueAll(trx, [
          { topic: 'test.many', payload: { n: 1 }, dedupeKey: 'many:0' },
          { topic: 'test.many', payload: { n: 2 }, dedupeKey: 'many:2' },
          { topic: 'test.many', payload: { n: 3 } },
        ]),
      );
    const rows = await db().selectFrom('outbox_messages').select(['id', 'payload', 'status']).where('topic', '=', 'test.many').orderBy('id').execute();
    expect(rows.map((r) => JSON.parse(r.payload))).toEqual([{ n: 0 }, { n: 2 }, { n: 3 }]);
    expect(rows[0]?.id).toBe(first.id);
    await expect(db().transaction().execute((trx) => outbox.enqueueAll(trx, [{ topic: 'test.many', payload: {} }, { topic: 'Bad Topic', payload: {} }]))).rejects.toThrow(/invalid outbox topic/);
    expect(await db().selectFrom('outbox_messages').select('id').where('topic', '=', 'test.many').execute()).toHaveLength(3);
  });

  it('refuses a malformed topic or a payload that is not JSON', async () => {
    await expect(enqueue('Bad Topic', {})).rejects.toThrow(/topic/);
    await expect(enqueue('test.undefined', undefined)).rejects.toThrow(/JSON/);
  });
});

describe('retries', () => {
  it('retries a failing handler with growing delays, then marks it dead after maxAttempts', async () => {
    const time = manualClock();
    const log = memoryLogger();
    const worker = new OutboxWorker(t.handle, { clock: time.clock, maxAttempts: 5, retryBaseMs: 1000, logger: log });
    let calls = 0;
    worker.handle('test.failing', async () => {
      calls++;
      throw new Error(`421 mail server busy ${'x'.repeat(3000)}`);
    });
    const { id } = await db().transaction().execute((trx) => new Outbox(t.handle, { clock: time.clock }).enqueue(trx, { topic: 'test.failing', payload: { to: 'citizen@example.vn' } }));

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const result = await worker.runOnce();
      expect(result.claimed).toBe(1);
      const r = await row(id);
      expect(r.attempts).toBe(attempt);
      expect(r.last_error?.startsWith('Error: 421 mail server busy')).toBe(true);
      expect(r.last_error?.length).toBeLessThanOrEqual(1000);
      expect(r.last_error).not.toContain('citizen@example.vn');
      if (attempt < 5) {
        expect(r.status).toBe('pending');
        const delay = Date.parse(r.available_at) - time.clock().getTime();
        const ceiling = 1000 * 2 ** (attempt - 1);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
        delays.push(delay);
        // Not due yet: nothing is claimed.
        time.advance(delay - 1);
        expect((await worker.runOnce()).claimed).toBe(0);
        time.advance(1);
      } else {
        expect(r.status).toBe('dead');
        expect(r.locked_until).toBeNull();
      }
    }
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(delays[3]).toBeGreaterThan(delays[0] ?? Number.POSITIVE_INFINITY);
    expect(calls).toBe(5);
    time.advance(24 * 3_600_000);
    expect((await worker.runOnce()).claimed).toBe(0);

    const dead = log.lines.filter((l) => l.msg === 'outbox message dead');
    expect(dead).toHaveLength(1);
    expect(dead[0]?.obj).toMatchObject({ messageId: id, topic: 'test.failing', attempts: 5 });
    expect(JSON.stringify(log.lines)).not.toContain('citizen@example.vn');
    expect(await outbox.requeue(id)).toBe(true);
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0 });
    await db().updateTable('outbox_messages').set({ status: 'dead' }).where('id', '=', id).execute();
  });

  it('marks a message sent with attempts=3 when the third try succeeds', async () => {
    const time = manualClock();
    const worker = new OutboxWorker(t.handle, { clock: time.clock, random: () => 0 });
    const seen: { id: number; attempt: number }[] = [];
    worker.handle('test.third', async (_p, message) => {
      seen.push({ id: message.id, attempt: message.attempt });
      if (message.attempt < 3) throw new Error('connection refused');
    });
    const { id } = await db().transaction().execute((trx) => new Outbox(t.handle, { clock: time.clock }).enqueue(trx, { topic: 'test.third', payload: {} }));
    for (let i = 0; i < 3; i++) {
      await worker.runOnce();
      time.advance(60 * 60_000);
    }
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(seen).toEqual([1, 2, 3].map((attempt) => ({ id, attempt })));
  });

  it('gives up at once on a PermanentFailure or a payload that is not JSON', async () => {
    const worker = new OutboxWorker(t.handle);
    worker.handle('test.permanent', async () => {
      throw new PermanentFailure('recipient does not exist');
    });
    const { id } = await enqueue('test.permanent', {});
    const inserted = await db()
      .insertInto('outbox_messages')
      .values({ topic: 'test.permanent', payload: '{not json', status: 'pending', attempts: 0, available_at: new Date(0).toISOString(), created_at: new Date().toISOString(), dedupe_key: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await worker.runOnce()).toMatchObject({ claimed: 2, dead: 2 });
    expect(await row(id)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'PermanentFailure: recipient does not exist' });
    expect(await row(inserted.id)).toMatchObject({ status: 'dead', last_error: 'PermanentFailure: payload is not valid JSON' });
  });
});

describe('leases', () => {
  let other: DbHandle;
  beforeAll(() => {
    // A second connection to the same database, as a second app instance would have.
    other = openDatabase(t.database, { poolSize: 2 });
  });
  afterAll(() => other?.close());

  it('lets another worker deliver a message whose lease expired (the first worker died mid-send)', async () => {
    const time = manualClock();
    const log = memoryLogger();
    const crashed = new OutboxWorker(t.handle, { clock: time.clock, leaseMs: 60_000, id: 'crashed', logger: log });
    const survivor = new OutboxWorker(other, { clock: time.clock, leaseMs: 60_000, id: 'survivor' });
    const started = gate();
    const hang = gate();
    const keys: string[] = [];
    crashed.handle('test.lease', async (_p, message) => {
      keys.push(`crashed:${message.id}`);
      started.open();
      await hang.promise;
    });
    let delivered = 0;
    survivor.handle('test.lease', async (_p, message) => {
      keys.push(`survivor:${message.id}`);
      delivered++;
    });
    const { id } = await db().transaction().execute((trx) => new Outbox(t.handle, { clock: time.clock }).enqueue(trx, { topic: 'test.lease', payload: {} }));

    const crashedRun = crashed.runOnce();
    await started.promise;
    expect(await row(id)).toMatchObject({ status: 'pending', locked_by: 'crashed', attempts: 1 });
    // While the lease holds, nobody else takes it.
    time.advance(59_000);
    expect((await survivor.runOnce()).claimed).toBe(0);
    time.advance(2_000);
    expect(await survivor.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(delivered).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, locked_by: null });
    // Both saw the same id: that is what makes a handler idempotent.
    expect(keys).toEqual([`crashed:${id}`, `survivor:${id}`]);

    // The first worker comes back after all: its outcome no longer counts.
    hang.open();
    expect(await crashedRun).toMatchObject({ claimed: 1, sent: 0 });
    expect(log.lines.some((l) => l.msg === 'outbox lease lost before the outcome was recorded')).toBe(true);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('marks dead a message whose last allowed attempt never reported back', async () => {
    const time = manualClock();
    const worker = new OutboxWorker(t.handle, { clock: time.clock, maxAttempts: 3 });
    let calls = 0;
    worker.handle('test.poison', async () => {
      calls++;
    });
    const { id } = await enqueue('test.poison', {});
    await db()
      .updateTable('outbox_messages')
      .set({ attempts: 3, locked_by: 'gone', locked_until: new Date(time.clock().getTime() + 1000).toISOString() })
      .where('id', '=', id)
      .execute();
    expect(await worker.runOnce()).toMatchObject({ claimed: 0, dead: 0 });
    time.advance(1001);
    expect(await worker.runOnce()).toMatchObject({ claimed: 0, dead: 1 });
    expect(await row(id)).toMatchObject({ status: 'dead', last_error: 'Lease expired during the last attempt', locked_by: null });
    expect(calls).toBe(0);
  });
});

describe('recording outcomes', () => {
  const logged = (ref: string) => db().selectFrom('notification_log').select('outbox_id').where('ref', '=', ref).execute();
  const logWrite = (id: number, ref: string) => (trx: Parameters<Parameters<OutboxMessage['onSent']>[0]>[0]) =>
    trx
      .insertInto('notification_log')
      .values({ channel: 'sms', transport: 'test', recipient: 'x', subject: null, body: 'x', sent_at: new Date().toISOString(), outbox_id: id, ref })
      .execute();

  it('commits what a handler queues with onSent together with the sent mark, or neither', async () => {
    const worker = new OutboxWorker(t.handle, { logger: memoryLogger() });
    worker.handle<{ fail: boolean }>('test.onsent', async (p, message) => {
      message.onSent(logWrite(message.id, 'onsent'));
      if (p.fail) {
        message.onSent(async () => {
          throw new Error('the record cannot be written');
        });
      }
    });
    const good = await enqueue('test.onsent', { fail: false });
    const bad = await enqueue('test.onsent', { fail: true });
    const also = await enqueue('test.onsent', { fail: false });

    // The batch's transaction fails on the bad write; each outcome is then recorded on its own.
    expect(await worker.runOnce()).toMatchObject({ claimed: 3, sent: 2 });
    expect(await row(good.id)).toMatchObject({ status: 'sent' });
    expect(await row(also.id)).toMatchObject({ status: 'sent' });
    // Not marked sent, and its first write rolled back with the mark: it will be tried again.
    expect(await row(bad.id)).toMatchObject({ status: 'pending', locked_by: worker.id, attempts: 1 });
    expect((await logged('onsent')).map((r) => r.outbox_id).sort()).toEqual([good.id, also.id].sort());
  });

  it('drops the writes of a handler that throws, and of a claim that lost its lease', async () => {
    const worker = new OutboxWorker(t.handle, { id: 'slow', logger: memoryLogger() });
    const started = gate();
    const release = gate();
    worker.handle<{ fail: boolean }>('test.onsent-drop', async (p, message) => {
      message.onSent(logWrite(message.id, 'onsent-drop'));
      if (p.fail) throw new Error('the gateway refused');
      started.open();
      await release.promise;
    });
    const failing = await enqueue('test.onsent-drop', { fail: true });
    const slow = await enqueue('test.onsent-drop', { fail: false });
    const run = worker.runOnce();
    await started.promise;
    // While the handler waits, its lease runs out and another worker claims the message.
    await db().updateTable('outbox_messages').set({ locked_by: 'other', attempts: 2 }).where('id', '=', slow.id).execute();
    release.open();
    expect(await run).toMatchObject({ claimed: 2, sent: 0, retried: 1 });
    expect(await row(failing.id)).toMatchObject({ status: 'pending', attempts: 1, locked_by: null, last_error: 'Error: the gateway refused' });
    expect(await row(slow.id)).toMatchObject({ status: 'pending', locked_by: 'other' });
    expect(await logged('onsent-drop')).toEqual([]);
  });
});

describe('running in the background', () => {
  it('polls after start(), and stop() waits for the handlers in flight', async () => {
    const worker = new OutboxWorker(t.handle, { pollMs: 20 });
    const started = gate();
    const release = gate();
    const done: number[] = [];
    worker.handle<{ n: number }>('test.loop', async (p) => {
      if (p.n === 1) {
        started.open();
        await release.promise;
      }
      done.push(p.n);
    });
    worker.start();
    const { id } = await enqueue('test.loop', { n: 1 });
    await started.promise;
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(done).toEqual([1]);
    expect((await row(id)).status).toBe('sent');

    // Stopped: nothing more is taken.
    const later = await enqueue('test.loop', { n: 2 });
    await new Promise((r) => setTimeout(r, 100));
    expect((await row(later.id)).status).toBe('pending');
    worker.start();
    await expect.poll(async () => (await row(later.id)).status, { timeout: 5000 }).toBe('sent');
    await worker.stop();
  });

  it('counts messages by status', async () => {
    const stats = await outbox.stats();
    const rows = await db().selectFrom('outbox_messages').select('status').execute();
    expect(stats).toEqual({
      pending: rows.filter((r) => r.status === 'pending').length,
      sent: rows.filter((r) => r.status === 'sent').length,
      dead: rows.filter((r) => r.status === 'dead').length,
    });
    expect(stats.sent).toBeGreaterThan(0);
    expect(stats.dead).toBeGreaterThan(0);
  });

  it('refuses two handlers for one topic', () => {
    const worker = new OutboxWorker(t.handle);
    worker.handle('test.twice', async () => {});
    expect(() => worker.handle('test.twice', async () => {})).toThrow(/already/);
  });
});
