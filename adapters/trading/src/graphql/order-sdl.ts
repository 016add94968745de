import { gql } from 'graphql-tag';

/**
 * The order types every trading subgraph serves with the same meaning, hence
 * `@shareable` (the subgraph's `@link` must import it). The order itself is
 * owned by its context and named after it: see `ordersTypeDefs`.
 */
export const orderValueTypeDefs = gql`
  type PageInfo @shareable {
    hasNextPage: Boolean!
    endCursor: String
  }

  enum OrderSide {
    BUY
    SELL
  }

  "MARKET takes what the book offers now; LIMIT trades at its price or better and may rest; STOP becomes a MARKET order (sells only), STOP_LIMIT a LIMIT order, once a trade reaches stopPrice."
  enum OrderType {
    MARKET
    LIMIT
    STOP
    STOP_LIMIT
  }

  "How long an order stays open: GTC until cancelled, IOC and FOK never rest (FOK fills in full or not at all), DAY until the session closes."
  enum TimeInForce {
    GTC
    IOC
    FOK
    DAY
  }

  enum OrderStatus {
    NEW
    PARTIALLY_FILLED
    FILLED
    CANCELED
    REJECTED
    EXPIRED
  }
`;

/**
 * A context's order type and its Relay connection, named after the context
 * (`Crypto` gives `CryptoOrder`, `CryptoOrderEdge`, `CryptoOrderConnection`):
 * the supergraph has one owner per type, and the two contexts' orders are not one.
 */
export const ordersTypeDefs = (prefix: 'Crypto' | 'Stock') => gql`
  ${orderValueTypeDefs}

  type ${prefix}Order {
    id: ID!
    clientOrderId: String!
    symbol: String!
    side: OrderSide!
    type: OrderType!
    status: OrderStatus!
    timeInForce: TimeInForce!
    quantity: Decimal!
    filledQuantity: Decimal!
    "Volume-weighted price of the fills, at the tick's decimals; null until the first fill."
    averagePrice: Decimal
    "The limit; null for MARKET and STOP orders."
    price: Decimal
    "The trigger of STOP and STOP_LIMIT orders; null for the others."
    stopPrice: Decimal
    createdAt: DateTime!
  }

  type ${prefix}OrderEdge {
    node: ${prefix}Order!
    cursor: String!
  }

  type ${prefix}OrderConnection {
    edges: [${prefix}OrderEdge!]!
    pageInfo: PageInfo!
  }
`;

/**
 * The inputs and payloads of a context's order entry, named after it like its order
 * (`PlaceStockOrderInput`, `AmendCryptoOrderPayload`, …). `defaultTimeInForce` is what
 * an order without one gets: GTC for crypto, which has no session close, DAY for stocks.
 */
export const orderEntryTypeDefs = (
  prefix: 'Crypto' | 'Stock',
  defaultTimeInForce: 'GTC' | 'DAY',
) => gql`
  input Place${prefix}OrderInput {
    "A listed symbol, e.g. BTC-USDT or AAPL."
    symbol: String!
    side: OrderSide!
    type: OrderType!
    "A whole number of the instrument's lotSize."
    quantity: Decimal!
    "The limit, a whole number of the instrument's tickSize: required for LIMIT and STOP_LIMIT, refused otherwise."
    price: Decimal
    "The trigger, a whole number of the tickSize: required for STOP and STOP_LIMIT, refused otherwise."
    stopPrice: Decimal
    "For orders with a limit; DAY needs a market that closes. MARKET and STOP orders take what they can at once."
    timeInForce: TimeInForce = ${defaultTimeInForce}
    "Your id for this order (1-64 letters, digits, . _ : -). A retry with it returns the first order."
    clientOrderId: String!
  }

  type Place${prefix}OrderPayload {
    order: ${prefix}Order!
    "True when this answered a retry: nothing new was placed."
    replayed: Boolean!
  }

  type Cancel${prefix}OrderPayload {
    order: ${prefix}Order!
  }

  "A new quantity (fills included), a new price, or both, for one of your resting LIMIT orders."
  input Amend${prefix}OrderInput {
    id: ID!
    quantity: Decimal
    price: Decimal
  }

  type Amend${prefix}OrderPayload {
    order: ${prefix}Order!
  }
`;
