import type { Kysely, Transaction } from 'kysely';
import type { Database, Db } from '../../platform/db/index.ts';
import type { SigningTables } from '../../platform/signing/index.ts';
import type { ResultRow, ResultTables } from './tables.ts';

type Tables = Database & ResultTables & SigningTables;
export type ResultDb = Kysely<Tables>;
export type ResultTrx = Transaction<Tables>;

/** Kysely queries for the results module's tables, and nothing else's. */
export class ResultStore {
  readonly db: ResultDb;
  constructor(db: Db) {
    this.db = db.withTables<ResultTables & SigningTables>();
  }

  transaction<T>(fn: (trx: ResultTrx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /** The agency's next number this year, in the caller's transaction (gap-free, as dossier codes). */
  async nextNumber(trx: ResultTrx, agencyCode: string, year: number): Promise<number> {
    const row = await trx
      .insertInto('result_counters')
      .values({ agency_code: agencyCode, year, last_seq: 1 })
      .onConflict((oc) => oc.columns(['agency_code', 'year']).doUpdateSet({ last_seq: (eb) => eb('result_counters.last_seq', '+', 1) }))
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return row.last_seq;
  }

  /** The agency's last result number of the year, 0 before its first: a guess, outside any transaction. */
  async lastNumber(agencyCode: string, year: number): Promise<number> {
    const row = await this.db.selectFrom('result_counters').select('last_seq').where('agency_code', '=', agencyCode).where('year', '=', year).executeTakeFirst();
    return row?.last_seq ?? 0;
  }

  async insert(trx: ResultTrx, row: ResultRow): Promise<void> {
    await trx.insertInto('results').values(row).execute();
  }

  find(by: { id?: string; dossierId?: string; dossierCode?: string; sha256?: string }, ex: ResultDb = this.db): Promise<ResultRow | undefined> {
    let q = ex.selectFrom('results').selectAll();
    if (by.id !== undefined) q = q.where('id', '=', by.id);
    else if (by.dossierId !== undefined) q = q.where('dossier_id', '=', by.dossierId);
    else if (by.dossierCode !== undefined) q = q.where('dossier_code', '=', by.dossierCode);
    else q = q.where('sha256', '=', by.sha256 ?? '');
    return q.executeTakeFirst();
  }

  /** Marks the result revoked unless it already is; false when it was. */
  async revoke(trx: ResultTrx, id: string, by: string, reason: string, at: string): Promise<boolean> {
    const r = await trx.updateTable('results').set({ revoked_at: at, revoked_by: by, revoked_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
