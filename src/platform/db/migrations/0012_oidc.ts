import type { Kysely } from 'kysely';

/**
 * Sign-ins with the national identity (OpenID Connect) that have left for the provider and not
 * come back yet. The browser holds a random key in a cookie; the row is found by its hash, used
 * once (deleted when the callback arrives) and worthless after `expires_at`. Kept in the
 * database, not in the process, so the callback may reach any instance.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oidc_logins')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('next_path', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oidc_logins_expires').on('oidc_logins').column('expires_at').execute();
}
