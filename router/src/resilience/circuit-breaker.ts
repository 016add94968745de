export interface CircuitPolicy {
  /** Failures in a row that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit refuses calls before one trial call may go. */
  readonly resetAfterMs: number;
}

export const defaultCircuitPolicy: CircuitPolicy = { failureThreshold: 5, resetAfterMs: 5_000 };

export type CircuitState =
  | { readonly kind: 'closed'; readonly failures: number }
  | { readonly kind: 'open'; readonly until: number }
  | { readonly kind: 'half-open' };

/**
 * A circuit breaker for one subgraph. Closed, calls go out and failures in a
 * row are counted; at the threshold it opens and refuses calls at once, so
 * clients hear "unavailable" in microseconds instead of waiting out a timeout
 * each. After the reset time one trial call goes out (half-open): its success
 * closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private current: CircuitState = { kind: 'closed', failures: 0 };

  constructor(
    private readonly policy: CircuitPolicy = defaultCircuitPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** Whether a call may go out now; in half-open, only the one trial. */
  tryAcquire(): boolean {
    const state = this.current;
    if (state.kind === 'closed') return true;
    if (state.kind === 'half-open' || this.now() < state.until) return false;
    this.current = { kind: 'half-open' };
    return true;
  }

  succeeded(): void {
    if (this.current.kind !== 'closed' || this.current.failures > 0) {
      this.current = { kind: 'closed', failures: 0 };
    }
  }

  /** Records a failed call; answers the state it leaves the circuit in. */
  failed(): CircuitState {
    const state = this.current;
    const failures = state.kind === 'closed' ? state.failures + 1 : this.policy.failureThreshold;
    this.current =
      failures >= this.policy.failureThreshold
        ? { kind: 'open', until: this.now() + this.policy.resetAfterMs }
        : { kind: 'closed', failures };
    return this.current;
  }
}
