export * from './composition-root.js';
export * from './config.js';
export { typeDefs } from './graphql/schema.js';
export { DEMO_USERS, seedDemoUsers } from './seed/demo-users.js';
export type { RunningGrpcServer } from './grpc/funds-grpc-server.js';
export { checkLedgerInvariant } from './adapters/persistence/ledger-invariant.js';
export { DEMO_BALANCES } from './seed/demo-balances.js';
