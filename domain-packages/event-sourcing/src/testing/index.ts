export * from './event-store-contract.js';
export * from './message-bus-contract.js';
export * from './read-model-contract.js';
