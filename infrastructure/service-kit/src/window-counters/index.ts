export * from './window-counters.js';
export * from './in-memory-window-counters.js';
export * from './redis-window-counters.js';
