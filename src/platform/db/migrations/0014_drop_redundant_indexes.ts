import type { Kysely } from 'kysely';

/**
 * Two dossier indexes that served nothing the inbox indexes of 0007 do not serve better, and
 * that every dossier insert and status change paid to keep:
 * - `dossiers_holder` (holder_agency, status, due_at) is a prefix of `dossiers_holder_status`.
 * - `dossiers_holder_due` (holder_agency, closed_at, due_at) lured SQLite away from
 *   `dossiers_holder_open` for the `due-soon` and `late` boxes: it lacks submitted_at, status
 *   and paused_at, so each page read every matching row and sorted them (8 ms a page at the
 *   bench's ward, against 0.3 ms from `dossiers_holder_open`). PostgreSQL used the latter already.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('dossiers_holder').execute();
  await db.schema.dropIndex('dossiers_holder_due').execute();
}
