export * from './describe-if-available.js';
export * from './test-databases.js';
export * from './scratch-database.js';
