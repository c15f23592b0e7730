import { type Kysely, sql } from 'kysely';

/** Online payments of dossier fees (issue 4) and the gap-free e-receipt counters. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('txn_ref', 'text', (c) => c.notNull().unique())
    .addColumn('gateway', 'text', (c) => c.notNull())
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('dossier_code', 'text', (c) => c.notNull())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('procedure_name', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('lines_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payer_account_id', 'text')
    .addColumn('payer_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text')
    .addColumn('gateway_txn_no', 'text')
    .addColumn('bank_code', 'text')
    .addColumn('response_code', 'text')
    .addColumn('transaction_status', 'text')
    .addColumn('receipt_year', 'integer')
    .addColumn('receipt_number', 'integer')
    .addColumn('refunded_at', 'text')
    .addColumn('refunded_by', 'text')
    .addColumn('refund_reason', 'text')
    .execute();
  // At most one payment in progress per dossier: two clicks on "pay" cannot open two orders.
  await db.schema.createIndex('payments_one_pending').on('payments').column('dossier_id').unique().where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('payments_dossier').on('payments').columns(['dossier_id', 'created_at']).execute();
  // The reconciliation report: one agency, one day.
  await db.schema.createIndex('payments_agency_day').on('payments').columns(['agency_code', 'created_at']).execute();
  await db.schema.createIndex('payments_receipt').on('payments').columns(['agency_code', 'receipt_year', 'receipt_number']).unique().execute();

  await db.schema
    .createTable('payment_receipt_counters')
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_number', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_receipt_counters_pk', ['agency_code', 'year'])
    .execute();
}
