import { AuditLog } from '../../src/platform/audit/index.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import type { Platform } from '../../src/platform/index.ts';
import type { TestDatabase } from './db.ts';

/** Platform services over a test database, for service-level tests without HTTP. */
export function testPlatform(t: TestDatabase, env: Record<string, string> = {}): Platform {
  const config = loadConfig({ EGOV_SECRET: 'test-secret-test-secret-test-secret-0123', EGOV_SEARCH_REFRESH_MS: '0', EGOV_DATA_DIR: '/tmp/egov-unused', ...env });
  return { config, db: t.handle.db, engine: t.handle.engine, audit: new AuditLog(t.handle.db, t.handle.engine) };
}

export const testActor = { id: 'test-admin', label: 'Test Admin', ip: '127.0.0.1', requestId: 'test' };
