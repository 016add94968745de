export * from './access-token.js';
export * from './caller.js';
export * from './config.js';
export * from './graphql-errors.js';
export * from './logger.js';
export * from './request-context.js';
export * from './subgraph-server.js';
