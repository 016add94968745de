export * from './domain-error.js';
export * from './decider.js';
export * from './ports.js';
