export * from './internal-token.js';
export * from './unary-caller.js';
export * from './internal-grpc-server.js';
