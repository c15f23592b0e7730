/** Tables of the transactional outbox (filled in by the outbox implementation). */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the outbox tables are defined
export type OutboxTables = {};
