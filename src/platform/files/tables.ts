/** Tables of attachments (filled in by the files implementation). */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the file tables are defined
export type FileTables = {};
