export * from './postgres/postgres-order-list.js';
export * from './postgres/postgres-order-book-journal.js';
export * from './postgres/spot-order-projection.js';
export * from './grpc/grpc-funds.js';
export * from './graphql/order-resolvers.js';
