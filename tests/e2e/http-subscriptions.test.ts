import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-sse';
import {
  causeUntilReceived,
  subscribeLive,
  type SubscribingClient,
} from '../support/live-subscription.js';
import { multipartClient } from '../support/multipart-client.js';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

interface PriceTick {
  priceTicks: { symbol: string; pair: { base: { name: string } } };
}
interface Added {
  notificationAdded: { id: string; body: string };
}

const PRICE_TICKS = `subscription {
  priceTicks(symbols: ["BTC-USDT"]) { symbol pair { base { name } } }
}`;
const NOTIFICATION_ADDED = 'subscription { notificationAdded { id body } }';
const DEPOSIT = `mutation ($input: DepositInput!) { deposit(input: $input) { wallet { available } } }`;

describe('subscriptions over HTTP through the router (graphql-sse single connection, Apollo multipart)', () => {
  let stack: TestStack;
  const sseClients: Client<true>[] = [];

  const transports: Record<string, (token?: string) => SubscribingClient> = {
    'graphql-sse (single connection)': (token) => {
      const client = createClient({
        url: stack.router.url,
        singleConnection: true,
        retryAttempts: 0,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      sseClients.push(client);
      return client;
    },
    'multipart (Apollo)': (token) =>
      multipartClient(stack.router.url, token ? { authorization: `Bearer ${token}` } : {}),
  };

  const deposit = async (token: string, amount: string, idempotencyKey: string) => {
    const { body } = await stack.graphql(DEPOSIT, {
      token,
      variables: { input: { asset: 'USD', amount, idempotencyKey } },
    });
    dataOf(body);
  };

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    for (const client of sseClients) client.dispose();
    await stack?.close();
  });

  describe.each(Object.entries(transports))('%s', (name, connect) => {
    it('streams priceTicks with the base asset core resolves', async () => {
      const live = subscribeLive<PriceTick>(connect(), PRICE_TICKS);
      const [tick] = await live.received(1);
      expect(tick?.priceTicks).toEqual({ symbol: 'BTC-USDT', pair: { base: { name: 'Bitcoin' } } });
      live.stop();
    });

    it('needs a token for notificationAdded', async () => {
      const anonymous = subscribeLive<Added>(connect(), NOTIFICATION_ADDED);
      expect(await anonymous.failure).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
        }),
      ]);
    });

    it('never shows one user’s notifications to another', async () => {
      const slug = name.replace(/[^a-z]/gi, '');
      const sender = await stack.signUp(`${slug}-sender`);
      const watcher = await stack.signUp(`${slug}-watcher`);
      const senders = subscribeLive<Added>(connect(sender.token), NOTIFICATION_ADDED);
      const watchers = subscribeLive<Added>(connect(watcher.token), NOTIFICATION_ADDED);
      await causeUntilReceived(senders, (attempt) =>
        deposit(sender.token, '5.00', `${slug}-sender-${attempt}`),
      );
      await causeUntilReceived(watchers, (attempt) =>
        deposit(watcher.token, '7.00', `${slug}-watcher-${attempt}`),
      );
      // The watcher's stream was live for at least the sender's later deposits.
      expect(
        senders.events.every((event) => event.notificationAdded.body.startsWith('5.00 USD')),
      ).toBe(true);
      expect(
        watchers.events.every((event) => event.notificationAdded.body.startsWith('7.00 USD')),
      ).toBe(true);
      senders.stop();
      watchers.stop();
    });
  });
});
