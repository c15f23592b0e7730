import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

/**
 * Inbox indexes found by `npm run bench:dossiers` (1,000,000 dossiers, a ward holding 50,000 of
 * them, 8,000 open). Every inbox box orders by (due_at, submitted_at) and shows one page, so each
 * box gets an index that returns its rows already in that order and stops after the page:
 *
 * - dossiers_holder_order: the `all` box. Without it both engines read and sort every dossier
 *   the agency ever held (SQLite ~0.45 s a query, PostgreSQL 0.3–2.4 s, for 50,000 dossiers).
 * - dossiers_holder_open: `late` and `due-soon`, open dossiers only, so that closed dossiers with
 *   old deadlines are never walked (with dossiers_holder_order alone PostgreSQL walks them for
 *   `late`: 0.3–0.45 s). Status and paused_at are in it so the counts read no table rows.
 *   PostgreSQL only takes index order from columns compared with `=`, not `IS NULL`, so there
 *   closed_at stays out of the key; SQLite treats `closed_at IS NULL` as equality and, without
 *   statistics (the platform never runs ANALYZE), only picks this index over
 *   dossiers_holder_order for `late` when closed_at is in the key.
 * - dossiers_holder_status: `new`, `waiting`, `results`: the status boxes in page order
 *   (dossiers_holder lacks submitted_at, so all NEW dossiers, whose due_at is null, were sorted).
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema.createIndex('dossiers_holder_order').on('dossiers').columns(['holder_agency', 'due_at', 'submitted_at']).execute();
  const open = ctx.engine === 'postgres' ? ['holder_agency', 'due_at', 'submitted_at', 'status', 'paused_at'] : ['holder_agency', 'closed_at', 'due_at', 'submitted_at', 'status', 'paused_at'];
  await db.schema.createIndex('dossiers_holder_open').on('dossiers').columns(open).where(sql.ref('closed_at'), 'is', null).execute();
  await db.schema.createIndex('dossiers_holder_status').on('dossiers').columns(['holder_agency', 'status', 'due_at', 'submitted_at']).execute();
}
