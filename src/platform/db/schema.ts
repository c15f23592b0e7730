import type { Generated } from 'kysely';
import type { CalendarTables } from '../calendar/tables.ts';
import type { FileTables } from '../files/tables.ts';
import type { OutboxTables } from '../outbox/tables.ts';

/**
 * Table types for every table of the platform and its modules. Times are ISO-8601 UTC strings,
 * booleans are 0/1 integers and JSON is text, so the same queries run on SQLite and PostgreSQL.
 */
export interface Database extends CalendarTables, OutboxTables, FileTables {
  agency_structures: AgencyStructureTable;
  agencies: AgencyTable;
  domains: DomainTable;
  procedures: ProcedureTable;
  procedure_versions: ProcedureVersionTable;
  catalog_state: CatalogStateTable;
  accounts: AccountTable;
  account_roles: AccountRoleTable;
  sessions: SessionTable;
  oidc_logins: OidcLoginTable;
  audit_log: AuditLogTable;
  platform_state: PlatformStateTable;
}

/** Facts about the installation, by key (see `platformState`). */
export interface PlatformStateTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface AgencyStructureTable {
  code: string;
  name: string;
  name_en: string;
  effective_from: string;
  effective_to: string | null;
}

export interface AgencyTable {
  structure_code: string;
  code: string;
  name: string;
  name_en: string;
  level: 'city' | 'district' | 'commune';
  kind: string;
  parent_code: string | null;
  admin_unit_code: string | null;
  address: string | null;
  phone: string | null;
}

export interface DomainTable {
  code: string;
  name: string;
  name_en: string;
  description: string;
  position: number;
}

export interface ProcedureTable {
  code: string;
  domain_code: string;
  name: string;
  name_en: string;
  online_level: 'INFO' | 'PARTIAL' | 'FULL';
  status: 'active' | 'retired';
  current_version: number;
  updated_at: string;
}

export interface ProcedureVersionTable {
  procedure_code: string;
  version: number;
  effective_from: string;
  effective_to: string | null;
  body: string;
  created_at: string;
  created_by: string | null;
}

export interface CatalogStateTable {
  id: number;
  revision: number;
}

export interface AccountTable {
  id: string;
  kind: 'citizen' | 'officer';
  phone: string | null;
  email: string | null;
  full_name: string;
  personal_id: string | null;
  birth_date: string | null;
  gender: 'male' | 'female' | null;
  /** Set when the personal ID was proven (migration 0008); null while only declared. */
  identity_verified_at: string | null;
  identity_source: 'vneid' | 'counter' | null;
  password_hash: string;
  agency_code: string | null;
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface AccountRoleTable {
  account_id: string;
  role: string;
}

export interface SessionTable {
  id_hash: string;
  account_id: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
}

/** A sign-in that went to the national identity provider and has not come back (migration 0012). */
export interface OidcLoginTable {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  next_path: string | null;
  created_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  before_json: string | null;
  after_json: string | null;
  /** Null until the entry is sealed into the chain (PostgreSQL seals after commit). */
  prev_hash: string | null;
  hash: string | null;
  /** The entry's place in the hash chain; null until sealed. */
  chain_pos: number | null;
}
