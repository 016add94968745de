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
 * The crypto context: spot pairs, their prices and candles. `serverTime` is
 * shareable with the stock subgraph (both answer with their clock, which is the
 * same meaning); everything else here is owned by crypto.
 */
export const typeDefs = gql`
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.9"
      import: ["@key", "@shareable", "@cost", "@listSize"]
    )

  ${marketDataTypeDefs}
  ${ordersTypeDefs('Crypto')}
  ${orderEntryTypeDefs('Crypto', 'GTC')}
  ${marketSideTypeDefs('Crypto')}

  "A spot pair such as BTC-USDT: buy or sell the base asset for the quote currency."
  type CryptoPair @key(fields: "symbol") {
    "BASE-QUOTE, e.g. BTC-USDT."
    symbol: String!
    name: String!
    baseAsset: String!
    quoteCurrency: String!
    "Prices are whole multiples of it."
    tickSize: Decimal!
    "Quantities are whole multiples of it."
    lotSize: Decimal!
    "Smallest price × quantity of an order, in the quote currency."
    minNotional: Decimal!
    status: InstrumentStatus!
    "Null until the pair has traded."
    ticker: Ticker
    "Candles, oldest first; see Query.klines."
    klines(${klineArguments}): [Kline!]!
  }

  """
  A trade print of a crypto pair with its 24-hour change, and the pair itself, so
  a subscriber can select the pair's fields from any subgraph (e.g. core's assets).
  """
  type CryptoPriceTick {
    symbol: String!
    price: Decimal!
    quantity: Decimal!
    time: DateTime!
    priceChange24h: Decimal!
    "Percent, two decimal places."
    priceChangePercent24h: Decimal!
    pair: CryptoPair!
  }

  type User @key(fields: "id") {
    id: ID!
    "The user's spot orders, newest first, optionally one status or symbol. Only the user themself can read them."
    cryptoOrders(
      status: OrderStatus
      symbol: String
      first: Int = 20
      after: String
    ): CryptoOrderConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
    ${marketSideUserFields('Crypto')}
  }

  type Mutation {
    """
    Places a spot order as the signed-in user. Funds are reserved first (a buy: the most
    it can cost in the quote asset, fees included; a sell: the base quantity) and what is
    left is given back when the order ends. INSUFFICIENT_FUNDS when the wallet cannot
    cover it; BAD_USER_INPUT for an unlisted symbol, a size off the tick or lot grid or
    below the minimum notional.
    """
    placeOrder(input: PlaceCryptoOrderInput!): PlaceCryptoOrderPayload!
    "Cancels one of your open orders and gives back what it holds. CONFLICT when it has already ended, NOT_FOUND when it is not yours."
    cancelOrder(id: ID!): CancelCryptoOrderPayload!
    """
    Changes the quantity or price of one of your resting LIMIT orders. A new price or a
    larger quantity loses the order's place in the queue; a smaller quantity keeps it. A
    costlier order reserves the difference first (INSUFFICIENT_FUNDS when the wallet cannot
    cover it), a cheaper one gives it back. CONFLICT when the order has ended.
    """
    amendOrder(input: AmendCryptoOrderInput!): AmendCryptoOrderPayload!
  }

  type Query {
    "The server's clock, to align client charts and countdowns."
    serverTime: DateTime! @shareable
    "All listed pairs: a few dozen, which the router's cost analysis assumes."
    cryptoPairs: [CryptoPair!]! @listSize(assumedSize: 50)
    "BAD_USER_INPUT for a symbol that is not listed."
    cryptoPair(symbol: String!): CryptoPair!
    """
    Candles of a crypto pair, oldest first, like Binance's klines endpoint: with
    \`from\`, the first \`limit\` candles opening at or after it; otherwise the latest
    \`limit\` (up to \`to\`). period is the candle's length (interval, deprecated, took 1s, 1m, 5m, 15m, 1h, 4h or 1d); give one of them; limit is
    1–1000 (default 500). Stock candles are at stockKlines.
    """
    klines(
      symbol: String!
      ${klineArguments}
    ): [Kline!]! @listSize(slicingArguments: ["limit"])
    "Last price and 24-hour statistics of a crypto pair; null until it has traded."
    ticker(symbol: String!): Ticker
    "One of your spot orders; null when there is none with this id that is yours."
    order(id: ID!): CryptoOrder
    ${marketSideQueryFields('Crypto')}
  }

  type Subscription {
    "Every trade of the listed crypto pairs (1–50), with the 24-hour change. A slow client skips to each pair's latest price."
    priceTicks(symbols: [String!]!): CryptoPriceTick!
    "The forming candle of a crypto pair on every trade."
    klineUpdates(
      symbol: String!
      ${klineLengthArguments}
    ): Kline!
    "Your spot orders as they change (placed, filled, cancelled); only yours, and a slow client skips to each order's newest state. Needs a signed-in caller."
    myOrderUpdates: CryptoOrder!
    ${marketSideSubscriptionFields('Crypto')}
  }
`;
