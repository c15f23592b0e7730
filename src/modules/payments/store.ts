import type { Kysely, Transaction } from 'kysely';
import type { Database, Db } from '../../platform/db/index.ts';
import type { PaymentRow, PaymentStatus, PaymentTables } from './tables.ts';

export type PaymentDb = Kysely<Database & PaymentTables>;
export type PaymentTrx = Transaction<Database & PaymentTables>;

/** Kysely queries for the payments module's tables, and nothing else's. */
export class PaymentStore {
  readonly db: PaymentDb;
  constructor(db: Db) {
    this.db = db.withTables<PaymentTables>();
  }

  transaction<T>(fn: (trx: PaymentTrx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  byRef(ref: string, ex: PaymentDb | PaymentTrx = this.db): Promise<PaymentRow | undefined> {
    return ex.selectFrom('payments').selectAll().where('txn_ref', '=', ref).executeTakeFirst();
  }

  forDossier(dossierId: string): Promise<PaymentRow[]> {
    return this.db.selectFrom('payments').selectAll().where('dossier_id', '=', dossierId).orderBy('created_at', 'desc').execute();
  }

  pending(trx: PaymentTrx, dossierId: string): Promise<PaymentRow | undefined> {
    return trx.selectFrom('payments').selectAll().where('dossier_id', '=', dossierId).where('status', '=', 'pending').executeTakeFirst();
  }

  insert(trx: PaymentTrx, row: PaymentRow) {
    return trx.insertInto('payments').values(row).execute();
  }

  /**
   * Moves a payment on only from one of the `from` states: the conditional update is the lock,
   * so of an IPN, a return and a status query racing for one payment exactly one wins.
   */
  async transition(trx: PaymentTrx, id: string, from: PaymentStatus[], set: Partial<PaymentRow>): Promise<boolean> {
    const r = await trx.updateTable('payments').set(set).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The next receipt number of the agency's year, gap-free: the counter row stays locked until commit. */
  async nextReceiptNumber(trx: PaymentTrx, agencyCode: string, year: number): Promise<number> {
    const row = await trx
      .insertInto('payment_receipt_counters')
      .values({ agency_code: agencyCode, year, last_number: 1 })
      .onConflict((oc) => oc.columns(['agency_code', 'year']).doUpdateSet({ last_number: (eb) => eb('payment_receipt_counters.last_number', '+', 1) }))
      .returning('last_number')
      .executeTakeFirstOrThrow();
    return row.last_number;
  }

  async setReceipt(trx: PaymentTrx, id: string, year: number, number: number): Promise<void> {
    await trx.updateTable('payments').set({ receipt_year: year, receipt_number: number }).where('id', '=', id).execute();
  }

  /** One agency's payments opened in [from, to), for the reconciliation report. */
  between(agencyCode: string, from: string, to: string): Promise<PaymentRow[]> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('agency_code', '=', agencyCode)
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .orderBy('created_at')
      .execute();
  }
}
