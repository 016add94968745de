export * from './sql-database.js';
export * from './pglite-database.js';
export * from './postgres-server-database.js';
export * from './migrations/index.js';
