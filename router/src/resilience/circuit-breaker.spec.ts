import { describe, expect, it } from '@jest/globals';
import { CircuitBreaker } from './circuit-breaker.js';

const breakerAt = (clock: { now: number }) =>
  new CircuitBreaker({ failureThreshold: 3, resetAfterMs: 1_000 }, () => clock.now);

describe('circuit breaker', () => {
  it('stays closed below the threshold, and a success forgets earlier failures', () => {
    const breaker = breakerAt({ now: 0 });
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    expect(breaker.state).toEqual({ kind: 'closed', failures: 2 });
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens at the threshold and refuses calls until the reset time', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    for (let i = 0; i < 3; i += 1) breaker.failed();
    expect(breaker.state).toEqual({ kind: 'open', until: 1_000 });
    clock.now = 999;
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('lets exactly one trial through after the reset time; its success closes the circuit', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    for (let i = 0; i < 3; i += 1) breaker.failed();
    clock.now = 1_000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.succeeded();
    expect(breaker.state).toEqual({ kind: 'closed', failures: 0 });
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens again for another reset time when the trial fails', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    for (let i = 0; i < 3; i += 1) breaker.failed();
    clock.now = 1_500;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.failed();
    expect(breaker.state).toEqual({ kind: 'open', until: 2_500 });
    expect(breaker.tryAcquire()).toBe(false);
  });
});
