export * from './core-events.js';
export * from './funds-events.js';
