export * from './composition-root.js';
export * from './config.js';
export { typeDefs } from './graphql/schema.js';
