import { gql } from 'graphql-tag';

/** Crypto's fields have the plain names; stock's twins carry its prefix (as `stockPriceTicks`). */
export const marketSideFieldNames = (prefix: 'Crypto' | 'Stock') => {
  const root = (name: string) =>
    prefix === 'Crypto' ? name : `stock${name[0]?.toUpperCase()}${name.slice(1)}`;
  return {
    orderBook: root('orderBook'),
    recentTrades: root('recentTrades'),
    orderBookUpdates: root('orderBookUpdates'),
    tradeUpdates: root('tradeUpdates'),
    /** On `User`, named after the context like `cryptoOrders`. */
    trades: `${prefix.toLowerCase()}Trades`,
    portfolio: `${prefix.toLowerCase()}Portfolio`,
  };
};

/**
 * A context's books, tape, fills and portfolio types (ADR 0025), named after the
 * context like its orders (`ordersTypeDefs`); a price level and a portfolio total mean
 * the same in both, hence `@shareable`. Needs `ordersTypeDefs` (OrderSide, PageInfo).
 */
export const marketSideTypeDefs = (prefix: 'Crypto' | 'Stock') => gql`
  "All the orders resting at one price."
  type PriceLevel @shareable {
    price: Decimal!
    "What the resting orders at this price still offer."
    quantity: Decimal!
    orderCount: Int!
  }

  "Whether a fill rested on the book (MAKER) or took from it (TAKER)."
  enum Liquidity {
    MAKER
    TAKER
  }

  "Sums over the positions valued in one currency."
  type PortfolioTotal @shareable {
    currency: String!
    costBasis: Decimal!
    marketValue: Decimal!
    unrealisedPnl: Decimal!
    realisedPnl: Decimal!
  }

  "A book's best price levels, best first, as of one sequence."
  type ${prefix}OrderBook {
    symbol: String!
    "Buy orders, highest price first."
    bids: [PriceLevel!]!
    "Sell orders, lowest price first."
    asks: [PriceLevel!]!
    "The book's event sequence this reflects; it only grows. 0 before the first order."
    sequence: Int!
    "When the book last changed; null before the first order."
    updatedAt: DateTime
  }

  "A trade on the market's tape."
  type ${prefix}Trade {
    "<symbol>:<sequence>."
    id: ID!
    symbol: String!
    "The resting order's price."
    price: Decimal!
    quantity: Decimal!
    "The side of the order that took liquidity."
    takerSide: OrderSide!
    time: DateTime!
  }

  "Your side of one of your trades."
  type ${prefix}Fill {
    tradeId: ID!
    orderId: ID!
    symbol: String!
    side: OrderSide!
    price: Decimal!
    quantity: Decimal!
    fee: Decimal!
    feeAsset: String!
    liquidity: Liquidity!
    time: DateTime!
  }

  type ${prefix}FillEdge {
    node: ${prefix}Fill!
    cursor: String!
  }

  type ${prefix}FillConnection {
    edges: [${prefix}FillEdge!]!
    pageInfo: PageInfo!
  }

  """
  What your fills in one instrument add up to, by the average-cost method with fees in
  the cost, valued at the instrument's last price. Amounts are in currency, at its decimals.
  """
  type ${prefix}Position {
    symbol: String!
    "The quote currency it is valued in."
    currency: String!
    "Bought less sold; below zero when you sold more than you bought here."
    quantity: Decimal!
    "Cost per unit held, fees included; null when flat."
    averageCost: Decimal
    "What the open quantity cost, fees included (negative for a short: what it brought in)."
    costBasis: Decimal!
    lastPrice: Decimal!
    "When lastPrice traded."
    priceTime: DateTime!
    "quantity × lastPrice."
    marketValue: Decimal!
    "marketValue − costBasis."
    unrealisedPnl: Decimal!
    "What closed quantity gained or lost against its average cost, fees included."
    realisedPnl: Decimal!
  }

  type ${prefix}Portfolio {
    "Each instrument you have traded that has a price."
    positions: [${prefix}Position!]!
    "One per currency: amounts in different currencies are never added."
    totals: [PortfolioTotal!]!
  }
`;

const bookArguments = 'symbol: String!, "Price levels per side, 1-100." depth: Int = 20';

/** Root fields to put in the context's `Query`. */
export const marketSideQueryFields = (prefix: 'Crypto' | 'Stock') => {
  const names = marketSideFieldNames(prefix);
  return `
    "A listed instrument's order book: its best price levels per side. BAD_USER_INPUT for an unlisted symbol or a depth outside 1-100."
    ${names.orderBook}(${bookArguments}): ${prefix}OrderBook!
    "A listed instrument's latest trades, newest first (first: 1-100)."
    ${names.recentTrades}(symbol: String!, first: Int = 50): [${prefix}Trade!]!
  `;
};

/** Root fields to put in the context's `Subscription`. */
export const marketSideSubscriptionFields = (prefix: 'Crypto' | 'Stock') => {
  const names = marketSideFieldNames(prefix);
  return `
    "The book now, then as it changes; changes within a tenth of a second arrive as one, and a slow client skips to the newest book."
    ${names.orderBookUpdates}(${bookArguments}): ${prefix}OrderBook!
    "Every trade of a listed instrument as it happens."
    ${names.tradeUpdates}(symbol: String!): ${prefix}Trade!
  `;
};

/** Fields to put in the context's `User`. */
export const marketSideUserFields = (prefix: 'Crypto' | 'Stock') => {
  const names = marketSideFieldNames(prefix);
  return `
    "Your fills, newest first. Only the user themself can read them."
    ${names.trades}(first: Int = 20, after: String): ${prefix}FillConnection!
    "Your positions from your fills, valued at the last prices. Only the user themself can read it."
    ${names.portfolio}: ${prefix}Portfolio!
  `;
};
