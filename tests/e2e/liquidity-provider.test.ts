import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkLedgerInvariant } from '@simple-securities/core-subgraph';
import {
  CRYPTO_ORDERS,
  depositShares,
  type OrderApi,
  ordersThroughRouter,
  STOCK_ORDERS,
} from '../support/orders.js';
import { dataOf, startTestStack, type TestStack } from '../support/running-stack.js';

interface Level {
  price: string;
  quantity: string;
}
interface Book {
  bids: Level[];
  asks: Level[];
}

describe('the liquidity provider through the router', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        LIQUIDITY_PROVIDER_ENABLED: 'true',
        LIQUIDITY_PROVIDER_LEVELS: '2',
        LIQUIDITY_PROVIDER_INTERVAL_MS: '100',
        // The quotes stay where they were first set, so a market order never meets a book
        // the provider is in the middle of moving.
        LIQUIDITY_PROVIDER_REQUOTE_BPS: '5000',
      },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  /** The book once the provider has quoted all its levels on both sides. */
  const quotedBook = async (field: string, symbol: string): Promise<Book> => {
    for (;;) {
      const { body } = await stack.graphql<Record<string, Book>>(
        `{ ${field}(symbol: "${symbol}", depth: 10) { bids { price quantity } asks { price quantity } } }`,
      );
      const book = dataOf(body)[field];
      if (book && book.bids.length === 2 && book.asks.length === 2) return book;
      await new Promise((wake) => setTimeout(wake, 100));
    }
  };

  const priceOf = (level: Level | undefined) => Number(level?.price);

  it.each([
    {
      symbol: 'BTC-USDT',
      api: CRYPTO_ORDERS,
      bookField: 'orderBook',
      quote: 'USDT',
      base: 'BTC',
      quantity: '0.01000',
      bought: ['0.01000000', '0.00000000'],
    },
    {
      symbol: 'AAPL',
      api: STOCK_ORDERS,
      bookField: 'stockOrderBook',
      quote: 'USD',
      base: 'AAPL',
      quantity: '5',
      bought: ['5', '0'],
    },
  ] satisfies {
    symbol: string;
    api: OrderApi;
    bookField: string;
    quote: string;
    base: string;
    quantity: string;
    /** The base wallet afterwards: available, reserved. */
    bought: [string, string];
  }[])(
    'quotes $symbol on both sides, and a new user’s market buy fills against it',
    async ({ symbol, api, bookField, quote, base, quantity, bought }) => {
      const book = await quotedBook(bookField, symbol);
      // Best first on each side, and the provider's bids all below its asks.
      expect(priceOf(book.bids[0])).toBeGreaterThan(priceOf(book.bids[1]));
      expect(priceOf(book.asks[0])).toBeLessThan(priceOf(book.asks[1]));
      expect(priceOf(book.bids[0])).toBeLessThan(priceOf(book.asks[0]));

      const { token } = await stack.signUp(`${base.toLowerCase()}-buyer`);
      await depositShares(stack, token, quote, '10000');
      const orders = ordersThroughRouter(stack, api, symbol);
      const { order } = await orders.placed(token, {
        side: 'BUY',
        type: 'MARKET',
        quantity,
        clientOrderId: `${base.toLowerCase()}-market-buy`,
      });
      expect(order).toMatchObject({
        status: 'FILLED',
        filledQuantity: quantity,
        averagePrice: book.asks[0]?.price,
      });
      expect((await orders.wallets(token, [base]))[base]).toEqual(bought);
    },
  );

  it('leaves the ledger balanced', async () => {
    expect(await checkLedgerInvariant(stack.database)).toEqual({
      unbalancedAssets: [],
      unbalancedTransactions: [],
      driftedWallets: [],
    });
  });
});
