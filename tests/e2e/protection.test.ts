import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { subscribeLive } from '../support/live-subscription.js';
import { startTestStack, type TestStack } from '../support/running-stack.js';

// The router's abuse protection against the whole stack as `npm start` runs it,
// with small limits so that a few requests reach them.

const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) { token } }`;

describe('abuse protection in a running stack', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        MAX_QUERY_COST: '100',
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_PER_ADDRESS: '10000',
        RATE_LIMIT_PER_USER: '3',
        SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '3',
        SIGN_IN_MAX_FAILURES_PER_ADDRESS: '12',
        SIGN_IN_LOCKOUT_MS: '60000',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await stack.close();
  });

  const signIn = async (email: string, password: string) => {
    const { body } = await stack.graphql(SIGN_IN, { variables: { input: { email, password } } });
    return body.errors?.[0]?.extensions ?? 'SIGNED_IN';
  };

  describe('cost from the supergraph’s @listSize', () => {
    it('counts cryptoPairs at its assumed 50 pairs, and refuses what would go over the limit', async () => {
      // 1 + 50 × 1: within 100.
      const cheap = await stack.graphql('{ cryptoPairs { symbol } }');
      expect(cheap.body.errors).toBeUndefined();

      // 1 + 50 × 2 = 101: over, though the old first/last/limit rule counted it as 3.
      const { status, body } = await stack.graphql('{ cryptoPairs { symbol name } }');
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
      expect(body.errors?.[0]?.message).toMatch(/may return 101 fields/);
    });
  });

  describe('brute force on signIn', () => {
    let accounts = 0;
    /** A new account: its email and password. */
    const newAccount = async () => {
      accounts += 1;
      const email = `brute-${accounts}@example.com`;
      const password = `brute-${accounts}-password`;
      const { body } = await stack.graphql(
        'mutation ($input: SignUpInput!) { signUp(input: $input) { token } }',
        { variables: { input: { email, password, displayName: `Brute ${accounts}` } } },
      );
      expect(body.errors).toBeUndefined();
      return { email, password };
    };

    it('refuses an account after its failures, even with the right password, saying when to retry', async () => {
      const { email, password } = await newAccount();
      const outcomes = [];
      for (const attempt of ['wrong-1', 'wrong-2', 'wrong-3', password]) {
        outcomes.push(await signIn(email, attempt));
      }

      expect(outcomes).toEqual([
        { code: 'UNAUTHENTICATED' },
        { code: 'UNAUTHENTICATED' },
        { code: 'UNAUTHENTICATED' },
        { code: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: expect.any(Number) },
      ]);
    });

    it('forgets an account’s failures when it signs in', async () => {
      const { email, password } = await newAccount();
      const outcomes = [];
      for (const attempt of ['wrong-1', 'wrong-2', password, 'wrong-3', 'wrong-4', password]) {
        outcomes.push(await signIn(email, attempt));
      }

      expect(outcomes).toEqual([
        { code: 'UNAUTHENTICATED' },
        { code: 'UNAUTHENTICATED' },
        'SIGNED_IN',
        { code: 'UNAUTHENTICATED' },
        { code: 'UNAUTHENTICATED' },
        'SIGNED_IN',
      ]);
    });

    // Last: it locks this test's address out of every account.
    it('refuses the client address the router forwarded once it failed on many accounts', async () => {
      const untouched = await newAccount();
      const outcomes = [];
      for (let guess = 0; guess < 12; guess += 1) {
        outcomes.push(await signIn(`nobody-${guess}@example.com`, 'guess-password'));
      }

      // The failures of the tests above came from this address too.
      expect(outcomes).toContainEqual({
        code: 'TOO_MANY_ATTEMPTS',
        retryAfterSeconds: expect.any(Number),
      });
      expect(await signIn(untouched.email, untouched.password)).toEqual({
        code: 'TOO_MANY_ATTEMPTS',
        retryAfterSeconds: expect.any(Number),
      });
    });
  });

  describe('rate limit per user', () => {
    it('counts queries and subscription starts alike, and refuses the one over with RATE_LIMITED', async () => {
      const { token } = await stack.signUp('busy');
      const statuses = [];
      for (let request = 0; request < 3; request += 1) {
        statuses.push((await stack.graphql('{ me { id } }', { token })).status);
      }
      expect(statuses).toEqual([200, 200, 200]);

      const client = createClient({
        url: stack.router.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: true,
      });
      try {
        const subscription = subscribeLive(client, 'subscription { notificationAdded { id } }');
        expect(await subscription.failure).toEqual([
          expect.objectContaining({
            message: expect.stringMatching(/more than 3 requests/),
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
          }),
        ]);
      } finally {
        await client.dispose();
      }

      const refused = await stack.graphql('{ me { id } }', { token });
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    });
  });
});
