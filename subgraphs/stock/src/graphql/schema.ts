import { gql } from 'graphql-tag';
import {
  klineArguments,
  klineLengthArguments,
  marketDataTypeDefs,
} from '@simple-securities/market-data-adapters/sdl';
import {
  marketSideQueryFields,
  marketSideSubscriptionFields,
  marketSideTypeDefs,
  marketSideUserFields,
} from '@simple-securities/trading-adapters/market-side-sdl';
import { ordersTypeDefs } from '@simple-securities/trading-adapters/sdl';

/**
 * The stock context: listed stocks, their market sessions, prices and candles.
 * Root market-data fields carry a `stock` prefix because the unprefixed ones
 * (`klines`, `ticker`, `priceTicks`, `klineUpdates`) belong to crypto: a
 * supergraph root field has one owner. `serverTime` is shared.
 */
export const typeDefs = gql`
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  ${marketDataTypeDefs}
  ${ordersTypeDefs('Stock')}
  ${marketSideTypeDefs('Stock')}

  enum MarketState {
    OPEN
    CLOSED
  }

  "Whether a stock's market is in its regular session."
  type MarketStatus {
    state: MarketState!
    "When the next session opens; null when the market is kept open around the clock (demo setting)."
    nextOpen: DateTime
    "When the current session closes, or the next one when closed (13:00 local on the exchange's early-close days); null when kept open."
    nextClose: DateTime
    "The exchange's time zone, e.g. America/New_York."
    timeZone: String!
    "Regular session hours in that zone, HH:MM; nextClose shows a shortened session."
    sessionOpen: String!
    sessionClose: String!
  }

  "A listed stock such as AAPL."
  type Stock @key(fields: "symbol") {
    symbol: String!
    name: String!
    "Listing venue, e.g. NASDAQ."
    exchange: String!
    quoteCurrency: String!
    tickSize: Decimal!
    lotSize: Decimal!
    minNotional: Decimal!
    status: InstrumentStatus!
    marketStatus: MarketStatus!
    "Null until the stock has traded."
    ticker: Ticker
    "Candles, oldest first; see Query.stockKlines."
    klines(${klineArguments}): [Kline!]!
  }

  type User @key(fields: "id") {
    id: ID!
    "The user's stock orders, newest first. Only the user themself can read them."
    stockOrders(first: Int = 20, after: String): StockOrderConnection!
    ${marketSideUserFields('Stock')}
  }

  type Query {
    "The server's clock, to align client charts and countdowns."
    serverTime: DateTime! @shareable
    stocks: [Stock!]!
    "BAD_USER_INPUT for a symbol that is not listed."
    stock(symbol: String!): Stock!
    """
    Candles of a stock, oldest first: with \`from\`, the first \`limit\` candles opening
    at or after it; otherwise the latest \`limit\` (up to \`to\`). period is the candle's length
    (interval, deprecated, took 1s, 1m, 5m, 15m, 1h, 4h or 1d); give one of them; limit is 1–1000 (default 500).
    """
    stockKlines(
      symbol: String!
      ${klineArguments}
    ): [Kline!]!
    "Last price and 24-hour statistics of a stock; null until it has traded."
    stockTicker(symbol: String!): Ticker
    ${marketSideQueryFields('Stock')}
  }

  type Subscription {
    "Every trade of the listed stocks (1–50), with the 24-hour change; quiet while their market is closed."
    stockPriceTicks(symbols: [String!]!): PriceTick!
    "The forming candle of a stock on every trade."
    stockKlineUpdates(
      symbol: String!
      ${klineLengthArguments}
    ): Kline!
    ${marketSideSubscriptionFields('Stock')}
  }
`;
