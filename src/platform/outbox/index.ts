/**
 * The transactional outbox: `Outbox.enqueue` records work inside the caller's transaction,
 * `OutboxWorker` delivers it after the commit, at least once, retrying with back-off.
 */
export { type Clock, type Enqueued, type EnqueueInput, Outbox, type OutboxStats } from './outbox.ts';
export { describeFailure, PermanentFailure, type RetryPolicy, retryDelayMs } from './retry.ts';
export type { OutboxStatus, OutboxTables } from './tables.ts';
export { type OutboxHandler, type OutboxLogger, type OutboxMessage, OutboxWorker, type OutboxWorkerOptions, type RunResult } from './worker.ts';
// The platform's standard wiring of outbox, worker and notifier lives with the notifier.
export { createNotifications, type Notifications } from '../notify/index.ts';
