import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testEngine } from '../../../test/helpers/db.ts';
import { openDatabase } from '../db/index.ts';
import { AuditLog } from './index.ts';

describe('audit log', () => {
  let t: TestDatabase;
  let audit: AuditLog;

  beforeAll(async () => {
    t = await createTestDatabase();
    audit = new AuditLog(t.handle.db, t.handle.engine);
    for (let i = 0; i < 5; i++) {
      await audit.record({ actorId: 'a1', actorLabel: 'Admin', action: 'catalog.procedure.update', targetType: 'procedure', targetId: `1.00000${i}`, before: { n: i }, after: { n: i + 1 }, ip: '127.0.0.1', requestId: `r${i}` });
    }
  });
  afterAll(() => t.dispose());

  it('chains every row to the previous one and verifies', async () => {
    const result = await audit.verify();
    expect(result).toEqual({ ok: true, checked: 5 });
  });

  it('keeps concurrent appends on one chain', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit.record({ action: 'auth.login', targetId: String(i) })));
    const result = await audit.verify();
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(25);
  });

  it('detects an edited row', async () => {
    await audit.seal();
    await sql`update audit_log set after_json = ${'{"n":99}'} where seq = 3`.execute(t.handle.db);
    const result = await audit.verify();
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toBe(3);
    expect(result.reason).toMatch(/edited/);
  });

  it('detects a deleted row', async () => {
    const fresh = await createTestDatabase();
    try {
      const log = new AuditLog(fresh.handle.db, fresh.handle.engine);
      for (let i = 0; i < 4; i++) await log.record({ action: 'x', targetId: String(i) });
      await log.seal();
      await sql`delete from audit_log where seq = 2`.execute(fresh.handle.db);
      const result = await log.verify();
      expect(result).toMatchObject({ ok: false, brokenAt: 3 });
      expect(result.reason).toMatch(/removed/);
    } finally {
      await fresh.dispose();
    }
  });
});

describe.skipIf(testEngine !== 'postgres')('audit log on PostgreSQL: sealed after commit', () => {
  let t: TestDatabase;
  let audit: AuditLog;
  beforeAll(async () => {
    t = await createTestDatabase();
    audit = new AuditLog(t.handle.db, t.handle.engine);
  });
  afterAll(() => t.dispose());

  const rows = () => t.handle.db.selectFrom('audit_log').select(['seq', 'target_id', 'hash', 'chain_pos']).orderBy('seq').execute();

  it('lets audited transactions commit without waiting for each other, and chains them in the order they became visible', async () => {
    const other = openDatabase(t.database, { poolSize: 1 });
    try {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let recorded = () => {};
      const firstRecorded = new Promise<void>((resolve) => {
        recorded = resolve;
      });
      // The first transaction writes its entry and stays open…
      const first = other.db.transaction().execute(async (trx) => {
        await new AuditLog(other.db, 'postgres').record({ action: 'test.first', targetId: 'first' }, trx);
        recorded();
        await held;
      });
      await firstRecorded;
      // …while a second one records and commits (it used to wait on the chain's lock here).
      await t.handle.db.transaction().execute((trx) => audit.record({ action: 'test.second', targetId: 'second' }, trx));
      expect(await audit.seal()).toBe(1);
      release();
      await first;
      const before = await rows();
      expect(before.map((r) => [r.target_id, r.hash === null])).toEqual([
        ['first', true],
        ['second', false],
      ]);
      expect(await audit.seal()).toBe(1);
      const after = await rows();
      // The lower seq committed later, so it comes later in the chain.
      expect(after.map((r) => [r.target_id, r.chain_pos])).toEqual([
        ['first', 2],
        ['second', 1],
      ]);
      expect(await audit.verify()).toEqual({ ok: true, checked: 2 });
    } finally {
      await other.close();
    }
  });

  it('keeps one chain when two instances seal at once', async () => {
    const other = openDatabase(t.database, { poolSize: 2 });
    try {
      const second = new AuditLog(other.db, 'postgres');
      await audit.recordAll(Array.from({ length: 1200 }, (_, i) => ({ action: 'test.bulk', targetId: String(i) })));
      const [a, b] = await Promise.all([audit.seal(), second.seal()]);
      expect(a + b).toBe(1200);
      expect(await audit.verify()).toEqual({ ok: true, checked: 1202 });
    } finally {
      await other.close();
    }
  });
});
