export * from './postgres/postgres-market-data.js';
export * from './live/latest-by-key-buffer.js';
export * from './live/market-data-hub.js';
export * from './feeds/simulated-price-feed.js';
export * from './feeds/price-tick-relay.js';
export * from './market-data-service.js';
export * from './orders/postgres-order-list.js';
export * from './graphql/market-data-resolvers.js';
