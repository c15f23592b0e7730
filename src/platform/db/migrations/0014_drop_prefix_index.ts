import type { Kysely } from 'kysely';

/**
 * `dossiers_holder` (holder_agency, status, due_at) is a prefix of `dossiers_holder_status`
 * (… , submitted_at, from 0007): every lookup it served, the longer index serves as well, and
 * each dossier insert or status change paid for keeping both.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('dossiers_holder').execute();
}
