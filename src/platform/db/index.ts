import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/index.ts';
import { type Checkpointer, SAFETY_NET_PAGES, startCheckpointer } from './checkpointer.ts';
import type { Database } from './schema.ts';

export { type InsertOptions, insertRows } from './insert.ts';
export type { Database } from './schema.ts';
export type Db = Kysely<Database>;
export type Engine = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  engine: Engine;
  /** SQLite files only: the thread that checkpoints the write-ahead log. */
  checkpointer?: Checkpointer;
  close(): Promise<void>;
}

// PostgreSQL returns BIGINT/NUMERIC as strings by default; our counters fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function openDatabase(database: Config['database'], opts: { poolSize?: number; checkpointMs?: number } = {}): DbHandle {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: database.url, max: opts.poolSize ?? 10 });
    // Without a listener, an idle client dropped by the server crashes the whole process.
    pool.on('error', (err) => {
      process.emitWarning(`PostgreSQL idle client error: ${err.message}`);
    });
    pool.on('connect', prepareInserts);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  if (database.file !== ':memory:') mkdirSync(path.dirname(database.file), { recursive: true });
  const sqlite = new SQLite(database.file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL keeps WAL commits durable across a process crash (not a power cut) at a fraction of FULL's cost.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MB of pages instead of SQLite's 2 MB: with a million dossiers, each insert touches a leaf
  // of a dozen indexes, and a leaf not in the cache is a read through the kernel.
  sqlite.pragma('cache_size = -65536');
  reusePreparedStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (database.file === ':memory:') return { db, engine: 'sqlite', close: () => db.destroy() };
  sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const checkpointer = startCheckpointer(database.file, { intervalMs: opts.checkpointMs });
  return {
    db,
    engine: 'sqlite',
    checkpointer,
    close: async () => {
      await checkpointer.stop();
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares a statement for every query, and better-sqlite3 compiles each prepare anew:
 * for the platform's short queries that compile cost more than running them (a fifth of a dossier
 * submission's CPU). Statements are kept per SQL text instead; the platform has a few hundred
 * query shapes, and the bound keeps variable `IN (…)` lists from growing the cache without end.
 * Safe because every statement Kysely runs completes synchronously (nothing here streams rows
 * with `iterate`, which would make a shared statement busy).
 */
function reusePreparedStatements(sqlite: SQLite.Database, max = 2000): void {
  const statements = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = prepare(source);
      if (statements.size >= max) statements.delete(statements.keys().next().value as string);
      statements.set(source, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * PostgreSQL parses and plans every statement Kysely sends (it sends them unnamed). Inserts go
 * as named prepared statements instead, parsed once per connection: their plans do not depend
 * on the values, unlike a query's, which keeps being planned for the values it gets.
 */
function prepareInserts(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    if (typeof text !== 'string' || !Array.isArray(values) || rest.length || !preparable(text)) return query(text, values, ...rest);
    let name = names.get(text);
    if (!name) {
      name = `ins_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
      names.set(text, name);
    }
    return query({ name, text, values });
  };
}

/** An insert (maybe inside a CTE) that returns no whole rows: a later column would change those. */
function preparable(text: string): boolean {
  return /^\s*(insert\s|with\s+"?\w+"?\s+as\s+\(\s*insert\s)/i.test(text) && !/\sreturning\s+\*/i.test(text);
}

/** Reads and writes `platform_state`: facts about the installation, by key. */
export const platformState = {
  async get(db: Db, key: string): Promise<string | undefined> {
    return (await db.selectFrom('platform_state').select('value').where('key', '=', key).executeTakeFirst())?.value;
  },
  async set(db: Db, key: string, value: string): Promise<void> {
    const updated_at = new Date().toISOString();
    await db
      .insertInto('platform_state')
      .values({ key, value, updated_at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at }))
      .execute();
  },
};

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

export function nowIso(date: Date = new Date()): string {
  return date.toISOString();
}

/**
 * Runs `fn` while holding a cluster-wide lock on PostgreSQL (a session advisory lock on one
 * pooled connection), so work that several instances start at once — seeding demo data on
 * first start — runs on one of them at a time. SQLite has a single writer process anyway.
 */
export async function withStartupLock<T>(handle: DbHandle, fn: () => Promise<T>): Promise<T> {
  if (handle.engine !== 'postgres') return fn();
  return handle.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(727003)`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(727003)`.execute(conn);
    }
  });
}
