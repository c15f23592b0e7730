import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testEngine } from '../../../test/helpers/db.ts';
import { insertRows } from './index.ts';

/** Inserts through statements compiled once, on the engine of the run, against what Kysely writes. */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.dispose());

const db = () => t.handle.db;
const message = (n: number, extra: Record<string, unknown> = {}) => ({
  topic: 'test.insert',
  payload: JSON.stringify({ n }),
  dedupe_key: `insert-${n}`,
  status: 'pending' as const,
  attempts: 0,
  available_at: '2026-11-27T00:00:00.000Z',
  created_at: '2026-11-27T00:00:00.000Z',
  ...extra,
});
const stored = () =>
  db()
    .selectFrom('outbox_messages')
    .select(['payload', 'dedupe_key', 'attempts', 'status'])
    .where('topic', '=', 'test.insert')
    .orderBy('id')
    .execute();

describe('insertRows', () => {
  it('writes the same rows as Kysely, the first time and when its statement is reused', async () => {
    // The same shape three times: compiled (and checked) once, then reused with new values.
    expect(await insertRows(db(), 'outbox_messages', [message(1)])).toBe(1);
    expect(await insertRows(db(), 'outbox_messages', [message(2, { attempts: 3 })])).toBe(1);
    await db()
      .transaction()
      .execute((trx) => insertRows(trx, 'outbox_messages', [message(3, { dedupe_key: null })]));
    // Two rows, and rows that leave a column out: shapes of their own.
    expect(await insertRows(db(), 'outbox_messages', [message(4), message(5)])).toBe(2);
    const { dedupe_key: _, ...withoutKey } = message(6);
    expect(await insertRows(db(), 'outbox_messages', [withoutKey])).toBe(1);
    expect(await stored()).toEqual([
      { payload: '{"n":1}', dedupe_key: 'insert-1', attempts: 0, status: 'pending' },
      { payload: '{"n":2}', dedupe_key: 'insert-2', attempts: 3, status: 'pending' },
      { payload: '{"n":3}', dedupe_key: null, attempts: 0, status: 'pending' },
      { payload: '{"n":4}', dedupe_key: 'insert-4', attempts: 0, status: 'pending' },
      { payload: '{"n":5}', dedupe_key: 'insert-5', attempts: 0, status: 'pending' },
      { payload: '{"n":6}', dedupe_key: null, attempts: 0, status: 'pending' },
    ]);
  });

  it('leaves out a row whose conflict key exists, and says so', async () => {
    expect(await insertRows(db(), 'outbox_messages', [message(7)], { ignoreConflictOn: 'dedupe_key' })).toBe(1);
    expect(await insertRows(db(), 'outbox_messages', [message(7, { payload: '"again"' })], { ignoreConflictOn: 'dedupe_key' })).toBe(0);
    expect(await insertRows(db(), 'outbox_messages', [message(7), message(8)], { ignoreConflictOn: 'dedupe_key' })).toBe(1);
    await expect(insertRows(db(), 'outbox_messages', [message(8)])).rejects.toThrow();
    const rows = await stored();
    expect(rows.filter((r) => r.dedupe_key === 'insert-7')).toEqual([{ payload: '{"n":7}', dedupe_key: 'insert-7', attempts: 0, status: 'pending' }]);
  });

  it('hands rows with other than plain values, or with different columns, to Kysely', async () => {
    const expression = message(9, { payload: sql<string>`${'{"n":'} || ${'9}'}` });
    expect(await insertRows(db(), 'outbox_messages', [expression])).toBe(1);
    const { dedupe_key: _, ...withoutKey } = message(10);
    expect(await insertRows(db(), 'outbox_messages', [message(11), withoutKey])).toBe(2);
    const rows = await stored();
    expect(rows.slice(-3).map((r) => [r.payload, r.dedupe_key])).toEqual([
      ['{"n":9}', 'insert-9'],
      ['{"n":11}', 'insert-11'],
      ['{"n":10}', null],
    ]);
  });

  it('rolls back with the transaction it ran in', async () => {
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await insertRows(trx, 'outbox_messages', [message(12)]);
          throw new Error('the change failed');
        }),
    ).rejects.toThrow('the change failed');
    expect((await stored()).some((r) => r.dedupe_key === 'insert-12')).toBe(false);
  });

  it.runIf(testEngine === 'postgres')('sends inserts to PostgreSQL as statements prepared once per connection', async () => {
    const counts = await db()
      .transaction()
      .execute(async (trx) => {
        const count = async () =>
          (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements where name like 'ins\_%' and statement like 'insert into "outbox_messages"%'`.execute(trx)).rows[0]?.n;
        await insertRows(trx, 'outbox_messages', [message(13)]);
        const first = await count();
        await insertRows(trx, 'outbox_messages', [message(14)]);
        return [first, await count()];
      });
    // Prepared by the first insert, reused by the second.
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBe(counts[0]);
    expect((await stored()).filter((r) => r.dedupe_key === 'insert-13' || r.dedupe_key === 'insert-14')).toHaveLength(2);
  });
});
