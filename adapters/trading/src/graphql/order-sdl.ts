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

  enum OrderType {
    MARKET
    LIMIT
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
    "Null for market orders."
    price: Decimal
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
