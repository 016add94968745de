export * from './postgres/postgres-order-list.js';
export * from './graphql/order-resolvers.js';
