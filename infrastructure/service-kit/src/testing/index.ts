export * from './redis-availability.js';
export * from './window-counters-contract.js';
