import { gql } from 'graphql-tag';

/**
 * A candle's length, as the arguments of every field that takes one: `period`, or the
 * deprecated `interval` string it replaces (one of them, see the resolvers).
 */
export const klineLengthArguments = `
  interval: String @deprecated(reason: "Use period: the same lengths as an enum.")
  period: KlineInterval
`;

/** Which candles: their length, then Binance's paging (at most `limit`, from/to). */
export const klineArguments = `${klineLengthArguments}
  limit: Int = 500
  from: DateTime
  to: DateTime
`;

/**
 * Types the crypto and stock subgraphs both serve with the same meaning, hence
 * `@shareable`. Each subgraph's schema includes this document next to its own
 * `@link` (which must import `@shareable`).
 */
export const marketDataTypeDefs = gql`
  "An exact decimal number serialised as a string, such as 1234.5678 sent as text. Never a float."
  scalar Decimal

  "An instant as an ISO-8601 string in UTC, e.g. 2026-01-31T12:00:00.000Z."
  scalar DateTime

  enum InstrumentStatus {
    "Priced and open for orders (when its market is open)."
    TRADING
    "Listed, but neither priced nor traded."
    HALTED
  }

  "The length of a candle."
  enum KlineInterval {
    ONE_SECOND
    ONE_MINUTE
    FIVE_MINUTES
    FIFTEEN_MINUTES
    ONE_HOUR
    FOUR_HOURS
    ONE_DAY
  }

  "Last price and rolling 24-hour statistics of one instrument, as of its latest trade."
  type Ticker @shareable {
    symbol: String!
    lastPrice: Decimal!
    lastQuantity: Decimal!
    "When the latest trade happened."
    time: DateTime!
    "The first price of the 24-hour window."
    openPrice: Decimal!
    highPrice: Decimal!
    lowPrice: Decimal!
    "Base quantity traded in the last 24 hours."
    volume: Decimal!
    "Quote currency traded in the last 24 hours."
    quoteVolume: Decimal!
    priceChange: Decimal!
    "Percent, two decimal places, such as -1.25."
    priceChangePercent: Decimal!
    trades: Int!
    """
    True while the price feed cannot see the market (for example, the Binance
    stream is unreachable and being retried): these are the last known prices.
    """
    stale: Boolean!
  }

  """
  One candle. Buckets are aligned to UTC (a 1d candle is a UTC day); closeTime is
  the bucket's last millisecond.
  """
  type Kline @shareable {
    symbol: String!
    "1s, 1m, 5m, 15m, 1h, 4h or 1d."
    interval: String! @deprecated(reason: "Use period: the same lengths as an enum.")
    """
    The candle's length. 1s candles are kept only for a retention period
    (KLINE_1S_RETENTION_MINUTES, default 60 minutes); longer intervals are kept.
    """
    period: KlineInterval!
    openTime: DateTime!
    closeTime: DateTime!
    open: Decimal!
    high: Decimal!
    low: Decimal!
    close: Decimal!
    "Base quantity traded."
    volume: Decimal!
    "Quote currency traded: the sum of price × quantity."
    quoteVolume: Decimal!
    trades: Int!
  }

  "A trade print with the instrument's 24-hour change."
  type PriceTick @shareable {
    symbol: String!
    price: Decimal!
    quantity: Decimal!
    time: DateTime!
    priceChange24h: Decimal!
    "Percent, two decimal places."
    priceChangePercent24h: Decimal!
  }
`;
