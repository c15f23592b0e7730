import type { Database, Db } from '../db/index.ts';

/** Queries on oidc_logins (sign-ins waiting for the identity provider), and nothing else. */

export type PendingLogin = Database['oidc_logins'];

/** Stores a new pending sign-in; expired ones are dropped on the way (the index makes it cheap). */
export async function insertPendingLogin(db: Db, row: PendingLogin): Promise<void> {
  await db.deleteFrom('oidc_logins').where('expires_at', '<=', row.created_at).execute();
  await db.insertInto('oidc_logins').values(row).execute();
}

/**
 * Takes the pending sign-in out in one statement, so it is used at most once even when two
 * callbacks race on two instances. Returns it only if it had not expired.
 */
export async function takePendingLogin(db: Db, idHash: string, now: string): Promise<PendingLogin | undefined> {
  const row = await db.deleteFrom('oidc_logins').where('id_hash', '=', idHash).returningAll().executeTakeFirst();
  return row && row.expires_at > now ? row : undefined;
}

export async function countPendingLogins(db: Db): Promise<number> {
  const row = await db.selectFrom('oidc_logins').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}
