/**
 * The payments module's tables: one row per attempt to pay a dossier's fee at the gateway,
 * and the per-agency, per-year counter that numbers e-receipts without gaps.
 */
export type PaymentTables = {
  payments: PaymentRow;
  payment_receipt_counters: { agency_code: string; year: number; last_number: number };
};

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'expired' | 'refunded';

export type PaymentRow = {
  id: string;
  /** Our order reference at the gateway (vnp_TxnRef): unique, alphanumeric. */
  txn_ref: string;
  gateway: string;
  dossier_id: string;
  dossier_code: string;
  agency_code: string;
  procedure_code: string;
  procedure_name: string;
  stage: 'submission' | 'result';
  /** Integer VND. */
  amount: number;
  /** The procedure's fee lines at the time, JSON `[{ name, amount }]`. */
  lines_json: string;
  status: PaymentStatus;
  payer_account_id: string | null;
  payer_name: string;
  created_at: string;
  expires_at: string;
  updated_at: string;
  paid_at: string | null;
  gateway_txn_no: string | null;
  bank_code: string | null;
  response_code: string | null;
  transaction_status: string | null;
  receipt_year: number | null;
  receipt_number: number | null;
  refunded_at: string | null;
  refunded_by: string | null;
  refund_reason: string | null;
};
