/** The results module's tables: one signed result per granted dossier, and yearly counters. */
export type ResultTables = {
  results: ResultRow;
  result_counters: { agency_code: string; year: number; last_seq: number };
};

export type ResultRow = {
  id: string;
  dossier_id: string;
  dossier_code: string;
  /** Printed on the document; unique per issuing agency. */
  number: string;
  document_type: string;
  issuer_agency: string;
  issuer_name: string;
  /** The holder's name as printed on the document. */
  holder_name: string;
  issued_at: string;
  /** Lower-case hex SHA-256 of the signed PDF: what an uploaded copy must match. */
  sha256: string;
  key_id: string;
  attachment_id: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoked_reason: string | null;
};
