import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

/**
 * The audit chain gets an order of its own (`chain_pos`), apart from the order rows were written
 * (`seq`): on PostgreSQL entries now commit unchained and are sealed into the chain afterwards,
 * in the order they became visible, which need not be the order of their `seq`. Rows chained so
 * far keep their place (`chain_pos = seq`).
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await db.schema
    .alterTable('audit_log')
    .addColumn('chain_pos', ctx.engine === 'postgres' ? 'bigint' : 'integer')
    .execute();
  await sql`update audit_log set chain_pos = seq`.execute(db);
  await db.schema.createIndex('audit_log_chain').on('audit_log').column('chain_pos').unique().execute();
  if (ctx.engine === 'postgres') {
    await db.schema
      .alterTable('audit_log')
      .alterColumn('prev_hash', (c) => c.dropNotNull())
      .alterColumn('hash', (c) => c.dropNotNull())
      .execute();
    // What the sealer looks for: small, since rows leave it within a second.
    await db.schema
      .createIndex('audit_log_unsealed')
      .on('audit_log')
      .column('seq')
      .where(sql.ref('hash'), 'is', null)
      .execute();
  }
}
