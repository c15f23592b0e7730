/**
 * The dossiers module's tables. The event list is the truth; the `dossiers` row is a
 * projection of it (status, holder, deadline) kept in the same transaction for fast inboxes.
 */
export type DossierTables = {
  dossiers: DossierRow;
  dossier_events: DossierEventRow;
  dossier_code_counters: { agency_code: string; day: string; last_seq: number };
  dossier_drafts: DossierDraftRow;
};

export type DossierRow = {
  id: string;
  code: string;
  tracking_secret: string;
  procedure_code: string;
  procedure_version: number;
  procedure_name: string;
  rule_set: string;
  channel: 'online' | 'counter' | 'post';
  receiving_agency: string;
  holder_agency: string;
  holder_role: string | null;
  assignee_id: string | null;
  stage: string;
  status: string;
  national_status: number;
  applicant_account_id: string | null;
  applicant_name: string;
  applicant_name_folded: string;
  applicant_personal_id: string | null;
  applicant_phone: string | null;
  applicant_email: string | null;
  form_json: string;
  submitted_at: string;
  received_at: string | null;
  due_at: string | null;
  paused_at: string | null;
  closed_at: string | null;
  involved_agencies: string;
  event_count: number;
  updated_at: string;
};

export interface DossierEventRow {
  dossier_id: string;
  seq: number;
  type: string;
  at: string;
  actor_id: string | null;
  actor_label: string | null;
  actor_agency: string | null;
  reason: string | null;
  data_json: string;
}

export interface DossierDraftRow {
  id: string;
  account_id: string;
  procedure_code: string;
  data_json: string;
  updated_at: string;
}
