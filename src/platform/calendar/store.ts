import type { Transaction } from 'kysely';
import type { Database, Db } from '../db/index.ts';

type Executor = Db | Transaction<Database>;
export type DayRow = Database['calendar_days'];

/** Kysely queries for the calendar tables, and nothing else's. */
export class CalendarStore {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async revision(): Promise<number> {
    const row = await this.db.selectFrom('calendar_state').select('revision').where('id', '=', 1).executeTakeFirst();
    return row?.revision ?? 0;
  }

  /** Bumped in the same transaction as any change; every instance's cache watches it. */
  async bumpRevision(trx: Executor): Promise<void> {
    await trx.updateTable('calendar_state').set((eb) => ({ revision: eb('revision', '+', 1) })).where('id', '=', 1).execute();
  }

  daysOfYear(year: number, ex: Executor = this.db): Promise<DayRow[]> {
    return ex.selectFrom('calendar_days').selectAll().where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).orderBy('date').execute();
  }

  getDay(date: string, ex: Executor = this.db): Promise<DayRow | undefined> {
    return ex.selectFrom('calendar_days').selectAll().where('date', '=', date).executeTakeFirst();
  }

  async putDay(trx: Executor, row: DayRow): Promise<void> {
    const { date: _date, ...rest } = row;
    await trx.insertInto('calendar_days').values(row).onConflict((oc) => oc.column('date').doUpdateSet(rest)).execute();
  }

  /** Inserts the day unless the date already has a row; true when inserted. */
  async addDayIfAbsent(trx: Executor, row: DayRow): Promise<boolean> {
    const r = await trx.insertInto('calendar_days').values(row).onConflict((oc) => oc.column('date').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async deleteDay(trx: Executor, date: string): Promise<void> {
    await trx.deleteFrom('calendar_days').where('date', '=', date).execute();
  }

  /** Claims the seeding of a year; false when another instance or an earlier start did it. */
  async claimSeed(trx: Executor, year: number, file: string, at: string): Promise<boolean> {
    const r = await trx
      .insertInto('calendar_seeds')
      .values({ year, file, loaded_at: at })
      .onConflict((oc) => oc.column('year').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  getSeed(year: number) {
    return this.db.selectFrom('calendar_seeds').selectAll().where('year', '=', year).executeTakeFirst();
  }

  async seededYears(): Promise<Set<number>> {
    const rows = await this.db.selectFrom('calendar_seeds').select('year').execute();
    return new Set(rows.map((r) => Number(r.year)));
  }
}
