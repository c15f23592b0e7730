/** Tables of the working-day calendar. Dates are 'YYYY-MM-DD' in the configured time zone. */
export interface CalendarTables {
  calendar_days: CalendarDayTable;
  calendar_seeds: CalendarSeedTable;
  calendar_state: CalendarStateTable;
}

/** One exception to "Monday–Friday": a day off on a weekday, or a Saturday/Sunday worked (làm bù). */
export interface CalendarDayTable {
  date: string;
  kind: 'holiday' | 'working-weekend';
  name: string;
  name_en: string;
  legal_basis: string | null;
  updated_at: string;
}

/** Years filled from a data/calendar file; a year is seeded once, later changes are admin edits. */
export interface CalendarSeedTable {
  year: number;
  file: string;
  loaded_at: string;
}

/** A single row; the revision moves with every change so every app instance drops its cache. */
export interface CalendarStateTable {
  id: number;
  revision: number;
}
