/** The registry module's tables (migration 0011). */
export type RegistryTables = {
  registry_households: { id: string; head_personal_id: string; street: string; unit_code: string; unit_name: string };
  registry_people: RegistryPersonRow;
  registry_consents: RegistryConsentRow;
  registry_lookups: RegistryLookupRow;
};

export interface RegistryPersonRow {
  personal_id: string;
  full_name: string;
  birth_date: string;
  gender: 'male' | 'female';
  household_id: string;
  relation: string;
  permanent_street: string;
  permanent_unit_code: string;
  permanent_unit_name: string;
  current_street: string;
  current_unit_code: string;
  current_unit_name: string;
}

export interface RegistryConsentRow {
  id: string;
  account_id: string;
  personal_id: string;
  procedure_code: string;
  purpose: string;
  fields_json: string;
  at: string;
}

export interface RegistryLookupRow {
  id: string;
  at: string;
  /** The person whose data was read. */
  personal_id: string;
  /** `prefill`: the citizen shared it with an application; `officer`: an officer looked it up for a dossier. */
  kind: 'prefill' | 'officer';
  actor_id: string | null;
  actor_label: string | null;
  actor_agency: string | null;
  dossier_code: string | null;
  procedure_code: string | null;
  consent_id: string | null;
  purpose: string;
  outcome: 'found' | 'not_found';
}
