import { describe, expect, it } from '@jest/globals';
import {
  nextStepAfter,
  type PushOutcome,
  retryDelayMs,
  type RetryPolicy,
} from './push-delivery.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 6_000 };
const now = new Date('2026-12-02T10:00:00Z');
const serverError: PushOutcome = {
  delivered: false,
  retryable: true,
  httpStatus: 503,
  error: 'The webhook answered HTTP 503.',
};

describe('the pause between attempts', () => {
  it('doubles after each failed attempt, up to the longest pause', () => {
    // given the most jitter can add
    const longest = (attempt: number) => retryDelayMs(policy, attempt, 0.999_999);
    // then each step doubles until it meets the cap
    expect([1, 2, 3, 4, 5].map(longest)).toEqual([1_000, 2_000, 4_000, 6_000, 6_000]);
  });

  it('keeps at least half of each step, however the jitter falls', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(policy, attempt, 0))).toEqual([
      500, 1_000, 2_000, 3_000,
    ]);
  });

  it('spreads webhooks that failed together over the second half of the step', () => {
    expect(retryDelayMs(policy, 2, 0.5)).toBe(1_500);
  });
});

describe('what follows an attempt', () => {
  it('ends the push when the webhook took it', () => {
    // when the first attempt is answered 204
    const next = nextStepAfter(policy, 1, { delivered: true, httpStatus: 204 }, now, 0.5);
    // then nothing follows
    expect(next).toEqual({ status: 'DELIVERED' });
  });

  it('schedules another attempt after a failure another attempt may fix', () => {
    expect(nextStepAfter(policy, 2, serverError, now, 0)).toEqual({
      status: 'RETRYING',
      nextAttemptAt: new Date('2026-12-02T10:00:01Z'),
    });
  });

  it('gives up once the attempts are used up', () => {
    expect(nextStepAfter(policy, 5, serverError, now, 0)).toEqual({ status: 'FAILED' });
  });

  it('gives up at once on a refusal no retry would change', () => {
    const refused: PushOutcome = {
      delivered: false,
      retryable: false,
      error: 'Refused: example.test resolves to 10.0.0.1, which is not a public address.',
    };
    expect(nextStepAfter(policy, 1, refused, now, 0)).toEqual({ status: 'FAILED' });
  });
});
