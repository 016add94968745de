export * from './funds-client.js';
export * from './generated/funds/v1/funds.js';
