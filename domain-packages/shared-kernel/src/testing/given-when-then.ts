import { expect } from '@jest/globals';
import { type Decider, rehydrate } from '../decider.js';
import { type ErrorCode, isDomainError } from '../domain-error.js';

/**
 * Specs for deciders read as `given(events).when(command).then(events)`:
 *
 *   given(orderDecider, [orderPlaced]).when(cancelOrder).then([orderCanceled]);
 *   given(orderDecider, []).when(cancelOrder).thenFails('NOT_FOUND');
 */
export const given = <C, S, E>(decider: Decider<C, S, E>, history: readonly E[]) => ({
  when: (command: C) => {
    const run = () => decider.decide(command, rehydrate(decider, history));
    return {
      then: (expected: readonly E[]) => expect(run()).toEqual(expected),
      thenFails: (code: ErrorCode, message?: RegExp) => {
        let failure: unknown;
        try {
          run();
        } catch (error) {
          failure = error;
        }
        if (!isDomainError(failure))
          throw new Error(`expected a DomainError ${code}, got ${String(failure)}`);
        expect(failure.code).toBe(code);
        if (message) expect(failure.message).toMatch(message);
      },
    };
  },
});
