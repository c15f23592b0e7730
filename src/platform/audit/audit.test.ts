import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
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
      await sql`delete from audit_log where seq = 2`.execute(fresh.handle.db);
      const result = await log.verify();
      expect(result).toMatchObject({ ok: false, brokenAt: 3 });
      expect(result.reason).toMatch(/removed/);
    } finally {
      await fresh.dispose();
    }
  });
});
