export * from './domain/asset.js';
