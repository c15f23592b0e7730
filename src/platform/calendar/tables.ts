/** Tables of the working-day calendar (filled in by the calendar implementation). */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the calendar tables are defined
export type CalendarTables = {};
