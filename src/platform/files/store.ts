import { type Kysely, sql } from 'kysely';
import { type Database, type Engine, insertRows } from '../db/index.ts';
import type { AttachmentTable } from './tables.ts';

/** A database or a transaction on it (a Transaction is a Kysely). */
export type Executor = Kysely<Database>;
export type AttachmentRow = AttachmentTable;

/** The first key of the two-key advisory lock (the audit log uses the one-key form). */
const OWNER_LOCK_CLASS = 727_002;

/** Queries on the attachments table, and nothing else's. */
export const attachmentStore = {
  async insert(ex: Executor, rows: AttachmentRow[]): Promise<void> {
    await insertRows(ex, 'attachments', rows);
  },

  async reassign(ex: Executor, from: { ownerType: string; ownerId: string }, to: { ownerType: string; ownerId: string }): Promise<number> {
    const r = await ex
      .updateTable('attachments')
      .set({ owner_type: to.ownerType, owner_id: to.ownerId })
      .where('owner_type', '=', from.ownerType)
      .where('owner_id', '=', from.ownerId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async find(ex: Executor, id: string): Promise<AttachmentRow | undefined> {
    return ex.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async listForOwner(ex: Executor, ownerType: string, ownerId: string): Promise<AttachmentRow[]> {
    return ex
      .selectFrom('attachments')
      .selectAll()
      .where('owner_type', '=', ownerType)
      .where('owner_id', '=', ownerId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },

  /** Bytes already attached to an owner. */
  async totalSize(ex: Executor, ownerType: string, ownerId: string): Promise<number> {
    const row = await ex
      .selectFrom('attachments')
      .select(sql<string | number>`coalesce(sum(size), 0)`.as('total'))
      .where('owner_type', '=', ownerType)
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    // PostgreSQL's sum(bigint) is numeric, which pg returns as a string.
    return Number(row?.total ?? 0);
  },

  /**
   * Serialises writers of one owner's attachments until the transaction ends, so two
   * concurrent uploads cannot both pass the per-owner limit. SQLite transactions are already
   * serialised (one writer).
   */
  async lockOwner(ex: Executor, engine: Engine, ownerType: string, ownerId: string): Promise<void> {
    if (engine !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(${OWNER_LOCK_CLASS}, hashtext(${`${ownerType}:${ownerId}`}::text))`.execute(ex);
  },

  /** Which of these storage keys some row still points to. */
  async existingKeys(ex: Executor, keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await ex.selectFrom('attachments').select('storage_key').where('storage_key', 'in', keys).execute();
    return new Set(rows.map((r) => r.storage_key));
  },

  async delete(ex: Executor, id: string): Promise<boolean> {
    const result = await ex.deleteFrom('attachments').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
};

