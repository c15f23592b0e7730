import type { AuditLog } from './audit/index.ts';
import type { Config } from './config/index.ts';
import type { Db, Engine } from './db/index.ts';

/** What the composition root hands every module: pass dependencies in, never import singletons. */
export interface Platform {
  config: Config;
  db: Db;
  engine: Engine;
  audit: AuditLog;
}
