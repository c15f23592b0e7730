/**
 * Pure rules of the outbox: when to try again and what to keep of a failure. Kept apart from the
 * worker so they can be tested without a database.
 */

export interface RetryPolicy {
  /** Delay ceiling after the first failed attempt; it doubles with each further failure. */
  baseMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
}

/**
 * Milliseconds to wait after `attempts` failed attempts (1, 2, …): exponential back-off with
 * "equal jitter", a random point in the upper half of the ceiling. Instances that failed
 * together (a mail server went down) spread out, yet a delay is never shorter than the one
 * before it, until the ceiling is reached.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 52));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export const LAST_ERROR_MAX = 1000;

/**
 * What is kept of a failure in `last_error`: the error's class, code and message, truncated;
 * never a stack (paths, internals) and never the payload (personal data).
 */
export function describeFailure(err: unknown): string {
  const error = err instanceof Error ? err : new Error(typeof err === 'string' ? err : 'non-Error thrown');
  const code = (error as { code?: unknown }).code;
  const text = `${error.name}${typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : ''}: ${error.message}`;
  return text.length > LAST_ERROR_MAX ? `${text.slice(0, LAST_ERROR_MAX - 1)}…` : text;
}

/**
 * Thrown by a handler when trying again cannot help (a payload that does not validate, a
 * recipient that does not exist): the message is marked dead at once.
 */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}
