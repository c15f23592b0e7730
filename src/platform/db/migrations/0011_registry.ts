import type { Kysely } from 'kysely';

/**
 * The population registry (the embedded stand-in for the national database: people and
 * households), the citizens' consents to share it, and the log of every lookup of a person.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('registry_households')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('head_personal_id', 'text', (c) => c.notNull())
    .addColumn('street', 'text', (c) => c.notNull())
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('unit_name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('registry_people')
    .addColumn('personal_id', 'text', (c) => c.primaryKey())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull().references('registry_households.id'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('permanent_street', 'text', (c) => c.notNull())
    .addColumn('permanent_unit_code', 'text', (c) => c.notNull())
    .addColumn('permanent_unit_name', 'text', (c) => c.notNull())
    .addColumn('current_street', 'text', (c) => c.notNull())
    .addColumn('current_unit_code', 'text', (c) => c.notNull())
    .addColumn('current_unit_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registry_people_household').on('registry_people').column('household_id').execute();

  await db.schema
    .createTable('registry_consents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('personal_id', 'text', (c) => c.notNull())
    .addColumn('procedure_code', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('fields_json', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registry_consents_account').on('registry_consents').columns(['account_id', 'at']).execute();

  // Append-only: who looked up whom, for which dossier or application, why and when.
  await db.schema
    .createTable('registry_lookups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('personal_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text')
    .addColumn('actor_agency', 'text')
    .addColumn('dossier_code', 'text')
    .addColumn('procedure_code', 'text')
    .addColumn('consent_id', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registry_lookups_person').on('registry_lookups').columns(['personal_id', 'at']).execute();
}
