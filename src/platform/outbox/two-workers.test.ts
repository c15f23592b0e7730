import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { type DbHandle, openDatabase } from '../db/index.ts';
import { Outbox, OutboxWorker } from './index.ts';

/**
 * Two app instances on one database (two connections; on SQLite the same file) racing over the
 * same messages: each message must be handled exactly once.
 */
let t: TestDatabase;
let second: DbHandle;

beforeAll(async () => {
  t = await createTestDatabase();
  second = openDatabase(t.database, { poolSize: 5 });
});
afterAll(async () => {
  await second?.close();
  await t?.dispose();
});

it('hands each of 200 messages to exactly one of two racing workers', async () => {
  const outbox = new Outbox(t.handle);
  const ids: number[] = [];
  for (let batch = 0; batch < 20; batch++) {
    await t.handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 10; i++) ids.push((await outbox.enqueue(trx, { topic: 'race.job', payload: { n: batch * 10 + i } })).id);
    });
  }

  const handled = new Map<number, string[]>();
  const workers = [t.handle, second].map((handle, w) => {
    const worker = new OutboxWorker(handle, { batchSize: 7, id: `instance-${w}` });
    worker.handle('race.job', async (_payload, message) => {
      handled.set(message.id, [...(handled.get(message.id) ?? []), worker.id]);
      // Yield so the other worker's claims interleave with this one's deliveries.
      await new Promise((r) => setTimeout(r, Math.random() * 3));
    });
    return worker;
  });

  const deadline = Date.now() + 20_000;
  const drain = async (worker: OutboxWorker) => {
    while (Date.now() < deadline) {
      const r = await worker.runOnce();
      if (r.claimed === 0) {
        const left = await t.handle.db.selectFrom('outbox_messages').select('id').where('status', '=', 'pending').executeTakeFirst();
        if (!left) return;
        // Wait for the other loops' deliveries; with SQLite every await here is a microtask,
        // so without a timer this loop would starve them.
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  };
  // Two concurrent loops per worker as well: claims race within a process and across them.
  await Promise.all(workers.flatMap((w) => [drain(w), drain(w)]));

  expect(handled.size).toBe(200);
  const twice = [...handled].filter(([, by]) => by.length !== 1);
  expect(twice).toEqual([]);
  expect(new Set(handled.keys())).toEqual(new Set(ids));
  // Both instances took part.
  const perWorker = new Map<string, number>();
  for (const [, by] of handled) for (const w of by) perWorker.set(w, (perWorker.get(w) ?? 0) + 1);
  expect(perWorker.size).toBe(2);
  expect(await outbox.stats()).toEqual({ pending: 0, sent: 200, dead: 0 });
  const attempts = await t.handle.db.selectFrom('outbox_messages').select('attempts').where('attempts', '!=', 1).execute();
  expect(attempts).toEqual([]);
});
