export * from './domain/order-book-messages.js';
export * from './domain/order-book.js';
export * from './domain/order-book-decider.js';
export * from './domain/matching-engine.js';
