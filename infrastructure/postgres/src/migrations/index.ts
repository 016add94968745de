export * from './migration-files.js';
export * from './migrator.js';
