import type { Insertable, Selectable } from 'kysely';
import type { Kysely } from 'kysely';
import { type Database, type Db, insertRows } from '../db/index.ts';
import type { NotificationLogTable } from '../outbox/tables.ts';

export type NotificationRecord = Selectable<NotificationLogTable>;

/** Queries of `notification_log`, and nothing else's. */
export class NotificationStore {
  constructor(private readonly db: Db) {}

  /** Records a sent message; a second record for the same outbox message is ignored. */
  async record(row: Insertable<NotificationLogTable>, executor: Kysely<Database> = this.db): Promise<void> {
    await insertRows(executor, 'notification_log', [row], { ignoreConflictOn: 'outbox_id' });
  }

  async sentFor(outboxId: number): Promise<boolean> {
    const row = await this.db.selectFrom('notification_log').select('id').where('outbox_id', '=', outboxId).executeTakeFirst();
    return row !== undefined;
  }

  /** Newest first; `before` is the id of the last row of the previous page. */
  async list(opts: { before?: number; limit: number; ref?: string }): Promise<NotificationRecord[]> {
    let q = this.db.selectFrom('notification_log').selectAll().orderBy('id', 'desc').limit(opts.limit);
    if (opts.before !== undefined) q = q.where('id', '<', opts.before);
    if (opts.ref !== undefined) q = q.where('ref', '=', opts.ref);
    return q.execute();
  }
}
