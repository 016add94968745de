export * from './composition-root.js';
