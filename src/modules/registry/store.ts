import type { Kysely, Transaction } from 'kysely';
import type { Database, Db } from '../../platform/db/index.ts';
import type { GeneratedRegistry } from './generate.ts';
import type { Household, RegistryPerson, Relation } from './port.ts';
import type { RegistryConsentRow, RegistryLookupRow, RegistryPersonRow, RegistryTables } from './tables.ts';

export type RegistryDb = Kysely<Database & RegistryTables>;
export type RegistryTrx = Transaction<Database & RegistryTables>;

/** Kysely queries for the registry module's tables, and nothing else's. */
export class RegistryStore {
  readonly db: RegistryDb;
  constructor(db: Db) {
    this.db = db.withTables<RegistryTables>();
  }

  transaction<T>(fn: (trx: RegistryTrx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.db.selectFrom('registry_households').select('id').limit(1).executeTakeFirst());
  }

  /** Loads a generated population in one transaction, in batches both engines accept. */
  async load(data: GeneratedRegistry): Promise<void> {
    await this.transaction(async (trx) => {
      for (const batch of chunks(data.households, 200)) {
        await trx
          .insertInto('registry_households')
          .values(batch.map((h) => ({ id: h.id, head_personal_id: h.headPersonalId, street: h.address.street, unit_code: h.address.unitCode, unit_name: h.address.unitName })))
          .execute();
      }
      for (const batch of chunks(data.people, 200)) {
        await trx
          .insertInto('registry_people')
          .values(
            batch.map((p) => ({
              personal_id: p.personalId,
              full_name: p.fullName,
              birth_date: p.birthDate,
              gender: p.gender,
              household_id: p.householdId,
              relation: p.relation,
              permanent_street: p.permanentAddress.street,
              permanent_unit_code: p.permanentAddress.unitCode,
              permanent_unit_name: p.permanentAddress.unitName,
              current_street: p.currentAddress.street,
              current_unit_code: p.currentAddress.unitCode,
              current_unit_name: p.currentAddress.unitName,
            })),
          )
          .execute();
      }
    });
  }

  async person(personalId: string): Promise<RegistryPerson | null> {
    const row = await this.db.selectFrom('registry_people').selectAll().where('personal_id', '=', personalId).executeTakeFirst();
    return row ? toPerson(row) : null;
  }

  async householdOf(personalId: string): Promise<Household | null> {
    const me = await this.db.selectFrom('registry_people').select('household_id').where('personal_id', '=', personalId).executeTakeFirst();
    if (!me) return null;
    const h = await this.db.selectFrom('registry_households').selectAll().where('id', '=', me.household_id).executeTakeFirstOrThrow();
    const members = await this.db.selectFrom('registry_people').selectAll().where('household_id', '=', h.id).orderBy('birth_date').execute();
    return {
      id: h.id,
      headPersonalId: h.head_personal_id,
      address: { street: h.street, unitCode: h.unit_code, unitName: h.unit_name },
      members: members.map((m) => ({ personalId: m.personal_id, fullName: m.full_name, birthDate: m.birth_date, gender: m.gender, relation: m.relation as Relation })),
    };
  }

  insertConsent(trx: RegistryTrx, row: RegistryConsentRow) {
    return trx.insertInto('registry_consents').values(row).execute();
  }

  insertLookup(trx: RegistryTrx, row: RegistryLookupRow) {
    return trx.insertInto('registry_lookups').values(row).execute();
  }

  /** The lookups of one person's data, newest first. */
  async lookupsOf(personalId: string, opts: { offset: number; limit: number }) {
    const base = this.db.selectFrom('registry_lookups').where('personal_id', '=', personalId);
    const [items, total] = await Promise.all([
      base.selectAll().orderBy('at', 'desc').orderBy('id').offset(opts.offset).limit(opts.limit).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }
}

function toPerson(r: RegistryPersonRow): RegistryPerson {
  return {
    personalId: r.personal_id,
    fullName: r.full_name,
    birthDate: r.birth_date,
    gender: r.gender,
    relation: r.relation as Relation,
    permanentAddress: { street: r.permanent_street, unitCode: r.permanent_unit_code, unitName: r.permanent_unit_name },
    currentAddress: { street: r.current_street, unitCode: r.current_unit_code, unitName: r.current_unit_name },
  };
}

function* chunks<T>(list: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}
