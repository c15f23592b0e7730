import type { Kysely } from 'kysely';

/**
 * Signing keys of the agencies (and the development CA), the pointer to each agency's active
 * key, and the signed results issued with them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('cert_pem', 'text', (c) => c.notNull())
    .addColumn('chain_pem', 'text', (c) => c.notNull())
    .addColumn('cert_sha256', 'text', (c) => c.notNull())
    .addColumn('private_key_enc', 'text', (c) => c.notNull())
    .addColumn('statement_public_jwk', 'text', (c) => c.notNull())
    .addColumn('statement_private_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await db.schema.createIndex('signing_keys_agency').on('signing_keys').columns(['agency_code', 'created_at']).execute();
  await db.schema.createIndex('signing_keys_cert').on('signing_keys').column('cert_sha256').execute();

  // One row per agency: which key signs now. Instances racing to create the first key agree
  // on whichever pointer was inserted first.
  await db.schema
    .createTable('signing_active')
    .addColumn('agency_code', 'text', (c) => c.primaryKey())
    .addColumn('kid', 'text', (c) => c.notNull().references('signing_keys.kid'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dossier_id', 'text', (c) => c.notNull().unique())
    .addColumn('dossier_code', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('document_type', 'text', (c) => c.notNull())
    .addColumn('issuer_agency', 'text', (c) => c.notNull())
    .addColumn('issuer_name', 'text', (c) => c.notNull())
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('key_id', 'text', (c) => c.notNull().references('signing_keys.kid'))
    .addColumn('attachment_id', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_reason', 'text')
    .execute();
  await db.schema.createIndex('results_dossier_code').on('results').column('dossier_code').execute();
  await db.schema.createIndex('results_number').on('results').columns(['issuer_agency', 'number']).unique().execute();

  // Gap-free yearly numbering per issuing agency ("000123/2026").
  await db.schema
    .createTable('result_counters')
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('result_counters_pk', ['agency_code', 'year'])
    .execute();
}
