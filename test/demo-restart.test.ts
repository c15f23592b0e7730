import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierTables } from '../src/modules/dossiers/tables.ts';
import type { ResultTables } from '../src/modules/results/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { type ServerProcess, scratchDir, serverEnv, serverProcess, sleep } from './helpers/server-process.ts';

/**
 * A first `npm start` stopped part-way (Ctrl-C, a machine that went down) on the real server,
 * a separate process: the next start writes the demo it did not get to, and later starts add
 * nothing. Before, a first start stopped after the catalog went in left a demo without its
 * dossiers for good.
 */
let db: TestDatabase;
let server: ServerProcess;
let scratch: { dir: string; remove(): void };

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  scratch = scratchDir();
  server = await serverProcess({ env: serverEnv(db.database, scratch.dir, { EGOV_DEMO: 'auto' }), readyTimeoutMs: 120_000 });
});

afterAll(async () => {
  await server?.kill('SIGKILL');
  await db?.dispose();
  scratch?.remove();
});

const count = async (table: string): Promise<number> => {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db.handle.db);
  return Number(rows[0]?.n ?? 0);
};
/** A table that the server's migrations may not have made yet counts as empty. */
const countIfThere = (table: string) => count(table).catch(() => 0);

describe('a first start stopped part-way', () => {
  it('is finished by the next start: catalog, accounts, demo dossiers and their signed results, once', async () => {
    const first = server.start().catch(() => {});
    // Stopped as soon as the catalog is in: the accounts, the dossiers and the results are not.
    for (let i = 0; i < 3000 && (await countIfThere('procedures')) === 0; i++) await sleep(10);
    await server.kill('SIGKILL');
    await first;
    expect(await count('procedures')).toBeGreaterThan(0);
    expect(await count('dossiers')).toBe(0);

    await server.start();
    const dossiers = await count('dossiers');
    expect(dossiers).toBeGreaterThanOrEqual(200);
    expect(await count('accounts')).toBeGreaterThan(5);
    const results = db.handle.db.withTables<DossierTables & ResultTables>();
    const granted = await results
      .selectFrom('dossier_events')
      .select('dossier_id')
      .where('type', '=', 'approved')
      .where('data_json', 'like', '%"decision":"granted"%')
      .execute();
    expect(granted.length).toBeGreaterThan(3);
    expect((await results.selectFrom('results').select('dossier_id').execute()).map((r) => r.dossier_id).sort()).toEqual(granted.map((g) => g.dossier_id).sort());
    expect((await db.handle.db.selectFrom('platform_state').select('value').where('key', '=', 'demo').executeTakeFirst())?.value).toBe('done');

    // A later start finds the demo done and writes nothing more.
    await server.kill('SIGKILL');
    await server.start();
    expect(await count('dossiers')).toBe(dossiers);
    expect(await count('results')).toBe(granted.length);
  }, 240_000);
});
