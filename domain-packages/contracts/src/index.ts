export * from './core-events.js';
export * from './funds-events.js';
export * from './trading-events.js';
export * from './system-accounts.js';
