import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db, Engine } from '../index.ts';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_catalog.ts';
import * as m0003 from './0003_calendar.ts';
import * as m0004 from './0004_outbox.ts';
import * as m0005 from './0005_files.ts';
import * as m0006 from './0006_dossiers.ts';
import * as m0007 from './0007_bench_indexes.ts';
import * as m0008 from './0008_identity.ts';
import * as m0009 from './0009_payments.ts';
import * as m0011 from './0011_registry.ts';
import * as m0010 from './0010_results.ts';
import * as m0012 from './0012_oidc.ts';
import * as m0013 from './0013_audit_sealing.ts';
import * as m0014 from './0014_drop_redundant_indexes.ts';
import * as m0015 from './0015_platform_state.ts';

export interface MigrationContext {
  engine: Engine;
}

type Step = { up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> };

/** Every migration in order. Append only: a released migration is never edited. */
const steps: Record<string, Step> = {
  '0001_platform': m0001,
  '0002_catalog': m0002,
  '0003_calendar': m0003,
  '0004_outbox': m0004,
  '0005_files': m0005,
  '0006_dossiers': m0006,
  '0007_inbox_indexes': m0007,
  '0008_identity': m0008,
  '0009_payments': m0009,
  '0011_registry': m0011,
  '0010_results': m0010,
  '0012_oidc': m0012,
  '0013_audit_sealing': m0013,
  '0014_drop_redundant_indexes': m0014,
  '0015_platform_state': m0015,
};

class CodeMigrationProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, step] of Object.entries(steps)) {
      out[name] = { up: (db) => step.up(db, this.ctx) };
    }
    return out;
  }
}

/** Applies pending migrations. Safe to run from several instances at once (Kysely takes a lock). */
export async function migrate(db: Db, engine: Engine): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new CodeMigrationProvider({ engine }) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
