import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SAFETY_NET_PAGES, startCheckpointer } from './checkpointer.ts';
import { type DbHandle, openDatabase } from './index.ts';

/** The SQLite write-ahead log is copied back by a thread of its own, not by the commits. */
let dir: string;
let file: string;
let handle: DbHandle;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'egov-checkpoint-'));
  file = path.join(dir, 'egov.db');
  handle = openDatabase({ kind: 'sqlite', file });
  await sql`create table t (id integer primary key, body text not null)`.execute(handle.db);
});
afterEach(async () => {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Commits `count` rows of 2 KB, one transaction each, as requests do. */
async function write(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await handle.db.transaction().execute((trx) => sql`insert into t (body) values (${'x'.repeat(2048)})`.execute(trx));
}

it('leaves the request connection only a distant safety net of its own', async () => {
  const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(handle.db);
  expect(rows[0]?.wal_autocheckpoint).toBe(SAFETY_NET_PAGES);
  expect(handle.checkpointer).toBeDefined();
});

it('copies every committed frame into the database file, and the log is then reused from its start', async () => {
  // No timed checkpoint in between: the frames counted are all this test's.
  await handle.close();
  handle = openDatabase({ kind: 'sqlite', file }, { checkpointMs: 600_000 });
  await write(600);
  const checkpointer = handle.checkpointer;
  if (!checkpointer) throw new Error('a SQLite file gets a checkpointer');
  const result = await checkpointer.checkpointNow();
  expect(result.log).toBeGreaterThan(600);
  expect(result.checkpointed).toBe(result.log);
  const walBytes = statSync(`${file}-wal`).size;
  await write(50);
  // Written over the copied frames, not appended.
  expect(statSync(`${file}-wal`).size).toBe(walBytes);
  const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db);
  expect(rows[0]?.n).toBe(650);
});

it('checkpoints on its own while requests write', async () => {
  await write(300);
  // Only a checkpoint moves pages from the log into the database file.
  await expect.poll(() => statSync(file).size, { timeout: 5000, interval: 50 }).toBeGreaterThan(300 * 2048);
});

it('stops its thread on close, leaving a database another connection reads whole', async () => {
  await write(100);
  await handle.close();
  const again = openDatabase({ kind: 'sqlite', file });
  try {
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(again.db);
    expect(rows[0]?.n).toBe(100);
  } finally {
    handle = again;
  }
});

it('warns when its thread cannot run, rather than failing silently', async () => {
  const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
  const broken = startCheckpointer(path.join(dir, 'no-such-dir', 'egov.db'));
  const warning = await warned;
  expect(warning.message).toMatch(/SQLite checkpoint thread stopped .*past 20000 pages/);
  await broken.stop();
});
