import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type DbHandle, openDatabase } from '../../src/platform/db/index.ts';
import { migrate } from '../../src/platform/db/migrations/index.ts';

/**
 * A fresh, migrated database for one test file, on the engine the run is for:
 * PostgreSQL when DATABASE_URL is set (a new database is created on that server), else a
 * SQLite file in a temporary directory. Call `dispose` in afterAll.
 */
export interface TestDatabase {
  handle: DbHandle;
  /** The connection settings to give another process (a spawned server) the same database. */
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  dispose(): Promise<void>;
}

export const testEngine = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  let database: TestDatabase['database'];
  let cleanup: () => Promise<void>;
  if (serverUrl) {
    const name = `egov_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    database = { kind: 'postgres', url: url.toString() };
    cleanup = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'egov-test-'));
    database = { kind: 'sqlite', file: path.join(dir, 'egov.db') };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const handle = openDatabase(database, { poolSize: 5 });
  if (opts.migrate !== false) await migrate(handle.db, handle.engine);
  return {
    handle,
    database,
    dispose: async () => {
      await handle.close();
      await cleanup();
    },
  };
}
