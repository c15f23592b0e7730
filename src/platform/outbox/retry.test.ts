import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFailure, LAST_ERROR_MAX, PermanentFailure, retryDelayMs } from './retry.ts';

describe('retryDelayMs', () => {
  const policy = { baseMs: 5_000, maxMs: 3_600_000 };

  it('stays in the upper half of a doubling ceiling, capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempts, r) => {
        const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempts - 1));
        const delay = retryDelayMs(attempts, policy, () => r);
        return delay >= Math.floor(ceiling / 2) && delay <= ceiling;
      }),
    );
  });

  it('never waits less than after the previous failure, whatever the jitter, until the cap', () => {
    // 5 s × 2^9 is the last ceiling under one hour.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r1, r2) => {
        return retryDelayMs(n + 1, policy, () => r2) >= retryDelayMs(n, policy, () => r1) - 1;
      }),
    );
  });

  it('gives about 40 minutes in all over the default 10 attempts', () => {
    const total = Array.from({ length: 9 }, (_, i) => retryDelayMs(i + 1, policy, () => 1)).reduce((a, b) => a + b, 0);
    expect(total).toBe(5_000 * (2 ** 9 - 1));
    expect(total / 60_000).toBeGreaterThan(40);
  });
});

describe('describeFailure', () => {
  it('keeps class, code and message, truncated, and no stack', () => {
    const err = Object.assign(new Error(`connect ECONNREFUSED ${'x'.repeat(5000)}`), { code: 'ECONNREFUSED' });
    const text = describeFailure(err);
    expect(text.startsWith('Error [ECONNREFUSED]: connect ECONNREFUSED')).toBe(true);
    expect(text).toHaveLength(LAST_ERROR_MAX);
    expect(text).not.toContain('    at ');
    expect(describeFailure(new PermanentFailure('gone'))).toBe('PermanentFailure: gone');
    expect(describeFailure('plain')).toBe('Error: plain');
    expect(describeFailure({ to: 'citizen@example.vn' })).toBe('Error: non-Error thrown');
  });
});
