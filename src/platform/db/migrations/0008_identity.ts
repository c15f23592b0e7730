import type { Kysely } from 'kysely';

/**
 * Whether an account's personal ID is proven, and by what: `vneid` (OpenID Connect login with
 * the national identity) or `counter` (checked against the ID card by an officer). A personal ID
 * typed at registration is only declared; registry data is offered for prefill only when proven.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('identity_verified_at', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('identity_source', 'text').execute();
}
