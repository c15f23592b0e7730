import type { Kysely } from 'kysely';

/** Dossiers (a projection), their append-only events, per-agency daily code counters, drafts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dossiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('tracking_secret', 'text', (c) => c.notNull())
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('procedure_version', 'integer', (c) => c.notNull())
    .addColumn('procedure_name', 'text', (c) => c.notNull())
    .addColumn('rule_set', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('receiving_agency', 'text', (c) => c.notNull())
    .addColumn('holder_agency', 'text', (c) => c.notNull())
    .addColumn('holder_role', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('national_status', 'integer', (c) => c.notNull())
    .addColumn('applicant_account_id', 'text')
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('applicant_name_folded', 'text', (c) => c.notNull())
    .addColumn('applicant_personal_id', 'text')
    .addColumn('applicant_phone', 'text')
    .addColumn('applicant_email', 'text')
    .addColumn('form_json', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text')
    .addColumn('due_at', 'text')
    .addColumn('paused_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('involved_agencies', 'text', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The inbox queries: by holder agency and status ordered by deadline; by assignee; by applicant.
  await db.schema.createIndex('dossiers_holder').on('dossiers').columns(['holder_agency', 'status', 'due_at']).execute();
  await db.schema.createIndex('dossiers_assignee').on('dossiers').columns(['assignee_id', 'status', 'due_at']).execute();
  await db.schema.createIndex('dossiers_holder_due').on('dossiers').columns(['holder_agency', 'closed_at', 'due_at']).execute();
  await db.schema.createIndex('dossiers_applicant').on('dossiers').columns(['applicant_account_id', 'submitted_at']).execute();
  await db.schema.createIndex('dossiers_personal_id').on('dossiers').column('applicant_personal_id').execute();
  await db.schema.createIndex('dossiers_name').on('dossiers').column('applicant_name_folded').execute();

  await db.schema
    .createTable('dossier_events')
    .addColumn('dossier_id', 'text', (c) => c.notNull().references('dossiers.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text')
    .addColumn('actor_agency', 'text')
    .addColumn('reason', 'text')
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_events_pk', ['dossier_id', 'seq'])
    .execute();

  await db.schema
    .createTable('dossier_code_counters')
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_code_counters_pk', ['agency_code', 'day'])
    .execute();

  await db.schema
    .createTable('dossier_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dossier_drafts_account').on('dossier_drafts').columns(['account_id', 'procedure_code']).execute();
}
