import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agenciesFile, catalogFile } from './fixtures/catalog.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';

const run = promisify(execFile);

/** The `egov` command as an admin runs it: a separate process on the same database. */
describe('egov command line', () => {
  let t: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const egov = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['bin/egov.mjs', ...args], { env, cwd: path.resolve(import.meta.dirname, '..') });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = mkdtempSync(path.join(os.tmpdir(), 'egov-cli-'));
    env = {
      ...process.env,
      EGOV_DATA_DIR: dir,
      EGOV_SECRET: 'cli-secret-cli-secret-cli-secret-cli-00',
      DATABASE_URL: t.database.kind === 'postgres' ? t.database.url : '',
    };
    if (t.database.kind === 'sqlite') {
      delete env.DATABASE_URL;
      env.EGOV_DATA_DIR = path.dirname(t.database.file);
    }
    writeFileSync(path.join(dir, 'agencies.json'), JSON.stringify(agenciesFile));
    writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(catalogFile, null, 2));
  });
  afterAll(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports agencies and a catalog, and exports it again', async () => {
    expect((await egov('migrate')).code).toBe(0);
    const agencies = await egov('agencies', 'import', path.join(dir, 'agencies.json'));
    expect(agencies.code).toBe(0);
    const imported = await egov('catalog', 'import', path.join(dir, 'catalog.json'));
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ domains: 3, created: 5, updated: 0, unchanged: 0 });
    const exported = await egov('catalog', 'export');
    expect(JSON.parse(exported.stdout).procedures).toHaveLength(5);
  });

  it('refuses a broken file whole, printing file:line:column for each problem', async () => {
    const broken = structuredClone(catalogFile) as { procedures: Record<string, unknown>[] };
    (broken.procedures[4] as Record<string, unknown>).fees = [{ name: 'Lệ phí', amount: 'một trăm' }];
    const file = path.join(dir, 'broken.json');
    const text = JSON.stringify(broken, null, 2);
    writeFileSync(file, text);
    const result = await egov('catalog', 'import', file);
    expect(result.code).toBe(1);
    const match = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):\\d+: procedures\\.4\\.fees\\.0\\.amount`).exec(result.stderr);
    expect(match, result.stderr).not.toBeNull();
    expect(text.split('\n')[Number(match?.[1]) - 1]).toContain('"amount": "một trăm"');
  });

  it('verifies the audit chain and reports a tampered row', async () => {
    const ok = await egov('audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/audit log intact: \d+ entries verified/);
    await sql`update audit_log set actor_label = 'someone else' where seq = 2`.execute(t.handle.db);
    const broken = await egov('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('audit log BROKEN at entry 2');
  });

  it('prints usage for an unknown command', async () => {
    const result = await egov('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('egov catalog import FILE');
  });
});
