import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker.ts';

describe('CircuitBreaker', () => {
  it('opens after repeated failures, lets one trial through after the pause, and closes on success', () => {
    let now = 0;
    const b = new CircuitBreaker({ failures: 3, resetMs: 1000 }, () => now);
    b.failure();
    b.failure();
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(false);
    now = 1000;
    expect(b.state).toBe('half-open');
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false); // one trial at a time
    b.failure();
    expect(b.state).toBe('open'); // the trial failed: another full pause
    now = 1999;
    expect(b.allow()).toBe(false);
    now = 2000;
    expect(b.allow()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.allow()).toBe(true); // the count starts again
  });
});
