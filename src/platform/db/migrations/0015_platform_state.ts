import type { Kysely } from 'kysely';

/**
 * Facts about the installation itself, by key: so far, whether the demo data a first
 * `npm start` writes was written to the end (`demo`: `seeding`, then `done`). A first start
 * stopped part-way left a demo that later starts took for finished.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('platform_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
