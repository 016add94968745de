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
import { orderEntryTypeDefs, ordersTypeDefs } from '@simple-securities/trading-adapters/sdl';

/**
 * The stock context: listed stocks, their market sessions, prices and candles, and
 * stock orders. Root fields carry a `stock` prefix because the unprefixed ones
 * (`klines`, `ticker`, `priceTicks`, `placeOrder`, `order`, …) belong to crypto: a
 * supergraph root field has one owner. `serverTime` is shared.
 */
export const typeDefs = gql`
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  ${marketDataTypeDefs}
  ${ordersTypeDefs('Stock')}
  ${orderEntryTypeDefs('Stock', 'DAY')}
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
    "The user's stock orders, newest first, optionally one status or symbol. Only the user themself can read them."
    stockOrders(
      status: OrderStatus
      symbol: String
      first: Int = 20
      after: String
    ): StockOrderConnection!
    ${marketSideUserFields('Stock')}
  }

  type Mutation {
    """
    Places a stock order as the signed-in user, while the stock's market is in session
    (MARKET_CLOSED otherwise). Funds are reserved first (a buy: the most it can cost in
    USD, fees included; a sell: the shares) and what is left is given back when the order
    ends. DAY orders (the default) expire at the session close, early closes included.
    INSUFFICIENT_FUNDS when the wallet cannot cover it; BAD_USER_INPUT for an unlisted
    symbol or a size off the tick or lot grid.
    """
    placeStockOrder(input: PlaceStockOrderInput!): PlaceStockOrderPayload!
    "Cancels one of your open stock orders and gives back what it holds. CONFLICT when it has already ended, NOT_FOUND when it is not yours."
    cancelStockOrder(id: ID!): CancelStockOrderPayload!
    """
    Changes the quantity or price of one of your resting LIMIT stock orders, in session. A
    new price or a larger quantity loses the order's place in the queue; a smaller quantity
    keeps it. A costlier order reserves the difference first, a cheaper one gives it back.
    """
    amendStockOrder(input: AmendStockOrderInput!): AmendStockOrderPayload!
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
    "One of your stock orders; null when there is none with this id that is yours."
    stockOrder(id: ID!): StockOrder
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
    "Your stock orders as they change (placed, filled, amended, cancelled, expired); only yours. Needs a signed-in caller."
    myStockOrderUpdates: StockOrder!
    ${marketSideSubscriptionFields('Stock')}
  }
`;
